"""Marking a relationship ended: the bounds every interface gets from the service, the audit
event, and what a person inherits from their organizations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.crm.models import Organization, Person
from zweck.crm.services import organization_relationship_end, person_relationship_end
from zweck.crm.services.relationships import EARLIEST_END, latest_end
from zweck.crm.tests.factories import make_organization, make_person

pytestmark = pytest.mark.django_db


@given(st.dates(date(1901, 1, 1), date(2999, 12, 31)))
def test_the_latest_end_is_the_same_day_a_year_later(today: date) -> None:
    latest = latest_end(today)
    assert latest.year == today.year + 1
    assert (latest.month, latest.day) == (today.month, today.day) or (today.month, today.day) == (2, 29)
    assert 365 <= (latest - today).days <= 366


def test_an_end_up_to_a_year_ahead_is_kept_and_audited(owner: Actor) -> None:
    # given
    person = make_person(owner)
    ahead = latest_end(timezone.localdate())
    # when
    person_relationship_end(actor=owner, person=person, ended_on=ahead)
    # then
    person.refresh_from_db()
    assert (person.relationship_ended_on, person.relationship_end_inherited) == (ahead, False)
    event = AuditEvent.objects.get(action="person.relationship_end")
    assert event.changed_fields == ["relationship_ended_on"]
    assert event.object_id == str(person.pk)


@pytest.mark.parametrize("kind", ["person", "organization"])
@pytest.mark.parametrize(
    "ended_on",
    [
        pytest.param("tomorrow_next_year", id="a year and a day ahead"),
        pytest.param(date(2062, 1, 1), id="decades ahead"),
        pytest.param(date(202, 6, 30), id="a slip of the year"),
        pytest.param(EARLIEST_END - timedelta(days=1), id="before 1900"),
    ],
)
def test_an_end_out_of_bounds_is_refused_at_the_field_and_nothing_changes(
    owner: Actor, kind: str, ended_on: date | str
) -> None:
    # given
    if ended_on == "tomorrow_next_year":
        ended_on = latest_end(timezone.localdate()) + timedelta(days=1)
    assert isinstance(ended_on, date)
    organization = make_organization(owner)
    person = make_person(owner, organization=organization)
    events = AuditEvent.objects.count()
    # when
    with pytest.raises(ValidationError) as error:
        if kind == "person":
            person_relationship_end(actor=owner, person=person, ended_on=ended_on)
        else:
            organization_relationship_end(actor=owner, organization=organization, ended_on=ended_on)
    # then
    assert list(error.value.message_dict) == ["ended_on"]
    assert Person.objects.get(pk=person.pk).relationship_ended_on is None
    assert Organization.objects.get(pk=organization.pk).relationship_ended_on is None
    assert AuditEvent.objects.count() == events


def test_the_earliest_day_is_accepted(owner: Actor) -> None:
    organization = make_organization(owner)
    organization_relationship_end(actor=owner, organization=organization, ended_on=EARLIEST_END)
    assert Organization.objects.get(pk=organization.pk).relationship_ended_on == EARLIEST_END


def test_an_inherited_end_is_not_cleared_on_the_person(owner: Actor) -> None:
    # given every organization of the person has ended
    organization = make_organization(owner)
    person = make_person(owner, organization=organization)
    organization_relationship_end(actor=owner, organization=organization, ended_on=date(2024, 3, 31))
    person.refresh_from_db()
    assert person.relationship_end_inherited
    # when the person alone is marked continuing
    with pytest.raises(ValidationError) as error:
        person_relationship_end(actor=owner, person=person, ended_on=None)
    # then it is refused: the organization decides
    assert list(error.value.message_dict) == ["ended_on"]
    person.refresh_from_db()
    assert (person.relationship_ended_on, person.relationship_end_inherited) == (date(2024, 3, 31), True)
    # and the organization continuing clears it
    organization_relationship_end(actor=owner, organization=organization, ended_on=None)
    person.refresh_from_db()
    assert (person.relationship_ended_on, person.relationship_end_inherited) == (None, False)


def test_an_own_end_cleared_falls_back_to_the_organizations(owner: Actor) -> None:
    organization = make_organization(owner)
    person = make_person(owner, organization=organization)
    organization_relationship_end(actor=owner, organization=organization, ended_on=date(2024, 3, 31))
    person_relationship_end(actor=owner, person=person, ended_on=date(2025, 5, 1))
    person.refresh_from_db()
    assert (person.relationship_ended_on, person.relationship_end_inherited) == (date(2025, 5, 1), False)

    person_relationship_end(actor=owner, person=person, ended_on=None)

    person.refresh_from_db()
    assert (person.relationship_ended_on, person.relationship_end_inherited) == (date(2024, 3, 31), True)


def test_continuing_a_continuing_person_changes_nothing(owner: Actor) -> None:
    person = make_person(owner)
    events = AuditEvent.objects.count()
    person_relationship_end(actor=owner, person=person, ended_on=None)
    assert AuditEvent.objects.count() == events


def test_a_member_who_may_not_change_contacts_is_refused(actor_with_role: object, owner: Actor) -> None:
    reader = actor_with_role(Role.READ_ONLY)  # type: ignore[operator]
    person = make_person(owner)
    organization = make_organization(owner)
    with pytest.raises(PermissionDenied):
        person_relationship_end(actor=reader, person=person, ended_on=date(2024, 1, 1))
    with pytest.raises(PermissionDenied):
        organization_relationship_end(actor=reader, organization=organization, ended_on=date(2024, 1, 1))
    assert Person.objects.get(pk=person.pk).relationship_ended_on is None
