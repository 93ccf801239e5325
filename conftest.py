"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.utils import translation

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.accounts.tests.factories import WorkspaceFactory, make_actor
from zweck.core.permissions import Role


@pytest.fixture(autouse=True)
def _language_of_each_test_is_its_own() -> Iterator[None]:
    """A German page served in one test leaves German active in the thread; the next test
    starts again from the default language, whatever ran before it."""
    yield
    translation.deactivate()


@pytest.fixture
def workspace(db: None) -> Workspace:
    return WorkspaceFactory()


@pytest.fixture
def owner(workspace: Workspace) -> Actor:
    """An owner of ``workspace``: every permission."""
    return make_actor(Role.OWNER, workspace)


@pytest.fixture
def actor_with_role(workspace: Workspace) -> Callable[[str], Actor]:
    """Make a member of ``workspace`` with the given role."""

    def build(role: str) -> Actor:
        return make_actor(role, workspace)

    return build


@pytest.fixture
def stranger(db: None) -> Actor:
    """An owner of a different workspace."""
    return make_actor(Role.OWNER)
