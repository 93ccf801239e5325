"""The end of a tenant: a workspace whose hosting contract has ended is deleted, completely, on
its deletion date (the contract's end plus the workspace's ``deletion_grace_days``, 30 by
default: seed notice 001), after its owners were warned and could download everything.

Invariants:
- warnings go to the active owners (to the workspace's contact address when it has none)
  30, 7 and 1 days before the deletion date; each stage is sent at most once per deletion
  date, and a run that finds several stages due (a missed night) sends only the most urgent
  one. The warning is recorded in the transaction that sends it, under a lock on the
  workspace row, so two runs on one day send it once; a failed send rolls the record back and
  the next run tries again (only a commit failing after the mail server accepted could repeat
  a warning, never lose one);
- the deletion removes every data set ``workspace_data`` derives, children before parents, in
  batches of ``BATCH_SIZE`` rows per statement, each batch in its own transaction together
  with its count in the tombstone; a run that stops (a crash, a deploy) leaves whole batches
  behind and the next run continues where it stopped, with exact counts;
- the workspace's audit trail is deleted with it: it is the tenant's record, handed over in
  the download; the deletion bypasses the trail's append-only guard for this reason only.
  The operator's own events (outside every workspace) record the start and the end;
- once the deletion has started the workspace's seats are inactive (no one signs in, no token
  works) and the contract's dates can no longer change;
- the members' seats go last, in the final transaction with the accounts of those who have
  no seat in any other workspace and are not operator accounts (staff or superusers): those
  accounts are deleted with their sessions (staff accounts are personal data, and the
  contract that was their purpose has ended); every other account only loses its seat;
- the tombstone (``WorkspaceTombstone``) is all that stays: the workspace's id, a keyed hash
  of its short name, dates, the warnings sent and the rows per data set — no personal value.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import connections, router, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zweck.accounts.actors import Actor
from zweck.accounts.models import Membership, User, Workspace
from zweck.accounts.services import workspace_contract_end_set
from zweck.audit.services import audit_record, audit_record_operator
from zweck.core.permissions import Permission, Role
from zweck.outbox.services import mail_queue
from zweck.privacy import labels
from zweck.privacy.erasure import keyed_digest
from zweck.privacy.models import DeletionWarning, WorkspaceTombstone
from zweck.privacy.workspace_data import (
    WORKSPACE_ROW,
    DataSet,
    download_token_create,
    workspace_data_sets,
)

logger = logging.getLogger(__name__)

WARNING_DAYS = (30, 7, 1)
BATCH_SIZE = 5000
WORKSPACE_OBJECT = "accounts.workspace"

BatchObserver = Callable[[str, int], None]


class OffboardingNotDue(ValidationError):
    """The workspace's deletion date has not come (or it has none), and no deletion has started."""


# ---------------------------------------------------------------- the contract's dates


def tombstone_of(workspace_id: int) -> WorkspaceTombstone | None:
    """The tombstone of a workspace whose deletion has started (or finished), else ``None``."""
    return WorkspaceTombstone.objects.filter(workspace_id=workspace_id).first()


def slug_digest(slug: str) -> str:
    return keyed_digest("workspace-slug", slug)


def tombstone_for_slug(slug: str) -> WorkspaceTombstone | None:
    """The tombstone of a deleted workspace by the short name it had."""
    return WorkspaceTombstone.objects.filter(slug_digest=slug_digest(slug)).order_by("-started_at").first()


def workspace_contract_set(
    *, workspace: Workspace, ends_on: date | None, grace_days: int | None = None, today: date | None = None
) -> Workspace:
    """The operator sets or clears the contract's end (and the days until deletion); refused
    once the deletion has started."""
    if tombstone_of(workspace.pk) is not None:
        raise ValidationError(
            {"contract_ends_on": _("The deletion of this workspace has started; its dates no longer change.")}
        )
    return workspace_contract_end_set(
        workspace=workspace, ends_on=ends_on, grace_days=grace_days, today=today
    )


@dataclass(frozen=True)
class ContractFacts:
    """What the owner's page shows about the end of the contract."""

    contract_ends_on: date | None
    deletion_on: date | None
    grace_days: int
    days_left: int | None
    warnings: list[DeletionWarning]


