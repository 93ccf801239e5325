from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.cli.management.commands.backup import backup_key
from zweck.operations.backup import BackupError, backup_restore
from zweck.operations.sealing import SealError


class Command(BaseCommand):
    help = gettext_noop(
        "Restore a backup into an empty database, apply newer migrations, and erase again everyone "
        "erased after the backup was made."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext_noop("The backup file (zweck-backup-….tar.gz[.sealed])."))
        parser.add_argument(
            "--key", help=gettext_noop("The key file of a sealed backup (default: ZWECK_BACKUP_KEY_FILE).")
        )
        parser.add_argument(
            "--journal",
            help=gettext_noop(
                "The erasure journal to re-apply (default: ZWECK_ERASURE_JOURNAL or DATA_DIR/erasure-journal.jsonl)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(
                source=Path(options["file"]),
                key=backup_key(options["key"]),
                journal=Path(options["journal"]) if options["journal"] else None,
                say=self.stdout.write,
            )
        except (BackupError, SealError) as error:
            raise CommandError(str(error)) from error
        if report.resumed:
            self.stdout.write(_("An earlier, interrupted restore of this backup was completed."))
        self.stdout.write(
            _(
                "Restored the backup of %(time)s: %(files)s files, %(migrations)s migrations applied, "
                "%(tombstones)s erasures recorded after the backup, %(erased)s persons erased again."
            )
            % {
                "time": report.backup_time,
                "files": report.files_restored,
                "migrations": report.migrations_applied,
                "tombstones": report.tombstones_written,
                "erased": report.erased_again,
            }
        )
