"""Backups that restore: the database and the data directory's files in one archive.

``backup_create`` writes ``zweck-backup-<time>.tar.gz`` (sealed with the operator's key:
``….tar.gz.sealed``, see ``sealing``) while the server runs:

- ``database.sqlite3``: SQLite's online backup API, a consistent copy even while requests
  write; or ``database.dump``: ``pg_dump --format=custom``, one consistent snapshot;
- ``files/…``: every file of the data directory (documents, attachments, the installation's
  key file, the erasure journal) except the database itself and the backups;
- ``manifest.json``: format, Zweck's version, when, which database, every applied migration,
  a fingerprint of the secret key (a keyed hash, not the key) and the SHA-256 of every member.

``backup_restore`` restores into an empty database and checks first: every checksum, that the
backup's migrations are all known to this code (a newer schema is refused), the database
engine. It then restores the database (atomically: SQLite by renaming a complete file into
place, PostgreSQL in a single transaction), the files, applies the migrations the backup lacks,
writes back every tombstone of the erasure journal the backup predates and erases those
subjects again. A marker file in the data directory says a restore is under way: the
readiness check fails while it exists, and running the same restore again resumes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from zweck.operations.health import restore_marker
from zweck.operations.sealing import is_sealed, seal, unseal

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
BUFFER = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on, with what to do about it."""


@dataclass(frozen=True)
class RestoreReport:
    backup_time: str
    migrations_applied: int
    files_restored: int
    tombstones_written: int
    erased_again: int
    resumed: bool


# --- what a backup holds ---------------------------------------------------------------------


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def key_fingerprint() -> str:
    """Tells whether two installations share a secret key without revealing it: tombstones are
    keyed with it, so a restore under another key could not find the erased again."""
    return salted_hmac("zweck.operations.backup", "key-fingerprint", algorithm="sha256").hexdigest()[:16]


def _database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _sqlite_path() -> Path:
    name = str(_database()["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(name).resolve()


def _postgres_env() -> dict[str, str]:
    database = _database()
    variables = dict(os.environ)  # the tools need PATH, locale and the like, and read PG* variables
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            variables[name] = str(database[key])
    return variables


def _run(command: list[str]) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            _("'%(tool)s' is not installed; install PostgreSQL's client tools (Debian: postgresql-client).")
            % {"tool": tool}
        )
    # The command is pg_dump or pg_restore with arguments this module builds; no shell.
    finished = subprocess.run(command, env=_postgres_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        last = (finished.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(_("%(tool)s failed: %(message)s") % {"tool": tool, "message": last})


def _dump_database(directory: Path) -> Path:
    if connection.vendor == "sqlite":
        target = directory / SQLITE_MEMBER
        source = sqlite3.connect(_sqlite_path())
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    if connection.vendor == "postgresql":
        target = directory / POSTGRES_MEMBER
        name = str(_database()["NAME"])
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                f"--dbname={name}",
            ]
        )
        return target
    raise BackupError(
        _("Backups of a %(vendor)s database are not supported.") % {"vendor": connection.vendor}
    )


def _excluded(backups: Path) -> list[Path]:
    """What of the data directory a backup leaves out: the database, the backups, the marker."""
    excluded = [backups.resolve(), restore_marker().resolve(), Path(settings.DATA_DIR).resolve() / "static"]
    if connection.vendor == "sqlite":
        database = _sqlite_path()
        excluded += [database, *(Path(f"{database}{suffix}") for suffix in SQLITE_SIDE_FILES)]
    return excluded


def data_files(backups: Path) -> Iterator[tuple[Path, str]]:
    """Each file of the data directory a backup keeps, with its name inside the archive."""
    root = Path(settings.DATA_DIR).resolve()
    if not root.is_dir():
        return
    excluded = _excluded(backups)
    for path in sorted(root.rglob("*")):
        resolved = path.resolve()
        if path.is_symlink() or not path.is_file() or path.name.startswith(".backup-"):
            continue
        if any(resolved == item or item in resolved.parents for item in excluded):
            continue
        yield path, FILES + path.relative_to(root).as_posix()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BUFFER):
            digest.update(block)
    return digest.hexdigest()


def default_directory() -> Path:
    configured = settings.ZWECK_BACKUP_DIR
    return Path(configured) if configured else Path(settings.DATA_DIR) / "backups"


