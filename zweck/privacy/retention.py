"""Retention that runs by itself: the sweep and its forecast, both read from the register.

For every declaration with a retention rule, the rule's event (``RetentionRule.counts_from``)
is looked up where the declaration stores it (``ModelDeclaration.clock``): a date on the row,
a date on the one person the row is about, or an expression such as the latest activity.
A row has expired when its rule's period, counted from that date, ended before today. A row
about persons that stores no such date goes with its persons.

Invariants:
- the set of expired rows is a single comparison per declaration: the period end grows with
  the event date, so "ended before today" is "event on or before one threshold day"
  (``last_expired_event``), found once per rule, and the database filters on an index;
- a row under a hold (a legal hold, or one an erasure keeps) is never swept; the hold's end
  erases it (``zweck.privacy.holds``);
- an expired person is erased through the erasure path (``plan_execute``), and with them every
  row about them that stores no date of its own for its rule's event: their own rows are
  deleted or anonymized by their declarations, shared rows lose the person, rows with a longer
  statutory period are kept under a hold, and a tombstone lets the erasure be re-applied after
  a restore; mentions in records outside the person's own end with those records' periods;
- other expired rows are deleted or anonymized by their declaration's strategy, in batches;
  a statutory hold declaration (``Erasure.HOLD``) is deleted once its own period has ended;
- each batch commits on its own with one audit event per data set holding counts, never a
  value, and adds its counts to the run's ``RetentionSweep``: a run stopped half-way keeps what
  it did, and the next run continues with the rows still expired;
- the forecast counts the same querysets for later days, so what it announces is what the
  sweep will do if nothing changes meanwhile.
"""

from __future__ import annotations

import enum
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Count, F, ProtectedError, Q
from django.db.models.deletion import RestrictedError
from django.db.models.functions import TruncDate
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_anchor, audit_record, object_type_of
from zweck.core.permissions import Permission
from zweck.core.register import ClockSource, Erasure, Mask, ModelDeclaration, clock_field, register
from zweck.privacy.erasure import append_only, constant_mask, plan_execute
from zweck.privacy.models import RecordHold, RetentionRule
from zweck.privacy.periods import PeriodError
from zweck.privacy.retention_models import RetentionSweep, SweepState, SweepTrigger
from zweck.privacy.subjects import in_workspace, subject_declaration

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
# Persons are erased through the whole erasure path: fewer per batch.
SUBJECT_BATCH_SIZE = 500
FORECAST_STEP_DAYS = 7


class SweepAction(enum.StrEnum):
    ERASE = "erase"  # the person, through the erasure path
    DELETE = "delete"
    ANONYMIZE = "anonymize"
    WITH_SUBJECTS = "with_subjects"  # rows of several persons: they go as their persons go
    NEVER = "never"  # the register names no date for the rule's event on this data set
    KEPT = "kept"  # could not be deleted: other records still refer to them


