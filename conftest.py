"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation
from hypothesis import settings

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.accounts.tests.factories import WorkspaceFactory, make_actor
from zweck.core.permissions import Role
from zweck.core.tests.smtp import Inbox, free_port

# Property tests judge results, never time: a busy machine must not fail an example for being slow.
settings.register_profile("zweck", deadline=None)
settings.load_profile("zweck")


@pytest.fixture(autouse=True)
def _language_of_each_test_is_its_own() -> Iterator[None]:
    """A German page served in one test leaves German active in the thread; the next test
    starts again from the default language, whatever ran before it."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _audit_anchors_in_the_tests_own_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Anchors written by a test (the nightly maintenance writes some) go to a file of its own,
    never to the data directory, and never meet another test's chains."""
    from django.conf import settings as django_settings

    before = django_settings.ZWECK
    path = tmp_path_factory.mktemp("audit") / "audit-anchors.jsonl"
    # The erasure journal likewise (zweck.privacy.erasure_journal).
    journal = path.parent / "erasure-journal.jsonl"
    django_settings.ZWECK = {**before, "AUDIT_ANCHOR_FILE": str(path), "ERASURE_JOURNAL": str(journal)}
    yield
    django_settings.ZWECK = before


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


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[Inbox]:
    """An SMTP server started for the test, and Django's mail sent to it."""
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield handler
    controller.stop()
