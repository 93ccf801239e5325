"""Backups that restore, run as an operator runs them: ``zweck backup`` and ``zweck restore``
in their own processes against a real database (a SQLite file, or a fresh PostgreSQL database
on the local server when the suite runs on PostgreSQL) and a data directory of their own.

The story of each test: data is written, a backup taken, a person erased after it; the backup
is restored into an empty database; everything of the backup is back except the person erased
since, who stays erased."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, connections

from zweck.operations.sealing import SealError, key_new, key_read, seal, unseal

REPOSITORY = Path(__file__).resolve().parents[3]
POSTGRES = "postgres://postgres@127.0.0.1:5432/"

SEED = """
from zweck.accounts.actors import Actor
from zweck.accounts.services import workspace_create
from zweck.crm.services import person_create, EmailInput
ws = workspace_create(name="Beispiel GmbH", slug="beispiel")
actor = Actor.system(ws)
for first, last, email in [("Erika", "Bleibt", "erika@example.com"), ("Otto", "Geht", "otto@example.com")]:
    person_create(actor=actor, first_name=first, last_name=last, emails=[EmailInput(email)])
"""

ERASE = """
from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.crm.models import Person
from zweck.privacy.erasure import person_erase
ws = Workspace.objects.get(slug="beispiel")
person = Person.objects.get(workspace=ws, last_name="Geht")
person_erase(actor=Actor.system(ws), person_ids=[person.pk])
"""

COUNT = """
from zweck.crm.models import Person, PersonEmail
print(json.dumps(sorted(Person.objects.values_list("last_name", flat=True))))
print(json.dumps(sorted(PersonEmail.objects.values_list("email", flat=True))))
"""


def run(environment: dict[str, str], *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    finished = subprocess.run(
        [sys.executable, "-m", "zweck.cli.main", *arguments],
        env=environment,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if check and finished.returncode != 0:
        raise AssertionError(f"zweck {' '.join(arguments)} failed:\n{finished.stdout}\n{finished.stderr}")
    return finished


def python(environment: dict[str, str], code: str) -> str:
    return run(environment, "shell", "-c", "import json\n" + code).stdout


def people(environment: dict[str, str]) -> tuple[list[str], list[str]]:
    names, emails = python(environment, COUNT).strip().splitlines()[-2:]
    return json.loads(names), json.loads(emails)


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def database_url(transactional_db: None, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two databases of the suite's engine: the installation's, a copy of the suite's migrated
    (and empty) test database, which spares a full migration; and the restore's, empty."""
    if connection.vendor == "postgresql":
        names = [f"zweck_backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
        template = connection.settings_dict["NAME"]
        connections.close_all()
        _psql(f"CREATE DATABASE {names[0]} TEMPLATE {template}")
        _psql(f"CREATE DATABASE {names[1]}")
        yield POSTGRES + names[0], POSTGRES + names[1]
        for name in names:
            _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return
    live = tmp_path / "live.sqlite3"
    copy = sqlite3.connect(live)
    try:
        connection.ensure_connection()
        connection.connection.backup(copy)
    finally:
        copy.close()
    yield f"sqlite:///{live}", f"sqlite:///{tmp_path / 'restored' / 'zweck.sqlite3'}"


def installation(tmp_path: Path, url: str, name: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("ZWECK_", "DJANGO_"))
    }
    data = tmp_path / name
    data.mkdir(exist_ok=True)
    environment.update(
        DATABASE_URL=url,
        ZWECK_DATA_DIR=str(data),
        ZWECK_ERASURE_JOURNAL=str(tmp_path / "journal" / "erasure-journal.jsonl"),
        DJANGO_SETTINGS_MODULE="config.settings.development",
    )
    return environment


