"""``zweck import-persons FILE``: contacts from a CSV or XLSX file into a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.crm.choices import DataSource
from zweck.crm.imports import ON_DUPLICATE_CHOICES, person_import
from zweck.privacy.selectors import workspace_by_slug


class Command(BaseCommand):
    help = gettext_noop(
        "Import contacts from a CSV or XLSX file with a header row; nothing is written if a row has an error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=gettext_noop("The CSV or XLSX file."))
        parser.add_argument(
            "--partial",
            action="store_true",
            help=gettext_noop("Write the valid rows even if others have errors."),
        )
        parser.add_argument(
            "--on-duplicate",
            choices=ON_DUPLICATE_CHOICES,
            default="skip",
            help=gettext_noop("What a row whose email address is known already is: skipped or an error."),
        )
        parser.add_argument(
            "--source",
            choices=DataSource.values,
            default=DataSource.OTHER,
            help=gettext_noop("Where the data came from, for rows that do not say."),
        )
        parser.add_argument(
            "--workspace",
            default=None,
            help=gettext_noop("The workspace's short name (default: the only one)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            actor = Actor.system(workspace_by_slug(slug=options["workspace"]))
        except Workspace.DoesNotExist as error:
            raise CommandError(_("No such workspace; name it with --workspace.")) from error
        path: Path = options["file"]
        try:
            with path.open("rb") as file:
                report = person_import(
                    actor=actor,
                    file=file,
                    file_name=path.name,
                    on_duplicate=options["on_duplicate"],
                    partial=options["partial"],
                    data_source=options["source"],
                )
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s.") % {"file": path}) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for problem in report.errors:
            self.stderr.write(
                _("Row %(row)s, %(column)s: %(message)s")
                % {"row": problem.row, "column": problem.column, "message": problem.message}
            )
        if report.unknown_columns:
            self.stdout.write(
                _("Columns not imported: %(columns)s") % {"columns": ", ".join(report.unknown_columns)}
            )
        self.stdout.write(
            _(
                "%(read)s rows read, %(created)s contacts created, %(skipped)s duplicates skipped, "
                "%(organizations)s organizations created."
            )
            % {
                "read": report.rows_read,
                "created": report.created,
                "skipped": report.skipped_duplicates,
                "organizations": report.organizations_created,
            }
        )
        if report.errors and not options["partial"]:
            raise CommandError(_("The file has errors; nothing was imported."))
