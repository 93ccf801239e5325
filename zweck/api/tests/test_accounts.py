"""/me and token management."""

from __future__ import annotations

import pytest

from zweck.accounts.actors import Actor
from zweck.accounts.models import ApiToken
from zweck.api.tests.support import Api, api_as
from zweck.core.permissions import Role

pytestmark = pytest.mark.django_db


def test_me_names_user_workspace_role_and_permissions(actor_with_role) -> None:  # type: ignore[no-untyped-def]
    reader: Actor = actor_with_role(Role.READ_ONLY)
    body = api_as(reader).get("/me").json()
    assert body == {
        "user": {
            "id": reader.user_id,
            "email": reader.user.email if reader.user else "",
            "full_name": reader.user.full_name if reader.user else "",
            "language": "en",
        },
        "workspace": {
            "id": reader.workspace_id,
            "name": reader.workspace.name,
            "slug": reader.workspace.slug,
            "federal_state": "",
        },
        "role": "read_only",
        "permissions": ["crm.view", "deal.view", "sales.view", "ticket.view", "token.use"],
    }


def test_create_token_shows_the_secret_once_and_it_works(api: Api) -> None:
    response = api.post("/tokens", {"name": "Buchhaltungs-Export", "expires_at": "2099-01-01T00:00:00Z"})
    assert response.status_code == 201
    created = response.json()
    assert created["token"].startswith("zk_")
    assert created["prefix"] == created["token"][3:11]
    assert not ApiToken.objects.filter(digest__contains=created["token"]).exists()
    listed = api.get(f"/tokens/{created['id']}").json()
    assert "token" not in listed
    assert listed["expires_at"] == "2099-01-01T00:00:00Z"
    assert Api(created["token"]).get("/me").status_code == 200


def test_expired_token_is_401(api: Api) -> None:
    created = api.post("/tokens", {"name": "Kurzlebig", "expires_at": "2000-01-01T00:00:00Z"}).json()
    assert Api(created["token"]).get("/me").status_code == 401


def test_members_see_and_revoke_only_their_own_tokens(api: Api, actor_with_role) -> None:  # type: ignore[no-untyped-def]
    owners_tokens = api.get("/tokens").json()["items"]
    seller = api_as(actor_with_role(Role.SALES))
    assert seller.get("/tokens").json()["count"] == 1
    assert seller.post(f"/tokens/{owners_tokens[0]['id']}/revoke").status_code == 404
    # the owner manages members and so sees every token of the workspace
    assert api.get("/tokens").json()["count"] == 2


def test_a_member_whose_role_no_longer_allows_api_use_is_403(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zweck.core.permissions import ROLE_PERMISSIONS, Permission

    monkeypatch.setitem(ROLE_PERMISSIONS, Role.OWNER, frozenset(Permission) - {Permission.TOKEN_USE})
    response = api.get("/me")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this.", "errors": []}


def test_an_expired_token_is_told_so(owner: Actor) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from zweck.accounts.services import token_create

    _token, plain = token_create(actor=owner, name="alt", expires_at=timezone.now() - timedelta(minutes=1))
    response = Api(plain).get("/me")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("This API token expired on ")


def test_a_token_without_an_expiry_date_expires_in_ninety_days(api: Api) -> None:
    from datetime import datetime, timedelta

    from django.utils import timezone

    created = api.post("/tokens", {"name": "Standard"}).json()
    expires = datetime.fromisoformat(created["expires_at"])
    assert timedelta(days=89) < expires - timezone.now() <= timedelta(days=90)
    assert created["scope"] == "write"


def test_a_read_only_token_reads_but_changes_nothing(api: Api) -> None:
    from zweck.crm.models import Organization

    created = api.post("/tokens", {"name": "Nur lesen", "scope": "read"}).json()
    reader = Api(created["token"])
    assert created["scope"] == "read"
    assert reader.get("/organizations").status_code == 200
    refused = reader.post("/organizations", {"name": "Neue GmbH"})
    assert refused.status_code == 403
    assert "may only read" in refused.json()["detail"]
    assert not Organization.objects.filter(name="Neue GmbH").exists()
    # the same request with a write token is served
    assert api.post("/organizations", {"name": "Neue GmbH"}).status_code == 201


def test_an_unknown_scope_is_422(api: Api) -> None:
    response = api.post("/tokens", {"name": "X", "scope": "admin"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "scope"


def test_a_workspace_that_requires_two_factors_refuses_tokens_of_members_without(
    api: Api, owner: Actor
) -> None:
    import pyotp

    from zweck.accounts.models import Workspace
    from zweck.accounts.two_factor import two_factor_enrol_confirm, two_factor_enrol_start

    Workspace.objects.filter(pk=owner.workspace_id).update(require_two_factor=True)
    refused = api.get("/me")
    assert refused.status_code == 403
    assert "requires two-factor authentication" in refused.json()["detail"]
    assert owner.user is not None
    device = two_factor_enrol_start(user=owner.user)
    two_factor_enrol_confirm(user=owner.user, code=pyotp.TOTP(device.secret).now())
    assert api.get("/me").status_code == 200
