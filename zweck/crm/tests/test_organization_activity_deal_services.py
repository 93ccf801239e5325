from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.crm import selectors
from zweck.crm.choices import ActivityKind, DealStatus
from zweck.crm.models import Activity, Deal, Organization
from zweck.crm.services import (
    AddressInput,
    activity_complete,
    activity_create,
    activity_update,
    deal_close,
    deal_move,
    deal_reopen,
    organization_create,
    organization_delete,
    organization_update,
)
from zweck.crm.tests.factories import make_deal, make_organization, make_person, make_stages

pytestmark = pytest.mark.django_db


def test_organization_create_validates_vat_id_and_normalizes(owner: Actor) -> None:
    organization = organization_create(
        actor=owner,
        name="Sonnenschein Software GmbH",
        vat_id="DE 136 695 976",
        relationship_types=["prospect", "customer", "customer"],
        tags=["IT", "Berlin", "IT"],
        addresses=[AddressInput(street="Alexanderplatz 1", postal_code="10178", city="Berlin")],
    )
    assert organization.vat_id == "DE136695976"
    assert organization.relationship_types == ["customer", "prospect"]
    assert sorted(organization.tags.values_list("name", flat=True)) == ["Berlin", "IT"]
    assert list(organization.addresses.values_list("city", flat=True)) == ["Berlin"]


def test_organization_create_refuses_bad_vat_id_and_unknown_relationship(owner: Actor) -> None:
    with pytest.raises(ValidationError) as error:
        organization_create(actor=owner, name="X", vat_id="DE123456789")
    assert "vat_id" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        organization_create(actor=owner, name="X", relationship_types=["friend"])
    assert "relationship_types" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        organization_create(actor=owner, name="X", colour="red")
    assert "colour" in error.value.message_dict
    assert Organization.objects.count() == 0


def test_renaming_an_organization_updates_its_members_search(owner: Actor) -> None:
    organization = make_organization(owner, name="Alte Firma AG")
    person = make_person(owner, organization=organization)
    organization_update(actor=owner, organization=organization, name="Neue Firma AG")
    assert list(selectors.person_list(actor=owner, query="neue firma")) == [person]
    assert list(selectors.person_list(actor=owner, query="alte firma")) == []


def test_organization_with_deals_cannot_be_deleted(owner: Actor) -> None:
    deal = make_deal(owner)
    with pytest.raises(ValidationError, match="still has deals"):
        organization_delete(actor=owner, organization=deal.organization)
    assert Organization.objects.filter(pk=deal.organization_id).exists()


def test_activity_with_participants_audits_subjects(owner: Actor) -> None:
    anna, ben = make_person(owner, first_name="Anna"), make_person(owner, first_name="Ben")
    start = timezone.now() + timedelta(days=1)
    activity = activity_create(
        actor=owner,
        kind=ActivityKind.MEETING,
        subject="Projektstart",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        participants=[anna, ben, anna],
    )
    assert sorted(activity.participants.values_list("pk", flat=True)) == sorted([anna.pk, ben.pk])
    event = AuditEvent.objects.get(action="activity.create")
    assert sorted(event.subjects.values_list("subject_id", flat=True)) == sorted([anna.pk, ben.pk])


def test_activity_rules_refused_with_field_messages(owner: Actor) -> None:
    start = timezone.now()
    with pytest.raises(ValidationError) as error:
        activity_create(actor=owner, kind=ActivityKind.MEETING, subject="Ohne Zeit")
    assert "starts_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        activity_create(
            actor=owner,
            kind=ActivityKind.CALL,
            subject="x",
            starts_at=start,
            ends_at=start - timedelta(minutes=5),
        )
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        activity_create(actor=owner, kind=ActivityKind.NOTE, subject="x", is_recorded=True)
    assert "is_recorded" in error.value.message_dict
    assert Activity.objects.count() == 0


def test_activity_cannot_reference_another_workspace(owner: Actor, stranger: Actor) -> None:
    foreign_person = make_person(stranger)
    foreign_org = make_organization(stranger)
    with pytest.raises(ValidationError):
        activity_create(actor=owner, kind=ActivityKind.NOTE, subject="x", participants=[foreign_person])
    with pytest.raises(ValidationError):
        activity_create(actor=owner, kind=ActivityKind.NOTE, subject="x", organization=foreign_org)
    assert Activity.objects.count() == 0


def test_task_done_and_reopened(owner: Actor) -> None:
    task = activity_create(actor=owner, kind=ActivityKind.TASK, subject="Angebot schicken")
    activity_complete(actor=owner, activity=task)
    assert task.done_at is not None
    assert list(selectors.activity_list(actor=owner, open_only=True)) == []
    activity_complete(actor=owner, activity=task, done=False)
    assert list(selectors.activity_list(actor=owner, open_only=True)) == [task]


def test_service_role_logs_activities_but_cannot_edit_contacts(actor_with_role) -> None:
    service = actor_with_role(Role.SERVICE)
    note = activity_create(actor=service, kind=ActivityKind.NOTE, subject="Fernwartung erledigt")
    activity_update(actor=service, activity=note, body="Drucker neu eingerichtet")
    with pytest.raises(PermissionDenied):
        make_person(service)


def test_deal_moves_closes_and_reopens(owner: Actor) -> None:
    deal = make_deal(owner, amount=Decimal("12000.00"))
    stages = make_stages(owner)
    deal_move(actor=owner, deal=deal, stage=stages[2])
    assert (deal.stage_id, deal.probability) == (stages[2].pk, 50)
    deal_close(actor=owner, deal=deal, won=True, reason="Bestes Angebot")
    assert (deal.status, deal.probability, deal.close_reason) == (DealStatus.WON, 100, "Bestes Angebot")
    with pytest.raises(ValidationError):
        deal_move(actor=owner, deal=deal, stage=stages[0])
    with pytest.raises(ValidationError):
        deal_close(actor=owner, deal=deal, won=False)
    deal_reopen(actor=owner, deal=deal)
    assert (deal.status, deal.closed_at, deal.probability) == (DealStatus.OPEN, None, 50)
    actions = list(
        AuditEvent.objects.filter(object_type="crm.deal").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["deal.create", "deal.update", "deal.win", "deal.reopen"]


def test_pipeline_value_by_stage(owner: Actor) -> None:
    organization = make_organization(owner)
    make_deal(owner, organization=organization, amount=Decimal("100"))
    make_deal(owner, organization=organization, amount=Decimal("250.50"))
    lost = make_deal(owner, organization=organization, amount=Decimal("999"))
    deal_close(actor=owner, deal=lost, won=False, reason="Budget")
    rows = selectors.open_deal_value_by_stage(actor=owner)
    assert [(row["stage__name"], row["count"], row["total"]) for row in rows] == [
        ("Lead", 2, Decimal("350.50"))
    ]


def test_deal_lists_never_cross_workspaces(owner: Actor, stranger: Actor) -> None:
    mine = make_deal(owner)
    make_deal(stranger)
    assert list(selectors.deal_list(actor=owner)) == [mine]
    assert Deal.objects.count() == 2
