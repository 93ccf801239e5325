"""``zweck retention``: the retention sweep by hand, and its forecast."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.privacy.retention import ForecastLine, retention_forecast, retention_sweep
from zweck.privacy.retention_models import SweepTrigger

MAX_DAYS = 3650


def _workspaces(slug: str | None) -> list[Workspace]:
    workspaces = Workspace.objects.order_by("pk")
    if slug is None:
        return list(workspaces)
    found = list(workspaces.filter(slug=slug))
    if not found:
        raise CommandError(_("No workspace has the short name %(slug)s.") % {"slug": slug})
    return found


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = -1
    if not 1 <= days <= MAX_DAYS:
        raise CommandError(_("--days: give a number of days from 1 to %(max)d.") % {"max": MAX_DAYS})
    return days


def forecast_lines(lines: list[ForecastLine], *, due_only: bool = False) -> list[str]:
    """Tab-separated: rule, data set, action, due now, then ``day=count`` for later days."""
    rows = []
    for line in lines:
        if due_only and not line.due_now:
            continue
        later = " ".join(f"{day.isoformat()}={count}" for day, count in line.upcoming if count)
        fields = [line.rule.key, line.data_set, line.action.value, str(line.due_now)]
        rows.append("\t".join(fields + ([] if due_only else [later])).rstrip())
    return rows


class Command(BaseCommand):
    help = gettext_noop(
        "Retention: delete or anonymize what the register's periods say has expired (sweep), or show "
        "what will expire (forecast)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        sweep = commands.add_parser(
            "sweep", help=gettext_noop("Run the sweep now in every workspace (or in one).")
        )
        sweep.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_noop("Only show what the sweep would delete or anonymize now."),
        )
        forecast = commands.add_parser(
            "forecast", help=gettext_noop("What the sweep will delete or anonymize, and when.")
        )
        forecast.add_argument(
            "--days", default="90", help=gettext_noop("How many days ahead (default 90, at most 3650).")
        )
        for command in (sweep, forecast):
            command.add_argument(
                "--workspace", default=None, help=gettext_noop("One workspace's short name (default: all).")
            )

    def handle(self, *args: Any, **options: Any) -> None:
        days = _days(options["days"]) if options["action"] == "forecast" else 0
        for workspace in _workspaces(options["workspace"]):
            actor = Actor.system(workspace)
            if options["action"] == "forecast" or options["dry_run"]:
                lines = retention_forecast(actor=actor, days=days)
                self.stdout.write(f"# {workspace.slug}")
                for row in forecast_lines(lines, due_only=options["action"] == "sweep"):
                    self.stdout.write(row)
                continue
            sweep = retention_sweep(actor=actor, trigger=SweepTrigger.MANUAL)
            self.stdout.write(f"# {workspace.slug}: {sweep.total}")
            for item in sweep.results:
                self.stdout.write(f"{item['rule']}\t{item['data_set']}\t{item['action']}\t{item['count']}")