def last_expired_event(rule: RetentionRule, today: date) -> date | None:
    """The latest event day whose retention period under ``rule`` has ended before ``today``
    (None when none has: the period is longer than the calendar behind us)."""
    low, high = date(1900, 1, 1), today
    try:
        if rule.ends_on(low) >= today:
            return None
        while low < high:
            middle = low + timedelta(days=(high - low).days // 2 + 1)
            if rule.ends_on(middle) < today:
                low = middle
            else:
                high = middle - timedelta(days=1)
    except PeriodError:
        return None
    return low


@dataclass(frozen=True)
class Expiry:
    """One declaration under its rule in one workspace: where its clock is, and what the sweep does."""

    declaration: ModelDeclaration
    rule: RetentionRule
    source: ClockSource | None
    action: SweepAction

    @property
    def data_set(self) -> str:
        return object_type_of(self.declaration.model)

    def expired(self, workspace_id: int, today: date) -> models.QuerySet[Any]:
        """The rows expired on ``today`` and not under a hold (empty for a row without a clock)."""
        rows = in_workspace(self.declaration, workspace_id)
        threshold = last_expired_event(self.rule, today)
        if self.source is None or threshold is None:
            return rows.none()
        rows = until(rows, self.source, threshold)
        return rows.exclude(pk__in=_held(self.declaration.model, workspace_id, today)).order_by("pk")


def until(rows: models.QuerySet[Any], source: ClockSource, threshold: date) -> models.QuerySet[Any]:
    """``rows`` whose clock ``source`` reads ``threshold`` or earlier (a date-time: before the
    next local midnight)."""
    if isinstance(source, str):
        lookup = source
        is_datetime = isinstance(clock_field(rows.model, source), models.DateTimeField)
    else:
        rows = rows.alias(retention_clock=source)
        lookup = "retention_clock"
        is_datetime = isinstance(rows.query.annotations[lookup].output_field, models.DateTimeField)
    if is_datetime:
        bound = timezone.make_aware(datetime.combine(threshold + timedelta(days=1), time.min))
        return rows.filter(**{f"{lookup}__lt": bound})
    return rows.filter(**{f"{lookup}__lte": threshold})


def _held(model: type[models.Model], workspace_id: int, today: date) -> models.QuerySet[Any]:
    return (
        RecordHold.objects.in_workspace(workspace_id)
        .filter(object_type=object_type_of(model), released_at__isnull=True, ends_on__gte=today)
        .values("object_id")
    )


def expiries(workspace_id: int) -> list[Expiry]:
    """Every declaration with a retention rule in ``workspace_id``, the person model first."""
    rules = {rule.key: rule for rule in RetentionRule.objects.in_workspace(workspace_id)}
    own = subject_declaration()
    found: list[Expiry] = []
    for declaration in sorted(register, key=lambda d: (d is not own, d.label)):
        rule = rules.get(declaration.retention or "")
        if rule is None or not declaration.swept:
            continue
        event = rule.counts_from
        source = declaration.clock(event)
        if declaration is own:
            action = SweepAction.ERASE if source is not None else SweepAction.NEVER
        elif source is not None:
            action = SweepAction.ANONYMIZE if declaration.erasure is Erasure.ANONYMIZE else SweepAction.DELETE
        elif declaration.subject is not None and declaration.subject_kind == "contact":
            action = SweepAction.WITH_SUBJECTS
        else:
            action = SweepAction.NEVER
        found.append(Expiry(declaration, rule, source, action))
    return found


# --- the sweep -------------------------------------------------------------------------------


@dataclass
class _Tally:
    sweep: RetentionSweep
    counts: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))

    def add(self, actor: Actor, rule: str, counts: dict[tuple[str, str], int]) -> None:
        """Audit one batch (an event per data set, counts only) and add it to the run's report."""
        by_set: dict[str, list[str]] = defaultdict(list)
        for (data_set, action), count in sorted(counts.items()):
            if count:
                self.counts[(rule, data_set, action)] += count
                by_set[data_set].append(f"{action}={count}")
        for data_set, changed in by_set.items():
            audit_record(
                actor=actor,
                action="retention.sweep",
                object_type=data_set,
                object_id=self.sweep.pk,
                changed_fields=changed,
            )
        self.sweep.results = [
            {"rule": rule_key, "data_set": data_set, "action": action, "count": count}
            for (rule_key, data_set, action), count in sorted(self.counts.items())
        ]
        self.sweep.save(update_fields=["results"])


def _delete(model: type[models.Model], ids: list[int]) -> tuple[int, list[int]]:
    """Delete ``ids``; rows that other records still protect are left, one by one (their ids)."""
    rows = model._default_manager.filter(pk__in=ids)
    try:
        with transaction.atomic():
            if append_only(model):
                deleted = rows.retention_delete()  # type: ignore[attr-defined]
            else:
                _total, per_model = rows.delete()
                deleted = per_model.get(model._meta.label, 0)
        return deleted, []
    except (ProtectedError, RestrictedError):
        pass
    blocked: list[int] = []
    deleted = 0
    for pk in ids:
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=pk).delete()
            deleted += 1
        except (ProtectedError, RestrictedError):
            blocked.append(pk)
    return deleted, blocked


def _constant_masks(declaration: ModelDeclaration) -> dict[str, Any]:
    """The anonymized value of each masked field the declaration's subject owns. At the end of
    its period a value no longer needs to stay comparable: a hash mask is redacted."""
    values: dict[str, Any] = {}
    for name, personal in declaration.subject_fields().items():
        model_field = declaration.model._meta.get_field(name)
        if personal.mask is Mask.NONE or not isinstance(model_field, models.Field) or model_field.is_relation:
            continue
        mask = Mask.REDACT if personal.mask is Mask.HASH else personal.mask
        values[name] = constant_mask(model_field, mask.value)
    return values


def _anonymize(declaration: ModelDeclaration, ids: list[int]) -> int:
    values = _constant_masks(declaration)
    if not values:
        return 0
    return declaration.model._default_manager.filter(pk__in=ids).update(**values)


def _not_anonymized(expiry: Expiry) -> Q:
    """Rows that still hold a value the anonymization overwrites (so a run does not count
    yesterday's anonymized rows again)."""
    condition = Q()
    for name, value in _constant_masks(expiry.declaration).items():
        condition |= Q(**{f"{name}__isnull": False}) if value is None else ~Q(**{name: value})
    return condition


