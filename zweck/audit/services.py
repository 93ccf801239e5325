"""Writing the audit trail. Called by every service, inside that service's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connections, models, router, transaction

from zweck.audit import context
from zweck.audit.models import AuditAnchor, AuditEvent, AuditEventSubject

if TYPE_CHECKING:
    from zweck.accounts.actors import Actor


class AuditOutsideTransactionError(RuntimeError):
    """An audit event must be written in the same transaction as the change it records."""


def object_type_of(instance: models.Model | type[models.Model]) -> str:
    return instance._meta.label_lower


def _append(
    *,
    workspace_id: int | None,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str | int,
    changed_fields: Iterable[str],
    subject_ids: Iterable[int] = (),
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Insert one event at the end of its workspace's chain; refused outside a transaction,
    where it could commit without its change (or the change without it)."""
    database = router.db_for_write(AuditEvent)
    if not connections[database].in_atomic_block:
        raise AuditOutsideTransactionError(f"audit event {action} written outside a transaction")
    request = context.current()
    event = AuditEvent(
        workspace_id=workspace_id,
        actor_id=actor_id,
        channel=request.channel,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changed_fields=sorted(set(changed_fields)),
        client_ip=request.client_ip,
        details=details or {},
    )
    subjects = sorted({int(subject) for subject in subject_ids})
    event.chain_subjects = subjects  # type: ignore[attr-defined]
    event.save(force_insert=True)
    if subjects:
        AuditEventSubject.objects.bulk_create(
            AuditEventSubject(event=event, workspace_id=workspace_id, subject_id=subject)
            for subject in subjects
        )
    return event


def audit_record(
    *,
    actor: Actor,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    subject_ids: Iterable[int] = (),
    changed_fields: Iterable[str] = (),
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event for ``actor``'s workspace.

    Refuses to run outside a transaction: an event that could commit without its change
    (or a change without its event) would make the trail untrustworthy.
    """
    if instance is not None:
        object_type = object_type or object_type_of(instance)
        object_id = object_id or instance.pk or ""
    return _append(
        workspace_id=actor.workspace_id,
        actor_id=actor.user_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        changed_fields=changed_fields,
        subject_ids=subject_ids,
        details=details,
    )


def audit_record_operator(
    *,
    action: str,
    object_type: str,
    object_id: str | int,
    changed_fields: Iterable[str] = (),
) -> AuditEvent:
    """Append one event of the installation's operator, outside every workspace.

    For what the operator does to a workspace as a whole (deleting it when its contract has
    ended): the workspace's own trail goes with the workspace, and this event stays. It holds
    the workspace's id and field names, never a value; like ``audit_record`` it refuses to run
    outside a transaction.
    """
    return _append(
        workspace_id=None,
        actor_id=None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        changed_fields=changed_fields,
    )


def audit_anchor() -> list[AuditAnchor]:
    """Write the head of every audit chain that moved since its last anchor to the anchor table
    and to the signed anchor file under the data directory (``zweck.audit.chain``)."""
    from zweck.audit.chain import anchor_chains

    return anchor_chains()


def bulk_read_threshold() -> int:
    """From how many rows a list or search counts as a bulk read (``ZWECK_AUDIT_BULK_READ_ROWS``)."""
    from django.conf import settings

    return int(settings.ZWECK.get("AUDIT_BULK_READ_ROWS", 100))


def audit_bulk_read(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    count: int,
    returned: int | None = None,
    filters: Iterable[str] = (),
    always: bool = False,
) -> AuditEvent | None:
    """Record a read of personal data in bulk: who, when, what, how many, and the *names* of the
    filters used (a search term may itself be personal, so never its value).

    A list or search is recorded when it matched ``bulk_read_threshold()`` rows or more (each
    page read of it); an export or download (``always``) every time. Writes its own
    transaction when the caller has none: a read has no change to share one with.
    """
    if not always and count < bulk_read_threshold():
        return None
    details: dict[str, Any] = {"count": count, "filters": sorted(set(filters))}
    if returned is not None:
        details["returned"] = returned
    with transaction.atomic():
        return audit_record(actor=actor, action=action, object_type=object_type, details=details)
