"""Reads for the CRM, always through ``visible_to``: the actor's workspace and permissions,
and whatever the registered scope filters leave out. Persons whose processing is restricted
(Art. 18 GDPR), rows that belong only to them and rows under a hold are not there for use; a
caller who may read the register asks for them with ``include_restricted`` (for storage).
A filter by a person, an organization or a deal answers as if a row the actor may not see
were not there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.core.scoping import Purpose, related_visible
from zweck.crm import industries, search
from zweck.crm.choices import DealStatus
from zweck.crm.models import (
    Activity,
    Deal,
    Organization,
    OrganizationMembership,
    Person,
    PipelineStage,
)


def _purpose(include_restricted: bool) -> Purpose:
    return Purpose.STORAGE if include_restricted else Purpose.USE


def _persons_visible(actor: Actor, *, include_restricted: bool = False) -> QuerySet[Person]:
    return Person.objects.visible_to(actor, Permission.CRM_VIEW, purpose=_purpose(include_restricted))


def person_list(
    *,
    actor: Actor,
    query: str | None = None,
    organization_id: int | None = None,
    subject_category: str | None = None,
    owner_id: int | None = None,
    include_archived: bool = False,
    include_restricted: bool = False,
    updated_since: datetime | None = None,
) -> QuerySet[Person]:
    """Contacts with their emails, phones and organizations prefetched; best matches first when searching."""
    persons = _persons_visible(actor, include_restricted=include_restricted)
    if not include_archived:
        persons = persons.filter(archived_at__isnull=True)
    if organization_id is not None:
        persons = related_visible(
            persons,
            "memberships__organization",
            organization_list(actor=actor, include_archived=True),
            organization_id,
        )
    if subject_category:
        persons = persons.filter(subject_category=subject_category)
    if owner_id is not None:
        persons = persons.filter(owner_id=owner_id)
    if updated_since is not None:
        persons = persons.filter(updated_at__gte=updated_since)
    if query:
        persons = search.search_persons(persons, query, workspace=actor.workspace)
    return persons.prefetch_related(
        "emails",
        "phones",
        Prefetch("memberships", queryset=OrganizationMembership.objects.select_related("organization")),
    )


def person_get(*, actor: Actor, person_id: int, include_restricted: bool = False) -> Person:
    """One contact of the actor's workspace; ``Person.DoesNotExist`` for anything else."""
    return person_list(actor=actor, include_archived=True, include_restricted=include_restricted).get(
        pk=person_id
    )


def organization_list(
    *,
    actor: Actor,
    query: str | None = None,
    relationship_type: str | None = None,
    tag: str | None = None,
    owner_id: int | None = None,
    industry_code: str | None = None,
    include_archived: bool = False,
) -> QuerySet[Organization]:
    """Organizations; ``industry_code`` a WZ 2008 division, or a section with all its divisions."""
    organizations: QuerySet[Organization] = Organization.objects.visible_to(actor, Permission.CRM_VIEW)
    if not include_archived:
        organizations = organizations.filter(archived_at__isnull=True)
    if relationship_type:
        # JSON "contains" is not portable to SQLite; the list is short, match its JSON text.
        organizations = organizations.filter(relationship_types__icontains=f'"{relationship_type}"')
    if tag:
        organizations = organizations.filter(tags__name=tag)
    if owner_id is not None:
        organizations = organizations.filter(owner_id=owner_id)
    if industry_code:
        code = industry_code.strip().upper()
        found = industries.industry(code)
        codes = industries.section_codes(code) if found is not None and found.is_section else [code]
        organizations = organizations.filter(industry_code__in=codes)
    if query:
        organizations = search.search_organizations(organizations, query)
    return organizations.prefetch_related("tags", "addresses")


def organization_get(*, actor: Actor, organization_id: int) -> Organization:
    return organization_list(actor=actor, include_archived=True).get(pk=organization_id)