def _ceiling(model: type[models.Model]) -> int:
    """The highest primary key ``model`` holds now: the rows a sweep started now may take.
    Rows written while it runs (its own audit events among them) wait for the next run, so a run
    whose day lies after their period too still ends."""
    return model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0


def _sweep_subjects(actor: Actor, expiry: Expiry, tally: _Tally, today: date, ceiling: int) -> None:
    workspace_id = actor.workspace_id
    while True:
        rows = expiry.expired(workspace_id, today).filter(pk__lte=ceiling)
        ids = list(rows.values_list("pk", flat=True)[:SUBJECT_BATCH_SIZE])
        if not ids:
            return
        with transaction.atomic():
            plan = plan_execute(actor=actor, person_ids=ids, today=today, mentions=False, separate=True)
            counts: dict[tuple[str, str], int] = defaultdict(int)
            for row in plan.rows:
                counts[(row.data_set, row.action)] += 1
            tally.add(actor, expiry.rule.key, counts)


def _sweep_rows(actor: Actor, expiry: Expiry, tally: _Tally, today: date, ceiling: int) -> None:
    workspace_id = actor.workspace_id
    model = expiry.declaration.model
    anonymize = expiry.action is SweepAction.ANONYMIZE
    blocked: set[int] = set()
    while True:
        rows = expiry.expired(workspace_id, today).filter(pk__lte=ceiling).exclude(pk__in=blocked)
        if anonymize:
            rows = rows.filter(_not_anonymized(expiry))
        ids = list(rows.values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            return
        with transaction.atomic():
            if anonymize:
                counts = {(expiry.data_set, SweepAction.ANONYMIZE.value): _anonymize(expiry.declaration, ids)}
            else:
                deleted, kept = _delete(model, ids)
                blocked.update(kept)
                counts = {
                    (expiry.data_set, SweepAction.DELETE.value): deleted,
                    (expiry.data_set, SweepAction.KEPT.value): len(kept),
                }
            tally.add(actor, expiry.rule.key, counts)
        if anonymize and not any(counts.values()):
            return


def retention_sweep(
    *, actor: Actor, today: date | None = None, trigger: str = SweepTrigger.MANUAL
) -> RetentionSweep:
    """Delete or anonymize every row of the actor's workspace whose retention period has ended
    before ``today``, persons first; the run's report. Resumable: each batch commits alone."""
    actor.require(Permission.PRIVACY_MANAGE)
    today = today or timezone.localdate()
    planned = list(expiries(actor.workspace_id))
    ceilings = {expiry.declaration.model: _ceiling(expiry.declaration.model) for expiry in planned}
    sweep = RetentionSweep.objects.create(
        workspace_id=actor.workspace_id,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
        trigger=trigger,
        swept_for=today,
    )
    tally = _Tally(sweep)
    try:
        for expiry in planned:
            ceiling = ceilings[expiry.declaration.model]
            if expiry.action is SweepAction.ERASE:
                _sweep_subjects(actor, expiry, tally, today, ceiling)
            elif expiry.action in (SweepAction.DELETE, SweepAction.ANONYMIZE):
                _sweep_rows(actor, expiry, tally, today, ceiling)
    except Exception as error:
        sweep.state, sweep.failure = SweepState.FAILED, type(error).__name__
        sweep.finished_at = timezone.now()
        sweep.save(update_fields=["state", "failure", "finished_at"])
        logger.exception("Retention sweep %s failed in workspace %s", sweep.pk, actor.workspace_id)
        raise
    sweep.state, sweep.finished_at = SweepState.DONE, timezone.now()
    sweep.save(update_fields=["state", "finished_at"])
    return sweep


def sweep_rows(*, actor: Actor) -> models.QuerySet[RetentionSweep]:
    """The workspace's sweep reports, newest first, to page through."""
    return RetentionSweep.objects.visible_to(actor, Permission.PRIVACY_VIEW)


def sweep_get(*, actor: Actor, sweep_id: int) -> RetentionSweep:
    """One sweep report of the workspace; ``DoesNotExist`` for any other id."""
    return sweep_rows(actor=actor).get(pk=sweep_id)


# --- the forecast ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastLine:
    """What the sweep will do to one data set under one rule: now, and by each later day."""

    rule: RetentionRule
    declaration: ModelDeclaration
    action: SweepAction
    due_now: int
    upcoming: list[tuple[date, int]]
    event: str

    @property
    def data_set(self) -> str:
        return object_type_of(self.declaration.model)

    @property
    def total(self) -> int:
        return self.due_now + sum(count for _day, count in self.upcoming)


def _checkpoints(today: date, days: int) -> list[date]:
    """Each week ahead within ``days`` days, and the last day."""
    steps = {today + timedelta(days=step) for step in range(FORECAST_STEP_DAYS, days + 1, FORECAST_STEP_DAYS)}
    return sorted(steps | ({today + timedelta(days=days)} if days else set()))


def _event_day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


@dataclass
class _Buckets:
    """Counts by the day the sweep takes them: now, or the first checkpoint on or after it."""

    rule: RetentionRule
    today: date
    checkpoints: list[date]
    now: int = 0
    later: dict[date, int] = field(default_factory=lambda: defaultdict(int))

    def due(self, event: date | datetime) -> date:
        return self.rule.erasure_due_on(_event_day(event))

    def add(self, due: date, count: int = 1) -> None:
        if due <= self.today:
            self.now += count
            return
        for day in self.checkpoints:
            if due <= day:
                self.later[day] += count
                return

    def upcoming(self) -> list[tuple[date, int]]:
        return [(day, self.later.get(day, 0)) for day in self.checkpoints]


def _own_rows(expiry: Expiry, workspace_id: int, horizon: date) -> models.QuerySet[Any]:
    rows = expiry.expired(workspace_id, horizon)
    if expiry.action is SweepAction.ANONYMIZE:
        rows = rows.filter(_not_anonymized(expiry))
    return rows


def _count_own(expiry: Expiry, buckets: _Buckets, workspace_id: int, horizon: date) -> dict[int, date]:
    """Count the line's own expiring rows into ``buckets``: one grouped query by event day for a
    stored date, the rows' clocks for an expression. For persons, each id with its due day."""
    rows = _own_rows(expiry, workspace_id, horizon)
    assert expiry.source is not None
    dues: dict[int, date] = {}
    if isinstance(expiry.source, str) and expiry.action is not SweepAction.ERASE:
        model_field = clock_field(expiry.declaration.model, expiry.source)
        day: Any = (
            TruncDate(expiry.source) if isinstance(model_field, models.DateTimeField) else F(expiry.source)
        )
        for event, count in (
            rows.annotate(event_day=day).values_list("event_day").annotate(n=Count("pk")).order_by()
        ):
            buckets.add(buckets.due(event), count)
        return dues
    clocked = rows.annotate(retention_clock=expiry.source) if not isinstance(expiry.source, str) else rows
    clock = "retention_clock" if not isinstance(expiry.source, str) else expiry.source
    for pk, event in clocked.values_list("pk", clock).iterator(chunk_size=BATCH_SIZE):
        dues[pk] = buckets.due(event)
        buckets.add(dues[pk])
    return dues


def _count_with_subjects(expiry: Expiry, buckets: _Buckets, workspace_id: int, dues: dict[int, date]) -> None:
    """Rows of several persons, each due when the first of its expiring persons is: an upper
    bound, since a row another continuing person shares only loses the expired one."""
    assert expiry.declaration.subject is not None
    row_due: dict[int, date] = {}
    persons = sorted(dues)
    for offset in range(0, len(persons), BATCH_SIZE):
        chunk = persons[offset : offset + BATCH_SIZE]
        links = in_workspace(expiry.declaration, workspace_id).filter(
            **{f"{expiry.declaration.subject}__in": chunk}
        )
        for pk, person_id in links.values_list("pk", expiry.declaration.subject).order_by():
            due = dues[person_id]
            if pk not in row_due or due < row_due[pk]:
                row_due[pk] = due
    for due in row_due.values():
        buckets.add(due)


def retention_forecast(*, actor: Actor, days: int = 90, today: date | None = None) -> list[ForecastLine]:
    """Per rule and data set: how many rows the sweep deletes or anonymizes today, and how many
    more by each week within ``days`` days (and on the last day). One query per data set."""
    actor.require(Permission.PRIVACY_VIEW)
    today = today or timezone.localdate()
    days = max(0, min(days, 3660))
    checkpoints = _checkpoints(today, days)
    horizon = today + timedelta(days=days)
    workspace_id = actor.workspace_id
    found = expiries(workspace_id)
    own = next((e for e in found if e.action is SweepAction.ERASE), None)
    person_dues: dict[int, date] = {}
    lines: list[ForecastLine] = []
    for expiry in found:
        counted = own if expiry.action is SweepAction.WITH_SUBJECTS else expiry
        buckets = _Buckets(counted.rule if counted else expiry.rule, today, checkpoints)
        if expiry.action is SweepAction.WITH_SUBJECTS:
            _count_with_subjects(expiry, buckets, workspace_id, person_dues)
        elif expiry.action is not SweepAction.NEVER:
            dues = _count_own(expiry, buckets, workspace_id, horizon)
            if expiry is own:
                person_dues = dues
        lines.append(
            ForecastLine(
                rule=expiry.rule,
                declaration=expiry.declaration,
                action=expiry.action,
                due_now=buckets.now,
                upcoming=buckets.upcoming(),
                event=expiry.rule.counts_from,
            )
        )
    return lines


def erased_from(record: models.Model) -> date | None:
    """The first day the sweep takes ``record`` (a person, an organization): the day after its
    retention period ends. None while its rule's event has not happened (or the register names
    no date for it); a hold may keep the record longer."""
    declaration = register.get(type(record))
    workspace_id = getattr(record, "workspace_id", None)
    if declaration is None or not declaration.swept or workspace_id is None:
        return None
    rule = RetentionRule.objects.in_workspace(workspace_id).filter(key=declaration.retention).first()
    source = declaration.clock(rule.counts_from) if rule is not None else None
    if rule is None or source is None:
        return None
    clock = F(source) if isinstance(source, str) else source
    rows = type(record)._default_manager.filter(pk=record.pk)
    event = rows.annotate(retention_clock=clock).values_list("retention_clock", flat=True).first()
    return rule.erasure_due_on(_event_day(event)) if event is not None else None


def operator_sweep(*, today: date | None = None) -> dict[str, int]:
    """Rows that belong to no workspace (a failed sign-in with an unknown name, the operator's
    own audit events): deleted when the shipped default of their rule has ended. Counts per
    data set; one operator audit event per data set with counts."""
    from zweck.audit.services import audit_record_operator
    from zweck.privacy.defaults import RETENTION_PRESETS, preset_rule

    today = today or timezone.localdate()
    swept: dict[str, int] = {}
    for declaration in register:
        preset = RETENTION_PRESETS.get(declaration.retention or "")
        if preset is None or declaration.derived:
            continue
        workspace = next((f for f in declaration.model._meta.concrete_fields if f.name == "workspace"), None)
        if workspace is None or not workspace.null:
            continue
        rule = preset_rule(preset.key)
        source = declaration.clock(rule.counts_from)
        threshold = last_expired_event(rule, today)
        if source is None or threshold is None:
            continue
        rows = until(declaration.model._default_manager.filter(workspace__isnull=True), source, threshold)
        total = 0
        while ids := list(rows.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]):
            with transaction.atomic():
                deleted, blocked = _delete(declaration.model, ids)
                total += deleted
            if blocked:
                break
        if total:
            label = object_type_of(declaration.model)
            swept[label] = total
            with transaction.atomic():
                audit_record_operator(
                    action="retention.sweep",
                    object_type=label,
                    object_id="",
                    changed_fields=[f"delete={total}"],
                )
    return swept


