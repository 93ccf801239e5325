from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.operations.backup import BackupError, backup_create, default_directory
from zweck.operations.sealing import SealError, key_new, key_read


def backup_key(option: str | None) -> bytes | None:
    """The key named by ``--key`` or ``ZWECK_BACKUP_KEY_FILE``; none: the backup is not sealed."""
    path = option or settings.ZWECK_BACKUP_KEY_FILE
    if not path:
        return None
    try:
        return key_read(Path(path))
    except SealError as error:
        raise CommandError(str(error)) from error


class Command(BaseCommand):
    help = gettext_noop(
        "Back up the database and the data directory's files into one archive, while the server runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            help=gettext_noop(
                "The directory to write the backup to (default: ZWECK_BACKUP_DIR or DATA_DIR/backups)."
            ),
        )
        parser.add_argument(
            "--key",
            help=gettext_noop("A key file: the backup is sealed with it (default: ZWECK_BACKUP_KEY_FILE)."),
        )
        parser.add_argument(
            "--new-key",
            metavar="FILE",
            help=gettext_noop("Only write a new random key to FILE (readable by its owner only) and stop."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            path = Path(options["new_key"])
            try:
                key_new(path)
            except FileExistsError as error:
                raise CommandError(
                    _("%(path)s exists already; a key is never overwritten.") % {"path": path}
                ) from error
            self.stdout.write(
                _(
                    "Key written to %(path)s. Keep a copy away from the backups: without it they cannot be opened."
                )
                % {"path": path}
            )
            return
        target = Path(options["to"]) if options["to"] else default_directory()
        try:
            written = backup_create(target=target, key=backup_key(options["key"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(written))
