from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from zweck.accounts.selectors import workspace_get_by_slug
from zweck.accounts.services import workspace_create
from zweck.cli.seed import seed_generate


class Command(BaseCommand):
    help = gettext_noop("Generate a large, deterministic sample data set (for the benchmark).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True, help=gettext_noop("How many persons."))
        parser.add_argument(
            "--organizations", type=int, help=gettext_noop("How many organizations (default: persons / 5).")
        )
        parser.add_argument(
            "--activities-per-person",
            type=float,
            default=10,
            help=gettext_noop("Activities per person on average (default 10)."),
        )
        parser.add_argument("--seed", type=int, default=1, help=gettext_noop("Same seed, same data."))
        parser.add_argument(
            "--workspace",
            default="seed",
            help=gettext_noop("Short name of the workspace to fill; created when missing (default: seed)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = workspace_get_by_slug(slug=options["workspace"])
        if workspace is None:
            workspace = workspace_create(name=_("Generated data"), slug=options["workspace"])
            self.stdout.write(_("Created workspace %(slug)s.") % {"slug": workspace.slug})
        with Progress(
            TextColumn("{task.description:>13}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=False,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(what: str, done: int, total: int) -> None:
                if what not in tasks:
                    tasks[what] = bar.add_task(what, total=total if total >= 0 else None)
                bar.update(tasks[what], completed=done)

            report = seed_generate(
                workspace=workspace,
                persons=options["persons"],
                organizations=options["organizations"],
                activities_per_person=options["activities_per_person"],
                seed=options["seed"],
                progress=progress,
            )
        counts = ", ".join(f"{count} {what}" for what, count in report.rows.items())
        self.stdout.write(
            _(
                "Wrote %(counts)s into %(slug)s in %(seconds).1f s (%(index_seconds).1f s of it rebuilding indexes)."
            )
            % {
                "counts": counts,
                "slug": workspace.slug,
                "seconds": report.seconds,
                "index_seconds": report.index_seconds,
            }
        )
