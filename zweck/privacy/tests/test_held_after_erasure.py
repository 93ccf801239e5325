"""What an erasure keeps under a hold keeps only what it must (Art. 17(3) with Art. 5(1)(c)
GDPR): the request record proves what was asked and answered, without the requester's readable
name, number and request text; and nothing of it reaches a later, different person with the
same name or address."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from zweck.accounts.actors import Actor
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_person
from zweck.privacy.dsr import dsr_erase, dsr_export, dsr_link_persons, dsr_open, dsr_verify, request_log
from zweck.privacy.erasure import ERASED, keyed_digest
from zweck.privacy.holds import record_hold_place
from zweck.privacy.request_models import DataSubjectRequest, RequestAction, RequestKind, RequestStatus
from zweck.privacy.subjects import find_candidates

pytestmark = pytest.mark.django_db

EMAIL = "greta.beispiel@example.com"


@pytest.fixture
def erased(installed: Actor, owner: Actor) -> DataSubjectRequest:
    person = make_person(owner, "Greta", "Beispiel", email=EMAIL, phone="+49 221 5550123")
    request = dsr_open(
        actor=installed,
        kind=RequestKind.ERASURE,
        channel="phone",
        requester_email=EMAIL,
        requester_name="Greta Beispiel",
        requester_phone="+49 221 5550123",
        requester_organization="Beispiel GmbH",
        details="Greta Beispiel asks to erase everything, call back on 0221 5550123.",
    )
    dsr_link_persons(actor=installed, request=request, person_ids=[person.pk])
    dsr_verify(actor=installed, request=request)
    # a note about Greta kept for a legal claim: the erasure keeps it, restricted, until the hold ends
    note = activity_create(
        actor=owner,
        kind="note",
        subject="Dispute",
        body="Greta Beispiel disputes the invoice.",
        participants=[person],
    )
    record_hold_place(
        actor=installed,
        object_type="activity",
        object_id=note.pk,
        reason="Legal claim",
        ends_on=date.today() + timedelta(days=90),
    )
    request_log(request=request, actor=installed, action="note", note="Called Greta Beispiel back.")
    dsr_erase(actor=installed, request=request)
    return DataSubjectRequest.objects.get(pk=request.pk)


def test_the_held_request_keeps_its_proof_without_the_readable_details(erased: DataSubjectRequest) -> None:
    assert (erased.kind, erased.status) == (RequestKind.ERASURE, RequestStatus.COMPLETED)
    assert erased.requester_email == keyed_digest("field", EMAIL)
    phone_length = DataSubjectRequest._meta.get_field("requester_phone").max_length or 64
    assert "5550123" not in erased.requester_phone
    assert len(erased.requester_phone) == min(64, phone_length)
    assert set(erased.requester_phone) <= set("0123456789abcdef")
    assert erased.requester_name == ERASED
    assert erased.details == ERASED
    assert erased.requester_organization == ""
    notes = list(RequestAction.objects.filter(request=erased).values_list("note", flat=True))
    assert "Called [erased] back." in notes
    assert not any("Greta" in note for note in notes)


def test_a_later_person_with_the_same_name_and_address_gets_nothing_of_it(
    installed: Actor, owner: Actor, erased: DataSubjectRequest
) -> None:
    newcomer = make_person(owner, "Greta", "Beispiel", email=EMAIL)
    request = dsr_open(actor=installed, kind=RequestKind.ACCESS, channel="email", requester_email=EMAIL)
    dsr_link_persons(actor=installed, request=request, person_ids=[newcomer.pk])
    dsr_verify(actor=installed, request=request)

    export = dsr_export(actor=installed, request=request, fmt="json").decode()

    assert EMAIL in export  # the newcomer's own data is there
    text = json.dumps(json.loads(export), ensure_ascii=False)
    assert "5550123" not in text
    assert "erase everything" not in text
    assert "Called" not in text
    assert "disputes the invoice" not in text  # the note an erasure keeps for a legal claim
    assert ERASED not in text
    assert erased.requester_email not in text
    # finding the subject for a request finds only the newcomer
    found = find_candidates(workspace_id=installed.workspace_id, email=EMAIL, name="Greta Beispiel")
    assert [candidate.person_id for candidate in found] == [newcomer.pk]
