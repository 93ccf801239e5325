"""Marking a relationship ended or continuing on a contact's and an organization's page: who
may, what the page says afterwards (in German and English), and the refusals shown at the
field with nothing written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import MembershipFactory
from zweck.audit.models import AuditEvent
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role
from zweck.crm.models import Organization, Person
from zweck.crm.services import organization_relationship_end
from zweck.crm.services.relationships import latest_end
from zweck.crm.tests.factories import make_organization, make_person
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db
P = Permission


@dataclass
class World:
    owner: Actor
    organization: Organization
    person: Person

    def url(self, kind: str) -> str:
        if kind == "person":
            return f"/app/contacts/{self.person.pk}/"
        return f"/app/organizations/{self.organization.pk}/"


@pytest.fixture
def world(owner: Actor) -> World:
    organization = make_organization(owner, name="Nordlicht Beratung GmbH")
    person = make_person(owner, first_name="Jana", last_name="Beispiel", organization=organization)
    return World(owner, organization, person)


def snapshot() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.count(),
        list(
            Person.objects.order_by("pk").values_list("relationship_ended_on", "relationship_end_inherited")
        ),
        list(Organization.objects.order_by("pk").values_list("relationship_ended_on", flat=True)),
    )


def client_holding(
    world: World, permissions: frozenset[Permission], monkeypatch: pytest.MonkeyPatch
) -> Client:
    membership = MembershipFactory(workspace=world.owner.workspace, role=Role.READ_ONLY)
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.READ_ONLY, permissions)
    return client_for(Actor.for_membership(membership))


KINDS = ["person", "organization"]


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_visitors_are_sent_to_log_in(world: World, kind: str) -> None:
    before = snapshot()
    response = Client().post(world.url(kind) + "relationship-end/", {"ended_on": "2025-06-30"})
    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=")
    assert snapshot() == before


@pytest.mark.parametrize("kind", KINDS)
def test_another_workspace_gets_404_and_changes_nothing(world: World, kind: str, stranger: Actor) -> None:
    before = snapshot()
    response = client_for(stranger).post(world.url(kind) + "relationship-end/", {"ended_on": "2025-06-30"})
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("missing", [P.CRM_VIEW, P.CRM_CHANGE])
def test_a_member_without_the_permission_is_refused(
    world: World, kind: str, missing: Permission, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_holding(world, frozenset(Permission) - {missing}, monkeypatch)
    before = snapshot()
    response = client.post(world.url(kind) + "relationship-end/", {"ended_on": "2025-06-30"})
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_reader_sees_the_state_but_no_form(
    world: World, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_holding(world, frozenset({P.CRM_VIEW}), monkeypatch)
    page = client.get(world.url(kind)).content.decode()
    assert "The relationship continues." in page
    assert "relationship-end/" not in page


@pytest.mark.parametrize("kind", KINDS)
def test_a_member_who_may_change_contacts_marks_it_ended_and_continuing(
    world: World, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a member holding exactly what the form needs
    client = client_holding(world, frozenset({P.CRM_VIEW, P.CRM_CHANGE}), monkeypatch)
    page = client.get(world.url(kind)).content.decode()
    assert f'action="{world.url(kind)}relationship-end/"' in page
    assert 'name="continuing"' not in page  # nothing to continue yet
    # when
    response = client.post(world.url(kind) + "relationship-end/", {"ended_on": "2025-06-30"}, follow=True)
    # then
    page = response.content.decode()
    name = "Jana Beispiel" if kind == "person" else "Nordlicht Beratung GmbH"
    assert f"The relationship with {name} is marked ended on 30 Jun 2025." in page
    assert "Relationship ended on 30 Jun 2025" in page
    assert 'name="continuing"' in page
    record = world.person if kind == "person" else world.organization
    record.refresh_from_db()
    assert record.relationship_ended_on == date(2025, 6, 30)
    assert AuditEvent.objects.filter(action=f"{kind}.relationship_end").count() == 1

    response = client.post(world.url(kind) + "relationship-end/", {"continuing": "1"}, follow=True)

    page = response.content.decode()
    assert f"The relationship with {name} continues." in page
    assert "The relationship continues." in page
    record.refresh_from_db()
    assert record.relationship_ended_on is None


def test_continuing_ignores_a_day_typed_before(world: World) -> None:
    client = client_for(world.owner)
    client.post(world.url("person") + "relationship-end/", {"ended_on": "2025-06-30"})
    response = client.post(world.url("person") + "relationship-end/", {"ended_on": "soon", "continuing": "1"})
    assert response.status_code == 302
    world.person.refresh_from_db()
    assert world.person.relationship_ended_on is None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("entered", "message"),
    [
        ("", "Enter the day the relationship ended."),
        ("30.06.2025x", "Enter a valid date."),
        ("2025-02-30", "Enter a valid date."),
        ("99999-01-01", "Enter a valid date."),
        ("1899-12-31", "Enter a day in 1900 or later."),
        ("next year", "Enter a valid date."),
    ],
)
def test_bad_days_are_refused_at_the_field_and_nothing_changes(
    world: World, kind: str, entered: str, message: str
) -> None:
    before = snapshot()
    response = client_for(world.owner).post(world.url(kind) + "relationship-end/", {"ended_on": entered})
    assert response.status_code == 200
    assert response.context["relationship_form"].errors == {"ended_on": [message]}
    page = response.content.decode()
    assert message in page
    assert "<details open>" in page
    assert snapshot() == before


def test_a_day_more_than_a_year_ahead_is_refused_by_the_service(world: World) -> None:
    too_late = latest_end(timezone.localdate()) + timedelta(days=1)
    before = snapshot()
    response = client_for(world.owner).post(
        world.url("organization") + "relationship-end/", {"ended_on": too_late.isoformat()}
    )
    assert response.context["relationship_form"].errors == {
        "ended_on": ["Enter a day no later than a year from today."]
    }
    assert snapshot() == before


def test_a_contact_page_says_the_end_came_from_their_organizations(world: World) -> None:
    # given the contact's only organization has ended its relationship
    organization_relationship_end(
        actor=world.owner, organization=world.organization, ended_on=date(2024, 3, 31)
    )
    client = client_for(world.owner)
    # when
    page = client.get(world.url("person")).content.decode()
    # then
    assert "Relationship ended on 31 Mar 2024" in page
    assert "Taken from their organizations" in page
    assert 'name="continuing"' not in page  # the organization decides
    # and a continuing forced by hand is refused at the field
    response = client.post(world.url("person") + "relationship-end/", {"continuing": "1"})
    assert response.status_code == 200
    assert list(response.context["relationship_form"].errors) == ["ended_on"]


def test_german_pages_say_it_in_german_with_german_dates(world: World) -> None:
    client = client_for(world.owner)
    client.cookies["django_language"] = "de"
    response = client.post(world.url("person") + "relationship-end/", {"ended_on": "2025-06-30"}, follow=True)
    page = response.content.decode()
    assert "30.06.2025" in page
    assert "30 Jun 2025" not in page


@pytest.mark.parametrize("kind", KINDS)
def test_the_pages_with_the_form_stay_accessible(world: World, kind: str) -> None:
    client = client_for(world.owner)
    assert accessibility_problems(client.get(world.url(kind)).content.decode()) == []
    refused = client.post(world.url(kind) + "relationship-end/", {"ended_on": "tomorrow"})
    assert accessibility_problems(refused.content.decode()) == []
