"""The API's part of the security log: token use (first use a day), refusals, and the owner's list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import ApiToken, SecurityEvent, SecurityEventKind
from zweck.accounts.services import token_create
from zweck.accounts.tests.factories import make_actor
from zweck.api.tests.support import PREFIX, api_as
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role

pytestmark = pytest.mark.django_db

AGENT = "zweck-sync/2.1 (+https://example.com)"


def _client(address: str = "198.51.100.20") -> Client:
    return Client(HTTP_USER_AGENT=AGENT, REMOTE_ADDR=address)


def _get(client: Client, token: str, path: str = "/me", **query: object) -> object:
    return client.get(PREFIX + path, query, headers={"Authorization": f"Bearer {token}"})


def test_the_first_use_of_a_token_is_logged_with_address_and_client(owner: Actor) -> None:
    token, plain = token_create(actor=owner, name="Laptop")
    client = _client()

    first = _get(client, plain)
    _get(client, plain)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=5))
    _get(client, plain)

    assert first.status_code == 200  # type: ignore[attr-defined]
    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEventKind.TOKEN_USED
    assert (event.workspace_id, event.user_id, event.token_id) == (
        owner.workspace_id,
        owner.user_id,
        token.pk,
    )
    assert (event.channel, event.ip_address, event.user_agent) == ("api", "198.51.100.20", AGENT)
    assert plain not in event.user_agent + event.detail + event.account_digest


def test_a_token_used_again_on_a_later_day_is_logged_again(owner: Actor) -> None:
    token, plain = token_create(actor=owner, name="Server")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(days=1, hours=1))

    _get(_client(), plain)
    _get(_client(), plain)

    assert SecurityEvent.objects.filter(kind=SecurityEventKind.TOKEN_USED, token=token).count() == 1


def test_an_unknown_token_is_refused_and_logs_nothing(db: None) -> None:
    response = _get(_client(), "zk_" + "x" * 43)

    assert response.status_code == 401  # type: ignore[attr-defined]
    assert SecurityEvent.objects.count() == 0


def test_a_refused_call_is_logged_with_the_permission_it_needed(owner: Actor) -> None:
    sales = make_actor(Role.SALES, owner.workspace)
    api = api_as(sales)

    response = api.get("/privacy/holds")

    assert response.status_code == 403
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user_id, event.workspace_id) == (
        SecurityEventKind.PERMISSION_DENIED,
        sales.user_id,
        sales.workspace_id,
    )
    assert (event.channel, event.detail) == ("api", "privacy.view")


def test_a_member_whose_role_lost_the_api_is_refused_and_logged(
    owner: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = make_actor(Role.READ_ONLY, owner.workspace)
    api = api_as(member)
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.READ_ONLY, frozenset({Permission.CRM_VIEW}))

    response = api.get("/me")

    assert response.status_code == 403
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user_id, event.detail) == (
        SecurityEventKind.PERMISSION_DENIED,
        member.user_id,
        "token.use",
    )


# ------------------------------------------------------------------ GET /security-events


def _event(actor: Actor, kind: str = SecurityEventKind.SIGN_IN, address: str = "192.0.2.1") -> SecurityEvent:
    return SecurityEvent.objects.create(
        workspace_id=actor.workspace_id, user=actor.user, kind=kind, channel="web", ip_address=address
    )


def test_the_owner_lists_the_log_newest_first_with_addresses(owner: Actor, stranger: Actor) -> None:
    sales = make_actor(Role.SALES, owner.workspace)
    older = _event(sales, address="192.0.2.1")
    SecurityEvent.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=2))
    denied = SecurityEvent.objects.create(
        workspace_id=owner.workspace_id,
        user=sales.user,
        kind=SecurityEventKind.PERMISSION_DENIED,
        channel="api",
        ip_address="2001:db8::7",
        detail="privacy.view, member.manage",
    )
    _event(stranger, address="192.0.2.99")

    body = api_as(owner).get("/security-events").json()

    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [denied.pk, older.pk]
    assert body["items"][0] == {
        "id": denied.pk,
        "created_at": body["items"][0]["created_at"],
        "kind": "permission_denied",
        "channel": "api",
        "user_id": sales.user_id,
        "token_id": None,
        "ip_address": "2001:db8::7",
        "user_agent": "",
        "missing_permissions": ["privacy.view", "member.manage"],
    }


def test_the_list_is_filtered_by_kind_and_member(owner: Actor) -> None:
    sales = make_actor(Role.SALES, owner.workspace)
    _event(sales)
    _event(sales, SecurityEventKind.SIGN_OUT)
    _event(owner, SecurityEventKind.SIGN_OUT)
    api = api_as(owner)

    by_kind = api.get("/security-events", kind="sign_out").json()
    by_member = api.get("/security-events", user_id=sales.user_id).json()
    both = api.get("/security-events", user_id=sales.user_id, kind="sign_out").json()

    assert (by_kind["count"], by_member["count"], both["count"]) == (2, 2, 1)


def test_an_unknown_kind_is_refused_with_a_message(owner: Actor) -> None:
    response = api_as(owner).get("/security-events", kind="everything")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PRIVACY_OFFICER, Role.SALES])
def test_only_the_owner_may_list_the_log(owner: Actor, role: str) -> None:
    _event(owner)

    response = api_as(make_actor(role, owner.workspace)).get("/security-events")

    assert response.status_code == 403
    assert "192.0.2.1" not in response.content.decode()