def nightly_maintenance(*, today: date | None = None) -> dict[str, int]:
    """The night's work: warn the owners of workspaces whose deletion date nears, delete the
    workspaces whose date has come, then in every other workspace end the holds whose date has
    passed and sweep. One workspace failing does not stop the others; the counts of what ran."""
    from zweck.accounts.models import Workspace
    from zweck.privacy.holds import holds_release
    from zweck.privacy.offboarding import workspaces_offboard_due, workspaces_warn

    day = today or timezone.localdate()
    done = {"workspaces": 0, "holds_released": 0, "rows_swept": 0, "failed": 0}
    done["deletion_warnings"] = workspaces_warn(day)
    done["workspaces_deleted"] = workspaces_offboard_due(day)
    done["operator_rows_swept"] = sum(operator_sweep(today=day).values())
    for workspace in Workspace.objects.order_by("pk"):
        actor = Actor.system(workspace)
        try:
            done["holds_released"] += holds_release(actor=actor, today=day)
            sweep = retention_sweep(actor=actor, today=day, trigger=SweepTrigger.NIGHTLY)
            done["rows_swept"] += sweep.total
            done["workspaces"] += 1
        except Exception:
            done["failed"] += 1
            logger.exception("Nightly maintenance failed in workspace %s", workspace.pk)
    # Last: the heads after the night's sweeps are what the anchors keep.
    done["audit_anchors"] = len(audit_anchor())
    return done


__all__ = [
    "ForecastLine",
    "SweepAction",
    "expiries",
    "last_expired_event",
    "nightly_maintenance",
    "retention_forecast",
    "retention_sweep",
    "sweep_get",
    "sweep_rows",
]
