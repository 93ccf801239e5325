"""Reads of personal data in bulk are in the audit trail: who, when, what, how many, and the
names of the filters used — never a value (not even the search term)."""

from __future__ import annotations

from typing import Any

import pytest

from zweck.accounts.actors import Actor
from zweck.api.tests.support import api_as
from zweck.audit.chain import verify
from zweck.audit.models import AuditEvent
from zweck.crm.tests.factories import make_person
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def threshold(settings: Any) -> int:
    settings.ZWECK = {**settings.ZWECK, "AUDIT_BULK_READ_ROWS": 3}
    return 3


def _reads(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def test_an_api_list_from_the_threshold_on_is_recorded(owner: Actor, threshold: int) -> None:
    for index in range(threshold):
        make_person(owner, last_name=f"Schmidt{index}")
    api = api_as(owner)

    api.get("/persons", q="schmidt", limit=2)
    api.get("/persons", q="schmidt0")

    (read,) = _reads("person.list")
    assert (read.actor_id, read.object_type, read.channel) == (owner.user_id, "crm.person", "api")
    assert read.details == {"count": 3, "returned": 2, "filters": ["query"]}
    assert "schmidt" not in str(AuditEvent.objects.values())
    assert verify([owner.workspace_id]).intact


def test_a_small_list_is_not_recorded(owner: Actor) -> None:
    make_person(owner)

    api_as(owner).get("/persons")

    assert _reads("person.list") == []


def test_a_web_search_page_from_the_threshold_on_is_recorded(owner: Actor, threshold: int) -> None:
    for index in range(threshold + 1):
        make_person(owner, last_name=f"Meyer{index}")
    client = client_for(owner)

    client.get("/app/contacts/", {"q": "Meyer"})
    client.get("/app/contacts/")  # the plain list is no search

    (read,) = _reads("person.search")
    assert read.details == {"count": 4, "returned": 4, "filters": ["q"]}
    assert read.channel == "web" or read.channel == "system"
    assert "Meyer" not in str(AuditEvent.objects.values())


def test_the_contact_export_records_how_many_it_holds(owner: Actor) -> None:
    for _index in range(2):
        make_person(owner)

    response = client_for(owner).get("/app/contacts/export.csv")
    b"".join(response.streaming_content)

    (export,) = _reads("person.export")
    assert export.details == {"count": 2, "format": "csv"}