def workspace_contract_facts(*, actor: Actor, today: date | None = None) -> ContractFacts:
    """The contract's end, the deletion date and the warnings sent, for the workspace's owners."""
    actor.require(Permission.WORKSPACE_MANAGE)
    workspace = Workspace.objects.get(pk=actor.workspace_id)
    deletion_on = workspace.deletion_due_on
    today = today or timezone.localdate()
    warnings = (
        list(
            DeletionWarning.objects.visible_to(actor, Permission.WORKSPACE_MANAGE).filter(
                deletion_on=deletion_on
            )
        )
        if deletion_on
        else []
    )
    return ContractFacts(
        contract_ends_on=workspace.contract_ends_on,
        deletion_on=deletion_on,
        grace_days=workspace.deletion_grace_days,
        days_left=(deletion_on - today).days if deletion_on else None,
        warnings=warnings,
    )


# ---------------------------------------------------------------- warnings


def warning_stage(deletion_on: date, today: date) -> int | None:
    """The most urgent warning due ``today`` (30, 7 or 1 days before), ``None`` when none is."""
    days_left = (deletion_on - today).days
    if days_left <= 0:
        return None
    due = [days for days in WARNING_DAYS if days_left <= days]
    return min(due) if due else None


def warning_to_send(deletion_on: date, today: date, sent: set[int]) -> int | None:
    """The warning to send ``today`` when the stages in ``sent`` went out for this deletion
    date: the most urgent one due, unless it or a more urgent one was sent already."""
    stage = warning_stage(deletion_on, today)
    if stage is None or any(days <= stage for days in sent):
        return None
    return stage


def _owners(workspace: Workspace) -> list[User]:
    seats = Membership.objects.in_workspace(workspace.pk).filter(
        role=Role.OWNER, is_active=True, user__is_active=True
    )
    return list(User.objects.filter(pk__in=seats.values("user_id")).order_by("pk"))


def _warning_message(
    *, workspace: Workspace, to: str, user: User | None, lang: str, deletion_on: date, today: date
) -> EmailMessage:
    base = (settings.ZWECK_PUBLIC_URL or "http://127.0.0.1:8000").rstrip("/")
    page = base + reverse("staff:workspace_contract")
    days_left = (deletion_on - today).days
    with translation.override(lang):
        details = {
            "workspace": workspace.name,
            "deletion": labels.date_text(deletion_on, lang),
            "contract": labels.date_text(workspace.contract_ends_on, lang),
            "days": days_left,
            "page": page,
        }
        subject = _("The workspace %(workspace)s will be deleted on %(deletion)s") % details
        lines = [
            (_("Hello %(name)s,") % {"name": user.get_short_name()}) if user else _("Hello,"),
            "",
            _("The hosting contract of the workspace %(workspace)s ends on %(contract)s.") % details
            if workspace.contract_ends_on and workspace.contract_ends_on >= today
            else _("The hosting contract of the workspace %(workspace)s ended on %(contract)s.") % details,
            ngettext(
                "In %(days)d day, on %(deletion)s, the workspace and everything in it will be deleted "
                "for good: contacts, organizations, activities, deals, privacy requests, the privacy "
                "register, the audit trail, and the accounts of members who use no other workspace.",
                "In %(days)d days, on %(deletion)s, the workspace and everything in it will be deleted "
                "for good: contacts, organizations, activities, deals, privacy requests, the privacy "
                "register, the audit trail, and the accounts of members who use no other workspace.",
                days_left,
            )
            % details,
            "",
        ]
        if user is not None:
            token = download_token_create(workspace=workspace, user=user, expires_on=deletion_on)
            link = base + reverse("staff:workspace_download_link", args=[token])
            lines += [
                _(
                    "Download all of its data before then: a ZIP file with one machine-readable file "
                    "per data set. The link works until the deletion date, for you, once you are "
                    "signed in:"
                ),
                "",
                link,
                "",
            ]
        lines += [
            _("The contract's dates and the download are also on this page: %(page)s") % details,
            "",
            _("If the contract should continue, please contact your provider before that day."),
        ]
    return EmailMessage(
        subject=subject, body="\n".join(lines), from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )


