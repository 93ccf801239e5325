from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from zweck.audit.models import AuditEvent

if TYPE_CHECKING:
    from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission


def audit_event_list(
    *,
    actor: Actor,
    object_type: str | None = None,
    object_id: str | None = None,
    subject_id: int | None = None,
) -> QuerySet[AuditEvent]:
    """The workspace's audit trail, newest first; only for those allowed to read it."""
    events = AuditEvent.objects.visible_to(actor, Permission.AUDIT_VIEW)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if subject_id is not None:
        events = events.filter(subjects__subject_id=subject_id)
    return events