def backup_create(*, target: Path | None = None, key: bytes | None = None) -> Path:
    """Write one backup into ``target`` (made if missing); the path of the file written."""
    target = (target or default_directory()).resolve()
    target.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    name = f"zweck-backup-{stamp}.tar.gz" + (".sealed" if key else "")
    with tempfile.TemporaryDirectory(dir=target, prefix=".backup-") as work_dir:
        work = Path(work_dir)
        migrations = applied_migrations()
        database = _dump_database(work)
        checksums = {database.name: _sha256(database)}
        archive_path = work / "backup.tar.gz"
        with tarfile.open(archive_path, "w:gz", compresslevel=6) as archive:
            archive.add(database, arcname=database.name)
            for path, member in data_files(target):
                checksums[member] = _sha256(path)
                archive.add(path, arcname=member)
            manifest = {
                "format": FORMAT,
                "product": "zweck",
                "version": _version(),
                "created_at": started.isoformat(),
                "vendor": connection.vendor,
                "migrations": migrations,
                "key_fingerprint": key_fingerprint(),
                "checksums": checksums,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(started.timestamp()), 0o600
            archive.addfile(info, _bytes(data))
        final = work / name
        if key:
            with archive_path.open("rb") as source, final.open("wb") as sealed:
                seal(source, sealed, key)
        else:
            archive_path.rename(final)
        os.chmod(final, 0o600)
        os.replace(final, target / name)
    return target / name


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zweck")
    except PackageNotFoundError:
        return "unknown"


def _bytes(data: bytes) -> IO[bytes]:
    import io

    return io.BytesIO(data)


# --- restoring -------------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
    except KeyError as error:
        raise BackupError(_("This file is not a Zweck backup: it has no manifest.")) from error
    if handle is None:
        raise BackupError(_("This file is not a Zweck backup: it has no manifest."))
    try:
        manifest: dict[str, Any] = json.loads(handle.read())
    except ValueError as error:
        raise BackupError(_("The backup's manifest cannot be read.")) from error
    if manifest.get("product") != "zweck" or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a Zweck backup of a format this version reads."))
    return manifest


def _verify(archive: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    checksums: dict[str, str] = manifest["checksums"]
    names = {member.name for member in archive.getmembers() if member.isfile()}
    unexpected = names - set(checksums) - {MANIFEST}
    missing = set(checksums) - names
    if unexpected or missing or not all(_safe_member(name) for name in names):
        raise BackupError(_("The backup's contents do not match its manifest; it was altered or cut short."))
    for name, expected in checksums.items():
        handle = archive.extractfile(name)
        digest = hashlib.sha256()
        while handle is not None and (block := handle.read(BUFFER)):
            digest.update(block)
        if digest.hexdigest() != expected:
            raise BackupError(
                _("The backup's %(member)s does not match its checksum; it was altered or damaged.")
                % {"member": name}
            )


def _check_schema(manifest: dict[str, Any]) -> None:
    unknown = sorted(set(manifest["migrations"]) - known_migrations())
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            _(
                "This backup was made by a newer version of Zweck (migrations this version does not know: "
                "%(migrations)s). Install that version or a later one, then restore."
            )
            % {"migrations": shown}
        )
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            _("This is a backup of a %(backup)s database; the configured database is %(vendor)s.")
            % {"backup": manifest["vendor"], "vendor": connection.vendor}
        )


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _restore_database(archive: tarfile.TarFile, work: Path) -> None:
    if connection.vendor == "sqlite":
        target = _sqlite_path()
        staged = target.with_name(f".{target.name}.restoring")
        with archive.extractfile(SQLITE_MEMBER) as source, staged.open("wb") as out:  # type: ignore[union-attr]
            shutil.copyfileobj(source, out, BUFFER)
        connection.close()
        for suffix in SQLITE_SIDE_FILES:
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staged, target)
        return
    dump = work / POSTGRES_MEMBER
    with archive.extractfile(POSTGRES_MEMBER) as source, dump.open("wb") as out:  # type: ignore[union-attr]
        shutil.copyfileobj(source, out, BUFFER)
    connection.close()
    name = str(_database()["NAME"])
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={name}",
            str(dump),
        ]
    )


def _restore_files(archive: tarfile.TarFile, work: Path, journal_name: str) -> tuple[int, Path | None]:
    """Write the backup's files into the data directory; the backup's erasure journal goes to
    ``work`` instead (the live journal is newer and stays). The count and that journal."""
    root = Path(settings.DATA_DIR).resolve()
    count, backup_journal = 0, None
    for member in archive.getmembers():
        if not member.isfile() or not member.name.startswith(FILES):
            continue
        relative = member.name.removeprefix(FILES)
        if relative == journal_name:
            backup_journal = work / "backup-erasure-journal.jsonl"
            target = backup_journal
        else:
            target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(member) as source, target.open("wb") as out:  # type: ignore[union-attr]
            shutil.copyfileobj(source, out, BUFFER)
        count += 1
    return count, backup_journal