def altered(backup: Path, key: bytes, change: str) -> Path:
    """An opened copy of ``backup`` with its manifest claiming a newer schema, or a byte of its
    database changed."""
    plain = io.BytesIO()
    with backup.open("rb") as sealed:
        unseal(sealed, plain, key)
    plain.seek(0)
    copy = backup.with_name(f"{change}.tar.gz")
    with tarfile.open(fileobj=plain, mode="r:gz") as source, tarfile.open(copy, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json" and change == "newer":
                manifest = json.loads(data)
                manifest["migrations"].append("crm.9999_from_the_future")
                data = json.dumps(manifest).encode()
            elif member.name.startswith("database") and change == "damaged":
                data = data[:-1] + bytes([data[-1] ^ 1])
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return copy


def test_a_restored_backup_has_everything_but_whom_was_erased_since(
    tmp_path: Path, database_url: tuple[str, str]
) -> None:
    live_url, restored_url = database_url
    live = installation(tmp_path, live_url, "live")
    # The installation as an older release left it: the operations app's tables are missing.
    run(live, "migrate", "operations", "zero", "--verbosity=0")
    python(live, SEED)
    document = Path(live["ZWECK_DATA_DIR"]) / "media" / "documents" / "offer.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.7 an offer")
    key_file = tmp_path / "backup.key"
    run(live, "backup", "--new-key", str(key_file))
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"

    backup = Path(
        run(live, "backup", "--to", str(tmp_path / "backups"), "--key", str(key_file)).stdout.strip()
    )
    assert backup.name.endswith(".tar.gz.sealed")
    python(live, ERASE)
    assert people(live)[0] == ["Bleibt"]

    # Disaster: a new, empty database and data directory; the journal lives elsewhere and stays.
    restored = installation(tmp_path, restored_url, "restored")
    key = key_read(key_file)
    for refused_file, extra, reason in (
        (backup, [], "sealed"),
        (altered(backup, key, "newer"), [], "crm.9999_from_the_future"),
        (altered(backup, key, "damaged"), [], "checksum"),
    ):
        refused = run(restored, "restore", str(refused_file), *extra, check=False)
        assert refused.returncode != 0
        assert reason in refused.stderr, refused.stderr

    done = run(restored, "restore", str(backup), "--key", str(key_file))
    assert "1 persons erased again" in done.stdout, done.stdout
    assert "0 migrations applied" not in done.stdout
    names, emails = people(restored)
    assert names == ["Bleibt"]
    assert emails == ["erika@example.com"]
    restored_document = Path(restored["ZWECK_DATA_DIR"]) / "media" / "documents" / "offer.pdf"
    assert restored_document.read_bytes() == document.read_bytes()
    assert not (Path(restored["ZWECK_DATA_DIR"]) / "restore-in-progress").exists()
    # Every migration is applied, and the audit trail came back whole.
    assert run(restored, "migrate", "--check", check=False).returncode == 0
    assert run(restored, "audit", "verify").returncode == 0

    # A restore never overwrites a database that holds data.
    again = run(restored, "restore", str(backup), "--key", str(key_file), check=False)
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_sealing_round_trips_and_detects_every_change(tmp_path: Path) -> None:
    key_path = tmp_path / "key"
    key_new(key_path)
    with pytest.raises(FileExistsError):
        key_new(key_path)
    key = key_read(key_path)
    # Three chunks and a bit: the chunk boundaries and the last-chunk flag are exercised.
    plain = os.urandom(3 * 1024 * 1024 + 17)
    sealed = io.BytesIO()
    seal(io.BytesIO(plain), sealed, key)
    opened = io.BytesIO()
    unseal(io.BytesIO(sealed.getvalue()), opened, key)
    assert opened.getvalue() == plain

    blob = sealed.getvalue()
    flipped = bytearray(blob)
    flipped[len(blob) // 2] ^= 1
    chunk = 1024 * 1024 + 16
    header = 15
    for broken in (
        bytes(flipped),  # a changed byte
        blob[: -chunk // 2],  # cut short
        blob[: header + chunk],  # whole chunks dropped from the end
        blob[:header] + blob[header + chunk : header + 2 * chunk] + blob[header:],  # reordered
    ):
        with pytest.raises(SealError):
            unseal(io.BytesIO(broken), io.BytesIO(), key)
    other = tmp_path / "other"
    key_new(other)
    with pytest.raises(SealError):
        unseal(io.BytesIO(blob), io.BytesIO(), key_read(other))
