"""Legal holds: placed on a live person, activity or deal they keep it in use and out of an
erasure; ended by date or early with reasons, a live record stays and a record an erasure kept
is erased; refused input writes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.core.register import register
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Activity, Deal, Person
from zweck.crm.selectors import activity_list, deal_list, person_list
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_deal, make_person
from zweck.privacy.dsr import dsr_erase, dsr_link_persons, dsr_open, dsr_verify
from zweck.privacy.holds import (
    HOLD_TYPES,
    HoldStateError,
    hold_list,
    holds_release,
    record_hold_place,
    record_hold_release,
)
from zweck.privacy.models import DataSubjectRequest, RecordHold, RequestAction
from zweck.privacy.request_models import RequestChannel, RequestKind
from zweck.privacy.subjects import contact_declarations

pytestmark = pytest.mark.django_db
CLAIM = "Legal claim of the customer (Art. 17(3)(e) GDPR)"
TAX = "Open tax assessment 2023 (§ 147(3) AO)"


def _until(days: int = 365) -> date:
    return timezone.localdate() + timedelta(days=days)


def _place(
    actor: Actor, object_type: str, object_id: int, reason: str = CLAIM, days: int = 365
) -> RecordHold:
    return record_hold_place(
        actor=actor, object_type=object_type, object_id=object_id, reason=reason, ends_on=_until(days)
    )


def _erase(officer: Actor, person: Person) -> DataSubjectRequest:
    request = dsr_open(
        actor=officer, kind=RequestKind.ERASURE, channel=RequestChannel.EMAIL, requester_email="x@example.com"
    )
    dsr_verify(actor=officer, request=request)
    dsr_link_persons(actor=officer, request=request, person_ids=[person.pk])
    dsr_erase(actor=officer, request=request)
    return request


def _written() -> tuple[Any, ...]:
    return (
        list(RecordHold.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        Deal.objects.count(),
        Person.objects.count(),
    )


def test_every_hold_type_is_a_contact_model_the_register_declares() -> None:
    declared = {declaration.label.lower() for declaration in contact_declarations()}
    assert set(HOLD_TYPES) == {"person", "activity", "deal"}
    for label in HOLD_TYPES.values():
        assert register.get(apps.get_model(label)) is not None
        assert label in declared


def test_a_legal_hold_on_a_live_deal_keeps_it_in_use(installed: Actor, owner: Actor) -> None:
    # given
    deal = make_deal(owner, title="Disputed order")
    # when
    hold = _place(installed, "deal", deal.pk)
    # then
    stored = RecordHold.objects.get()
    assert (stored.object_type, stored.object_id, stored.reason, stored.ends_on) == (
        "crm.deal",
        deal.pk,
        CLAIM,
        _until(),
    )
    assert (stored.erase_on_release, stored.released_at, stored.request_id) == (False, None, None)
    assert [d.pk for d in deal_list(actor=owner)] == [deal.pk]
    event = AuditEvent.objects.get(action="hold.place")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "privacy.recordhold",
        str(hold.pk),
        installed.user_id,
    )


@pytest.mark.parametrize("object_type", ["person", "PERSON", "crm.Person", "crm.person"])
def test_the_type_is_its_name_or_the_model_label(installed: Actor, owner: Actor, object_type: str) -> None:
    person = make_person(owner, first_name="Lara", last_name="Lang")

    hold = _place(installed, object_type, person.pk, reason=TAX)

    assert (hold.object_type, hold.object_id) == ("crm.person", person.pk)
    assert [p.pk for p in person_list(actor=owner)] == [person.pk]
    assert AuditEvent.objects.get(action="hold.place").subjects.get().subject_id == person.pk


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(installed: Actor, owner: Actor) -> None:
    make_deal(owner)
    before = _written()

    with pytest.raises(ValidationError) as refused:
        record_hold_place(
            actor=installed,
            object_type="invoice",
            object_id=1,
            reason="   ",
            ends_on=timezone.localdate() - timedelta(days=1),
        )

    assert refused.value.message_dict == {
        "object_type": ["Choose one of: person, activity, deal."],
        "reason": ["Give the legal reason for the hold."],
        "ends_on": ["The end of the hold cannot lie in the past."],
    }
    assert _written() == before


def test_an_unknown_id_or_one_of_another_workspace_is_refused(
    installed: Actor, owner: Actor, stranger: Actor
) -> None:
    foreign = make_deal(stranger)
    before = _written()

    for object_id in (foreign.pk, foreign.pk + 1000):
        with pytest.raises(ValidationError) as refused:
            _place(installed, "deal", object_id)
        assert refused.value.message_dict == {"object_id": [f"Unknown id {object_id}."]}

    assert _written() == before


def test_a_hold_may_end_today_but_not_yesterday(installed: Actor, owner: Actor) -> None:
    activity = activity_create(actor=owner, kind=ActivityKind.NOTE, subject="Vergleichsgespräch")

    hold = _place(installed, "activity", activity.pk, days=0)

    assert hold.ends_on == timezone.localdate()


def test_only_who_manages_privacy_places_and_releases(
    installed: Actor, owner: Actor, actor_with_role: Any
) -> None:
    deal = make_deal(owner)
    hold = _place(installed, "deal", deal.pk)
    sales = actor_with_role(Role.SALES)
    before = _written()

    with pytest.raises(PermissionDenied):
        _place(sales, "deal", deal.pk)
    with pytest.raises(PermissionDenied):
        record_hold_release(actor=sales, hold=hold, reason="Settled")
    with pytest.raises(PermissionDenied):
        hold_list(actor=sales)

    assert _written() == before


def test_a_legal_hold_on_a_live_record_ends_by_date_and_the_record_stays(
    installed: Actor, owner: Actor
) -> None:
    deal = make_deal(owner)
    hold = _place(installed, "deal", deal.pk, days=10)

    ended = holds_release(actor=installed, today=_until(11))

    assert ended == 1
    hold.refresh_from_db()
    assert hold.released_at is not None
    assert hold.release_reason == ""
    assert Deal.objects.filter(pk=deal.pk).exists()
    assert not AuditEvent.objects.filter(action="hold.erase").exists()


def test_ending_a_legal_hold_early_keeps_the_live_record_and_records_the_reasons(
    installed: Actor, owner: Actor
) -> None:
    deal = make_deal(owner)
    hold = _place(installed, "deal", deal.pk)

    record_hold_release(actor=installed, hold=hold, reason="  The claim was settled.  ")

    hold.refresh_from_db()
    assert hold.released_at is not None
    assert hold.release_reason == "The claim was settled."
    assert Deal.objects.filter(pk=deal.pk).exists()
    event = AuditEvent.objects.get(action="hold.release")
    assert (event.object_type, event.object_id, event.changed_fields) == (
        "privacy.recordhold",
        str(hold.pk),
        ["release_reason", "released_at"],
    )
    assert [h.pk for h in hold_list(actor=installed, state="ended")] == [hold.pk]
    assert list(hold_list(actor=installed, state="active")) == []


def test_a_hold_ends_once_and_only_with_reasons(installed: Actor, owner: Actor) -> None:
    hold = _place(installed, "deal", make_deal(owner).pk)
    with pytest.raises(ValidationError) as blank:
        record_hold_release(actor=installed, hold=hold, reason=" ")
    assert blank.value.message_dict == {"reason": ["Give the reasons for ending the hold early."]}
    record_hold_release(actor=installed, hold=hold, reason="Settled")
    before = _written()

    with pytest.raises(HoldStateError) as again:
        record_hold_release(actor=installed, hold=hold, reason="Settled again")

    assert again.value.messages == [f"This hold already ended on {timezone.localdate().isoformat()}."]
    assert _written() == before


def test_an_erasure_keeps_a_held_deal_and_ending_the_hold_early_erases_it(
    installed: Actor, owner: Actor
) -> None:
    # given Anna's deal under a legal hold, then her erasure
    anna = make_person(owner, first_name="Anna", last_name="Beispiel", email="anna@example.com")
    deal = make_deal(owner, title="Disputed order", contacts=[anna])
    hold = _place(installed, "deal", deal.pk)
    request = _erase(installed, anna)
    hold.refresh_from_db()
    assert (hold.erase_on_release, hold.request_id) == (True, request.pk)
    assert deal.pk not in [d.pk for d in deal_list(actor=owner, include_archived=True)]
    # when the claim is settled before the date
    record_hold_release(actor=installed, hold=hold, reason="Settled out of court")
    # then the deal goes, and the request's log says so
    assert not Deal.objects.filter(pk=deal.pk).exists()
    erased = AuditEvent.objects.get(action="hold.erase")
    assert (erased.object_type, erased.object_id) == ("crm.deal", str(deal.pk))
    assert RequestAction.objects.filter(request=request, action="hold.release").get().note == (
        "Settled out of court"
    )


def test_a_second_hold_keeps_an_erased_record_until_it_ends_too(installed: Actor, owner: Actor) -> None:
    anna = make_person(owner, first_name="Anna", last_name="Beispiel")
    deal = make_deal(owner, contacts=[anna])
    claim = _place(installed, "deal", deal.pk, days=30)
    _erase(installed, anna)
    # a hold placed after the erasure is one of a record the erasure keeps
    tax = _place(installed, "deal", deal.pk, reason=TAX, days=400)
    assert tax.erase_on_release is True

    assert holds_release(actor=installed, today=_until(31)) == 1
    claim.refresh_from_db()
    assert claim.released_at is not None
    assert Deal.objects.filter(pk=deal.pk).exists()

    record_hold_release(actor=installed, hold=tax, reason="Assessment closed")
    assert not Deal.objects.filter(pk=deal.pk).exists()


def test_a_held_record_other_people_share_stays_theirs_when_the_hold_ends(
    installed: Actor, owner: Actor
) -> None:
    # given a meeting of Anna and Ben under a legal hold, and Anna's erasure
    anna = make_person(owner, first_name="Anna", last_name="Beispiel")
    ben = make_person(owner, first_name="Ben", last_name="Anders")
    meeting = activity_create(
        actor=owner, kind=ActivityKind.CALL, subject="Abnahme", participants=[anna, ben]
    )
    hold = _place(installed, "activity", meeting.pk)
    _erase(installed, anna)
    hold.refresh_from_db()
    assert hold.erase_on_release is False
    assert meeting.pk in [a.pk for a in activity_list(actor=owner)]
    # when the hold ends early
    record_hold_release(actor=installed, hold=hold, reason="Settled")
    # then Ben's meeting stays
    assert Activity.objects.filter(pk=meeting.pk).exists()


def test_a_request_record_waits_for_the_holds_of_its_log(installed: Actor, owner: Actor) -> None:
    # given the holds an erasure request leaves on its own record and its action log
    anna = make_person(owner, first_name="Anna", last_name="Beispiel")
    request = _erase(installed, anna)
    request_hold = RecordHold.objects.get(object_type="privacy.datasubjectrequest", object_id=request.pk)
    log_holds = RecordHold.objects.filter(object_type="privacy.requestaction", released_at__isnull=True)
    assert log_holds.exists()
    before = _written()
    # when the request's hold alone is ended early, the erasure would take the held log along
    with pytest.raises(HoldStateError) as refused:
        record_hold_release(actor=installed, hold=request_hold, reason="Not needed")
    # then
    assert refused.value.messages == [
        "The record cannot be erased yet: another hold keeps it or a record that would be erased "
        "with it. End that hold first."
    ]
    assert _written() == before
    # and when every date has passed, one run ends them all, the log first
    count = RecordHold.objects.filter(released_at__isnull=True).count()
    assert holds_release(actor=installed, today=_until(365 * 20)) == count
    assert not DataSubjectRequest.objects.filter(pk=request.pk).exists()
    assert not RequestAction.objects.filter(request_id=request.pk).exists()
    assert not RecordHold.objects.filter(released_at__isnull=True).exists()


def test_the_list_filters_by_state_and_record(installed: Actor, owner: Actor, stranger: Actor) -> None:
    deal, other = make_deal(owner), make_deal(owner)
    ended = _place(installed, "deal", deal.pk, days=5)
    active = _place(installed, "deal", other.pk, days=50)
    record_hold_release(actor=installed, hold=ended, reason="Settled")

    assert [h.pk for h in hold_list(actor=installed)] == [ended.pk, active.pk]
    assert [h.pk for h in hold_list(actor=installed, state="active")] == [active.pk]
    assert [h.pk for h in hold_list(actor=installed, object_type="deal", object_id=deal.pk)] == [ended.pk]
    assert list(hold_list(actor=installed, object_type="person")) == []
    assert list(hold_list(actor=stranger)) == []
