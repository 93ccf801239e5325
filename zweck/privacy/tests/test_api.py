"""/api/v1/privacy/register: documents, coverage and Fides export, for members with privacy.view."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.services import token_create
from zweck.core.permissions import Role
from zweck.privacy.models import ProcessingActivity

BASE = "/api/v1/privacy/register"


def _headers(actor: Actor | None) -> dict[str, str]:
    if actor is None:
        return {}
    _, plain = token_create(actor=actor, name="register test")
    return {"Authorization": f"Bearer {plain}"}


def test_privacy_officer_reads_every_document(like_seed_004: Actor, client: Client) -> None:
    headers = _headers(like_seed_004)
    notice = client.get(f"{BASE}/notices/client_contact", {"lang": "en", "format": "md"}, headers=headers)
    ropa = client.get(f"{BASE}/ropa", {"lang": "de", "format": "pdf"}, headers=headers)
    fides = client.get(f"{BASE}/fides", headers=headers)
    coverage = client.get(f"{BASE}/coverage", headers=headers)
    assert [notice.status_code, ropa.status_code, fides.status_code, coverage.status_code] == [200] * 4
    assert notice.content.decode().startswith("# Privacy notice for Contacts at our clients\n")
    assert ropa["Content-Type"] == "application/pdf"
    assert ropa.content.startswith(b"%PDF-")
    assert sorted(yaml.safe_load(fides.content)) == ["dataset", "system"]
    body = coverage.json()
    assert body["is_complete"] is True
    assert body["transfers_without_safeguard"] == []


def test_anonymous_callers_are_refused(installed: Actor, client: Client) -> None:
    assert client.get(f"{BASE}/coverage").status_code == 401


@pytest.mark.parametrize("role", [Role.SALES, Role.ACCOUNTING, Role.READ_ONLY])
def test_members_without_privacy_view_are_refused(
    actor_with_role: Callable[[str], Actor], client: Client, role: str
) -> None:
    member = actor_with_role(role)
    headers = _headers(member)
    assert client.get(f"{BASE}/ropa", headers=headers).status_code == 403
    assert client.post(f"{BASE}/install-defaults", headers=headers).status_code == 403
    assert not ProcessingActivity.objects.filter(workspace_id=member.workspace_id).exists()


def test_another_workspace_sees_only_its_own_register(
    like_seed_004: Actor, stranger: Actor, client: Client
) -> None:
    response = client.get(
        f"{BASE}/notices/client_contact", {"lang": "en", "format": "md"}, headers=_headers(stranger)
    )
    assert response.status_code == 200
    assert "NinjaOne" not in response.content.decode()
    assert like_seed_004.workspace.name not in response.content.decode()


def test_privacy_officer_installs_the_defaults(privacy_officer: Actor, client: Client) -> None:
    response = client.post(f"{BASE}/install-defaults", headers=_headers(privacy_officer))
    assert response.status_code == 200
    assert "contact_management" in response.json()["activities"]
