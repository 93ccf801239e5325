"""Bounded collections: a contact, an organization, an activity or a deal takes at most the
number of entries ``zweck.core.limits`` allows; one more is a validation error on the field
that carries it, through the services, the API and the staff pages, and nothing is written."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.api.tests.support import snapshot, token_for
from zweck.core import limits
from zweck.crm.models import Person
from zweck.crm.services import activity_create, organization_create, person_create, person_update
from zweck.crm.services.deals import deal_create
from zweck.crm.services.persons import EmailInput, MembershipInput, PhoneInput
from zweck.crm.tests.factories import make_organization, make_person, make_stages
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _emails(count: int) -> list[EmailInput]:
    return [EmailInput(f"adresse{index}@example.com") for index in range(count)]


def test_a_contact_takes_as_many_emails_and_phones_as_allowed(owner: Actor) -> None:
    person = person_create(
        actor=owner,
        last_name="Viele",
        emails=_emails(limits.EMAILS_PER_PERSON),
        phones=[PhoneInput(f"+49 30 123456{index:02d}") for index in range(limits.PHONES_PER_PERSON)],
    )
    assert person.emails.count() == limits.EMAILS_PER_PERSON
    assert person.phones.count() == limits.PHONES_PER_PERSON


def test_one_email_more_than_allowed_is_refused_and_nothing_is_written(owner: Actor) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        person_create(actor=owner, last_name="Zuviele", emails=_emails(limits.EMAILS_PER_PERSON + 1))
    assert error.value.message_dict == {"emails": [f"Enter at most {limits.EMAILS_PER_PERSON} entries."]}
    assert snapshot() == before


def test_an_update_past_the_limit_leaves_the_stored_lists_as_they_were(owner: Actor) -> None:
    person = make_person(owner, email="erika@example.com")
    with pytest.raises(ValidationError) as error:
        person_update(
            actor=owner, person=person, phones=[PhoneInput("+49 30 1234567")] * (limits.PHONES_PER_PERSON + 1)
        )
    assert list(error.value.message_dict) == ["phones"]
    with pytest.raises(ValidationError):
        person_update(actor=owner, person=person, emails=_emails(limits.EMAILS_PER_PERSON + 1))
    assert list(person.emails.values_list("email", flat=True)) == ["erika@example.com"]


def test_organizations_per_contact_are_bounded(owner: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "ORGANIZATIONS_PER_PERSON", 2)
    organizations = [make_organization(owner) for _ in range(3)]
    with pytest.raises(ValidationError) as error:
        person_create(
            actor=owner, last_name="Vielfirma", organizations=[MembershipInput(o) for o in organizations]
        )
    assert error.value.message_dict == {"organizations": ["Enter at most 2 entries."]}
    assert not Person.objects.filter(last_name="Vielfirma").exists()


def test_tags_and_addresses_of_an_organization_are_bounded(owner: Actor) -> None:
    tags = [f"Tag {index}" for index in range(limits.TAGS_PER_ORGANIZATION + 1)]
    with pytest.raises(ValidationError) as error:
        organization_create(actor=owner, name="Etiketten GmbH", tags=tags)
    assert error.value.message_dict == {"tags": [f"Enter at most {limits.TAGS_PER_ORGANIZATION} entries."]}
    # the same tag many times is one tag
    organization = organization_create(actor=owner, name="Einmal GmbH", tags=["Kunde"] * 100)
    assert list(organization.tags.values_list("name", flat=True)) == ["Kunde"]


def test_participants_of_an_activity_and_contacts_of_a_deal_are_bounded(
    owner: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "PARTICIPANTS_PER_ACTIVITY", 2)
    monkeypatch.setattr(limits, "CONTACTS_PER_DEAL", 2)
    people = [make_person(owner) for _ in range(3)]
    with pytest.raises(ValidationError) as error:
        activity_create(actor=owner, kind="note", subject="Runde", participants=people)
    assert error.value.message_dict == {"participants": ["Enter at most 2 entries."]}
    # the same person twice is one participant
    activity = activity_create(actor=owner, kind="note", subject="Zweier", participants=[people[0]] * 3)
    assert activity.participants.count() == 1
    make_stages(owner)
    with pytest.raises(ValidationError) as error:
        deal_create(actor=owner, title="Groß", organization=make_organization(owner), contacts=people)
    assert error.value.message_dict == {"contacts": ["Enter at most 2 entries."]}


def test_the_api_refuses_too_many_emails_on_the_field(owner: Actor) -> None:
    headers = {"Authorization": f"Bearer {token_for(owner)}"}
    body = {
        "last_name": "Zuviele",
        "emails": [{"email": f"a{index}@example.com"} for index in range(limits.EMAILS_PER_PERSON + 1)],
    }
    before = snapshot()
    response = Client().post(
        "/api/v1/persons", json.dumps(body), content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "emails", "message": f"Enter at most {limits.EMAILS_PER_PERSON} items."}
    ]
    assert snapshot() == before
    document = Client().get("/api/v1/openapi.json").json()
    assert document["components"]["schemas"]["PersonIn"]["properties"]["emails"]["maxItems"] == (
        limits.EMAILS_PER_PERSON
    )


def test_the_contact_form_shows_the_limit_at_the_emails_field(owner: Actor) -> None:
    lines = "\n".join(f"a{index}@example.com" for index in range(limits.EMAILS_PER_PERSON + 1))
    client = client_for(owner)
    before = snapshot()
    form = {
        "last_name": "Zuviele",
        "emails": lines,
        "subject_category": "business_contact",
        "source": "provided_by_subject",
    }
    response = client.post("/app/contacts/new/", form)
    assert response.context["form"].errors["emails"] == [f"Enter at most {limits.EMAILS_PER_PERSON} entries."]
    assert snapshot() == before
