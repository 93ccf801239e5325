"""A subject's mentions written differently, found in the workspace's free text on both databases;
possible mentions decided per request: confirmed ones are erased and exported like certain
ones, dismissed ones left alone; each decision logged without the term."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Activity, Person
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_person
from zweck.privacy.dsr import (
    RequestStateError,
    dsr_decide,
    dsr_erase,
    dsr_export,
    dsr_link_persons,
    dsr_open,
    dsr_verify,
)
from zweck.privacy.erasure import REDACT, erasure_plan
from zweck.privacy.mention_decisions import CONFIRM, DISMISS, mention_decide, request_possible_mentions
from zweck.privacy.mentions import candidate_condition, find_mentions
from zweck.privacy.models import DataSubjectRequest, MentionDecision, RequestAction
from zweck.privacy.request_models import RequestChannel, RequestKind
from zweck.privacy.subjects import free_text_declarations, identifiers_of

EMAIL = "anna.beispiel@example.com"
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")


def _note(owner: Actor, body: str, about: Person) -> Activity:
    return activity_create(
        actor=owner, kind=ActivityKind.NOTE, subject="Note", body=body, participants=[about]
    )


@pytest.fixture
def anna(owner: Actor) -> Person:
    return make_person(
        owner, salutation="Frau", first_name="Anna", last_name="Beispiel", email=EMAIL, phone="+49 221 123456"
    )


@pytest.fixture
def ben(owner: Actor) -> Person:
    return make_person(owner, salutation="Herr", first_name="Ben", last_name="Anders")


def _found(owner: Actor, person: Person) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    identifiers = identifiers_of(workspace_id=owner.workspace_id, person_ids=[person.pk])
    found = find_mentions(workspace_id=owner.workspace_id, identifiers=identifiers)
    return (
        [(m.row_id, m.field) for m in found.certain],
        [(m.row_id, m.term, m.reason) for m in found.possible],
    )


def test_certain_and_possible_mentions_are_found_however_written(
    owner: Actor, anna: Person, ben: Person
) -> None:
    # given notes of Ben's that write Anna in many ways
    phone_slash = _note(owner, "Rückruf unter 0221/12 34 56 erbeten.", ben)
    phone_plus = _note(owner, "Mobil: +49 (0)221 123456", ben)
    upper_email = _note(owner, f"Schrieb von {EMAIL.upper()}", ben)
    salutation = _note(owner, "Frau Dr. Beispiel hat zugesagt.", ben)
    initial = _note(owner, "A. Beispiel war auch da.", ben)
    spelling = _note(owner, "Anna Beispiél?", ben)
    _nothing = _note(owner, "Herr Beispiel und 0221 1234567 und Beispielmann.", ben)
    # when
    certain, possible = _found(owner, anna)
    # then
    assert certain == [
        (phone_slash.pk, "body"),
        (phone_plus.pk, "body"),
        (upper_email.pk, "body"),
        (salutation.pk, "body"),
    ]
    assert possible == [(initial.pk, "A. Beispiel", "initial")]
    assert spelling.pk not in [row for row, _ in certain]


def test_a_surname_another_person_shares_makes_a_salutation_only_possible(owner: Actor, anna: Person) -> None:
    # given another Frau Beispiel (written with the other spelling of nothing: the same surname)
    other = make_person(owner, salutation="Frau", first_name="Berta", last_name="BEISPIEL")
    note = _note(owner, "Frau Beispiel hat zugesagt.", other)
    # when
    certain, possible = _found(owner, anna)
    # then
    assert (certain, possible) == ([], [(note.pk, "Frau Beispiel", "shared_surname")])


def test_umlauts_written_the_other_way_are_possible_mentions(owner: Actor, ben: Person) -> None:
    juergen = make_person(owner, salutation="Herr", first_name="Jürgen", last_name="Müller")
    first = _note(owner, "Juergen Mueller ruft an.", ben)
    second = _note(owner, "Herr Mueller ruft an.", ben)
    certain, possible = _found(owner, juergen)
    assert certain == []
    assert possible == [(first.pk, "Juergen Mueller", "spelling"), (second.pk, "Herr Mueller", "spelling")]


@postgresql_only
def test_the_candidates_come_from_the_word_and_digit_indexes(owner: Actor, anna: Person) -> None:
    identifiers = identifiers_of(workspace_id=owner.workspace_id, person_ids=[anna.pk])
    condition = Q()
    for name in ("subject", "body"):
        condition |= candidate_condition(name, identifiers.matcher)
    rows = Activity.objects.filter(condition).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = rows.explain()
        cursor.execute("SET enable_seqscan = on")
    for index in (
        "crm_activity_body_mention_words",
        "crm_activity_subject_mention_words",
        "crm_activity_body_mention_digits",
        "crm_activity_subject_mention_digits",
    ):
        assert index in plan
    assert "Seq Scan" not in plan


@postgresql_only
@pytest.mark.django_db
def test_every_free_text_field_has_a_digit_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_mention_digits'")
        indexes = {name for (name,) in cursor.fetchall()}
    missing = [
        f"{d.model._meta.db_table}.{name}"
        for d in free_text_declarations()
        for name in d.free_text_fields()
        if f"{d.model._meta.db_table}_{d.model._meta.get_field(name).column}_mention_digits"[:63]
        not in indexes
    ]
    assert missing == []


def _request(actor: Actor, kind: str, person: Person) -> DataSubjectRequest:
    request = dsr_open(actor=actor, kind=kind, channel=RequestChannel.EMAIL, requester_email=EMAIL)
    dsr_verify(actor=actor, request=request)
    dsr_link_persons(actor=actor, request=request, person_ids=[person.pk])
    return request


def _key(actor: Actor, request: DataSubjectRequest, row: Activity) -> str:
    [found] = [
        m for m in request_possible_mentions(actor=actor, request=request) if m.mention.row_id == row.pk
    ]
    return found.mention.key


def test_erasure_erases_confirmed_possible_mentions_and_leaves_dismissed_ones(
    installed: Actor, owner: Actor, anna: Person, ben: Person
) -> None:
    # given three notes with possible mentions of Anna, one with a certain mention too
    confirmed = _note(owner, "A. Beispiel bestellt. Tel. 0221-123456", ben)
    dismissed = _note(owner, "Treffen mit A Beispiel.", ben)
    undecided = _note(owner, "A.Beispiel? Nein: A. Beispiel.", ben)
    request = _request(installed, RequestKind.ERASURE, anna)
    plan = erasure_plan(actor=installed, person_ids=[anna.pk], request=request)
    assert [(m.mention.row_id, m.mention.term, m.decision) for m in plan.possible_mentions] == [
        (confirmed.pk, "A. Beispiel", ""),
        (dismissed.pk, "A Beispiel", ""),
        (undecided.pk, "A. Beispiel", ""),
    ]
    # when the privacy officer decides two of them
    mention_decide(
        actor=installed, request=request, key=plan.possible_mentions[0].mention.key, decision=CONFIRM
    )
    mention_decide(
        actor=installed, request=request, key=plan.possible_mentions[1].mention.key, decision=DISMISS
    )
    plan = erasure_plan(actor=installed, person_ids=[anna.pk], request=request)
    planned = {
        (row.row_id, row.action)
        for row in plan.rows
        if row.data_set == "crm.activity" and row.row_id in (confirmed.pk, dismissed.pk, undecided.pk)
    }
    as_dict = plan.as_dict()
    dsr_erase(actor=installed, request=request)
    # then
    assert [m.decision for m in plan.possible_mentions] == ["confirmed", "dismissed", ""]
    assert planned == {(confirmed.pk, REDACT)}
    assert [m["decision"] for m in as_dict["possible_mentions"]] == ["confirmed", "dismissed", ""]
    assert as_dict["possible_mentions"][0]["reason"] == "initial"
    bodies = dict(
        Activity.objects.filter(pk__in=[confirmed.pk, dismissed.pk, undecided.pk]).values_list("pk", "body")
    )
    assert bodies == {
        confirmed.pk: "[erased] bestellt. Tel. [erased]",
        dismissed.pk: "Treffen mit A Beispiel.",
        undecided.pk: "A.Beispiel? Nein: A. Beispiel.",
    }


def test_each_decision_is_logged_on_the_request_and_audited_without_the_term(
    installed: Actor, owner: Actor, anna: Person, ben: Person
) -> None:
    note = _note(owner, "A. Beispiel bestellt.", ben)
    request = _request(installed, RequestKind.ACCESS, anna)
    key = _key(installed, request, note)
    # when confirmed, then dismissed after all
    mention_decide(actor=installed, request=request, key=key, decision=CONFIRM)
    decision = mention_decide(actor=installed, request=request, key=key, decision=DISMISS)
    # then one decision, the latest
    assert list(MentionDecision.objects.values_list("pk", "confirmed")) == [(decision.pk, False)]
    assert "Beispiel" not in decision.term_digest and len(decision.term_digest) == 64
    log = list(
        RequestAction.objects.filter(request=request, action__startswith="mention.").values_list(
            "action", "note"
        )
    )
    assert log == [
        ("mention.confirm", f"crm.activity #{note.pk} body"),
        ("mention.dismiss", f"crm.activity #{note.pk} body"),
    ]
    events = AuditEvent.objects.filter(action__startswith="mention.").order_by("pk")
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        ("mention.confirm", "privacy.mentiondecision", str(decision.pk)),
        ("mention.dismiss", "privacy.mentiondecision", str(decision.pk)),
    ]
    assert "Beispiel" not in json.dumps([e.changed_fields for e in events])


def test_the_access_export_lists_undecided_mentions_without_their_words_and_exports_confirmed_ones(
    installed: Actor, owner: Actor, anna: Person, ben: Person
) -> None:
    confirmed = _note(owner, "A. Beispiel bestellt (geheim).", ben)
    dismissed = _note(owner, "Herr Beispiel? Nein: A Beispiel kam (vertraulich).", ben)
    undecided = _note(owner, "Gespräch mit A. Beispiel über Ben.", ben)
    request = _request(installed, RequestKind.ACCESS, anna)
    mention_decide(
        actor=installed, request=request, key=_key(installed, request, confirmed), decision=CONFIRM
    )
    mention_decide(
        actor=installed, request=request, key=_key(installed, request, dismissed), decision=DISMISS
    )
    # when
    data = json.loads(dsr_export(actor=installed, request=request, fmt="json"))
    html = dsr_export(actor=installed, request=request, fmt="html").decode()
    # then
    assert [(m["id"], m["field"]) for m in data["mentions"]] == [(confirmed.pk, "body")]
    assert "geheim" in data["mentions"][0]["excerpt"]
    assert data["possible_mentions"] == [
        {
            "data_set": "crm.Activity",
            "name": "activity",
            "id": undecided.pk,
            "field": "body",
            "field_name": "description",
            "reason": "initial",
            "reason_text": "Initial and surname",
        }
    ]
    assert "vertraulich" not in json.dumps(data) and "über Ben" not in json.dumps(data)
    assert "über Ben" not in html and "Initial and surname" in html


def test_refused_decisions_change_nothing(
    installed: Actor, owner: Actor, anna: Person, ben: Person, actor_with_role, stranger: Actor
) -> None:
    note = _note(owner, "A. Beispiel bestellt.", ben)
    request = _request(installed, RequestKind.ERASURE, anna)
    key = _key(installed, request, note)
    before = (MentionDecision.objects.count(), RequestAction.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied):
        mention_decide(actor=actor_with_role(Role.SALES), request=request, key=key, decision=CONFIRM)
    with pytest.raises(DataSubjectRequest.DoesNotExist):
        mention_decide(actor=stranger, request=request, key=key, decision=CONFIRM)
    with pytest.raises(ValidationError) as unknown:
        mention_decide(actor=installed, request=request, key=key[:-1] + "x", decision=CONFIRM)
    with pytest.raises(ValidationError) as bad_choice:
        mention_decide(actor=installed, request=request, key=key, decision="maybe")
    assert unknown.value.message_dict == {"key": ["This request has no such possible mention."]}
    assert bad_choice.value.message_dict == {"decision": ["Choose confirm or dismiss."]}
    assert (
        MentionDecision.objects.count(),
        RequestAction.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    dsr_decide(actor=installed, request=request, decision="refused", reason="Legal claim pending.")
    with pytest.raises(RequestStateError):
        mention_decide(actor=installed, request=request, key=key, decision=CONFIRM)
    assert MentionDecision.objects.count() == 0
