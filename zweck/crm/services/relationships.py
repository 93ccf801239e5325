"""The end of a business relationship: the day the retention clocks of a contact start.

Invariants:
- a person's ``relationship_ended_on`` is either their own (set on the person) or inherited:
  once every organization the person belongs to has ended its relationship, the person's
  ended on the latest of those days, unless the person has a date of their own;
- an organization's date given, changed or cleared re-derives the inherited dates of its
  members at once, in the same transaction, so the stored date is always what the sweep reads;
- a person without organizations inherits nothing: only their own date ends their relationship;
- a date given by hand lies between ``EARLIEST_END`` and a year from today: a typing slip
  (0202 for 2022, 2062 for 2026) would start or postpone every clock of the contact's data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.core.services import require_same_workspace, save_scoped
from zweck.crm.models import Organization, OrganizationMembership, Person

# A relationship end is history or announced (a contract that runs out), not a plan for years.
EARLIEST_END = date(1900, 1, 1)


def latest_end(today: date) -> date:
    """The last day a relationship can be marked ended on: the same day a year from ``today``."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def _check_end(ended_on: date) -> None:
    latest = latest_end(timezone.localdate())
    if ended_on > latest:
        raise ValidationError({"ended_on": _("Enter a day no later than a year from today.")})
    if ended_on < EARLIEST_END:
        raise ValidationError({"ended_on": _("Enter a day in 1900 or later.")})


def _inherited_dates(workspace_id: int, person_ids: Iterable[int]) -> dict[int, date | None]:
    """For each person, the day their relationship ended through their organizations (None while
    one of them continues, or without organizations)."""
    ids = list(person_ids)
    memberships = OrganizationMembership.objects.in_workspace(workspace_id).filter(person_id__in=ids)
    latest = dict(
        memberships.values("person_id")
        .annotate(ended=Max("organization__relationship_ended_on"))
        .values_list("person_id", "ended")
    )
    continuing = set(
        memberships.filter(organization__relationship_ended_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    return {pk: None if pk in continuing else latest.get(pk) for pk in ids}


def relationship_inherit(*, actor: Actor, person_ids: Iterable[int]) -> list[int]:
    """Re-derive the inherited relationship end of ``person_ids`` (those without a date of their
    own); the ids whose date changed. Callers hold the transaction and write the audit event."""
    candidates = list(
        Person.objects.in_workspace(actor.workspace_id)
        .filter(pk__in=list(person_ids))
        .exclude(relationship_ended_on__isnull=False, relationship_end_inherited=False)
        .values_list("pk", "relationship_ended_on")
    )
    derived = _inherited_dates(actor.workspace_id, [pk for pk, _ in candidates])
    by_date: dict[date | None, list[int]] = defaultdict(list)
    for pk, current in candidates:
        if derived[pk] != current:
            by_date[derived[pk]].append(pk)
    # One UPDATE per new date, however many members an organization has.
    for new, ids in by_date.items():
        Person.objects.filter(pk__in=ids).update(
            relationship_ended_on=new, relationship_end_inherited=new is not None
        )
    return sorted(pk for ids in by_date.values() for pk in ids)


@transaction.atomic
def person_relationship_end(*, actor: Actor, person: Person, ended_on: date | None) -> Person:
    """Mark the relationship with ``person`` ended on ``ended_on``, or continuing (None): then the
    person inherits the end of their organizations again. An end that came from their
    organizations cannot be cleared on the person: it continues when one of them does."""
    actor.require(Permission.CRM_CHANGE)
    require_same_workspace(actor, person=person)
    before = person.relationship_ended_on
    if ended_on is not None:
        _check_end(ended_on)
        person.relationship_ended_on, person.relationship_end_inherited = ended_on, False
        save_scoped(person, actor=actor, changed=["relationship_ended_on", "relationship_end_inherited"])
    else:
        if before is None:
            return person
        if person.relationship_end_inherited:
            raise ValidationError(
                {
                    "ended_on": _(
                        "The relationship ended because every organization of this contact ended "
                        "theirs; it continues when one of them continues."
                    )
                }
            )
        person.relationship_ended_on, person.relationship_end_inherited = None, False
        save_scoped(person, actor=actor, changed=["relationship_ended_on", "relationship_end_inherited"])
        relationship_inherit(actor=actor, person_ids=[person.pk])
        person.refresh_from_db(fields=["relationship_ended_on", "relationship_end_inherited"])
    if person.relationship_ended_on != before:
        audit_record(
            actor=actor,
            action="person.relationship_end",
            instance=person,
            subject_ids=[person.pk],
            changed_fields=["relationship_ended_on"],
        )
    return person


@transaction.atomic
def organization_relationship_end(
    *, actor: Actor, organization: Organization, ended_on: date | None
) -> Organization:
    """Mark the relationship with ``organization`` ended on ``ended_on`` (None: continuing), and
    carry it to the members whose every organization has now ended."""
    actor.require(Permission.CRM_CHANGE)
    require_same_workspace(actor, organization=organization)
    if ended_on is not None:
        _check_end(ended_on)
    if organization.relationship_ended_on == ended_on:
        return organization
    organization.relationship_ended_on = ended_on
    save_scoped(organization, actor=actor, changed=["relationship_ended_on"])
    members = OrganizationMembership.objects.in_workspace(actor.workspace_id).filter(
        organization=organization
    )
    changed = relationship_inherit(actor=actor, person_ids=members.values_list("person_id", flat=True))
    audit_record(
        actor=actor,
        action="organization.relationship_end",
        instance=organization,
        subject_ids=changed,
        changed_fields=["relationship_ended_on"],
    )
    return organization
