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
