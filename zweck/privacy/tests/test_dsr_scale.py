"""Access export and erasure do a fixed amount of database work per data set, whatever the
number of rows a subject has; a mention is the subject's name or address on its own."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Activity, Person
from zweck.crm.services import activity_create, deal_update
from zweck.crm.tests.factories import make_deal, make_person
from zweck.privacy.erasure import REDACT, build_plan, person_erase
from zweck.privacy.exports import access_data
from zweck.privacy.mentions import excerpt, mention_rows
from zweck.privacy.subjects import Identifiers

EMAIL = "jana.probe@example.com"


def _subject_with(owner: Actor, rows: int, email: str = EMAIL) -> Person:
    """Jana with ``rows`` activities, deals and notes of others that name her."""
    jana = make_person(owner, first_name="Jana", last_name="Probe", email=email, phone="+49 30 7654321")
    other = make_person(owner, first_name="Otto", last_name="Anders")
    for number in range(rows):
        activity_create(
            actor=owner,
            kind=ActivityKind.CALL,
            subject=f"Call {number}",
            body=f"Jana and Otto, round {number}. Otto: otto.anders{number}@example.com",
            starts_at=timezone.now(),
            participants=[jana, other],
        )
        activity_create(
            actor=owner,
            kind=ActivityKind.NOTE,
            subject="Note",
            body=f"Otto says Jana Probe ({email}) joins round {number}.",
            participants=[other],
        )
        deal_update(actor=owner, deal=make_deal(owner, title=f"Contract {number}"), contacts=[jana])
    return jana


def _export_queries(owner: Actor, person: Person) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        data = access_data(workspace=owner.workspace, person_ids=[person.pk])
    return len(captured.captured_queries), data


def test_the_access_export_query_count_does_not_grow_with_the_rows(owner: Actor, installed: Actor) -> None:
    # given one subject with two rows of each kind and another with six
    few = _subject_with(owner, 2)
    few_queries, few_data = _export_queries(owner, few)
    Person.objects.filter(pk=few.pk).delete()
    many = _subject_with(owner, 6)
    # when
    many_queries, many_data = _export_queries(owner, many)
    # then
    assert len(few_data["mentions"]) == 2
    # the notes naming the first Jana Probe name this one too
    assert len(many_data["mentions"]) == 2 + 6
    assert many_queries == few_queries


def test_the_access_export_shows_a_personal_reference_by_name_and_others_by_id(
    owner: Actor, installed: Actor
) -> None:
    jana = _subject_with(owner, 1)
    data = access_data(workspace=owner.workspace, person_ids=[jana.pk])
    by_set = {item["data_set"]: item for item in data["data_sets"]}
    [link] = by_set["crm.DealContact"]["rows"]
    assert link["person"] == jana.pk
    [activity] = [row for row in by_set["crm.Activity"]["rows"]]
    assert activity["body"] == "Jana and Otto, round 0. Otto: […]"
    assert "Otto Anders" not in json.dumps(data["data_sets"])
    assert activity["starts_at"] == Activity.objects.get(pk=activity["id"]).starts_at.isoformat()
    assert json.dumps(data)


def test_the_erasure_query_count_does_not_grow_with_the_rows(owner: Actor, installed: Actor) -> None:
    few = _subject_with(owner, 2)
    with CaptureQueriesContext(connection) as captured:
        person_erase(actor=installed, person_ids=[few.pk])
    few_queries = len(captured.captured_queries)
    # (another address, so that her erasure writes tombstones as the first one did)
    many = _subject_with(owner, 6, email="jana.probe@example.net")
    with CaptureQueriesContext(connection) as captured:
        result = person_erase(actor=installed, person_ids=[many.pk])
    assert result.redacted == 6 + 6  # the shared calls and the notes that name her
    assert len(captured.captured_queries) == few_queries
    bodies = list(Activity.objects.filter(kind=ActivityKind.NOTE).values_list("body", flat=True))
    assert sorted(bodies) == sorted(
        [f"Otto says [erased] ([erased]) joins round {number}." for number in (*range(2), *range(6))]
    )


def test_a_mention_is_the_name_on_its_own_not_inside_a_longer_word(owner: Actor) -> None:
    # given
    jana = make_person(owner, first_name="Jana", last_name="Probe", email=EMAIL)
    other = make_person(owner, first_name="Otto", last_name="Anders")
    own_word, _inside_a_word, _inside_an_address = (
        activity_create(actor=owner, kind=ActivityKind.NOTE, subject="Note", body=body, participants=[other])
        for body in ("Call JANA PROBE's office.", "Jana Probesen called.", f"Not x{EMAIL} either.")
    )
    identifiers = Identifiers(emails=(EMAIL,), phones=(), names=("Jana Probe",))
    # when
    found = mention_rows(workspace_id=owner.workspace_id, identifiers=identifiers)
    plan = build_plan(workspace_id=owner.workspace_id, person_ids=[jana.pk])
    # then
    assert [(m.row_id, m.field) for m in found] == [(own_word.pk, "body")]
    assert [(row.row_id, row.fields) for row in plan.rows if row.action == REDACT] == [
        (own_word.pk, {"body": "mentions"})
    ]


def test_an_excerpt_starts_at_the_first_mention() -> None:
    identifiers = Identifiers(emails=(EMAIL,), phones=(), names=("Jana Probe",))
    text = "x" * 300 + f" write to {EMAIL} or ask Jana Probe"
    assert (
        excerpt(text, identifiers=identifiers, width=20) == f"…xxxxxxxxxx write to {EMAIL} or ask Jana Probe"
    )
