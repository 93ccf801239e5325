"""Reading the audit trail: for those allowed to (``Permission.AUDIT_VIEW``), never to change it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from zweck.audit import chain
from zweck.audit.models import AuditChain, AuditEvent
from zweck.core.permissions import Permission

if TYPE_CHECKING:
    from zweck.accounts.actors import Actor


def audit_event_list(
    *,
    actor: Actor,
    object_type: str | None = None,
    object_id: str | None = None,
    subject_id: int | None = None,
    actor_label: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The workspace's audit trail, newest first, filtered by who acted (their label, which
    stays when the user is deleted), what was done, to which object or subject, and when
    (``since`` inclusive, ``until`` exclusive); only for those allowed to read it."""
    events = AuditEvent.objects.visible_to(actor, Permission.AUDIT_VIEW).select_related("actor")
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if subject_id is not None:
        events = events.filter(subjects__subject_id=subject_id)
    if actor_label:
        events = events.filter(actor_label=actor_label)
    if action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    if until is not None:
        events = events.filter(occurred_at__lt=until)
    return events.order_by("-occurred_at", "-id")


def audit_actor_labels(*, actor: Actor, user_ids: Iterable[int]) -> dict[int, str]:
    """The label each of ``user_ids`` acts under in the actor's workspace trail."""
    actor.require(Permission.AUDIT_VIEW)
    head = AuditChain.objects.visible_to(actor, Permission.AUDIT_VIEW).first()
    if head is None:
        return {}
    return {user_id: chain.actor_label(head.label_key, user_id) for user_id in user_ids}


def audit_action_list(*, actor: Actor) -> list[str]:
    """The actions the workspace's trail holds, for a filter to choose from."""
    events = AuditEvent.objects.visible_to(actor, Permission.AUDIT_VIEW)
    return sorted(events.order_by().values_list("action", flat=True).distinct())
