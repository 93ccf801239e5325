"""A register each workspace shapes: activities switched off leave the documents and stop the
collection of what only they needed; purposes apply per group of data subjects, and exports,
notices, the person page and the choice of contacts follow them."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from zweck.accounts.actors import Actor
from zweck.api.tests.support import api_as
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.core.register import uncollected_fields
from zweck.crm.choices import ActivityKind, SubjectCategory
from zweck.crm.models import Activity, DealContact, Person
from zweck.crm.services import activity_create, activity_update, deal_update
from zweck.crm.tests.factories import make_deal, make_organization, make_person
from zweck.privacy.exports import access_data, portability_data
from zweck.privacy.models import ProcessingActivity
from zweck.privacy.selectors import processing_activity_get, register_snapshot
from zweck.privacy.services import processing_activity_update
from zweck.web.staff.forms import ActivityEditForm, DealForm
from zweck.web.staff.privacy_facts import person_privacy_facts
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

NOT_COLLECTED = (
    "This workspace does not collect this information: every purpose it would serve is switched "
    "off in the privacy register."
)


@pytest.fixture
def owner_here(installed: Actor, actor_with_role: Callable[[str], Actor]) -> Actor:
    """The owner of the privacy officer's workspace (the CRM's writes need their permissions)."""
    return actor_with_role(Role.OWNER)


def _switch(actor: Actor, key: str, *, enabled: bool) -> ProcessingActivity:
    return processing_activity_update(
        actor=actor, activity=processing_activity_get(actor=actor, key=key), enabled=enabled
    )


def _notice(actor: Actor, subject: str, lang: str = "en") -> str:
    from zweck.privacy.documents import notice_document

    document = notice_document(register_snapshot(actor=actor), subject=subject, lang=lang, fmt="md")
    assert isinstance(document, str)
    return document


def _ropa(actor: Actor) -> str:
    from zweck.privacy.documents import ropa_document

    document = ropa_document(register_snapshot(actor=actor), lang="en", fmt="md")
    assert isinstance(document, str)
    return document


# Switched off: out of the documents, and what only it needed is not collected.


def test_an_activity_switched_off_leaves_the_notices_and_the_records_of_processing(installed: Actor) -> None:
    # given a workspace that records calls, as its documents say
    assert "### Recording calls" in _notice(installed, "business_contact")
    assert "Recording calls" in _ropa(installed)
    # when the privacy officer switches the recording of calls off
    _switch(installed, "call_recording", enabled=False)
    # then neither the notices nor the records of processing claim it any more
    for subject in ("business_contact", "client_contact"):
        assert "Recording calls" not in _notice(installed, subject)
    assert "Recording calls" not in _ropa(installed)
    event = AuditEvent.objects.filter(action="processing_activity.update").latest("pk")
    assert event.changed_fields == ["enabled"]
    assert event.actor_id == installed.user_id
    # and switched on again, they do
    _switch(installed, "call_recording", enabled=True)
    assert "### Recording calls" in _notice(installed, "business_contact")


def test_a_field_whose_only_purpose_is_off_is_refused_by_the_service(
    installed: Actor, owner_here: Actor
) -> None:
    # given a recorded call, logged while the workspace recorded calls
    person = make_person(owner_here)
    recorded = activity_create(
        actor=owner_here, kind=ActivityKind.CALL, subject="Offer", participants=[person], is_recorded=True
    )
    # when the recording of calls is switched off
    _switch(installed, "call_recording", enabled=False)
    # then the field is not collected: the register says so from the field's own activity
    assert uncollected_fields(installed.workspace_id, Activity) == {"is_recorded"}
    # and a new recorded call is refused at the field, nothing saved
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as refused:
        activity_create(
            actor=owner_here, kind=ActivityKind.CALL, subject="New", participants=[person], is_recorded=True
        )
    assert refused.value.message_dict == {"is_recorded": [NOT_COLLECTED]}
    assert Activity.objects.count() == before
    # and an unrecorded call, or other changes to the old one, are fine; clearing the flag too
    activity_create(actor=owner_here, kind=ActivityKind.CALL, subject="Plain", participants=[person])
    activity_update(actor=owner_here, activity=recorded, subject="Offer, revised")
    activity_update(actor=owner_here, activity=recorded, is_recorded=False)
    recorded.refresh_from_db()
    assert (recorded.subject, recorded.is_recorded) == ("Offer, revised", False)


def test_a_field_is_collected_while_one_of_its_activities_is_on(installed: Actor, stranger: Actor) -> None:
    # Person data serves several activities: one off is not enough to stop collecting it.
    _switch(installed, "management_reporting", enabled=False)
    _switch(installed, "contact_management", enabled=False)
    assert uncollected_fields(installed.workspace_id, Person) == frozenset()
    # A workspace without register rows collects everything the shipped defaults need.
    assert uncollected_fields(stranger.workspace_id, Activity) == frozenset()


def test_the_staff_form_leaves_out_a_field_that_is_not_collected(installed: Actor, owner_here: Actor) -> None:
    person = make_person(owner_here)
    call = activity_create(actor=owner_here, kind=ActivityKind.CALL, subject="Offer", participants=[person])
    assert "is_recorded" in ActivityEditForm(actor=owner_here, activity=call).fields
    _switch(installed, "call_recording", enabled=False)
    form = ActivityEditForm(actor=owner_here, activity=call)
    assert "is_recorded" not in form.fields
    # and the page shows no such checkbox, and saving it works without it
    client = client_for(owner_here)
    page = client.get(f"/app/activities/{call.pk}/edit/").content.decode()
    assert 'name="is_recorded"' not in page
    response = client.post(
        f"/app/activities/{call.pk}/edit/",
        {"kind": "call", "subject": "Offer, answered", "participants": [person.pk], "is_recorded": "on"},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.subject, call.is_recorded) == ("Offer, answered", False)


def test_the_api_refuses_a_field_that_is_not_collected_with_422(installed: Actor, owner_here: Actor) -> None:
    person = make_person(owner_here)
    _switch(installed, "call_recording", enabled=False)
    api = api_as(owner_here)
    body = {"kind": "call", "subject": "Offer", "participant_ids": [person.pk], "is_recorded": True}
    before = Activity.objects.count()
    refused = api.call("POST", "/activities", body)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "is_recorded", "message": NOT_COLLECTED}]
    assert Activity.objects.count() == before
    accepted = api.call("POST", "/activities", {**body, "is_recorded": False})
    assert accepted.status_code == 201, accepted.content


def test_switching_an_activity_through_the_api_and_the_register_page(installed: Actor) -> None:
    api = api_as(installed)
    response = api.call("PATCH", "/privacy/register/activities/call_recording", {"enabled": False})
    assert response.status_code == 200
    assert response.json()["enabled"] is False
    assert api.call("GET", "/privacy/register/activities/call_recording").json()["enabled"] is False
    # the page switches it on again, and says so
    client = client_for(installed)
    page = client.get("/app/privacy/register/").content.decode()
    assert "Switch on Recording calls" in page
    switched = client.post(
        "/app/privacy/register/activities/call_recording/switch/", {"enabled": "on"}, follow=True
    )
    assert "Recording calls is in use again." in switched.content.decode()
    assert ProcessingActivity.objects.get(workspace=installed.workspace, key="call_recording").enabled


def test_a_member_without_privacy_manage_cannot_switch_an_activity(
    installed: Actor, actor_with_role: Callable[[str], Actor]
) -> None:
    seller = actor_with_role(Role.SALES)
    before = list(ProcessingActivity.objects.order_by("pk").values("key", "enabled"))
    response = client_for(seller).post(
        "/app/privacy/register/activities/call_recording/switch/", {"enabled": ""}
    )
    assert response.status_code == 403
    assert list(ProcessingActivity.objects.order_by("pk").values("key", "enabled")) == before


# Purposes per group of data subjects.


def test_an_other_contact_is_refused_as_a_deals_contact_and_says_why(
    installed: Actor, owner_here: Actor
) -> None:
    # given a press enquiry, kept as an "other contact", and a deal
    petra = make_person(owner_here, "Petra", "Zimmermann", subject_category=SubjectCategory.OTHER_CONTACT)
    buyer = make_person(owner_here, "Hans", "Bergmann", subject_category=SubjectCategory.CLIENT_CONTACT)
    deal = make_deal(owner_here, contacts=[buyer])
    # when she is added to the deal
    with pytest.raises(ValidationError) as refused:
        deal_update(actor=owner_here, deal=deal, contacts=[buyer, petra])
    # then the service refuses, naming her group and the only purpose that applies to her
    assert refused.value.message_dict == {
        "contacts": [
            "Petra Zimmermann belongs to the group “Other people who contact us”, whose data is used "
            "only for: Answering enquiries. It may not be used here."
        ]
    }
    assert list(DealContact.objects.filter(deal=deal).values_list("person_id", flat=True)) == [buyer.pk]


def test_an_other_contact_takes_part_in_an_activity_that_answers_them(
    installed: Actor, owner_here: Actor
) -> None:
    petra = make_person(owner_here, "Petra", "Zimmermann", subject_category=SubjectCategory.OTHER_CONTACT)
    note = activity_create(
        actor=owner_here, kind=ActivityKind.NOTE, subject="Press enquiry", participants=[petra]
    )
    assert list(note.participants.all()) == [petra]


def test_the_register_decides_which_groups_an_activity_applies_to(
    installed: Actor, owner_here: Actor
) -> None:
    # a workspace whose client relationship also covers people who wrote to it
    petra = make_person(owner_here, "Petra", "Zimmermann", subject_category=SubjectCategory.OTHER_CONTACT)
    deal = make_deal(owner_here)
    activity = processing_activity_get(actor=installed, key="client_relationship")
    processing_activity_update(
        actor=installed,
        activity=activity,
        subject_categories=[*activity.subject_categories, SubjectCategory.OTHER_CONTACT],
    )
    deal_update(actor=owner_here, deal=deal, contacts=[petra])
    assert list(deal.contacts.all()) == [petra]
    # and with client relationships switched off, nobody new becomes a deal's contact
    _switch(installed, "client_relationship", enabled=False)
    buyer = make_person(owner_here, "Hans", "Bergmann", subject_category=SubjectCategory.CLIENT_CONTACT)
    with pytest.raises(ValidationError):
        deal_update(actor=owner_here, deal=deal, contacts=[petra, buyer])


def test_the_deal_form_does_not_offer_an_other_contact_and_shows_the_refusal(
    installed: Actor, owner_here: Actor
) -> None:
    organization = make_organization(owner_here)
    buyer = make_person(owner_here, "Hans", "Bergmann", organization=organization)
    petra = make_person(
        owner_here,
        "Petra",
        "Zimmermann",
        organization=organization,
        subject_category=SubjectCategory.OTHER_CONTACT,
    )
    deal = make_deal(owner_here, organization=organization)
    form = DealForm(actor=owner_here, deal=deal)
    offered = [pk for _group, choices in form.fields["contacts"].widget.choices for pk, _name in choices]
    assert offered == [buyer.pk]
    response = client_for(owner_here).post(
        f"/app/deals/{deal.pk}/edit/",
        {
            "title": deal.title,
            "organization": organization.pk,
            "stage": deal.stage_id,
            "amount": "100",
            "currency": "EUR",
            "contacts": [petra.pk],
        },
    )
    assert response.status_code == 200
    assert "whose data is used only for: Answering enquiries" in response.content.decode()
    assert not deal.contacts.exists()


def test_the_api_refuses_an_other_contact_as_a_deals_contact_with_422(
    installed: Actor, owner_here: Actor
) -> None:
    petra = make_person(owner_here, "Petra", "Zimmermann", subject_category=SubjectCategory.OTHER_CONTACT)
    deal = make_deal(owner_here)
    response = api_as(owner_here).call("PATCH", f"/deals/{deal.pk}", {"contact_ids": [petra.pk]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "contact_ids"
    assert "Answering enquiries" in response.json()["errors"][0]["message"]


def _purposes(data: dict[str, object], data_set: str) -> list[str]:
    sets = {item["data_set"]: item for item in data["data_sets"]}  # type: ignore[index, union-attr]
    return [purpose["name"] for purpose in sets[data_set]["facts"]["purposes"]]


def test_the_access_export_names_the_purposes_of_the_subjects_group(
    installed: Actor, owner_here: Actor
) -> None:
    petra = make_person(owner_here, "Petra", "Zimmermann", subject_category=SubjectCategory.OTHER_CONTACT)
    anna = make_person(owner_here, "Anna", "Schmidt", subject_category=SubjectCategory.BUSINESS_CONTACT)
    workspace = installed.workspace
    assert _purposes(access_data(workspace=workspace, person_ids=[petra.pk]), "crm.Person") == [
        "Answering enquiries"
    ]
    assert _purposes(access_data(workspace=workspace, person_ids=[anna.pk]), "crm.Person") == [
        "Managing business contacts",
        "Managing client relationships",
        "Management reporting",
    ]
    # the same in German, from the workspace's own register rows
    german = access_data(workspace=workspace, person_ids=[petra.pk], lang="de")
    assert _purposes(german, "crm.Person") == ["Beantwortung von Anfragen"]
    assert json.dumps(german, ensure_ascii=False).count("Verwaltung von Geschäftskontakten") == 0


def test_portability_follows_the_legal_basis_for_the_subjects_group(
    installed: Actor, owner_here: Actor
) -> None:
    # A client's data subject is served under the contract (Art. 6(1)(b)); a business contact on
    # legitimate interests only, which Art. 20 does not cover.
    entrusted = make_person(owner_here, "Sarah", "Koch", subject_category=SubjectCategory.CLIENT_DATA_SUBJECT)
    contact = make_person(owner_here, "Anna", "Schmidt", subject_category=SubjectCategory.BUSINESS_CONTACT)
    assert "crm.Person" in portability_data(workspace=installed.workspace, person_ids=[entrusted.pk])
    assert portability_data(workspace=installed.workspace, person_ids=[contact.pk]) == {}


def test_the_person_page_names_the_purposes_of_the_persons_group(installed: Actor, owner_here: Actor) -> None:
    petra = make_person(owner_here, "Petra", "Zimmermann", subject_category=SubjectCategory.OTHER_CONTACT)
    facts = person_privacy_facts(petra)
    assert [purpose.name for purpose in facts.purposes] == ["Answering enquiries"]
    html = client_for(owner_here).get(f"/app/contacts/{petra.pk}/").content.decode()
    assert "Answering enquiries" in html
    assert "Managing business contacts" not in html


def test_each_groups_notice_lists_only_the_purposes_that_apply_to_it(installed: Actor) -> None:
    other = _notice(installed, "other_contact")
    assert [line for line in other.splitlines() if line.startswith("### ")] == [
        "### Answering enquiries",
        "### Security logging",
    ]
    entrusted = _notice(installed, "client_data_subject")
    assert "### Managing business contacts" not in entrusted
    assert "### Delivering our services" in entrusted


def test_the_coverage_report_names_a_group_no_purpose_in_use_applies_to(installed: Actor) -> None:
    from zweck.privacy.selectors import register_coverage

    assert register_coverage(actor=installed).is_complete
    _switch(installed, "answering_enquiries", enabled=False)
    coverage = register_coverage(actor=installed)
    assert coverage.processing_without_legal_basis == [
        "crm.Person: no processing activity in use applies to the group “Other people who contact us”."
    ]


def test_the_fides_manifest_leaves_out_an_activity_switched_off(installed: Actor) -> None:
    from zweck.privacy.fides import fides_yaml

    assert "Recording calls" in fides_yaml(register_snapshot(actor=installed))
    _switch(installed, "call_recording", enabled=False)
    assert "Recording calls" not in fides_yaml(register_snapshot(actor=installed))