@transaction.atomic
def workspace_warn(*, workspace: Workspace, today: date) -> DeletionWarning | None:
    """Send the most urgent warning due ``today`` unless it (or a more urgent one) was sent for
    this deletion date; the warning row, or ``None`` when nothing was due."""
    locked = Workspace.objects.select_for_update().get(pk=workspace.pk)
    deletion_on = locked.deletion_due_on
    if deletion_on is None or tombstone_of(locked.pk) is not None:
        return None
    sent = DeletionWarning.objects.in_workspace(locked.pk).filter(deletion_on=deletion_on)
    stage = warning_to_send(deletion_on, today, set(sent.values_list("days_before", flat=True)))
    if stage is None:
        return None
    owners = _owners(locked)
    messages = [
        _warning_message(
            workspace=locked,
            to=owner.email,
            user=owner,
            lang=labels.language_of(owner.language),
            deletion_on=deletion_on,
            today=today,
        )
        for owner in owners
    ]
    if not owners and locked.email:
        messages.append(
            _warning_message(
                workspace=locked,
                to=locked.email,
                user=None,
                lang="de" if locked.country == "DE" else "en",
                deletion_on=deletion_on,
                today=today,
            )
        )
    warning = DeletionWarning.objects.create(
        workspace=locked, deletion_on=deletion_on, days_before=stage, recipient_count=len(messages)
    )
    audit_record(
        actor=Actor.system(locked),
        action="workspace.deletion_warning",
        instance=warning,
        changed_fields=["days_before"],
    )
    # Through the outbox: the warning row and its mail commit together, and an SMTP outage
    # delays the mail (the worker retries it) instead of undoing the warning.
    for message in messages:
        mail_queue(
            to=message.to,
            subject=str(message.subject),
            body=str(message.body),
            from_email=message.from_email,
            workspace_id=locked.pk,
        )
    return warning


def workspaces_warn(today: date) -> int:
    """The nightly warnings: every workspace whose deletion date is 30 days or less away gets
    the most urgent warning not yet sent. Returns how many warnings went out; a workspace
    whose warning fails is logged (by id) and tried again on the next run."""
    sent = 0
    candidates = Workspace.objects.filter(contract_ends_on__isnull=False).order_by("pk")
    for workspace in candidates.iterator():
        deletion_on = workspace.deletion_due_on
        if deletion_on is None or warning_stage(deletion_on, today) is None:
            continue
        try:
            if workspace_warn(workspace=workspace, today=today) is not None:
                sent += 1
        except Exception:
            logger.exception(
                "Deletion warning for workspace %s failed; the next run tries again.", workspace.pk
            )
    return sent


# ---------------------------------------------------------------- the deletion


@dataclass
class PlannedDataSet:
    label: str
    name: str
    rows: int


@dataclass
class OffboardingPlan:
    """What deleting a workspace does: the rows per data set in deletion order, the accounts,
    the dates, and how far a started deletion has come."""

    workspace_id: int
    slug: str
    contract_ends_on: date | None
    deletion_on: date | None
    data_sets: list[PlannedDataSet]
    accounts_deleted: int
    accounts_kept: int
    warnings: list[DeletionWarning] = field(default_factory=list)
    tombstone: WorkspaceTombstone | None = None

    @property
    def rows(self) -> int:
        return sum(data_set.rows for data_set in self.data_sets)


def _accounts(workspace_id: int) -> tuple[list[int], list[int]]:
    """The member accounts the deletion removes, and those it only takes the seat from (a seat
    in another workspace, or an operator account)."""
    members = Membership.objects.in_workspace(workspace_id).values("user_id")
    elsewhere = Membership.objects.exclude(pk__in=Membership.objects.in_workspace(workspace_id).values("pk"))
    kept_query = Q(is_staff=True) | Q(is_superuser=True) | Q(pk__in=elsewhere.values("user_id"))
    accounts = User.objects.filter(pk__in=members)
    kept = sorted(accounts.filter(kept_query).values_list("pk", flat=True))
    deleted = sorted(accounts.exclude(kept_query).values_list("pk", flat=True))
    return deleted, kept


def deletion_order() -> list[DataSet]:
    """The data sets in the order the deletion removes them: the batches, children before
    parents, then the seats (they go with the accounts, in the final step) and the workspace's
    own row."""
    data_sets = workspace_data_sets()
    last = [
        data_set for data_set in data_sets if data_set.model is Membership or data_set.kind == WORKSPACE_ROW
    ]
    return [data_set for data_set in data_sets if data_set not in last] + last


