"""Writes for activities: meetings, calls, emails, tasks, notes and events."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from zweck.accounts.actors import Actor, MissingPermission
from zweck.audit.services import audit_record
from zweck.core import limits
from zweck.core.permissions import Permission
from zweck.core.scoping import require_usable
from zweck.core.services import apply_changes, require_at_most, require_same_workspace, save_scoped
from zweck.crm.models import Activity, ActivityParticipant, Person
from zweck.crm.services.persons import _check_owner

ACTIVITY_FIELDS = (
    "kind",
    "subject",
    "body",
    "starts_at",
    "ends_at",
    "due_at",
    "done_at",
    "location",
    "is_recorded",
    "owner",
    "organization",
    "deal",
)


def _participants(actor: Actor, participants: Sequence[Person]) -> list[Person]:
    unique = list({person.pk: person for person in participants}.values())
    require_at_most("participants", unique, limits.PARTICIPANTS_PER_ACTIVITY)
    require_same_workspace(actor, **{f"participants.{i}": person for i, person in enumerate(unique)})
    return unique


def _set_participants(actor: Actor, activity: Activity, participants: list[Person]) -> None:
    # Purpose limitation: a new participant must belong to a group the activity's purposes apply to.
    linked = set(activity.participant_links.values_list("person_id", flat=True))
    require_usable(
        workspace_id=actor.workspace_id,
        field="participants",
        subjects=[person for person in participants if person.pk not in linked],
        record=ActivityParticipant,
    )
    activity.participant_links.all().delete()
    now = timezone.now()
    ActivityParticipant.objects.bulk_create(
        ActivityParticipant(
            workspace_id=actor.workspace_id,
            activity=activity,
            person=person,
            created_at=now,
            updated_at=now,
            created_by_id=actor.user_id,
            updated_by_id=actor.user_id,
        )
        for person in participants
    )


def activity_is_own(actor: Actor, activity: Activity) -> bool:
    """Whether ``actor`` may change or delete ``activity``: its owner may (its creator while it
    has no owner), and members whose role may manage everyone's activities."""
    if actor.can(Permission.ACTIVITY_MANAGE_ALL):
        return True
    responsible = activity.owner_id if activity.owner_id is not None else activity.created_by_id
    return responsible is not None and responsible == actor.user_id


def _require_own(actor: Actor, activity: Activity) -> None:
    if not activity_is_own(actor, activity):
        raise MissingPermission([Permission.ACTIVITY_MANAGE_ALL])


def _subject_ids(activity: Activity) -> list[int]:
    return list(activity.participant_links.values_list("person_id", flat=True))


@transaction.atomic
def activity_create(
    *, actor: Actor, kind: str, subject: str, participants: Sequence[Person] = (), **details: object
) -> Activity:
    """Log or plan an activity with the persons taking part."""
    actor.require(Permission.ACTIVITY_CHANGE)
    activity = Activity(kind=kind, subject=subject)
    apply_changes(activity, details, allowed=ACTIVITY_FIELDS)
    require_same_workspace(actor, organization=activity.organization, deal=activity.deal)
    _check_owner(actor, activity.owner)
    people = _participants(actor, participants)
    save_scoped(activity, actor=actor)
    _set_participants(actor, activity, people)
    audit_record(actor=actor, action="activity.create", instance=activity, subject_ids=[p.pk for p in people])
    return activity


@transaction.atomic
def activity_update(
    *, actor: Actor, activity: Activity, participants: Sequence[Person] | None = None, **changes: object
) -> Activity:
    """Change an activity; a participant list given replaces the stored one. Only its owner
    (or a role that manages everyone's activities) may."""
    actor.require(Permission.ACTIVITY_CHANGE)
    require_same_workspace(actor, activity=activity)
    _require_own(actor, activity)
    before_subjects = set(_subject_ids(activity))
    changed = apply_changes(activity, changes, allowed=ACTIVITY_FIELDS)
    require_same_workspace(actor, organization=activity.organization, deal=activity.deal)
    if "owner" in changed:
        _check_owner(actor, activity.owner)
    if participants is not None:
        people = _participants(actor, participants)
        if {p.pk for p in people} != before_subjects:
            _set_participants(actor, activity, people)
            changed.append("participants")
    if not changed:
        return activity
    save_scoped(activity, actor=actor, changed=[name for name in changed if name in ACTIVITY_FIELDS])
    audit_record(
        actor=actor,
        action="activity.update",
        instance=activity,
        subject_ids=before_subjects | set(_subject_ids(activity)),
        changed_fields=changed,
    )
    return activity


@transaction.atomic
def activity_complete(*, actor: Actor, activity: Activity, done: bool = True) -> Activity:
    """Mark a task (or any activity) done, or open it again."""
    if (activity.done_at is not None) == done:
        actor.require(Permission.ACTIVITY_CHANGE)
        require_same_workspace(actor, activity=activity)
        _require_own(actor, activity)
        return activity
    return activity_update(actor=actor, activity=activity, done_at=timezone.now() if done else None)


@transaction.atomic
def activity_delete(*, actor: Actor, activity: Activity) -> None:
    """Delete an activity: only its owner (or a role that manages everyone's activities) may."""
    actor.require(Permission.ACTIVITY_CHANGE)
    require_same_workspace(actor, activity=activity)
    _require_own(actor, activity)
    subjects, activity_id = _subject_ids(activity), activity.pk
    activity.delete()
    audit_record(
        actor=actor,
        action="activity.delete",
        object_type="crm.activity",
        object_id=activity_id,
        subject_ids=subjects,
    )
