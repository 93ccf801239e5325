"""``zweck workspace offboard SLUG``: the end of a tenant, for the operator.

``--contract-ends YYYY-MM-DD`` (or ``none``) and ``--grace-days N`` set the contract's end and
the days until deletion; ``--dry-run`` shows what the deletion will do and when; without either
it deletes the workspace (on or after its deletion date, or to continue a deletion that
stopped), after the short name is typed again (or with ``--yes``).

A deleted workspace's short name still answers: with its tombstone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.models import MAXIMUM_DELETION_GRACE_DAYS, Workspace
from zweck.accounts.selectors import workspace_get_by_slug
from zweck.cli.refusal import refusal
from zweck.privacy.models import WorkspaceTombstone
from zweck.privacy.offboarding import (
    OffboardingNotDue,
    OffboardingPlan,
    offboarding_plan,
    tombstone_for_slug,
    tombstone_of,
    workspace_contract_set,
    workspace_offboard,
)

NO_END = "none"
CONTRACT_OPTIONS = {"contract_ends_on": "--contract-ends", "deletion_grace_days": "--grace-days"}


def _contract_end(value: str) -> date | None:
    if value.strip().lower() == NO_END:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise CommandError(
            _("--contract-ends: Enter a date (YYYY-MM-DD) or %(none)s.") % {"none": NO_END}
        ) from error


def offboard_arguments(parser: CommandParser) -> None:
    """The options of ``workspace offboard`` (the short name is the command's)."""
    parser.add_argument(
        "--contract-ends",
        metavar="YYYY-MM-DD",
        help=gettext_noop("Set the day the hosting contract ends ('none' clears it); nothing is deleted."),
    )
    parser.add_argument(
        "--grace-days",
        type=int,
        metavar="N",
        help=gettext_noop(
            "Set the days from the contract's end to the deletion (30 unless agreed otherwise)."
        ),
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help=gettext_noop("Show what the deletion will remove and when; change nothing."),
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help=gettext_noop("Delete without asking to type the short name again."),
    )


class _Out:
    def __init__(self, command: BaseCommand) -> None:
        self.command = command

    def __call__(self, line: str = "") -> None:
        self.command.stdout.write(line)


def _dates(out: _Out, workspace: Workspace) -> None:
    ends_on, deletion_on = workspace.contract_ends_on, workspace.deletion_due_on
    out(_("Workspace: %(slug)s (number %(id)s)") % {"slug": workspace.slug, "id": workspace.pk})
    out(_("Contract ends on: %(date)s") % {"date": ends_on.isoformat() if ends_on else _("no end set")})
    if deletion_on is not None:
        out(
            _("Deletion date: %(date)s (%(days)s days after the contract ends)")
            % {"date": deletion_on.isoformat(), "days": workspace.deletion_grace_days}
        )
    else:
        out(
            _("Deletion date: none (%(days)s days after a contract end)")
            % {"days": workspace.deletion_grace_days}
        )


def _plan(out: _Out, workspace: Workspace, plan: OffboardingPlan) -> None:
    _dates(out, workspace)
    for warning in plan.warnings:
        out(
            _("Warning sent on %(date)s: %(days)s days before, to %(count)s addresses")
            % {
                "date": timezone.localdate(warning.sent_at).isoformat(),
                "days": warning.days_before,
                "count": warning.recipient_count,
            }
        )
    if plan.tombstone is not None:
        done = sum(plan.tombstone.rows_deleted.values())
        out(
            _(
                "The deletion started on %(date)s; %(rows)s rows are deleted so far. Run without --dry-run to continue."
            )
            % {"date": timezone.localdate(plan.tombstone.started_at).isoformat(), "rows": done}
        )
    out(_("Rows the deletion removes, in this order (data set, rows):"))
    width = max(len(data_set.label) for data_set in plan.data_sets)
    for data_set in plan.data_sets:
        out(f"  {data_set.label.ljust(width)}  {data_set.rows:>10}")
    out(_("Rows in all: %(rows)s") % {"rows": plan.rows})
    out(_("User accounts deleted (no other workspace): %(count)s") % {"count": plan.accounts_deleted})
    out(
        _("User accounts kept, without their seat (another workspace, or operator accounts): %(count)s")
        % {"count": plan.accounts_kept}
    )
    out(_("Nothing was changed (dry run)."))


def _tombstone(out: _Out, tombstone: WorkspaceTombstone) -> None:
    out(
        _("Workspace number %(id)s: contract ended on %(ended)s, deletion date %(due)s.")
        % {
            "id": tombstone.workspace_id,
            "ended": tombstone.contract_ended_on.isoformat() if tombstone.contract_ended_on else "-",
            "due": tombstone.deletion_due_on.isoformat(),
        }
    )
    if tombstone.finished_at is not None:
        out(_("Deleted on %(date)s.") % {"date": timezone.localdate(tombstone.finished_at).isoformat()})
    for label, rows in sorted(tombstone.rows_deleted.items()):
        out(f"  {label}  {rows}")
    out(
        _("User accounts deleted: %(deleted)s; kept: %(kept)s")
        % {"deleted": tombstone.accounts_deleted, "kept": tombstone.accounts_kept}
    )


def offboard_run(command: BaseCommand, options: dict[str, Any]) -> None:
    """Handle ``workspace offboard`` with the parsed ``options`` (see ``offboard_arguments``)."""
    out = _Out(command)
    slug = options["slug"]
    workspace = workspace_get_by_slug(slug=slug)
    if workspace is None:
        tombstone = tombstone_for_slug(slug)
        if tombstone is None:
            raise CommandError(_("No workspace %(slug)s.") % {"slug": slug})
        out(_("The workspace %(slug)s no longer exists.") % {"slug": slug})
        _tombstone(out, tombstone)
        return
    if options["contract_ends"] is not None or options["grace_days"] is not None:
        _contract(out, workspace, options)
        return
    if options["dry_run"]:
        _plan(out, workspace, offboarding_plan(workspace=workspace))
        return
    _offboard(command, out, workspace, options)


def _contract(out: _Out, workspace: Workspace, options: dict[str, Any]) -> None:
    grace_days = options["grace_days"]
    if grace_days is not None and not 0 <= grace_days <= MAXIMUM_DELETION_GRACE_DAYS:
        raise CommandError(
            _("--grace-days: Enter a number from 0 to %(max)s.") % {"max": MAXIMUM_DELETION_GRACE_DAYS}
        )
    ends_on = (
        _contract_end(options["contract_ends"])
        if options["contract_ends"] is not None
        else workspace.contract_ends_on
    )
    try:
        workspace = workspace_contract_set(workspace=workspace, ends_on=ends_on, grace_days=grace_days)
    except ValidationError as error:
        raise refusal(error, CONTRACT_OPTIONS) from error
    _dates(out, workspace)


def _offboard(command: BaseCommand, out: _Out, workspace: Workspace, options: dict[str, Any]) -> None:
    today = timezone.localdate()
    due = workspace.deletion_due_on
    started = tombstone_of(workspace.pk) is not None
    if not started and (due is None or due > today):
        raise CommandError(
            _(
                "The workspace %(slug)s is not due for deletion (deletion date: %(date)s); nothing was deleted."
            )
            % {"slug": workspace.slug, "date": due.isoformat() if due else _("none")}
        )
    if not options["yes"]:
        answer = input(
            _(
                "This deletes the workspace %(slug)s and everything in it for good. Type its short name to go on: "
            )
            % {"slug": workspace.slug}
        )
        if answer.strip() != workspace.slug:
            raise CommandError(_("The short name did not match; nothing was deleted."))

    def progress(label: str, rows: int) -> None:
        if rows:
            out(f"  {label}  {rows}")

    try:
        tombstone = workspace_offboard(workspace=workspace, today=today, on_batch=progress)
    except OffboardingNotDue as error:
        raise refusal(error, {}) from error
    out(_("The workspace %(slug)s is deleted.") % {"slug": options["slug"]})
    _tombstone(out, tombstone)


class OffboardWorkspace:
    """``zweck workspace offboard SLUG``: the contract's end, the deletion's plan, the deletion."""

    name = "offboard"
    help = gettext_noop(
        "The end of a tenant: set the day its hosting contract ends (--contract-ends, --grace-days), "
        "show what the deletion will remove (--dry-run), or delete the workspace on or after its date."
    )
    # A deleted workspace's short name answers with its tombstone: the command finds it itself.
    finds_workspace = True

    def add_arguments(self, parser: CommandParser) -> None:
        offboard_arguments(parser)

    def handle(self, command: BaseCommand, actor: Any, options: dict[str, Any]) -> None:
        offboard_run(command, options)
