"""The audit viewer for the owner and the privacy officer: the staff page with its filters and
CSV export, and GET /api/v1/audit-events; nobody can change or remove an event through either."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.api.tests.support import api_as
from zweck.audit.chain import verify
from zweck.audit.models import AuditEvent
from zweck.audit.services import audit_record
from zweck.core.permissions import Role
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

PAGE = "/app/audit/"
EXPORT = "/app/audit/export.csv"


def _record(actor: Actor, action: str, object_id: object = 1, **extra: Any) -> AuditEvent:
    with transaction.atomic():
        return audit_record(
            actor=actor, action=action, object_type="crm.person", object_id=object_id, **extra
        )  # type: ignore[arg-type]


def test_the_page_is_for_the_owner_and_the_privacy_officer(owner: Actor, actor_with_role: Any) -> None:
    _record(owner, "person.update", changed_fields=["last_name"])
    officer = actor_with_role(Role.PRIVACY_OFFICER)
    sales = actor_with_role(Role.SALES)
    before = AuditEvent.objects.count()

    assert client_for(owner).get(PAGE).status_code == 200
    assert client_for(officer).get(PAGE).status_code == 200
    assert client_for(sales).get(PAGE).status_code == 403
    assert client_for(sales).get(EXPORT).status_code == 403
    anonymous = client_for(owner).__class__().get(PAGE)
    assert anonymous.status_code == 302 and "/app/login/" in anonymous["Location"]
    assert AuditEvent.objects.count() == before


def test_the_page_shows_who_did_what_without_values(owner: Actor, stranger: Actor) -> None:
    _record(owner, "person.update", changed_fields=["last_name"])
    _record(stranger, "person.delete", object_id=777)

    page = client_for(owner).get(PAGE).content.decode()

    assert accessibility_problems(page) == []
    assert "Contact: changed" in page or "Person: changed" in page
    assert "last_name" in page
    assert str(owner.user) in page
    assert "777" not in page  # another workspace's event


def test_filters_by_member_action_subject_and_time(owner: Actor, actor_with_role: Any) -> None:
    colleague = actor_with_role(Role.SALES)
    mine = _record(owner, "person.update", object_id=11, subject_ids=[11])
    theirs = _record(colleague, "person.create", object_id=12, subject_ids=[12])
    client = client_for(owner)

    def shown(**query: str) -> set[str]:
        body = client.get(PAGE, query).content.decode()
        return {
            object_id
            for object_id in ("11", "12")
            if f"Contact {object_id}" in body or f"Person {object_id}" in body
        }

    assert shown() == {"11", "12"}
    assert shown(user=theirs.actor_label) == {"12"}
    assert shown(action="person.update") == {"11"}
    assert shown(subject="12") == {"12"}
    today = timezone.localdate()
    assert shown(**{"from": (today + timedelta(days=1)).isoformat()}) == set()
    assert shown(to=today.isoformat()) == {"11", "12"}
    assert mine.actor_label != theirs.actor_label


def test_unusable_filters_are_named_not_a_server_error(owner: Actor) -> None:
    _record(owner, "person.update")
    response = client_for(owner).get(PAGE, {"subject": "abc", "from": "2026-13-45", "to": "x"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter the number of a contact." in body
    assert "Enter a date as YYYY-MM-DD." in body
    # a NUL character is refused before the page by the request guard
    assert client_for(owner).get(PAGE, {"to": "x\x00"}).status_code == 400


def test_a_deleted_members_events_keep_their_label(owner: Actor, actor_with_role: Any) -> None:
    colleague = actor_with_role(Role.SALES)
    event = _record(colleague, "person.update")
    User.objects.filter(pk=colleague.user_id).delete()

    body = client_for(owner).get(PAGE).content.decode()

    assert f"Former member {event.actor_label}" in body


def test_the_csv_export_escapes_formulas_and_is_itself_recorded(owner: Actor) -> None:
    _record(owner, "person.update", object_id="=HYPERLINK(1)", changed_fields=["@name"])

    response = client_for(owner).get(EXPORT, {"action": "person.update"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Time", "Member", "Label", "Action"]
    assert [row[3] for row in rows[1:]] == ["person.update"]
    assert rows[1][5] == "'=HYPERLINK(1)"
    assert rows[1][6] == "'@name"
    export = AuditEvent.objects.get(action="audit.export")
    assert export.details == {"count": 1, "format": "csv", "filters": ["action"]}
    assert verify([owner.workspace_id]).intact


def test_the_api_lists_events_read_only(owner: Actor, actor_with_role: Any, stranger: Actor) -> None:
    event = _record(owner, "person.update", object_id=5, subject_ids=[5, 3])
    _record(owner, "person.create", object_id=6)
    api = api_as(owner)

    everything = api.get("/audit-events", object_type="crm.person").json()
    filtered = api.get("/audit-events", action="person.update", subject_id=3).json()

    assert [row["action"] for row in everything["items"]] == ["person.create", "person.update"]
    (row,) = filtered["items"]
    assert (row["id"], row["subject_ids"], row["actor_label"], row["hash"]) == (
        event.pk,
        [3, 5],
        event.actor_label,
        event.hash,
    )
    assert api.post("/audit-events", {"action": "x"}).status_code == 405
    assert api.delete(f"/audit-events/{event.pk}").status_code == 404
    assert api_as(actor_with_role(Role.SALES)).get("/audit-events").status_code == 403
    assert api.get("/audit-events", since="yesterday").status_code == 422
    foreign = api_as(stranger).get("/audit-events", object_type="crm.person").json()
    assert foreign["count"] == 0


def test_the_api_list_reads_in_a_fixed_number_of_queries(
    owner: Actor, django_assert_max_num_queries: Any
) -> None:
    for index in range(5):
        _record(owner, "person.update", object_id=index, subject_ids=[index + 1])
    api = api_as(owner)
    with django_assert_max_num_queries(8):
        response = api.get("/audit-events")
    assert response.json()["count"] >= 5
