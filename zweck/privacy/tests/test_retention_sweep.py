"""The retention sweep: what expires is read from the register and the stored event dates,
held rows stay, expired persons leave through the erasure path, every batch is audited with
counts only, and the forecast announces what the sweep then does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Activity, Organization, Person, PersonEmail
from zweck.crm.services import activity_create, organization_relationship_end, person_relationship_end
from zweck.crm.tests.factories import make_organization, make_person
from zweck.privacy.holds import record_hold_place
from zweck.privacy.models import ErasureTombstone, RetentionRule, RetentionSweep
from zweck.privacy.retention import (
    SweepAction,
    last_expired_event,
    retention_forecast,
    retention_sweep,
)
from zweck.privacy.retention_models import SweepState
from zweck.privacy.services import register_defaults_install

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(owner: Actor) -> Actor:
    """The owner of a workspace with the shipped register: every permission."""
    register_defaults_install(actor=owner)
    return owner


TODAY = date(2026, 12, 2)
# business_relationship: three years from the end of the year in which the relationship ended.
ENDED = date(2022, 6, 30)


@given(
    years=st.integers(0, 12),
    months=st.integers(0, 11),
    days=st.integers(0, 60),
    end_of_year=st.booleans(),
    today=st.dates(date(1990, 1, 1), date(2090, 12, 31)),
)
@settings(max_examples=300, deadline=None)
def test_threshold_is_the_last_event_whose_period_ended(
    years: int, months: int, days: int, end_of_year: bool, today: date
) -> None:
    rule = RetentionRule(key="r", years=years, months=months, days=days, from_end_of_year=end_of_year)
    threshold = last_expired_event(rule, today)
    assert threshold is not None
    assert rule.ends_on(threshold) < today
    assert rule.ends_on(threshold + timedelta(days=1)) >= today


def _ended_person(actor: Actor, ended_on: date, **details: object) -> Person:
    person = make_person(actor, **details)
    return person_relationship_end(actor=actor, person=person, ended_on=ended_on)


def test_expired_person_is_erased_with_tombstone_and_counted(keeper: Actor) -> None:
    gone = _ended_person(keeper, ENDED, first_name="Greta", last_name="Gone", email="greta@example.com")
    activity_create(actor=keeper, kind=ActivityKind.CALL, subject="Call with Greta", participants=[gone])
    recent = _ended_person(keeper, date(2024, 1, 15))
    continuing = make_person(keeper)

    sweep = retention_sweep(actor=keeper, today=TODAY)

    assert sweep.state == SweepState.DONE
    assert not Person.objects.filter(pk=gone.pk).exists()
    assert not PersonEmail.objects.filter(email="greta@example.com").exists()
    assert set(Person.objects.in_workspace(keeper.workspace_id).values_list("pk", flat=True)) == {
        recent.pk,
        continuing.pk,
    }
    # Her call was hers alone: anonymized as the register declares for activities.
    assert not Activity.objects.filter(subject__contains="Greta").exists()
    assert ErasureTombstone.objects.in_workspace(keeper.workspace_id).filter(identifier_kind="email").exists()
    results = {(item["data_set"], item["action"]): item["count"] for item in sweep.results}
    assert results[("crm.person", "delete")] == 1
    assert results[("crm.personemail", "delete")] == 1
    assert all(item["rule"] == "business_relationship" for item in sweep.results)
    events = AuditEvent.objects.filter(workspace_id=keeper.workspace_id, action="retention.sweep")
    assert {event.object_type for event in events} >= {"crm.person", "crm.personemail"}
    for event in events:
        assert event.object_id == str(sweep.pk)
        assert not any(
            "greta" in change.lower() or "gone" in change.lower() for change in event.changed_fields
        )


def test_a_shared_activity_loses_the_mentions_of_its_own_expired_participants_only(keeper: Actor) -> None:
    """Persons swept in one batch are different people: a row shared with someone who stays
    loses the mentions of the expired persons it belongs to; the mention of another expired
    person in it is outside that person's records and ends with the row's own period."""
    anna = _ended_person(
        keeper, ENDED, first_name="Annegret", last_name="Quast", email="annegret@example.com"
    )
    bruno = _ended_person(keeper, ENDED, first_name="Brunhild", last_name="Fenske")
    stays = make_person(keeper, first_name="Carla", last_name="Bleibt")
    shared = activity_create(
        actor=keeper,
        kind=ActivityKind.NOTE,
        subject="Annegret Quast and Carla",
        body="Annegret Quast (annegret@example.com) asked Carla to call Brunhild Fenske.",
        participants=[anna, stays],
    )
    brunos = activity_create(
        actor=keeper, kind=ActivityKind.CALL, subject="Brunhild Fenske", participants=[bruno, stays]
    )

    retention_sweep(actor=keeper, today=TODAY)

    shared.refresh_from_db()
    assert "Annegret" not in shared.subject and "annegret@example.com" not in shared.body
    assert "Carla" in shared.subject
    assert "Brunhild Fenske" in shared.body
    brunos.refresh_from_db()
    assert "Brunhild" not in brunos.subject
    assert not Person.objects.filter(pk__in=[anna.pk, bruno.pk]).exists()


def test_a_second_run_finds_nothing_left(keeper: Actor) -> None:
    _ended_person(keeper, ENDED)
    retention_sweep(actor=keeper, today=TODAY)
    again = retention_sweep(actor=keeper, today=TODAY)
    assert again.results == []
    assert again.total == 0


def test_held_person_is_not_swept(keeper: Actor) -> None:
    held = _ended_person(keeper, ENDED)
    record_hold_place(
        actor=keeper,
        object_type="person",
        object_id=held.pk,
        reason="Legal claim (Art. 17(3)(e) GDPR)",
        ends_on=TODAY + timedelta(days=100),
    )
    sweep = retention_sweep(actor=keeper, today=TODAY)
    assert Person.objects.filter(pk=held.pk).exists()
    assert sweep.total == 0


def test_organization_end_is_inherited_and_swept_after_its_members(keeper: Actor) -> None:
    organization = make_organization(keeper, name="Alte Kundschaft GmbH")
    other = make_organization(keeper, name="Laufende Kundschaft GmbH")
    only_here = make_person(keeper, organization=organization)
    also_elsewhere = make_person(keeper, organization=organization)
    from zweck.crm.services import person_update
    from zweck.crm.services.persons import MembershipInput

    person_update(
        actor=keeper,
        person=also_elsewhere,
        organizations=[MembershipInput(organization), MembershipInput(other)],
    )
    organization_relationship_end(actor=keeper, organization=organization, ended_on=ENDED)
    only_here.refresh_from_db()
    also_elsewhere.refresh_from_db()
    assert (only_here.relationship_ended_on, only_here.relationship_end_inherited) == (ENDED, True)
    assert also_elsewhere.relationship_ended_on is None

    sweep = retention_sweep(actor=keeper, today=TODAY)

    assert not Person.objects.filter(pk=only_here.pk).exists()
    assert Person.objects.filter(pk=also_elsewhere.pk).exists()
    assert not Organization.objects.filter(pk=organization.pk).exists()
    assert Organization.objects.filter(pk=other.pk).exists()
    assert ("business_relationship", "crm.organization", "delete") in {
        (item["rule"], item["data_set"], item["action"]) for item in sweep.results
    }


def test_clearing_an_organization_end_clears_what_its_members_inherited(keeper: Actor) -> None:
    organization = make_organization(keeper)
    member = make_person(keeper, organization=organization)
    own = make_person(keeper, organization=organization)
    person_relationship_end(actor=keeper, person=own, ended_on=date(2025, 1, 31))
    organization_relationship_end(actor=keeper, organization=organization, ended_on=ENDED)
    organization_relationship_end(actor=keeper, organization=organization, ended_on=None)
    member.refresh_from_db()
    own.refresh_from_db()
    assert member.relationship_ended_on is None
    # A date set on the person is their own: the organization does not take it away.
    assert (own.relationship_ended_on, own.relationship_end_inherited) == (date(2025, 1, 31), False)


def test_audit_trail_leaves_when_its_period_ends(keeper: Actor) -> None:
    from django.db import transaction

    with transaction.atomic():
        old = AuditEvent.objects.create(
            workspace_id=keeper.workspace_id,
            occurred_at=timezone.now() - timedelta(days=365 * 4),
            action="person.update",
            object_type="crm.person",
            object_id="1",
        )
        young = AuditEvent.objects.create(
            workspace_id=keeper.workspace_id, action="person.update", object_type="crm.person", object_id="2"
        )
    lines = {line.data_set: line for line in retention_forecast(actor=keeper, days=365 * 4)}
    trail = lines["audit.auditevent"]
    assert trail.action is SweepAction.DELETE
    assert trail.due_now == 1
    # The young event (and the forecast's own reading of the trail) are due in three years.
    assert sum(count for _day, count in trail.upcoming) >= 1
    retention_sweep(actor=keeper)
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=young.pk).exists()


def test_forecast_announces_what_the_sweep_then_does(keeper: Actor) -> None:
    _ended_person(keeper, ENDED)
    soon = _ended_person(keeper, date(2023, 3, 1))  # kept until 31 December 2026
    later = _ended_person(keeper, date(2024, 6, 1))

    lines = {
        (line.data_set, line.rule.key): line
        for line in retention_forecast(actor=keeper, days=30, today=TODAY)
    }
    person = lines[("crm.person", "business_relationship")]
    assert person.action is SweepAction.ERASE
    assert person.due_now == 1
    assert sum(count for _day, count in person.upcoming) == 1
    (due_day,) = [day for day, count in person.upcoming if count]
    assert due_day == date(2027, 1, 1)
    assert lines[("crm.personemail", "business_relationship")].due_now == 1
    assert lines[("crm.activity", "business_relationship")].action is SweepAction.WITH_SUBJECTS

    retention_sweep(actor=keeper, today=TODAY)
    assert Person.objects.filter(pk=soon.pk).exists()
    retention_sweep(actor=keeper, today=date(2026, 12, 31))
    assert Person.objects.filter(pk=soon.pk).exists()
    retention_sweep(actor=keeper, today=due_day)
    assert not Person.objects.filter(pk=soon.pk).exists()
    assert Person.objects.filter(pk=later.pk).exists()
    assert RetentionSweep.objects.in_workspace(keeper.workspace_id).count() == 3


def test_a_changed_rule_changes_what_expires(keeper: Actor) -> None:
    recent = _ended_person(keeper, date(2026, 6, 1))
    RetentionRule.objects.in_workspace(keeper.workspace_id).filter(key="business_relationship").update(
        years=0, months=3, from_end_of_year=False
    )
    retention_sweep(actor=keeper, today=TODAY)
    assert not Person.objects.filter(pk=recent.pk).exists()


def test_rules_counting_from_last_contact(keeper: Actor) -> None:
    RetentionRule.objects.in_workspace(keeper.workspace_id).filter(key="business_relationship").update(
        counts_from="last_contact", from_end_of_year=False
    )
    quiet = make_person(keeper)
    talked = make_person(keeper)
    activity_create(
        actor=keeper,
        kind=ActivityKind.MEETING,
        subject="Review",
        participants=[talked],
        starts_at=timezone.now() + timedelta(days=30),
    )
    retention_sweep(actor=keeper, today=timezone.localdate() + timedelta(days=3 * 366))
    assert not Person.objects.filter(pk=quiet.pk).exists()
    assert Person.objects.filter(pk=talked.pk).exists()


def test_a_rule_cannot_count_from_an_event_its_data_sets_do_not_store(keeper: Actor) -> None:
    from django.core.exceptions import ValidationError

    rule = RetentionRule.objects.in_workspace(keeper.workspace_id).get(key="business_relationship")
    rule.counts_from = "warranty_ended"
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    message = str(refused.value.message_dict["counts_from"])
    assert "persons" in message and "organizations" in message
    rule.counts_from = "last_contact"
    with pytest.raises(ValidationError, match="organizations"):
        rule.full_clean()
    rule.counts_from = "record_created"
    rule.full_clean()


def test_rows_of_no_workspace_leave_after_their_shipped_period() -> None:
    from django.db import transaction

    from zweck.accounts.models import SecurityEvent
    from zweck.privacy.retention import operator_sweep

    with transaction.atomic():
        old = AuditEvent.objects.create(
            occurred_at=timezone.now() - timedelta(days=365 * 4), action="workspace.offboard", object_type="x"
        )
        young = AuditEvent.objects.create(action="workspace.offboard", object_type="x")
    unknown = SecurityEvent.objects.create(kind=SecurityEvent._meta.get_field("kind").choices[0][0])
    SecurityEvent.objects.filter(pk=unknown.pk).update(created_at=timezone.now() - timedelta(days=40))
    recent = SecurityEvent.objects.create(kind=SecurityEvent._meta.get_field("kind").choices[0][0])

    swept = operator_sweep()

    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=young.pk).exists()
    assert not SecurityEvent.objects.filter(pk=unknown.pk).exists()
    assert SecurityEvent.objects.filter(pk=recent.pk).exists()
    assert swept["accounts.securityevent"] == 1
    assert AuditEvent.objects.filter(workspace=None, action="retention.sweep").exists()


def test_the_day_a_record_is_erased_from_is_the_day_the_forecast_names(keeper: Actor) -> None:
    from zweck.privacy.retention import erased_from

    continuing = make_person(keeper)
    ended = _ended_person(keeper, date(2023, 3, 1))
    assert erased_from(continuing) is None
    assert erased_from(ended) == date(2027, 1, 1)
    lines = {line.data_set: line for line in retention_forecast(actor=keeper, days=30, today=TODAY)}
    assert [day for day, count in lines["crm.person"].upcoming if count] == [date(2027, 1, 1)]


def test_the_contact_page_says_from_when_the_data_is_deleted(keeper: Actor) -> None:
    from zweck.web.tests.conftest import client_for

    ended = _ended_person(keeper, date(2023, 3, 1))
    page = client_for(keeper).get(f"/app/contacts/{ended.pk}/").content.decode()
    assert "The retention sweep deletes the data from 1 Jan 2027, unless a hold keeps it." in page


def test_a_run_on_a_far_day_ends_and_keeps_its_own_audit_events(
    keeper: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a day after every period, the sweep's own audit events (written while it runs) have
    expired as well; the run takes only the rows that existed when it started, so it ends."""
    from zweck.privacy import retention

    _ended_person(keeper, ENDED, first_name="Ada", last_name="Alt", email="ada@example.com")
    batches = 0
    add = retention._Tally.add

    def counted(self: retention._Tally, *args: object, **kwargs: object) -> None:
        nonlocal batches
        batches += 1
        if batches > 500:
            raise AssertionError("the sweep keeps finding the rows it writes itself")
        add(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(retention._Tally, "add", counted)
    sweep = retention_sweep(actor=keeper, today=TODAY + timedelta(days=365 * 200))
    assert sweep.state == SweepState.DONE
    assert not Person.objects.filter(last_name="Alt").exists()
    assert AuditEvent.objects.filter(action="retention.sweep", object_id=str(sweep.pk)).exists()
