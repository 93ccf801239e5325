"""The preference centre behind its signed link: each change one click, effective at once; the
objection reaches the privacy engine's suppression list."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person
from zweck.marketing import selectors
from zweck.marketing.choices import ConsentMethod, ConsentPurpose, RecordKind
from zweck.marketing.models import ConsentRecord
from zweck.marketing.preferences import preferences_token
from zweck.marketing.tests.factories import make_consent
from zweck.privacy.dsr import is_suppressed
from zweck.privacy.models import DataSubjectRequest
from zweck.privacy.request_models import RequestKind, RequestStatus

ADDRESS = "paula@example.com"


@pytest.fixture
def person(owner: Actor) -> Person:
    return make_person(owner, "Paula", email=ADDRESS, language="de")


def _url(person: Person) -> str:
    return f"/privacy/preferences/{preferences_token(person=person, address=ADDRESS)}/"


def _valid(owner: Actor, person: Person, purpose: str) -> bool:
    return selectors.consent_valid(actor=owner, person=person, purpose=purpose)


def test_the_page_shows_each_consent_and_one_click_withdraws_it(
    owner: Actor, person: Person, client: Client
) -> None:
    make_consent(owner, person)
    page = client.get(_url(person))
    assert page.status_code == 200
    assert ConsentRecord.objects.get().text.body in page.content.decode()
    response = client.post(_url(person), {"action": "withdraw", "purpose": "newsletter"})
    assert response.status_code == 302
    assert not _valid(owner, person, "newsletter")
    withdrawal = ConsentRecord.objects.get(kind=RecordKind.WITHDRAWAL)
    assert withdrawal.method == ConsentMethod.PREFERENCE_CENTRE


def test_one_click_gives_a_consent_with_the_current_text(
    owner: Actor, person: Person, client: Client
) -> None:
    client.post(_url(person), {"action": "give", "purpose": "event_invitations"}, REMOTE_ADDR="192.0.2.5")
    record = ConsentRecord.objects.get()
    assert (record.purpose, record.address, record.method) == (
        "event_invitations",
        ADDRESS,
        ConsentMethod.PREFERENCE_CENTRE,
    )
    assert record.ip_address == "192.0.2.5"
    assert _valid(owner, person, "event_invitations")
    # a second click writes nothing more
    client.post(_url(person), {"action": "give", "purpose": "event_invitations"})
    assert ConsentRecord.objects.count() == 1


def test_withdraw_all(owner: Actor, person: Person, client: Client) -> None:
    make_consent(owner, person)
    make_consent(owner, person, ConsentPurpose.EVENT_INVITATIONS)
    make_consent(owner, person, ConsentPurpose.SPECIAL_CATEGORY, scope="Sommerfest 2027")
    client.post(_url(person), {"action": "withdraw_all"})
    assert selectors.consent_list(actor=owner, person_id=person.pk, in_force=True).count() == 0
    assert ConsentRecord.objects.filter(kind=RecordKind.WITHDRAWAL).count() == 3


def test_objection_withdraws_marketing_and_suppresses_the_address(
    owner: Actor, person: Person, client: Client
) -> None:
    make_consent(owner, person)
    make_consent(owner, person, ConsentPurpose.SPECIAL_CATEGORY, scope="Sommerfest 2027")
    client.post(_url(person), {"action": "object"})
    assert is_suppressed(workspace_id=owner.workspace_id, email=ADDRESS)
    request = DataSubjectRequest.objects.get()
    assert (request.kind, request.status) == (RequestKind.OBJECTION, RequestStatus.COMPLETED)
    assert list(request.persons.all()) == [person]
    assert not _valid(owner, person, "newsletter")
    # the objection is about marketing only: the consent for the event stays
    assert _valid(owner, person, "special_category")
    # giving marketing consent again is not offered, and refused if posted
    page = client.get(_url(person)).content.decode()
    assert 'value="give"' not in page
    assert client.post(_url(person), {"action": "give", "purpose": "newsletter"}).status_code == 400
    assert not _valid(owner, person, "newsletter")


@pytest.mark.parametrize(
    "token",
    ["forged", signing.dumps({"w": 1, "p": 1, "a": "x@example.com"}, salt="other")],
    # Named, not shown: the signed value carries a timestamp, and parallel workers must collect
    # the same test ids.
    ids=["not-signed", "signed-for-another-purpose"],
)
def test_a_forged_link_is_refused(client: Client, person: Person, token: str) -> None:
    assert client.get(f"/privacy/preferences/{token}/").status_code == 410
    assert client.post(f"/privacy/preferences/{token}/", {"action": "withdraw_all"}).status_code == 410


def test_a_link_for_an_erased_person_stops_working(owner: Actor, person: Person, client: Client) -> None:
    from django.db import transaction

    from zweck.privacy.erasure import person_erase

    url = _url(person)
    with transaction.atomic():
        person_erase(actor=owner, person_ids=[person.pk])
    assert client.get(url).status_code == 410


def test_unknown_action_is_refused(person: Person, client: Client) -> None:
    response = client.post(_url(person), {"action": "explode"})
    assert response.status_code == 400
    assert ConsentRecord.objects.count() == 0


def test_bad_purpose_is_refused(person: Person, client: Client) -> None:
    response = client.post(_url(person), {"action": "give", "purpose": "spam"})
    assert response.status_code == 400
    assert ConsentRecord.objects.count() == 0


def test_preference_page_is_german_for_a_german_contact(person: Person, client: Client, owner: Actor) -> None:
    make_consent(owner, person)
    page = client.get(_url(person)).content.decode()
    assert '<html lang="de">' in page
    assert page.count("<h1") == 1


def test_lines_are_listed_without_a_query_per_consent(
    owner: Actor, person: Person, client: Client, django_assert_max_num_queries: Any
) -> None:
    for purpose in (ConsentPurpose.NEWSLETTER, ConsentPurpose.EVENT_INVITATIONS, ConsentPurpose.TELEPHONE):
        make_consent(owner, person, purpose)
    url = _url(person)
    client.get(url)
    with django_assert_max_num_queries(25):
        client.get(url)
