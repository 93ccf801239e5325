"""Legal holds (Art. 17(3)(b), (e) GDPR; § 147(3) AO): placing one on a person, activity or
deal, ending one early with reasons, ending those whose date has passed, and reading them.

Invariants:
- a hold names its record by model label and id only (``crm.deal`` #12), never by a value;
  its reasons are stored on the hold, the audit trail holds ids and field names only;
- a hold an erasure left (``erase_on_release``) erases its record when it ends, by date or
  early — unless another open hold still covers the record (which then erases it when it ends:
  every open hold on a record an erasure kept is marked so), or erasing it would delete (by
  cascade) a record another open hold keeps: then the hold stays open until that one ends;
- a legal hold on a live record only ends: the record stays as it is;
- limit: a legal hold on a row other people share with an erased subject (a meeting, a note
  that mentions them) is not taken over by the erasure; when it ends the row stays theirs,
  and the subject's mentions in its free text stay with it (the erasure's identifiers are
  gone by then, the tombstone keeps keyed hashes only);
- placing or ending a hold is one transaction with its audit event; a refused call writes
  nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import QuerySet
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record, object_type_of
from zweck.core.permissions import Permission
from zweck.core.register import register
from zweck.core.services import save_scoped
from zweck.privacy.dsr import request_log
from zweck.privacy.models import DataSubjectRequest, RecordHold
from zweck.privacy.subjects import in_workspace, subject_declaration

# The records a privacy officer places a legal hold on, by the name the API, the CLI and the
# staff UI use, and the model label a hold stores. Each is a model the register declares as a
# contact's data (a test keeps it so); holds an erasure leaves may name other declared models.
HOLD_TYPES: dict[str, str] = {"person": "crm.person", "activity": "crm.activity", "deal": "crm.deal"}

ACTIVE, ENDED = "active", "ended"
HOLD_STATES = (ACTIVE, ENDED)


class HoldStateError(ValidationError):
    """The hold is not in a state that allows this step."""


def hold_type_label(object_type: str) -> str:
    """The model label for ``object_type``: a name of ``HOLD_TYPES`` or its model label, in any
    case (``deal``, ``crm.Deal``). ``ValidationError`` on ``object_type`` for anything else."""
    wanted = object_type.strip().lower()
    label = HOLD_TYPES.get(wanted, wanted)
    if label not in HOLD_TYPES.values():
        raise ValidationError(
            {"object_type": _("Choose one of: %(choices)s.") % {"choices": ", ".join(HOLD_TYPES)}}
        )
    return label


def hold_type_name(label: str) -> str:
    """The public name of a hold's model label (``crm.deal`` → ``deal``); the label itself for
    records only an erasure holds."""
    return next((name for name, known in HOLD_TYPES.items() if known == label), label)


def _rows(label: str, workspace_id: int) -> QuerySet[Any] | None:
    """Every row of the model ``label`` in the workspace, as storage sees them (restricted and
    held rows included); ``None`` for a label that names no declared model."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    declaration = register.get(model)
    return None if declaration is None else in_workspace(declaration, workspace_id)


@transaction.atomic
def record_hold_place(
    *,
    actor: Actor,
    object_type: str,
    object_id: int,
    reason: str,
    ends_on: date,
    today: date | None = None,
) -> RecordHold:
    """Place a legal hold on one person, activity or deal until ``ends_on`` (for a legal claim,
    Art. 17(3)(e) GDPR, or an open tax assessment, § 147(3) AO). The record stays in use; an
    erasure keeps it, restricted, until the hold ends. A record that an erasure already keeps
    stays marked for erasure when this hold ends too."""
    actor.require(Permission.PRIVACY_MANAGE)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    label = ""
    try:
        label = hold_type_label(object_type)
    except ValidationError as error:
        errors.update({name: messages[0] for name, messages in error.message_dict.items()})
    if not reason.strip():
        errors["reason"] = _("Give the legal reason for the hold.")
    if ends_on < today:
        errors["ends_on"] = _("The end of the hold cannot lie in the past.")
    rows = _rows(label, actor.workspace_id) if label else None
    if label and (rows is None or not rows.filter(pk=object_id).exists()):
        errors["object_id"] = _("Unknown id %(id)s.") % {"id": object_id}
    if errors:
        raise ValidationError(errors)
    kept_by_erasure = RecordHold.objects.filter(
        workspace_id=actor.workspace_id,
        object_type=label,
        object_id=object_id,
        released_at__isnull=True,
        erase_on_release=True,
    ).exists()
    hold = save_scoped(
        RecordHold(
            object_type=label,
            object_id=object_id,
            reason=reason.strip(),
            ends_on=ends_on,
            erase_on_release=kept_by_erasure,
        ),
        actor=actor,
    )
    audit_record(actor=actor, action="hold.place", instance=hold, subject_ids=_subject_ids(hold))
    return hold


def _subject_ids(hold: RecordHold) -> list[int]:
    """The person a hold on a person record is about (the audit trail links the event to them)."""
    return [hold.object_id] if hold.object_type == object_type_of(subject_declaration().model) else []


class _Waiting(Exception):
    """The record cannot be erased yet: another open hold keeps it or a record it takes along."""


def _open_holds_on(hold: RecordHold, keys: set[tuple[str, int]]) -> bool:
    """Whether an open hold other than ``hold`` covers any of ``keys`` (label, id)."""
    if not keys:
        return False
    candidates = (
        RecordHold.objects.filter(
            workspace_id=hold.workspace_id,
            released_at__isnull=True,
            object_type__in={label for label, _id in keys},
            object_id__in={object_id for _label, object_id in keys},
        )
        .exclude(pk=hold.pk)
        .values_list("object_type", "object_id")
    )
    return any(key in keys for key in candidates)