def _deleted_by_batches() -> list[DataSet]:
    return deletion_order()[:-2]


def offboarding_plan(*, workspace: Workspace) -> OffboardingPlan:
    """What ``workspace_offboard`` would do now (the dry run); nothing is changed."""
    counted = [
        PlannedDataSet(
            label=data_set.label,
            name=labels.model_label(data_set.model, translation.get_language() or "en", plural=True),
            rows=data_set.rows(workspace.pk).count(),
        )
        for data_set in deletion_order()
    ]
    deleted, kept = _accounts(workspace.pk)
    return OffboardingPlan(
        workspace_id=workspace.pk,
        slug=workspace.slug,
        contract_ends_on=workspace.contract_ends_on,
        deletion_on=workspace.deletion_due_on,
        data_sets=counted,
        accounts_deleted=len(deleted),
        accounts_kept=len(kept),
        warnings=list(DeletionWarning.objects.in_workspace(workspace.pk).order_by("sent_at", "pk")),
        tombstone=tombstone_of(workspace.pk),
    )


def _quoted(name: str, database: str) -> str:
    return connections[database].ops.quote_name(name)


def _delete_batch(data_set: DataSet, workspace_id: int, batch_size: int) -> int:
    """Delete up to ``batch_size`` of the workspace's rows of ``data_set`` in one statement.

    Raw SQL, because a queryset's ``delete`` collects every row in memory first, and the
    audit trail's queryset refuses to delete at all (see the module's invariants)."""
    model = data_set.model
    database = router.db_for_write(model)
    # Rows that point at another row of their own table go before the rows they point at.
    pointing = [
        F(field.name).asc(nulls_last=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is model
    ]
    chosen = data_set.rows(workspace_id).order_by(*pointing).values("pk")[:batch_size]
    select, params = chosen.query.get_compiler(using=database).as_sql()
    table, key = _quoted(model._meta.db_table, database), _quoted(str(model._meta.pk.column), database)
    with connections[database].cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({select})", params)  # noqa: S608
        return int(cursor.rowcount)


@transaction.atomic
def _start(workspace: Workspace, today: date) -> WorkspaceTombstone:
    locked = Workspace.objects.select_for_update().get(pk=workspace.pk)
    tombstone = tombstone_of(locked.pk)
    if tombstone is not None:
        return tombstone
    deletion_on = locked.deletion_due_on
    if deletion_on is None or deletion_on > today:
        raise OffboardingNotDue(
            _("The workspace %(slug)s is not due for deletion: %(when)s.")
            % {
                "slug": locked.slug,
                "when": _("its contract has no end")
                if deletion_on is None
                else _("it is deleted on %(date)s") % {"date": deletion_on.isoformat()},
            }
        )
    planned = {data_set.label: data_set.rows(locked.pk).count() for data_set in workspace_data_sets()}
    warnings = [
        {
            "days_before": warning.days_before,
            "deletion_on": warning.deletion_on.isoformat(),
            "sent_on": timezone.localdate(warning.sent_at).isoformat(),
            "recipients": warning.recipient_count,
        }
        for warning in DeletionWarning.objects.in_workspace(locked.pk).order_by("sent_at", "pk")
    ]
    tombstone = WorkspaceTombstone.objects.create(
        workspace_id=locked.pk,
        slug_digest=slug_digest(locked.slug),
        created_on=timezone.localdate(locked.created_at),
        contract_ended_on=locked.contract_ends_on,
        deletion_due_on=deletion_on,
        warnings=warnings,
        rows_planned=planned,
    )
    # From now on no one works in a workspace that is being taken apart.
    Membership.objects.in_workspace(locked.pk).update(is_active=False)
    audit_record_operator(
        action="workspace.offboarding_started", object_type=WORKSPACE_OBJECT, object_id=locked.pk
    )
    return tombstone


def _delete_in_batches(
    tombstone: WorkspaceTombstone, data_set: DataSet, batch_size: int, on_batch: BatchObserver | None
) -> None:
    while True:
        with transaction.atomic():
            locked = WorkspaceTombstone.objects.select_for_update().get(pk=tombstone.pk)
            deleted = _delete_batch(data_set, locked.workspace_id, batch_size)
            if deleted:
                locked.rows_deleted[data_set.label] = locked.rows_deleted.get(data_set.label, 0) + deleted
                locked.save(update_fields=["rows_deleted"])
        if on_batch is not None:
            on_batch(data_set.label, deleted)
        if deleted < batch_size:
            return


def _sessions_delete(user_ids: list[int]) -> None:
    """The sign-in sessions of deleted accounts (the session table knows its user only inside
    the signed data)."""
    wanted = {str(pk) for pk in user_ids}
    if not wanted:
        return
    found = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id", "")) in wanted
    ]
    Session.objects.filter(pk__in=found).delete()


