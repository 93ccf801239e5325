"""The issue's "done when": a subject spread over their person record, activities (as a
participant and named in other people's notes), deals and the audit trail finds all of it in the
access export, and after erasure nothing of it remains except what a hold keeps, restricted,
with its end date."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent, AuditEventSubject
from zweck.core.permissions import Role
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Activity, Deal, Person, PersonEmail, SearchPosting, SearchWord
from zweck.crm.selectors import activity_list, deal_list, person_list
from zweck.crm.services import activity_create, deal_update
from zweck.crm.tests.factories import make_deal, make_person
from zweck.privacy.dsr import dsr_erase, dsr_export, dsr_link_persons, dsr_open, dsr_verify
from zweck.privacy.erasure import KEEP, erasure_plan, erasure_reapply
from zweck.privacy.holds import holds_release, record_hold_place
from zweck.privacy.models import ErasureTombstone, RecipientNotification, RecordHold
from zweck.privacy.request_models import RequestChannel, RequestKind, RequestStatus
from zweck.privacy.services import recipient_create

EMAIL = "anna.beispiel@example.com"
PHONE = "+49 30 1234567"


@pytest.fixture
def scenario(installed: Actor, owner: Actor) -> dict[str, object]:
    """Anna's data spread over the CRM, and Ben who mentions her."""
    recipient_create(
        actor=installed,
        name="Mailhost GmbH",
        role="processor",
        service_en="Email hosting",
        service_de="E-Mail-Hosting",
        country="DE",
        activity_keys=["client_relationship"],
    )
    anna = make_person(owner, first_name="Anna", last_name="Beispiel", email=EMAIL, phone=PHONE)
    ben = make_person(owner, first_name="Ben", last_name="Anders", email="ben.anders@example.com")
    shared_meeting = activity_create(
        actor=owner,
        kind=ActivityKind.MEETING,
        subject="Workshop",
        body="Anna and Ben agreed on the plan. Ben: ben.anders@example.com",
        starts_at=timezone.now(),
        participants=[anna, ben],
    )
    own_call = activity_create(
        actor=owner,
        kind=ActivityKind.CALL,
        subject="Call with Anna",
        body="Anna asked for a quote.",
        participants=[anna],
    )
    bens_note = activity_create(
        actor=owner,
        kind=ActivityKind.NOTE,
        subject="Note",
        body=f"Ben says Anna Beispiel ({EMAIL}) will join next time.",
        participants=[ben],
    )
    deal = make_deal(owner, title="Framework contract")
    deal_update(actor=owner, deal=deal, contacts=[anna])
    held_deal = make_deal(owner, title="Disputed order")
    deal_update(actor=owner, deal=held_deal, contacts=[anna])
    return {
        "anna": anna,
        "ben": ben,
        "shared_meeting": shared_meeting,
        "own_call": own_call,
        "bens_note": bens_note,
        "deal": deal,
        "held_deal": held_deal,
    }


def _open_verified(actor: Actor, kind: str, person: Person) -> object:
    request = dsr_open(actor=actor, kind=kind, channel=RequestChannel.EMAIL, requester_email=EMAIL)
    dsr_verify(actor=actor, request=request)
    dsr_link_persons(actor=actor, request=request, person_ids=[person.pk])
    return request


def test_access_export_finds_everything_and_redacts_other_people(installed: Actor, scenario: dict) -> None:
    anna = scenario["anna"]
    # given
    request = _open_verified(installed, RequestKind.ACCESS, anna)
    # when
    data = json.loads(dsr_export(actor=installed, request=request, fmt="json"))
    # then
    by_set = {item["data_set"]: item for item in data["data_sets"]}
    assert by_set["crm.Person"]["rows"][0]["last_name"] == "Beispiel"
    assert [row["email"] for row in by_set["crm.PersonEmail"]["rows"]] == [EMAIL]
    assert [row["number"] for row in by_set["crm.PersonPhone"]["rows"]] == ["+49301234567"]
    assert sorted(row["id"] for row in by_set["crm.Activity"]["rows"]) == sorted(
        [scenario["shared_meeting"].pk, scenario["own_call"].pk]
    )
    shared = next(row for row in by_set["crm.Activity"]["rows"] if row["id"] == scenario["shared_meeting"].pk)
    assert "ben.anders@example.com" not in shared["body"]
    assert "Ben Anders" not in json.dumps(data)
    assert sorted(row["id"] for row in by_set["crm.Deal"]["rows"]) == sorted(
        [scenario["deal"].pk, scenario["held_deal"].pk]
    )
    assert len(by_set["audit.AuditEventSubject"]["rows"]) >= 1
    assert [(m["data_set"], m["id"], m["field"]) for m in data["mentions"]] == [
        ("crm.Activity", scenario["bens_note"].pk, "body")
    ]
    assert EMAIL in data["mentions"][0]["excerpt"]
    facts = by_set["crm.Activity"]["facts"]
    assert [r["name"] for r in facts["recipients"]] == ["Mailhost GmbH"]
    assert facts["retention"]
    assert facts["purposes"]
    assert data["controller"]["supervisory_authority"]


