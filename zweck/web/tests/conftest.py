"""Fixtures for the staff UI tests: signed-in clients for members with a given role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.accounts.tests.factories import make_actor


def client_for(actor: Actor) -> Client:
    """A browser session of ``actor``'s user, working in ``actor``'s workspace."""
    client = Client()
    assert actor.user is not None
    client.force_login(actor.user)
    session = client.session
    session["zweck_workspace_id"] = actor.workspace_id
    session.save()
    return client


@pytest.fixture
def member_client(workspace: Workspace) -> Callable[[str], tuple[Client, Actor]]:
    """A signed-in client and its actor, for a member of ``workspace`` with the given role."""

    def build(role: str) -> tuple[Client, Actor]:
        actor = make_actor(role, workspace)
        return client_for(actor), actor

    return build