def activity_list(
    *,
    actor: Actor,
    kind: str | None = None,
    person_id: int | None = None,
    organization_id: int | None = None,
    deal_id: int | None = None,
    owner_id: int | None = None,
    open_only: bool = False,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    due_before: datetime | None = None,
    query: str | None = None,
) -> QuerySet[Activity]:
    """Activities of the workspace; those whose only participants are restricted are left out."""
    activities = Activity.objects.visible_to(actor, Permission.CRM_VIEW)
    if kind:
        activities = activities.filter(kind=kind)
    if person_id is not None:
        activities = related_visible(
            activities, "participant_links__person", _persons_visible(actor), person_id
        )
    if organization_id is not None:
        activities = related_visible(
            activities, "organization", organization_list(actor=actor, include_archived=True), organization_id
        )
    if deal_id is not None and actor.can(Permission.DEAL_VIEW):
        activities = related_visible(
            activities, "deal", deal_list(actor=actor, include_archived=True), deal_id
        )
    elif deal_id is not None:
        activities = activities.none()
    if owner_id is not None:
        activities = activities.filter(owner_id=owner_id)
    if open_only:
        activities = activities.filter(done_at__isnull=True)
    if starts_after is not None:
        activities = activities.filter(starts_at__gte=starts_after)
    if starts_before is not None:
        activities = activities.filter(starts_at__lt=starts_before)
    if due_before is not None:
        activities = activities.filter(due_at__lt=due_before)
    if query:
        activities = activities.filter(subject__icontains=query)
    visible_people = _persons_visible(actor)
    return activities.prefetch_related(Prefetch("participants", queryset=visible_people))


def activity_get(*, actor: Actor, activity_id: int) -> Activity:
    return activity_list(actor=actor).get(pk=activity_id)


def deal_list(
    *,
    actor: Actor,
    status: str | None = None,
    stage_id: int | None = None,
    organization_id: int | None = None,
    person_id: int | None = None,
    owner_id: int | None = None,
    query: str | None = None,
    include_archived: bool = False,
) -> QuerySet[Deal]:
    deals = Deal.objects.visible_to(actor, Permission.DEAL_VIEW).select_related("organization", "stage")
    if not include_archived:
        deals = deals.filter(archived_at__isnull=True)
    if status:
        deals = deals.filter(status=status)
    if stage_id is not None:
        deals = deals.filter(stage_id=stage_id)
    if organization_id is not None:
        deals = related_visible(
            deals, "organization", organization_list(actor=actor, include_archived=True), organization_id
        )
    if person_id is not None:
        deals = related_visible(deals, "contacts", _persons_visible(actor), person_id)
    if owner_id is not None:
        deals = deals.filter(owner_id=owner_id)
    if query:
        deals = deals.filter(Q(title__icontains=query) | Q(organization__name__icontains=query))
    return deals.prefetch_related(Prefetch("contacts", queryset=_persons_visible(actor)))


def deal_get(*, actor: Actor, deal_id: int) -> Deal:
    return deal_list(actor=actor, include_archived=True).get(pk=deal_id)


def pipeline_stage_list(*, actor: Actor, include_inactive: bool = False) -> QuerySet[PipelineStage]:
    stages = PipelineStage.objects.visible_to(actor, Permission.DEAL_VIEW)
    if not include_inactive:
        stages = stages.filter(is_active=True)
    return stages


def pipeline_stage_get(*, actor: Actor, stage_id: int) -> PipelineStage:
    return pipeline_stage_list(actor=actor, include_inactive=True).get(pk=stage_id)


def open_deal_value_by_stage(*, actor: Actor) -> list[dict[str, Any]]:
    """Pipeline value per stage of the open deals: what the dashboard and reports show."""
    rows = (
        deal_list(actor=actor, status=DealStatus.OPEN)
        .values("stage_id", "stage__name", "stage__position", "currency")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("stage__position", "currency")
    )
    return [dict(row) for row in rows]


def recently_changed(*, actor: Actor, limit: int = 10) -> list[Person | Organization | Deal]:
    """The workspace's persons, organizations and deals changed last, newest first (for the dashboard)."""
    changed: list[Person | Organization | Deal] = [
        *person_list(actor=actor).order_by("-updated_at")[:limit],
        *organization_list(actor=actor).order_by("-updated_at")[:limit],
    ]
    if actor.can(Permission.DEAL_VIEW):
        changed.extend(deal_list(actor=actor).order_by("-updated_at")[:limit])
    return sorted(changed, key=lambda row: row.updated_at, reverse=True)[:limit]
