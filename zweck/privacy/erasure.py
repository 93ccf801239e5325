"""Erasure of a data subject (Art. 17 GDPR): a plan the privacy officer reads, then its execution.

Invariants:
- the plan and the execution are derived from the register only: every row of every contact
  declaration reached through the subject path is deleted, anonymized field by field (its
  declared masks), stripped of the subject's mentions, or kept under a hold — never skipped;
- a row is kept when a ``RecordHold`` covers it (a legal hold the privacy officer placed), when
  its declaration is ``Erasure.HOLD`` (until its retention rule's end), or when its table refuses
  deletion (the append-only audit trail, which holds ids, never values); kept rows other than
  audit rows get a ``RecordHold`` with the reason and end date (a legal hold already on the
  row is kept and from now on erases it when it ends) and are restricted meanwhile;
  ``zweck.privacy.holds`` erases them once the hold ends;
- the subject's certain mentions (``zweck.privacy.variants``: emails, phone numbers in any
  format, full name, salutation or title with an unshared surname) are replaced in every
  free-text field of the workspace that still holds them; a possible mention only once the
  privacy officer confirmed it on the request (``MentionDecision``), a dismissed or undecided
  one never; the plan lists them as ``possible_mentions``;
- execution runs in one transaction and writes one audit event with ids and data-set names
  only, so no erased value survives in the audit trail;
- a tombstone of keyed hashes (HMAC with the installation's secret key) of the subject's
  emails and phone numbers is written, so ``erasure_reapply`` erases them again after an older
  backup is restored; a tombstone never holds a plain value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record, object_type_of
from zweck.core.permissions import Permission
from zweck.core.register import Erasure, Mask, ModelDeclaration, register
from zweck.privacy.choices import RetentionEvent
from zweck.privacy.erasure_journal import JournalEntry, journal_on_commit
from zweck.privacy.mentions import ReviewedMention, decisions_of, find_mentions, reviewed
from zweck.privacy.models import DataSubjectRequest, ErasureTombstone, RecordHold, RetentionRule
from zweck.privacy.notifications import recipient_notifications_create
from zweck.privacy.restriction import RESTRICTED_FIELD
from zweck.privacy.subjects import (
    ALL,
    EMAIL_CATEGORY,
    PHONE_CATEGORY,
    Identifiers,
    contact_declarations,
    has_field,
    identifiers_by_person,
    in_workspace,
    is_shared,
    rows_of,
    subject_declaration,
    subject_path,
)

ERASED = "[erased]"
DELETE, ANONYMIZE, REDACT, KEEP = "delete", "anonymize", "redact_mentions", "keep"
MENTIONS = "mentions"
# Why a row is kept (``PlannedRow.kept_because``): a legal hold the privacy officer placed, the
# register's statutory hold, the append-only audit trail, or held rows that refer to it.
HOLD_PLACED, REGISTER_HOLD, AUDIT_TRAIL, REFERENCED = (
    "hold_placed",
    "register_hold",
    "audit_trail",
    "referenced",
)


def keyed_digest(kind: str, value: str) -> str:
    """A keyed hash of one identifier: equal inputs give equal digests, and without the
    installation's secret key no one can test a guess against it."""
    return salted_hmac(
        "zweck.privacy.erasure", f"{kind}:{value.strip().lower()}", algorithm="sha256"
    ).hexdigest()


@dataclass
class PlannedRow:
    """What erasure does to one row."""

    data_set: str
    row_id: int
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    held_until: date | None = None
    audit_only: bool = False
    # Kept under a hold although the row is other people's too (shared, or only mentioning the
    # subject): when the hold ends the row stays theirs, so the hold is not turned into an erasure.
    shared: bool = False
    kept_because: str = ""
    # Found by a mention of the subject in free text, not by the subject path.
    mention: bool = False


