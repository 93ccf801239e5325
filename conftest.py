"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.accounts.permissions import Role
from zweck.accounts.tests.factories import WorkspaceFactory, make_actor


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
