from __future__ import annotations

import pytest

from zweck.accounts.actors import Actor
from zweck.api.tests.support import Api, World, api_as, build_world


@pytest.fixture
def world(owner: Actor) -> World:
    return build_world(owner)


@pytest.fixture
def api(owner: Actor) -> Api:
    """The API as the owner of ``workspace``."""
    return api_as(owner)
