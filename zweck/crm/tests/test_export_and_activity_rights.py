"""Two rights of their own: exporting contacts in bulk (pages and API) and changing or
deleting activities someone else owns. A refused call changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.api.tests.support import snapshot, token_for
from zweck.core.permissions import Permission, Role, permissions_for
from zweck.crm.models import Activity
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_person
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

EXPORTING = [Role.OWNER, Role.ADMIN, Role.SALES]
NOT_EXPORTING = [Role.READ_ONLY, Role.SERVICE, Role.ACCOUNTING, Role.MARKETING, Role.PRIVACY_OFFICER]


def _api(actor: Actor) -> tuple[Client, dict[str, str]]:
    return Client(), {"Authorization": f"Bearer {token_for(actor)}"}


def test_the_export_right_belongs_to_the_roles_that_work_with_contact_lists() -> None:
    assert {role for role in Role if Permission.CONTACT_EXPORT in permissions_for(role)} == set(EXPORTING)
    assert {role for role in Role if Permission.ACTIVITY_MANAGE_ALL in permissions_for(role)} == {
        Role.OWNER,
        Role.ADMIN,
    }


@pytest.mark.parametrize("role", EXPORTING)
def test_roles_with_the_export_right_download_every_contact(
    owner: Actor, actor_with_role: Any, role: str
) -> None:
    make_person(owner, first_name="Erika", last_name="Export")
    actor = actor_with_role(role)
    page = client_for(actor).get("/app/contacts/")
    assert "/app/contacts/export.csv" in page.content.decode()
    response = client_for(actor).get("/app/contacts/export.csv")
    assert response.status_code == 200
    assert "Export" in b"".join(response.streaming_content).decode()
    client, headers = _api(actor)
    response = client.get("/api/v1/persons/export", headers=headers)
    assert response.status_code == 200


@pytest.mark.parametrize("role", NOT_EXPORTING)
def test_roles_without_the_export_right_are_refused(owner: Actor, actor_with_role: Any, role: str) -> None:
    make_person(owner, first_name="Erika", last_name="Export")
    actor = actor_with_role(role)
    staff = client_for(actor)
    client, headers = _api(actor)
    before = snapshot()
    # the list offers no export, and the download is refused in the pages and the API
    assert "/app/contacts/export.csv" not in staff.get("/app/contacts/").content.decode()
    assert staff.get("/app/contacts/export.csv").status_code == 403
    response = client.get("/api/v1/persons/export", headers=headers)
    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have permission to do this."
    # no export was audited as done; the refusals went to the security log only
    assert snapshot() == before


@pytest.fixture
def sellers(actor_with_role: Any) -> tuple[Actor, Actor]:
    return actor_with_role(Role.SALES), actor_with_role(Role.SALES)


def _activity(actor: Actor, **details: Any) -> Activity:
    return activity_create(actor=actor, kind="note", subject="Gesprächsnotiz", **details)


def test_a_member_changes_and_deletes_their_own_activities(sellers: tuple[Actor, Actor]) -> None:
    author, _other = sellers
    activity = _activity(author)
    client, headers = _api(author)
    response = client.patch(
        f"/api/v1/activities/{activity.pk}",
        json.dumps({"subject": "Neu"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert client_for(author).get(f"/app/activities/{activity.pk}/edit/").status_code == 200
    assert client.delete(f"/api/v1/activities/{activity.pk}", headers=headers).status_code == 204
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_another_member_may_neither_change_nor_delete_it(sellers: tuple[Actor, Actor]) -> None:
    author, other = sellers
    activity = _activity(author)
    client, headers = _api(other)
    staff = client_for(other)
    before = snapshot()
    response = client.patch(
        f"/api/v1/activities/{activity.pk}",
        json.dumps({"subject": "Übernommen"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    assert client.delete(f"/api/v1/activities/{activity.pk}", headers=headers).status_code == 403
    assert staff.get(f"/app/activities/{activity.pk}/edit/").status_code == 403
    assert staff.post(f"/app/activities/{activity.pk}/delete/").status_code == 403
    assert staff.post(f"/app/activities/{activity.pk}/done/").status_code == 403
    detail = staff.get(f"/app/activities/{activity.pk}/").content.decode()
    assert f"/app/activities/{activity.pk}/edit/" not in detail
    assert snapshot() == before


def test_the_owner_named_on_the_activity_may_change_it(sellers: tuple[Actor, Actor]) -> None:
    author, assignee = sellers
    activity = _activity(author, owner=assignee.user)
    client, headers = _api(assignee)
    response = client.patch(
        f"/api/v1/activities/{activity.pk}",
        json.dumps({"subject": "Erledigt"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    # the author handed it over: it is no longer theirs to change
    client, headers = _api(author)
    assert client.delete(f"/api/v1/activities/{activity.pk}", headers=headers).status_code == 403


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_owner_and_admin_manage_everyone_s_activities(
    sellers: tuple[Actor, Actor], actor_with_role: Any, role: str
) -> None:
    author, _other = sellers
    activity = _activity(author)
    manager = actor_with_role(role)
    assert client_for(manager).get(f"/app/activities/{activity.pk}/edit/").status_code == 200
    client, headers = _api(manager)
    assert client.delete(f"/api/v1/activities/{activity.pk}", headers=headers).status_code == 204
