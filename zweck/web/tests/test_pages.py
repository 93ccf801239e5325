"""What the staff pages do for a member who may use them: forms, search, lists, downloads, languages."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.accounts.tests.factories import MembershipFactory, WorkspaceFactory, make_actor
from zweck.core.permissions import Role
from zweck.crm.choices import ActivityKind, DealStatus
from zweck.crm.models import Activity, Deal, Organization, Person
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_deal, make_organization, make_person
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_creating_a_contact_with_an_organization_email_and_phone(owner: Actor) -> None:
    # given
    organization = make_organization(owner, name="Nordlicht Beratung GmbH")
    client = client_for(owner)
    # when
    response = client.post(
        "/app/contacts/new/",
        {
            "first_name": "Jana",
            "last_name": "Beispiel",
            "organization": organization.pk,
            "role": "Einkauf",
            "emails": "jana.beispiel@example.com\njb@example.com",
            "phones": "030 1234567",
            "subject_category": "client_contact",
            "source": "provided_by_subject",
        },
    )
    # then
    person = Person.objects.get(last_name="Beispiel")
    assert response.status_code == 302
    assert response["Location"] == f"/app/contacts/{person.pk}/"
    assert list(person.emails.values_list("email", "is_primary")) == [
        ("jana.beispiel@example.com", True),
        ("jb@example.com", False),
    ]
    assert list(person.phones.values_list("number", flat=True)) == ["+49301234567"]
    assert list(person.memberships.values_list("organization__name", "role")) == [
        ("Nordlicht Beratung GmbH", "Einkauf")
    ]


def test_field_errors_of_the_form_and_of_the_service_appear_at_their_fields(owner: Actor) -> None:
    make_person(owner, email="taken@example.com")
    client = client_for(owner)

    response = client.post(
        "/app/contacts/new/",
        {
            "last_name": "Doppelt",
            "emails": "taken@example.com",
            "phones": "keine Nummer",
            "subject_category": "business_contact",
            "source": "provided_by_subject",
        },
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors == {"phones": ["keine Nummer is not a phone number."]}
    # The phone error is the form's own; with a valid number the service's duplicate check speaks.
    response = client.post(
        "/app/contacts/new/",
        {
            "last_name": "Doppelt",
            "emails": "taken@example.com",
            "subject_category": "business_contact",
            "source": "provided_by_subject",
        },
    )
    assert response.context["form"].errors == {
        "emails": ["taken@example.com already belongs to another contact."]
    }
    assert 'aria-invalid="true"' in html(response)
    assert Person.objects.filter(last_name="Doppelt").count() == 0


def test_an_invalid_vat_id_is_reported_on_its_field(owner: Actor) -> None:
    response = client_for(owner).post("/app/organizations/new/", {"name": "Muster AG", "vat_id": "DE123"})

    assert response.context["form"].errors == {"vat_id": ["DE123 is not a valid EU VAT ID."]}
    assert Organization.objects.count() == 0


def test_editing_an_organization_keeps_its_further_addresses(owner: Actor) -> None:
    from zweck.crm.services import AddressInput, organization_update

    organization = make_organization(owner, name="Alt GmbH")
    organization_update(
        actor=owner,
        organization=organization,
        addresses=[AddressInput("Hauptstraße 1", "Berlin", "10115"), AddressInput("Nebenweg 2", "Hamburg")],
    )

    client_for(owner).post(
        f"/app/organizations/{organization.pk}/edit/",
        {
            "name": "Neu GmbH",
            "street": "Hauptstraße 3",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        },
    )

    organization.refresh_from_db()
    assert organization.name == "Neu GmbH"
    assert sorted(organization.addresses.values_list("street", "city")) == [
        ("Hauptstraße 3", "Berlin"),
        ("Nebenweg 2", "Hamburg"),
    ]


def test_search_as_you_type_answers_htmx_with_the_results_only(owner: Actor) -> None:
    make_person(owner, first_name="Jana", last_name="Beispiel")
    make_person(owner, first_name="Otto", last_name="Normal")

    response = client_for(owner).get(
        "/app/contacts/?q=beisp", headers={"HX-Request": "true", "HX-Target": "results"}
    )

    body = html(response)
    assert "<html" not in body
    assert "Jana Beispiel" in body
    assert "Otto Normal" not in body


def test_lists_sort_and_paginate(owner: Actor) -> None:
    for index in range(30):
        make_organization(owner, name=f"Firma {index:02d}")
    client = client_for(owner)

    first = client.get("/app/organizations/?sort=-name")
    second = client.get("/app/organizations/?sort=-name&page=2")

    assert [o.name for o in first.context["page"]][:2] == ["Firma 29", "Firma 28"]
    assert [o.name for o in second.context["page"]] == [f"Firma {index:02d}" for index in range(4, -1, -1)]
    assert "Page 1 of 2" in html(first)


def test_the_contact_list_runs_the_same_queries_for_few_and_many_contacts(owner: Actor) -> None:
    organization = make_organization(owner)
    client = client_for(owner)
    make_person(owner, organization=organization, phone="030 1234567")
    with CaptureQueriesContext(connection) as few:
        client.get("/app/contacts/")
    for _ in range(5):
        make_person(owner, organization=organization, phone="030 7654321")
    with CaptureQueriesContext(connection) as many:
        client.get("/app/contacts/")

    assert len(many) == len(few)


def test_logging_a_call_in_place_returns_the_panel_with_the_call(owner: Actor) -> None:
    person = make_person(owner, first_name="Jana", last_name="Beispiel")

    response = client_for(owner).post(
        f"/app/activities/new/?person={person.pk}",
        {"kind": "call", "subject": "Rückfrage zum Angebot", "body": "Ruft nächste Woche zurück."},
        headers={"HX-Request": "true"},
    )

    call = Activity.objects.get()
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert "Rückfrage zum Angebot" in html(response)
    assert (call.kind, call.owner_id, call.done_at is not None) == (ActivityKind.CALL, owner.user_id, True)
    assert list(call.participants.all()) == [person]


def test_a_task_without_a_due_date_is_refused_at_the_field(owner: Actor) -> None:
    person = make_person(owner)

    response = client_for(owner).post(
        f"/app/activities/new/?person={person.pk}",
        {"kind": "task", "subject": "Angebot schicken"},
        headers={"HX-Request": "true"},
    )

    assert response.context["activity_form"].errors == {"due_at": ["A task needs a due date."]}
    assert Activity.objects.count() == 0


def test_a_task_is_marked_done_and_opened_again(owner: Actor) -> None:
    task = activity_create(
        actor=owner,
        kind=ActivityKind.TASK,
        subject="Angebot schicken",
        due_at=timezone.now() - timedelta(days=1),
        owner=owner.user,
    )
    client = client_for(owner)

    dashboard = client.get("/app/")
    client.post(f"/app/activities/{task.pk}/done/", headers={"HX-Request": "true"})
    task.refresh_from_db()
    done_at = task.done_at
    client.post(f"/app/activities/{task.pk}/done/")
    task.refresh_from_db()

    assert "overdue since" in html(dashboard)
    assert done_at is not None
    assert task.done_at is None


def test_the_week_view_shows_the_meetings_of_that_week_on_their_day(owner: Actor) -> None:
    wednesday = datetime(2025, 3, 5, 10, 0, tzinfo=BERLIN)
    activity_create(actor=owner, kind=ActivityKind.MEETING, subject="Workshop", starts_at=wednesday)
    activity_create(
        actor=owner, kind=ActivityKind.MEETING, subject="Next week", starts_at=wednesday + timedelta(days=7)
    )

    response = client_for(owner).get("/app/calendar/?week=2025-03-06")

    days = response.context["days"]
    assert [str(day["date"]) for day in days] == [f"2025-03-{day:02d}" for day in range(3, 10)]
    assert [[m.subject for m in day["meetings"]] for day in days] == [[], [], ["Workshop"], [], [], [], []]


def test_a_meeting_downloads_as_an_ics_file(owner: Actor) -> None:
    person = make_person(owner, first_name="Jana", last_name="Beispiel", email="jana@example.com")
    meeting = activity_create(
        actor=owner,
        kind=ActivityKind.MEETING,
        subject="Workshop",
        participants=[person],
        starts_at=datetime(2025, 3, 5, 10, 0, tzinfo=BERLIN),
        ends_at=datetime(2025, 3, 5, 12, 0, tzinfo=BERLIN),
        location="Berlin",
    )

    response = client_for(owner).get(f"/app/activities/{meeting.pk}/ics/")

    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert str(event["summary"]) == "Workshop"
    assert str(event["location"]) == "Berlin"
    assert event.decoded("dtstart") == datetime(2025, 3, 5, 10, 0, tzinfo=BERLIN)
    assert event.decoded("dtend") == datetime(2025, 3, 5, 12, 0, tzinfo=BERLIN)
    assert str(event["attendee"]) == "mailto:jana@example.com"


def test_a_contact_downloads_as_a_vcard(owner: Actor) -> None:
    organization = make_organization(owner, name="Nordlicht Beratung GmbH")
    person = make_person(
        owner,
        first_name="Jana",
        last_name="Beispiel",
        email="jana@example.com",
        phone="030 1234567",
        organization=organization,
        position="Einkaufsleiterin",
    )

    response = client_for(owner).get(f"/app/contacts/{person.pk}/vcard/")

    card = vobject.readOne(response.content.decode())
    assert card.fn.value == "Jana Beispiel"
    assert card.email.value == "jana@example.com"
    assert card.tel.value == "+49301234567"
    assert card.org.value == ["Nordlicht Beratung GmbH"]
    assert card.title.value == "Einkaufsleiterin"


def test_the_person_page_shows_the_privacy_facts(owner: Actor) -> None:
    person = make_person(owner, subject_category="client_contact", source="public", source_note="Website")

    body = html(client_for(owner).get(f"/app/contacts/{person.pk}/"))

    assert "Contact at a client company" in body
    assert "Publicly available sources — Website" in body
    assert "Managing business contacts" in body
    assert "Art. 6(1)(f) GDPR (legitimate interests)" in body
    assert (
        "Contact and relationship data: 3 years from the end of the calendar year in which the business relationship ended"
        in body
    )


def test_the_person_page_in_german(owner: Actor) -> None:
    person = make_person(owner, subject_category="client_contact")
    client = client_for(owner)
    client.cookies["django_language"] = "de"

    body = html(client.get(f"/app/contacts/{person.pk}/"))

    assert '<html lang="de">' in body
    assert "Verwaltung von Geschäftskontakten" in body
    assert "Datenschutz" in body
    assert "Betroffenenkategorie" in body


def test_actions_the_role_may_not_take_are_not_offered(workspace: object) -> None:
    sales = make_actor(Role.SALES, workspace)  # type: ignore[arg-type]
    reader = make_actor(Role.READ_ONLY, workspace)  # type: ignore[arg-type]
    person = make_person(sales)

    offered = html(client_for(sales).get(f"/app/contacts/{person.pk}/"))
    hidden = html(client_for(reader).get(f"/app/contacts/{person.pk}/"))

    for action in (
        f"/app/contacts/{person.pk}/edit/",
        f"/app/contacts/{person.pk}/delete/",
        "/app/activities/new/",
    ):
        assert action in offered
        assert action not in hidden


def test_moving_a_deal_on_the_board_with_htmx_answers_the_board(owner: Actor) -> None:
    deal = make_deal(owner, title="Wartungsvertrag")
    target = deal.stage.__class__.objects.filter(workspace_id=owner.workspace_id, position=2).get()

    response = client_for(owner).post(
        f"/app/deals/{deal.pk}/move/", {"stage": target.pk}, headers={"HX-Request": "true"}
    )

    deal.refresh_from_db()
    assert deal.stage_id == target.pk
    assert deal.probability == target.default_probability
    assert html(response).lstrip().startswith('<div id="board"')


def test_a_lost_deal_needs_a_reason(owner: Actor) -> None:
    deal = make_deal(owner)

    response = client_for(owner).post(f"/app/deals/{deal.pk}/close/", {"outcome": "lost"})

    assert response.context["form"].errors == {"reason": ["Say why the deal was lost."]}
    assert Deal.objects.get(pk=deal.pk).status == DealStatus.OPEN


def test_deleting_an_organization_with_deals_is_refused_with_a_message(owner: Actor) -> None:
    deal = make_deal(owner)

    response = client_for(owner).post(f"/app/organizations/{deal.organization_id}/delete/", follow=True)

    assert "This organization still has deals; delete or reassign them first." in html(response)
    assert Organization.objects.filter(pk=deal.organization_id).exists()


def test_money_is_written_the_way_each_language_writes_it(owner: Actor) -> None:
    make_deal(owner, title="Großprojekt", amount="1234.5")
    client = client_for(owner)

    english = html(client.get("/app/deals/"))
    client.cookies["django_language"] = "de"
    german = html(client.get("/app/deals/"))

    assert "€1,234.50" in english
    assert "1.234,50\N{NO-BREAK SPACE}€" in german


def test_switching_the_language_sets_the_cookie_and_remembers_it_for_the_user(owner: Actor) -> None:
    client = client_for(owner)

    response = client.post("/app/language/", {"language": "de", "next": "/app/contacts/"})

    assert response.status_code == 302
    assert response["Location"] == "/app/contacts/"
    assert response.cookies["django_language"].value == "de"
    assert User.objects.get(pk=owner.user_id).language == "de"


def test_logging_in_speaks_the_users_language(owner: Actor) -> None:
    assert owner.user is not None
    User.objects.filter(pk=owner.user.pk).update(language="de")

    response = Client().post(
        "/app/login/", {"username": owner.user.email, "password": "correct horse battery staple"}
    )

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "de"


def test_the_workspace_switch_changes_the_workspace_of_every_page(owner: Actor) -> None:
    second = WorkspaceFactory(name="Zweite Firma GmbH")
    MembershipFactory(workspace=second, user=owner.user, role=Role.SALES)
    make_organization(owner, name="Nur im ersten")
    client = client_for(owner)

    before = html(client.get("/app/organizations/"))
    client.post("/app/workspace/", {"workspace": second.pk})
    after = html(client.get("/app/organizations/"))

    assert "Nur im ersten" in before
    assert "Nur im ersten" not in after
    assert "Zweite Firma GmbH" in after


def test_switching_to_a_workspace_without_a_seat_is_404(owner: Actor, stranger: Actor) -> None:
    client = client_for(owner)

    response = client.post("/app/workspace/", {"workspace": stranger.workspace_id})

    assert response.status_code == 404
    assert client.session["zweck_workspace_id"] == owner.workspace_id


def test_a_user_without_any_workspace_is_told_so(db: None) -> None:
    user = User.objects.create_user("lonely@example.com", "correct horse battery staple")
    client = Client()
    client.force_login(user)

    response = client.get("/app/")

    assert response.status_code == 403
    assert "not a member of any workspace" in html(response)


def test_the_dashboard_shows_pipeline_meetings_and_recent_changes(owner: Actor) -> None:
    deal = make_deal(owner, title="Rahmenvertrag", amount="5000")
    activity_create(
        actor=owner,
        kind=ActivityKind.MEETING,
        subject="Jahresgespräch",
        starts_at=timezone.now() + timedelta(days=3),
        owner=owner.user,
    )

    response = client_for(owner).get("/app/")

    body = html(response)
    assert [(row["stage__name"], row["count"]) for row in response.context["pipeline"]] == [("Lead", 1)]
    assert "€5,000.00" in body
    assert "Jahresgespräch" in body
    assert response.context["recent"][0]["label"] == deal.title
