"""Session limits per workspace, the password change page, and the password rules."""

from __future__ import annotations

import time
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.models import SecurityEvent, SecurityEventKind, User, Workspace
from zweck.accounts.services import user_create
from zweck.core.permissions import Role
from zweck.web.sessions import LIMITS, SEEN, STARTED
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"seen": SEEN, "started": STARTED}[key]] = now - ago
    session.save()


def test_a_session_ends_after_the_workspaces_idle_time(owner: Actor) -> None:
    client = client_for(owner)
    assert client.get("/app/").status_code == 200
    _age_session(client, seen=31 * 60)

    response = client.get("/app/persons/")

    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=/app/persons/")
    assert "_auth_user_id" not in client.session
    # the next page says why
    assert "without activity" in client.get(response["Location"]).content.decode()


def test_a_session_ends_after_its_lifetime_however_active(owner: Actor) -> None:
    client = client_for(owner)
    _age_session(client, started=8 * 3600 + 1, seen=10)
    response = client.get("/app/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/app/login/")


def test_activity_keeps_a_session_within_the_limits(owner: Actor) -> None:
    client = client_for(owner)
    _age_session(client, started=7 * 3600, seen=29 * 60)
    assert client.get("/app/").status_code == 200
    # the request counted as activity
    assert time.time() - client.session[SEEN] < 60


def test_the_strictest_workspace_sets_the_limits(owner: Actor, stranger: Actor) -> None:
    Workspace.objects.filter(pk=stranger.workspace_id).update(session_idle_minutes=5)
    from zweck.accounts.models import Membership

    assert owner.user is not None
    Membership.objects.create(workspace_id=stranger.workspace_id, user=owner.user, role=Role.SALES)
    client = client_for(owner)
    assert client.session[LIMITS][:2] == [5 * 60, 8 * 3600]
    _age_session(client, seen=6 * 60)
    assert client.get("/app/").status_code == 302


def test_the_owner_sets_the_session_limits(owner: Actor, actor_with_role: Any) -> None:
    client = client_for(owner)
    assert client.get("/app/settings/sessions/").status_code == 200
    response = client.post(
        "/app/settings/sessions/", {"session_idle_minutes": "15", "session_lifetime_hours": "4"}
    )
    assert response.status_code == 302
    workspace = Workspace.objects.get(pk=owner.workspace_id)
    assert (workspace.session_idle_minutes, workspace.session_lifetime_hours) == (15, 4)

    # nonsense is refused at the field, nothing changes
    bad = client.post(
        "/app/settings/sessions/", {"session_idle_minutes": "600", "session_lifetime_hours": "2"}
    )
    assert bad.status_code == 422
    assert "cannot be longer than the whole session" in bad.content.decode()
    too_long = client.post(
        "/app/settings/sessions/", {"session_idle_minutes": "15", "session_lifetime_hours": "99"}
    )
    assert too_long.status_code == 422
    workspace.refresh_from_db()
    assert (workspace.session_idle_minutes, workspace.session_lifetime_hours) == (15, 4)

    # a member without the right is refused, an anonymous visitor sent to sign in
    sales = actor_with_role(Role.SALES)
    assert (
        client_for(sales).post("/app/settings/sessions/", {"session_idle_minutes": "99"}).status_code == 403
    )
    assert Client().get("/app/settings/sessions/").status_code == 302
    workspace.refresh_from_db()
    assert workspace.session_idle_minutes == 15


def test_a_member_changes_their_password_and_other_sessions_end(owner: Actor) -> None:
    assert owner.user is not None
    here, elsewhere = client_for(owner), client_for(owner)
    assert here.get("/app/password/").status_code == 200

    short = here.post(
        "/app/password/",
        {"old_password": PASSWORD, "new_password1": "short pass", "new_password2": "short pass"},
    )
    assert short.status_code == 200
    assert "at least 12 characters" in short.content.decode()
    common = here.post(
        "/app/password/",
        {"old_password": PASSWORD, "new_password1": "password1234", "new_password2": "password1234"},
    )
    assert "too common" in common.content.decode()

    new = "a quiet lake at dawn"
    response = here.post(
        "/app/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )

    assert response.status_code == 302
    user = User.objects.get(pk=owner.user.pk)
    assert user.check_password(new)
    assert here.get("/app/").status_code == 200
    assert elsewhere.get("/app/").status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_CHANGED, user=user).count() == 1


def test_a_wrong_current_password_changes_nothing(owner: Actor) -> None:
    assert owner.user is not None
    client = client_for(owner)
    new = "a quiet lake at dawn"
    response = client.post(
        "/app/password/", {"old_password": "not it at all", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    assert User.objects.get(pk=owner.user.pk).check_password(PASSWORD)


def test_passwords_need_twelve_characters_and_no_composition() -> None:
    with pytest.raises(ValidationError) as short:
        user_create(email="short@example.com", password="elevenchars")
    assert "at least 12 characters" in str(short.value)
    with pytest.raises(ValidationError):
        user_create(email="common@example.com", password="password1234")
    # no digits, no capitals, no symbols needed; digits only is fine when long and not common
    assert user_create(email="phrase@example.com", password="lilac harbour evening").pk
    assert user_create(email="digits@example.com", password="480751963208").pk
    assert not User.objects.filter(email__in=["short@example.com", "common@example.com"]).exists()


def test_the_command_line_refuses_a_short_password(db: None) -> None:
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command(
            "createworkspace", "Kurz GmbH", "--owner-email", "kurz@example.com", "--password", "kurz1234"
        )
    assert not User.objects.filter(email="kurz@example.com").exists()
    out = StringIO()
    call_command("createworkspace", "Lang GmbH", "--owner-email", "lang@example.com", stdout=out)
    generated = out.getvalue().split("Password (shown once): ")[1].strip()
    assert len(generated) >= 12