@dataclass
class ErasurePlan:
    """The whole plan for one subject (one or several person records)."""

    workspace_id: int
    person_ids: list[int]
    rows: list[PlannedRow]
    identifiers: Identifiers
    # Terms that may name the subject, each with the privacy officer's decision on the request.
    possible_mentions: list[ReviewedMention] = field(default_factory=list)
    # When ``person_ids`` are different people (the retention sweep), each person's own
    # identifiers, and for each row shared with others the subjects of the plan it belongs to:
    # such a row loses its own subjects' mentions only.
    by_person: dict[int, Identifiers] = field(default_factory=dict)
    row_subjects: dict[tuple[str, int], frozenset[int]] = field(default_factory=dict)
    _matchers: dict[frozenset[int], Identifiers] = field(default_factory=dict, repr=False)

    def by_action(self, action: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.rows:
            counts[row.action] += 1
        return dict(counts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "person_ids": self.person_ids,
            "summary": self.summary,
            "rows": [
                {
                    "data_set": row.data_set,
                    "id": row.row_id,
                    "action": row.action,
                    "fields": row.fields,
                    "reason": row.reason,
                    "held_until": row.held_until.isoformat() if row.held_until else None,
                }
                for row in self.rows
            ],
            "possible_mentions": [mention.as_dict() for mention in self.possible_mentions],
        }

    def redactor(self, data_set: str, row_id: int, field_name: str) -> Callable[[str], str]:
        """What erases the subject from one field: every certain mention, and the possible
        mentions confirmed there."""
        confirmed = self.confirmed_terms(data_set, row_id, field_name)
        identifiers = self.identifiers
        subjects = self.row_subjects.get((data_set, row_id))
        if subjects:
            if subjects not in self._matchers:
                self._matchers[subjects] = Identifiers.together(
                    [self.by_person[pk] for pk in sorted(subjects)]
                )
            identifiers = self._matchers[subjects]
        return lambda text: identifiers.matcher.redact(text, ERASED, confirmed)

    def confirmed_terms(self, data_set: str, row_id: int, field_name: str) -> list[str]:
        """The possible mentions confirmed in one field: erased with the certain ones."""
        return [
            reviewed_mention.mention.term
            for reviewed_mention in self.possible_mentions
            if reviewed_mention.confirmed
            and (
                reviewed_mention.mention.data_set,
                reviewed_mention.mention.row_id,
                reviewed_mention.mention.field,
            )
            == (data_set, row_id, field_name)
        ]


def append_only(model: type[models.Model]) -> bool:
    """A table whose queryset refuses deletion (the audit trail)."""
    queryset_class = type(model._default_manager.all())
    return queryset_class.delete is not models.QuerySet.delete


def _retention_end(rule: RetentionRule | None, created: Any, today: date) -> date:
    if rule is None:
        return today
    event = today
    if rule.counts_from == RetentionEvent.RECORD_CREATED and created is not None:
        event = timezone.localdate(created) if hasattr(created, "tzinfo") else created
    return rule.ends_on(event)


def _field_masks(declaration: ModelDeclaration) -> dict[str, str]:
    """Each of the subject's fields with the mask the register declares for it."""
    return {
        name: personal.mask.value
        for name, personal in declaration.subject_fields().items()
        if personal.mask is not Mask.NONE
    }


def _held_masks(declaration: ModelDeclaration) -> dict[str, str]:
    """What a row the register holds after an erasure keeps: every field with a declared mask is
    masked (a keyed hash keeps equality, a redaction the fact), a field declared without one is
    kept as the hold's proof, with the subject's mentions in its text removed."""
    masks = _field_masks(declaration)
    for name in declaration.free_text_fields():
        masks.setdefault(name, MENTIONS)
    return masks


def build_plan(
    *,
    workspace_id: int,
    person_ids: Iterable[int],
    today: date | None = None,
    request: DataSubjectRequest | None = None,
    mentions: bool = True,
    separate: bool = False,
) -> ErasurePlan:
    """The erasure plan for ``person_ids``, read from the register, the workspace's holds and
    the decisions on possible mentions taken on ``request`` (mentions outside the subject path
    only with ``mentions``). ``separate``: the ids are different people, not the records of one
    (a row shared with others then loses only the mentions of its own subjects)."""
    today = today or timezone.localdate()
    ids = sorted(set(person_ids))
    by_person = identifiers_by_person(workspace_id=workspace_id, person_ids=ids)
    identifiers = by_person[ALL]
    row_subjects: dict[tuple[str, int], frozenset[int]] = {}
    rules = {rule.key: rule for rule in RetentionRule.objects.filter(workspace_id=workspace_id)}
    holds = {
        (hold.object_type, hold.object_id): hold
        for hold in RecordHold.objects.filter(
            workspace_id=workspace_id, released_at__isnull=True, ends_on__gte=today
        )
    }
    planned: list[PlannedRow] = []
    covered: set[tuple[str, int]] = set()
    for declaration in contact_declarations():
        label = object_type_of(declaration.model)
        queryset = rows_of(declaration, workspace_id=workspace_id, person_ids=ids)
        created_field = "created_at" if has_field(declaration.model, "created_at") else "pk"
        shared: dict[int, set[int]] = {}
        if is_shared(declaration):
            # The rows and every subject each belongs to, in one read.
            rows_seen: dict[int, Any] = {}
            for pk, created, subject_id in queryset.values_list(
                "pk", created_field, subject_path(declaration)
            ):
                rows_seen.setdefault(pk, created)
                subjects = shared.setdefault(pk, set())
                if subject_id is not None:
                    subjects.add(int(subject_id))
            rows = list(rows_seen.items())
        else:
            rows = list(queryset.values_list("pk", created_field))
        if not rows:
            continue
        rule = rules.get(declaration.retention or "")
        # What the declaration does to each of its rows, worked out once for all of them.
        held_masks, field_masks = _held_masks(declaration), _field_masks(declaration)
        mention_masks = {name: MENTIONS for name in declaration.free_text_fields()}
        audit_trail = append_only(declaration.model)
        person_ids_set = set(ids)
        for pk, created in rows:
            covered.add((label, pk))
            hold = holds.get((label, pk))
            if hold is not None:
                others = bool(shared.get(pk, set()) - person_ids_set)
                planned.append(
                    PlannedRow(
                        label,
                        pk,
                        KEEP,
                        reason=hold.reason,
                        held_until=hold.ends_on,
                        shared=others,
                        kept_because=HOLD_PLACED,
                    )
                )
            elif declaration.erasure is Erasure.HOLD:
                until = _retention_end(rule, created if created_field != "pk" else None, today)
                planned.append(
                    PlannedRow(
                        label,
                        pk,
                        KEEP,
                        fields=dict(held_masks),
                        reason=declaration.hold_reason,
                        held_until=until,
                        kept_because=REGISTER_HOLD,
                    )
                )
            elif audit_trail:
                until = _retention_end(rule, created if created_field != "pk" else None, today)
                reason = (rule.legal_source_en if rule else "") or "Append-only audit trail (Art. 5(2) GDPR)."
                planned.append(
                    PlannedRow(
                        label,
                        pk,
                        KEEP,
                        reason=reason,
                        held_until=until,
                        audit_only=True,
                        kept_because=AUDIT_TRAIL,
                    )
                )
            elif declaration.erasure is Erasure.DELETE:
                planned.append(PlannedRow(label, pk, DELETE))
            elif shared.get(pk, set()) - person_ids_set:
                # Other people's row too: only the subject's mentions go; their link row is deleted.
                planned.append(PlannedRow(label, pk, REDACT, fields=dict(mention_masks)))
                if separate:
                    row_subjects[(label, pk)] = frozenset(shared[pk] & person_ids_set)
            else:
                planned.append(PlannedRow(label, pk, ANONYMIZE, fields=dict(field_masks)))
    # Several fields of one row may mention the subject: one planned row for all of them.
    mentioned: dict[tuple[str, int], PlannedRow] = {}
    redacted = {(row.data_set, row.row_id) for row in planned if row.action == REDACT}

    def redact(label: str, row_id: int, field_name: str) -> None:
        key = (label, row_id)
        if key in covered:
            return
        hold = holds.get(key)
        existing = mentioned.get(key)
        if hold is not None:
            if existing is None:
                mentioned[key] = PlannedRow(
                    label,
                    row_id,
                    KEEP,
                    reason=hold.reason,
                    held_until=hold.ends_on,
                    shared=True,
                    kept_because=HOLD_PLACED,
                    mention=True,
                )
                planned.append(mentioned[key])
            return
        if existing is None:
            existing = mentioned[key] = PlannedRow(label, row_id, REDACT, mention=True)
            planned.append(existing)
        existing.fields[field_name] = MENTIONS

    if not mentions:
        _keep_person_for_holds(planned, ids)
        return ErasurePlan(
            workspace_id=workspace_id,
            person_ids=ids,
            rows=planned,
            identifiers=identifiers,
            by_person=by_person if separate else {},
            row_subjects=row_subjects,
        )
    found = find_mentions(workspace_id=workspace_id, identifiers=identifiers)
    for mention in found.certain:
        redact(object_type_of(mention.declaration.model), mention.row_id, mention.field)
    # Possible mentions in rows the plan deletes, anonymizes or keeps need no decision.
    possible = [
        mention
        for mention in found.possible
        if (mention.data_set, mention.row_id) not in covered or (mention.data_set, mention.row_id) in redacted
    ]
    possible_mentions = reviewed(possible, identifiers=identifiers, decisions=decisions_of(request))
    for reviewed_mention in possible_mentions:
        if reviewed_mention.confirmed:
            confirmed = reviewed_mention.mention
            redact(confirmed.data_set, confirmed.row_id, confirmed.field)
    _keep_person_for_holds(planned, ids)
    return ErasurePlan(
        workspace_id=workspace_id,
        person_ids=ids,
        rows=planned,
        identifiers=identifiers,
        possible_mentions=possible_mentions,
        by_person=by_person if separate else {},
        row_subjects=row_subjects,
    )


def _keep_person_for_holds(planned: list[PlannedRow], ids: list[int]) -> None:
    """A held row that points at the person with a plain foreign key would be deleted with the
    person (cascade): then the person record is kept too, restricted, until the last such hold."""
    own_label = object_type_of(subject_declaration().model)
    until: date | None = None
    for row in planned:
        if row.action != KEEP or row.audit_only:
            continue
        declaration = register.get(apps.get_model(row.data_set))
        if declaration is None or declaration.subject in ("self", None) or is_shared(declaration):
            continue
        model_field = declaration.model._meta.get_field(declaration.subject.split("__")[0])
        if model_field.is_relation and not model_field.many_to_many:
            until = max(until, row.held_until) if until and row.held_until else (row.held_until or until)
    if until is None:
        return
    for row in planned:
        if row.data_set == own_label and row.row_id in ids and row.action != KEEP:
            # The record only keeps the references intact: its details are masked like an anonymization.
            row.action, row.fields = KEEP, _field_masks(subject_declaration())
            row.reason, row.held_until = "Kept while records held about this person refer to it.", until
            row.kept_because = REFERENCED


def erasure_plan(
    *,
    actor: Actor,
    person_ids: Iterable[int],
    today: date | None = None,
    request: DataSubjectRequest | None = None,
) -> ErasurePlan:
    """The plan for erasing ``person_ids``: per row delete, anonymize which fields how, or keep
    under which hold until which date; and the possible mentions with the decisions taken on
    ``request``. Reads only."""
    actor.require(Permission.PRIVACY_VIEW)
    ids = sorted(set(person_ids))
    own = subject_declaration()
    if in_workspace(own, actor.workspace_id).filter(pk__in=ids).count() != len(ids):
        raise own.model.DoesNotExist  # type: ignore[attr-defined]
    return build_plan(workspace_id=actor.workspace_id, person_ids=ids, today=today, request=request)


CONSTANT_MASKS = frozenset({Mask.BLANK.value, Mask.REDACT.value})
UPDATE_CHUNK = 2000


def constant_mask(model_field: Any, mask: str) -> Any:
    """What a blank or redact ``mask`` writes into ``model_field``, whatever the value was."""
    if mask == Mask.REDACT.value:
        return ERASED[: model_field.max_length] if model_field.max_length else ERASED
    if model_field.null:
        return None
    if isinstance(model_field, models.CharField | models.TextField):
        return ""
    return model_field.get_default()


def _masked(model_field: Any, mask: str, value: Any, redact: Callable[[str], str]) -> Any:
    if mask == MENTIONS:
        return redact(value) if isinstance(value, str) else value
    if mask == Mask.HASH.value and value:
        digest = keyed_digest("field", str(value))
        return digest[: model_field.max_length] if model_field.max_length else digest
    if mask == Mask.HASH.value:
        return constant_mask(model_field, Mask.BLANK.value)
    return constant_mask(model_field, mask)


def _apply_fields(model: type[models.Model], rows: list[PlannedRow], plan: ErasurePlan) -> None:
    """Mask the planned fields of ``rows`` (all of ``model``). Rows whose masks do not depend on
    the stored value (blank, redact) are written by one ``UPDATE`` per set of masks and chunk of
    ids; the others are read under a lock in primary-key order and written with their new values."""
    by_masks: dict[tuple[tuple[str, str], ...], list[int]] = defaultdict(list)
    valued: list[PlannedRow] = []
    for row in rows:
        if row.fields and all(mask in CONSTANT_MASKS for mask in row.fields.values()):
            by_masks[tuple(sorted(row.fields.items()))].append(row.row_id)
        elif row.fields:
            valued.append(row)
    for masks, ids in by_masks.items():
        values = {name: constant_mask(model._meta.get_field(name), mask) for name, mask in masks}
        ids.sort()
        for offset in range(0, len(ids), UPDATE_CHUNK):
            model._default_manager.filter(pk__in=ids[offset : offset + UPDATE_CHUNK]).update(**values)
    if valued:
        _apply_valued_fields(model, valued, plan)


def _apply_valued_fields(model: type[models.Model], rows: list[PlannedRow], plan: ErasurePlan) -> None:
    """Mask fields whose new value depends on the stored one (a keyed hash, mentions removed):
    one locking read of their current values in primary-key order and one ``UPDATE`` for every
    row that changes."""
    names = sorted({name for row in rows for name in row.fields})
    model_fields: dict[str, Any] = {name: model._meta.get_field(name) for name in names}
    attnames = [model_field.attname for model_field in model_fields.values()]
    current = {
        values["pk"]: values
        for values in model._default_manager.filter(pk__in=[row.row_id for row in rows])
        .select_for_update()
        .order_by("pk")
        .values("pk", *attnames)
    }
    changed: list[models.Model] = []
    changed_fields: set[str] = set()
    for row in sorted(rows, key=lambda item: item.row_id):
        values = current.get(row.row_id)
        if values is None:
            continue
        updated = dict(values)
        for name, mask in row.fields.items():
            model_field = model_fields[name]
            updated[model_field.attname] = _masked(
                model_field, mask, values[model_field.attname], plan.redactor(row.data_set, row.row_id, name)
            )
        differing = {
            name
            for name, model_field in model_fields.items()
            if updated[model_field.attname] != values[model_field.attname]
        }
        if differing:
            changed_fields |= differing
            changed.append(model(**updated))
    if changed:
        # Fields a row does not change are written back with the value read under the lock.
        model._default_manager.bulk_update(changed, sorted(changed_fields))


@dataclass(frozen=True)
class ErasureResult:
    plan: ErasurePlan
    deleted: int
    anonymized: int
    redacted: int
    kept: int


def _tombstones(actor: Actor, identifiers: Identifiers, request: DataSubjectRequest | None) -> None:
    digests = {("email", keyed_digest("email", e)) for e in identifiers.emails}
    digests |= {("phone", keyed_digest("phone", p)) for p in identifiers.phones}
    known = set(
        ErasureTombstone.objects.filter(
            workspace_id=actor.workspace_id, digest__in=[d for _, d in digests]
        ).values_list("digest", flat=True)
    )
    written = ErasureTombstone.objects.bulk_create(
        ErasureTombstone(
            workspace_id=actor.workspace_id,
            created_by_id=actor.user_id,
            updated_by_id=actor.user_id,
            digest=digest,
            identifier_kind=kind,
            request=request,
        )
        for kind, digest in sorted(digests)
        if digest not in known
    )
    # The same tombstones outside the database, for a restore of an older backup.
    journal_on_commit(
        [JournalEntry(actor.workspace_id, t.identifier_kind, t.digest, t.erased_at) for t in written]
    )


@transaction.atomic
def person_erase(
    *,
    actor: Actor,
    person_ids: Iterable[int],
    request: DataSubjectRequest | None = None,
    today: date | None = None,
) -> ErasureResult:
    """Erase the subject ``person_ids`` as ``erasure_plan`` describes, in one transaction."""
    actor.require(Permission.PRIVACY_MANAGE)
    ids = sorted(set(person_ids))
    plan = plan_execute(actor=actor, person_ids=ids, request=request, today=today)
    own_label = object_type_of(subject_declaration().model)
    audit_record(
        actor=actor,
        action="person.erase",
        object_type=own_label,
        object_id=",".join(map(str, ids))[:64],
        subject_ids=ids,
        changed_fields=sorted({row.data_set for row in plan.rows if row.action != KEEP}),
    )
    if request is not None:
        from zweck.privacy.dsr import request_log

        request_log(request=request, actor=actor, action="person.erase", note=_summary_note(plan))
    return ErasureResult(plan=plan, **_counts(plan))


def _counts(plan: ErasurePlan) -> dict[str, int]:
    summary = plan.summary
    return {
        "deleted": summary.get(DELETE, 0),
        "anonymized": summary.get(ANONYMIZE, 0),
        "redacted": summary.get(REDACT, 0),
        "kept": summary.get(KEEP, 0),
    }


def plan_execute(
    *,
    actor: Actor,
    person_ids: list[int],
    request: DataSubjectRequest | None = None,
    today: date | None = None,
    mentions: bool = True,
    separate: bool = False,
) -> ErasurePlan:
    """Plan and carry out the erasure of ``person_ids`` (all in the actor's workspace, locked
    here): masks, holds, restriction, deletions, the erasure hooks, tombstones and the
    notification of recipients. The caller holds the transaction and writes the audit event.
    ``mentions=False`` leaves mentions in rows outside the subject path alone (the retention
    sweep: each record there ends with its own period)."""
    ids = sorted(set(person_ids))
    own = subject_declaration()
    locked = list(
        in_workspace(own, actor.workspace_id)
        .filter(pk__in=ids)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if len(locked) != len(ids):
        raise own.model.DoesNotExist  # type: ignore[attr-defined]
    plan = build_plan(
        workspace_id=actor.workspace_id,
        person_ids=ids,
        today=today,
        request=request,
        mentions=mentions,
        separate=separate,
    )
    finishers = register.erasure_prepare(actor.workspace_id, ids)
    _tombstones(actor, plan.identifiers, request)
    own_label = object_type_of(own.model)
    deletions: dict[str, list[int]] = defaultdict(list)
    masking: dict[str, list[PlannedRow]] = defaultdict(list)
    keeping: list[PlannedRow] = []
    for row in plan.rows:
        if row.action in (ANONYMIZE, REDACT):
            masking[row.data_set].append(row)
        elif row.action == DELETE:
            deletions[row.data_set].append(row.row_id)
        elif row.action == KEEP and not row.audit_only:
            keeping.append(row)
            if row.fields:
                masking[row.data_set].append(row)
    for label, rows in masking.items():
        _apply_fields(apps.get_model(label), rows, plan)
    _holds_place(actor, keeping, request)
    restricted = [row.row_id for row in keeping if row.data_set == own_label]
    if restricted:
        own.model._default_manager.filter(pk__in=restricted, **{f"{RESTRICTED_FIELD}__isnull": True}).update(
            **{RESTRICTED_FIELD: timezone.now()}
        )
    # Link rows before the rows they link, the person record last.
    for label in sorted(deletions, key=lambda item: item == own_label):
        apps.get_model(label)._default_manager.filter(pk__in=deletions[label]).delete()
    for finish in finishers:
        finish()
    affected = [register.get(apps.get_model(label)) for label in {row.data_set for row in plan.rows}]
    recipient_notifications_create(
        actor=actor,
        declarations=[d for d in affected if d is not None],
        person_ids=ids,
        action="erasure",
        request=request,
    )
    return plan


def _holds_place(actor: Actor, rows: list[PlannedRow], request: DataSubjectRequest | None) -> None:
    """A ``RecordHold`` for each kept row that has no open hold yet, inserted together. The open
    holds already on kept rows of the subject alone (legal holds placed on live records) now
    keep them for this erasure: those rows are erased when the holds end."""
    if not rows:
        return
    kept = {(row.data_set, row.row_id) for row in rows}
    alone = {(row.data_set, row.row_id) for row in rows if not row.shared}
    found = [
        (pk, (label, row_id))
        for pk, label, row_id in RecordHold.objects.filter(
            workspace_id=actor.workspace_id,
            released_at__isnull=True,
            object_type__in={label for label, _id in kept},
            object_id__in={row_id for _label, row_id in kept},
        ).values_list("pk", "object_type", "object_id")
        if (label, row_id) in kept
    ]
    adopted = [pk for pk, key in found if key in alone]
    open_holds = {key for _pk, key in found}
    RecordHold.objects.filter(pk__in=adopted).update(erase_on_release=True)
    if request is not None:
        RecordHold.objects.filter(pk__in=adopted, request__isnull=True).update(request=request)
    new_holds = []
    for row in rows:
        if (row.data_set, row.row_id) in open_holds:
            continue
        assert row.held_until is not None
        open_holds.add((row.data_set, row.row_id))
        new_holds.append(
            RecordHold(
                workspace_id=actor.workspace_id,
                object_type=row.data_set,
                object_id=row.row_id,
                reason=row.reason,
                ends_on=row.held_until,
                request=request,
                erase_on_release=True,
                created_by_id=actor.user_id,
                updated_by_id=actor.user_id,
            )
        )
    RecordHold.objects.bulk_create(new_holds)


def _summary_note(plan: ErasurePlan) -> str:
    return ", ".join(f"{action}: {count}" for action, count in sorted(plan.summary.items()))


def erasure_reapply(*, actor: Actor) -> list[int]:
    """After a backup is restored: erase again every person whose email or phone number matches
    a tombstone. Returns the person ids erased again."""
    actor.require(Permission.PRIVACY_MANAGE)
    digests = set(
        ErasureTombstone.objects.filter(workspace_id=actor.workspace_id).values_list("digest", flat=True)
    )
    if not digests:
        return []
    matched: set[int] = set()
    for declaration in contact_declarations():
        for name, personal in declaration.personal_fields().items():
            kind = {EMAIL_CATEGORY: "email", PHONE_CATEGORY: "phone"}.get(personal.category)
            if kind is None or declaration.model._meta.get_field(name).is_relation:
                continue
            rows = in_workspace(declaration, actor.workspace_id).exclude(**{name: ""})
            for subject_id, value in rows.values_list(subject_path(declaration), name).iterator():
                if subject_id is not None and value and keyed_digest(kind, str(value)) in digests:
                    matched.add(int(subject_id))
    own = subject_declaration()
    existing = sorted(
        in_workspace(own, actor.workspace_id).filter(pk__in=matched).values_list("pk", flat=True)
    )
    for person_id in existing:
        person_erase(actor=actor, person_ids=[person_id])
    return existing