def _adopt_restored_key() -> None:
    """With no key in the environment, the installation's key is the file in the data directory:
    the restored one from now on, in this process too."""
    path = Path(settings.DATA_DIR) / "secret-key"
    if not settings.ZWECK_SECRET_KEY_FROM_ENVIRONMENT and path.exists():
        restored = path.read_text().strip()
        if len(restored) >= 50:
            settings.SECRET_KEY = restored


def _mark(stage: str, source: Path) -> None:
    marker = restore_marker()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"source": str(source), "stage": stage}) + "\n")


def _marked_stage() -> str | None:
    marker = restore_marker()
    if not marker.exists():
        return None
    try:
        return str(json.loads(marker.read_text())["stage"])
    except (ValueError, KeyError, OSError):
        return "database"


def backup_restore(
    *,
    source: Path,
    key: bytes | None = None,
    journal: Path | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> RestoreReport:
    """Restore ``source`` into the configured (empty) database and data directory, then re-apply
    every erasure the backup predates. Run again after a crash, it resumes."""
    from zweck.accounts.actors import Actor
    from zweck.accounts.models import Workspace
    from zweck.privacy.erasure import erasure_reapply
    from zweck.privacy.erasure_journal import journal_file, journal_restore
    from zweck.privacy.models import ErasureTombstone

    if not source.is_file():
        raise BackupError(_("%(path)s is not a file.") % {"path": source})
    stage = _marked_stage()
    resumed = stage is not None
    data_dir = Path(settings.DATA_DIR).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    live_journal = journal or journal_file()
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".restore-") as work_dir:
        work = Path(work_dir)
        archive_path = source
        if is_sealed(source):
            if key is None:
                raise BackupError(_("This backup is sealed: name its key with --key."))
            archive_path = work / "backup.tar.gz"
            with source.open("rb") as sealed, archive_path.open("wb") as out:
                unseal(sealed, out, key)
        try:
            archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115  (closed by the with below)
        except (tarfile.TarError, OSError) as error:
            raise BackupError(_("This file is not a Zweck backup (not a readable archive).")) from error
        with archive:
            manifest = _read_manifest(archive)
            say(_("Checking the backup of %(time)s …") % {"time": manifest["created_at"]})
            _verify(archive, manifest)
            _check_schema(manifest)
            if stage in (None, "database"):
                if not _database_is_empty():
                    raise BackupError(
                        _(
                            "The configured database is not empty. Restore into a new, empty database "
                            "(create it, point DATABASE_URL at it), never over a live one."
                        )
                    )
                _mark("database", source)
                say(_("Restoring the database …"))
                _restore_database(archive, work)
                _mark("files", source)
            journal_name = (
                live_journal.resolve().relative_to(data_dir).as_posix()
                if live_journal.resolve().is_relative_to(data_dir)
                else "erasure-journal.jsonl"
            )
            say(_("Restoring the files …"))
            files, backup_journal = _restore_files(archive, work, journal_name)
        _adopt_restored_key()
        if manifest.get("key_fingerprint") != key_fingerprint():
            raise BackupError(
                _(
                    "This backup was made under another secret key. Set ZWECK_SECRET_KEY to the key of the "
                    "installation that made it and run the restore again; it resumes where it stopped."
                )
            )
        before = len(applied_migrations())
        say(_("Applying migrations …"))
        call_command("migrate", interactive=False, verbosity=0)
        applied = len(applied_migrations()) - before
        say(_("Erasing again whom the backup predates …"))
        written = journal_restore(live_journal) + (journal_restore(backup_journal) if backup_journal else 0)
        erased = 0
        holders = ErasureTombstone.objects.values_list("workspace_id", flat=True).distinct()
        for workspace in Workspace.objects.filter(pk__in=holders).order_by("pk"):
            erased += len(erasure_reapply(actor=Actor.system(workspace)))
    restore_marker().unlink(missing_ok=True)
    return RestoreReport(
        backup_time=str(manifest["created_at"]),
        migrations_applied=applied,
        files_restored=files,
        tombstones_written=written,
        erased_again=erased,
        resumed=resumed,
    )