def _deleted_along(instance: models.Model) -> set[tuple[str, int]]:
    """Every row (label, id) deleting ``instance`` would delete by cascade, besides itself."""
    collector = Collector(using=router.db_for_write(type(instance)), origin=instance)
    try:
        collector.collect([instance])
    except (ProtectedError, RestrictedError) as error:
        raise _Waiting from error
    keys = {(object_type_of(model), row.pk) for model, rows in collector.data.items() for row in rows}
    for queryset in collector.fast_deletes:
        label = object_type_of(queryset.model)
        keys |= {(label, pk) for pk in queryset.values_list("pk", flat=True)}
    keys.discard((object_type_of(instance), instance.pk))
    return keys


def _erase_held(hold: RecordHold) -> bool:
    """Erase the record of a hold an erasure left; whether a row was deleted. Another open hold
    on the record erases it when that one ends (it is marked so); ``_Waiting`` when erasing it
    would take along a record another open hold keeps."""
    if _open_holds_on(hold, {(hold.object_type, hold.object_id)}):
        return False
    rows = _rows(hold.object_type, hold.workspace_id)
    instance = rows.filter(pk=hold.object_id).first() if rows is not None else None
    if instance is None:
        return False
    if _open_holds_on(hold, _deleted_along(instance)):
        raise _Waiting
    instance.delete()
    return True


def _end(actor: Actor, hold: RecordHold, reason: str = "") -> None:
    """End ``hold`` (locked by the caller): erase its record where an erasure left it, record
    the end, audit both. ``_Waiting`` (nothing written) when the record must wait."""
    erased = hold.erase_on_release and _erase_held(hold)
    if erased:
        # Erasing a request's record empties the request of the holds that named it.
        hold.refresh_from_db(fields=["request"])
    hold.released_at = timezone.now()
    hold.release_reason = reason
    changed = ["released_at", "release_reason"]
    save_scoped(hold, actor=actor, changed=changed)
    subject_ids = _subject_ids(hold)
    audit_record(
        actor=actor, action="hold.release", instance=hold, subject_ids=subject_ids, changed_fields=changed
    )
    if erased:
        audit_record(
            actor=actor,
            action="hold.erase",
            object_type=hold.object_type,
            object_id=hold.object_id,
            subject_ids=subject_ids,
        )


@transaction.atomic
def record_hold_release(*, actor: Actor, hold: RecordHold, reason: str) -> RecordHold:
    """End a hold before its date, with reasons (the claim was settled, the assessment closed).
    A record an erasure kept is erased now; a live record stays as it is."""
    actor.require(Permission.PRIVACY_MANAGE)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reasons for ending the hold early.")})
    locked = RecordHold.objects.select_for_update().get(pk=hold.pk, workspace_id=actor.workspace_id)
    if locked.released_at is not None:
        raise HoldStateError(
            _("This hold already ended on %(date)s.")
            % {"date": timezone.localdate(locked.released_at).isoformat()}
        )
    try:
        _end(actor, locked, reason.strip())
    except _Waiting as error:
        raise HoldStateError(
            _(
                "The record cannot be erased yet: another hold keeps it or a record that would be "
                "erased with it. End that hold first."
            )
        ) from error
    if locked.request_id is not None:
        request = DataSubjectRequest.objects.get(pk=locked.request_id, workspace_id=actor.workspace_id)
        request_log(request=request, actor=actor, action="hold.release", note=locked.release_reason)
    return locked


@transaction.atomic
def holds_release(*, actor: Actor, today: date | None = None) -> int:
    """End every hold whose date has passed (Art. 17(3): the record is deleted once the
    exception ends); returns how many ended. A record kept after an erasure is erased, a
    live record stays. A record another open hold still needs waits for the next run."""
    actor.require(Permission.PRIVACY_MANAGE)
    today = today or timezone.localdate()
    pending = list(
        RecordHold.objects.select_for_update()
        .filter(workspace_id=actor.workspace_id, released_at__isnull=True, ends_on__lt=today)
        .order_by("pk")
    )
    ended = 0
    # A record erased with another (a person with their held rows) waits for that one's hold
    # to end first; repeat while holds still end.
    while pending:
        waiting = []
        for hold in pending:
            try:
                with transaction.atomic():
                    _end(actor, hold)
            except _Waiting:
                waiting.append(hold)
            else:
                ended += 1
        if len(waiting) == len(pending):
            break
        pending = waiting
    return ended


# ---------------------------------------------------------------- selectors


def hold_list(
    *,
    actor: Actor,
    state: str | None = None,
    object_type: str = "",
    object_id: int | None = None,
) -> QuerySet[RecordHold]:
    """The workspace's holds, the nearest end first: ``active`` (not yet ended; one whose date
    has passed stays active until ``holds_release`` ends it) or ``ended``; optionally those on
    one type of record or one record."""
    actor.require(Permission.PRIVACY_VIEW)
    holds = RecordHold.objects.filter(workspace_id=actor.workspace_id)
    if state == ACTIVE:
        holds = holds.filter(released_at__isnull=True)
    elif state == ENDED:
        holds = holds.filter(released_at__isnull=False)
    if object_type:
        holds = holds.filter(object_type=hold_type_label(object_type))
    if object_id is not None:
        holds = holds.filter(object_id=object_id)
    return holds.order_by("ends_on", "pk")


def hold_get(*, actor: Actor, hold_id: int) -> RecordHold:
    """One hold of the actor's workspace; ``RecordHold.DoesNotExist`` otherwise."""
    return hold_list(actor=actor).get(pk=hold_id)