def test_access_export_formats(installed: Actor, scenario: dict) -> None:
    request = _open_verified(installed, RequestKind.ACCESS, scenario["anna"])
    html = dsr_export(actor=installed, request=request, fmt="html").decode()
    assert "Beispiel" in html
    assert dsr_export(actor=installed, request=request, fmt="pdf").startswith(b"%PDF")
    assert dsr_export(actor=installed, request=request, fmt="zip").startswith(b"PK")


def test_erasure_leaves_only_what_a_hold_keeps_restricted_with_its_end(
    installed: Actor, owner: Actor, scenario: dict
) -> None:
    anna, held_deal = scenario["anna"], scenario["held_deal"]
    # given a legal hold on one deal and an erasure request
    ends_on = date.today() + timedelta(days=400)
    record_hold_place(
        actor=installed,
        object_type="deal",
        object_id=held_deal.pk,
        reason="Legal claim (Art. 17(3)(e) GDPR)",
        ends_on=ends_on,
    )
    request = _open_verified(installed, RequestKind.ERASURE, anna)
    plan = erasure_plan(actor=installed, person_ids=[anna.pk])
    kept = {(row.data_set, row.row_id) for row in plan.rows if row.action == KEEP and not row.audit_only}
    assert ("crm.deal", held_deal.pk) in kept
    # when
    result = dsr_erase(actor=installed, request=request)
    # then
    assert result.kept >= 1
    assert not Person.objects.filter(pk=anna.pk).exists()
    assert not PersonEmail.objects.filter(email=EMAIL).exists()
    # nor does the search index keep a word only she was found by
    assert not SearchPosting.objects.filter(person_id=anna.pk).exists()
    assert not SearchWord.objects.filter(word__contains="beispiel").exists()
    assert SearchWord.objects.filter(word="anders").exists()
    assert Activity.objects.filter(pk=scenario["own_call"].pk).values_list("subject", "body").get() == (
        "",
        "",
    )
    meeting = Activity.objects.get(pk=scenario["shared_meeting"].pk)
    assert "Ben" in meeting.body
    note = Activity.objects.get(pk=scenario["bens_note"].pk)
    assert EMAIL not in note.body and "Anna Beispiel" not in note.body
    hold = RecordHold.objects.get(object_type="crm.deal", object_id=held_deal.pk)
    assert hold.ends_on == ends_on
    assert Deal.objects.filter(pk=held_deal.pk).exists()
    assert held_deal.pk not in [d.pk for d in deal_list(actor=owner, include_archived=True)]
    # no erased value in the audit trail, which keeps ids only
    for event in AuditEvent.objects.filter(workspace_id=owner.workspace_id):
        assert EMAIL not in json.dumps(event.changed_fields)
    assert AuditEventSubject.objects.filter(subject_id=anna.pk).exists()
    assert RecipientNotification.objects.filter(request=request, action="erasure").count() == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    # and when the hold ends, the deal goes
    assert holds_release(actor=installed, today=ends_on + timedelta(days=1)) >= 1
    assert not Deal.objects.filter(pk=held_deal.pk).exists()


def test_tombstone_erases_again_after_a_restore(installed: Actor, owner: Actor, scenario: dict) -> None:
    anna = scenario["anna"]
    request = _open_verified(installed, RequestKind.ERASURE, anna)
    dsr_erase(actor=installed, request=request)
    tombstones = list(ErasureTombstone.objects.values_list("identifier_kind", "digest"))
    assert sorted(kind for kind, _ in tombstones) == ["email", "phone"]
    assert all(EMAIL not in digest for _, digest in tombstones)
    # given a restore from an older backup brings Anna back
    restored = make_person(owner, first_name="Anna", last_name="Beispiel", email=EMAIL)
    # when
    erased = erasure_reapply(actor=installed)
    # then
    assert erased == [restored.pk]
    assert not Person.objects.filter(pk=restored.pk).exists()


def test_restricted_person_disappears_but_not_for_the_privacy_officer(
    installed: Actor, owner: Actor, scenario: dict
) -> None:
    from zweck.privacy.dsr import dsr_restrict

    anna = scenario["anna"]
    request = _open_verified(installed, RequestKind.RESTRICTION, anna)
    dsr_restrict(actor=installed, request=request)
    assert anna.pk not in [p.pk for p in person_list(actor=owner)]
    assert anna.pk not in [p.pk for p in person_list(actor=owner, query="Beispiel")]
    assert scenario["own_call"].pk not in [a.pk for a in activity_list(actor=owner)]
    assert scenario["shared_meeting"].pk in [a.pk for a in activity_list(actor=owner)]
    assert anna.pk in [p.pk for p in person_list(actor=installed, include_restricted=True)]
    assert RecipientNotification.objects.filter(request=request, action="restriction").count() == 1


def test_a_member_without_privacy_manage_cannot_erase(actor_with_role, scenario: dict) -> None:
    sales = actor_with_role(Role.SALES)
    with pytest.raises(PermissionDenied):
        erasure_plan(actor=sales, person_ids=[scenario["anna"].pk])
    assert Person.objects.filter(pk=scenario["anna"].pk).exists()


def test_another_workspace_cannot_see_the_subject(stranger: Actor, scenario: dict) -> None:
    with pytest.raises(Person.DoesNotExist):
        erasure_plan(actor=stranger, person_ids=[scenario["anna"].pk])