@transaction.atomic
def _finish(tombstone: WorkspaceTombstone) -> WorkspaceTombstone:
    locked = WorkspaceTombstone.objects.select_for_update().get(pk=tombstone.pk)
    if locked.is_finished:
        return locked
    workspace_id = locked.workspace_id
    deleted_accounts, kept_accounts = _accounts(workspace_id)
    seats = next(data_set for data_set in workspace_data_sets() if data_set.model is Membership)
    seat_count = _delete_batch(seats, workspace_id, batch_size=2**31 - 1)
    User.objects.filter(pk__in=deleted_accounts).delete()
    _sessions_delete(deleted_accounts)
    workspace_row = next(data_set for data_set in workspace_data_sets() if data_set.kind == WORKSPACE_ROW)
    removed = _delete_batch(workspace_row, workspace_id, batch_size=1)
    locked.rows_deleted.update(
        {
            seats.label: locked.rows_deleted.get(seats.label, 0) + seat_count,
            workspace_row.label: locked.rows_deleted.get(workspace_row.label, 0) + removed,
        }
    )
    locked.accounts_deleted, locked.accounts_kept = len(deleted_accounts), len(kept_accounts)
    locked.finished_at = timezone.now()
    locked.save(update_fields=["rows_deleted", "accounts_deleted", "accounts_kept", "finished_at"])
    audit_record_operator(
        action="workspace.offboarded",
        object_type=WORKSPACE_OBJECT,
        object_id=workspace_id,
        changed_fields=sorted(label for label, rows in locked.rows_deleted.items() if rows),
    )
    return locked


def workspace_offboard(
    *,
    workspace: Workspace,
    today: date,
    batch_size: int = BATCH_SIZE,
    on_batch: BatchObserver | None = None,
) -> WorkspaceTombstone:
    """Delete ``workspace`` completely, or continue a deletion that stopped; the tombstone.

    Refused (``OffboardingNotDue``) before the deletion date unless a deletion has started.
    ``on_batch(data set, rows)`` is told after each committed batch (progress output).
    """
    tombstone = _start(workspace, today)
    for data_set in _deleted_by_batches():
        _delete_in_batches(tombstone, data_set, batch_size, on_batch)
    return _finish(tombstone)


def workspaces_offboard_due(today: date) -> int:
    """The nightly deletion: every workspace whose deletion date has come, and every deletion
    that stopped half-way. Returns how many workspaces were deleted; one that fails is logged
    (by id) and continued on the next run."""
    started = set(
        WorkspaceTombstone.objects.filter(finished_at__isnull=True).values_list("workspace_id", flat=True)
    )
    candidates = Workspace.objects.filter(Q(contract_ends_on__isnull=False) | Q(pk__in=started)).order_by(
        "pk"
    )
    due = [
        workspace
        for workspace in candidates
        if workspace.pk in started
        or (workspace.deletion_due_on is not None and workspace.deletion_due_on <= today)
    ]
    finished = 0
    for workspace in due:
        try:
            workspace_offboard(workspace=workspace, today=today)
        except Exception:
            logger.exception("Deleting workspace %s stopped; the next run continues it.", workspace.pk)
            continue
        finished += 1
    return finished


__all__ = [
    "BATCH_SIZE",
    "WARNING_DAYS",
    "ContractFacts",
    "OffboardingNotDue",
    "OffboardingPlan",
    "deletion_order",
    "offboarding_plan",
    "tombstone_for_slug",
    "tombstone_of",
    "warning_stage",
    "warning_to_send",
    "workspace_contract_facts",
    "workspace_contract_set",
    "workspace_offboard",
    "workspace_warn",
    "workspaces_offboard_due",
    "workspaces_warn",
]
