"""Driving the peer from the benchmark process (which never imports the peer's code)."""

from __future__ import annotations

import csv
import os
import re
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from bench.http import ServerClient
from bench.server import Server, start_gunicorn

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
VAR = HERE / "var"
TEMPLATE_DATABASE = "bottlecrm_bench"
OWNER_EMAIL = "bench-owner@example.com"
MARKER = "bench_dataset"


def installed() -> bool:
    return (VENV / "bin" / "gunicorn").exists() and (VENV / "bin" / "django-admin").exists()


def setup(database: str) -> None:
    subprocess.run([str(HERE / "setup"), database], check=True)


class Peer:
    """One peer database holding one data set, and the server on it."""

    def __init__(self, *, database: str, key: str, postgres_url: str) -> None:
        self.database, self.key, self.postgres_url = database, key, postgres_url
        self.name = f"{TEMPLATE_DATABASE}_{key}"
        self.sqlite_path = VAR / f"peer_{key}.sqlite3"
        self.server: Server | None = None

    # --- its database ---------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        env = {
            "PYTHONPATH": str(HERE),
            "DJANGO_SETTINGS_MODULE": "peer_settings",
            "BENCH_PEER_DATABASE": self.database,
        }
        if self.database == "postgres":
            env["BENCH_PEER_DBNAME"] = self.name
        else:
            env["BENCH_PEER_SQLITE_PATH"] = str(self.sqlite_path)
        return env

    def _postgres_url(self, name: str) -> str:
        return self.postgres_url.rsplit("/", 1)[0] + "/" + name

    def connect(self) -> Any:
        if self.database == "postgres":
            return psycopg.connect(self._postgres_url(self.name), autocommit=True)
        connection = sqlite3.connect(self.sqlite_path)
        connection.isolation_level = None
        return connection

    def prepare_database(self, dataset: str) -> None:
        """Copy the migrated template into this data set's database; a copy holding another data set goes first."""
        if self._exists() and self.marker().get("dataset") not in (None, dataset):
            self._drop()
        if self._exists():
            return
        if self.database == "postgres":
            with psycopg.connect(self.postgres_url, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(self.name), sql.Identifier(TEMPLATE_DATABASE)
                    )
                )
            return
        source = sqlite3.connect(VAR / "peer.sqlite3")
        target = sqlite3.connect(self.sqlite_path)
        source.backup(target)
        target.close()
        source.close()

    def _exists(self) -> bool:
        if self.database == "sqlite":
            return self.sqlite_path.exists()
        with psycopg.connect(self.postgres_url, autocommit=True) as admin:
            return bool(
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)).fetchone()
            )

    def _drop(self) -> None:
        if self.database == "sqlite":
            self.sqlite_path.unlink()
            return
        with psycopg.connect(self.postgres_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(self.name)))

    def marker(self) -> dict[str, str]:
        connection = self.connect()
        try:
            cursor = connection.cursor()
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (key varchar(100) PRIMARY KEY, value text)")
            cursor.execute(f"SELECT key, value FROM {MARKER}")
            return dict(cursor.fetchall())
        finally:
            connection.close()

    def remember(self, **values: object) -> None:
        connection = self.connect()
        placeholder = "%s" if self.database == "postgres" else "?"
        try:
            cursor = connection.cursor()
            for key, value in values.items():
                cursor.execute(f"DELETE FROM {MARKER} WHERE key = {placeholder}", (key,))
                cursor.execute(
                    f"INSERT INTO {MARKER} (key, value) VALUES ({placeholder}, {placeholder})",
                    (key, str(value)),
                )
        finally:
            connection.close()

    def ids_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(emails))
        connection = self.connect()
        placeholder = "%s" if self.database == "postgres" else "?"
        try:
            cursor = connection.cursor()
            cursor.execute(
                f"SELECT email, id FROM contacts WHERE email IN ({', '.join([placeholder] * len(wanted))})",
                wanted,
            )
            return {email: str(contact_id) for email, contact_id in cursor.fetchall()}
        finally:
            connection.close()

    # --- its commands -----------------------------------------------------------------------

    def admin(self, *arguments: str, debug: bool = False) -> str:
        env = {**os.environ, **self.environment(), "DEBUG": "True" if debug else "False"}
        VAR.mkdir(exist_ok=True)
        result = subprocess.run(
            [str(VENV / "bin" / "django-admin"), *arguments],
            env=env,
            cwd=VAR,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def python(self, *arguments: str) -> str:
        env = {**os.environ, **self.environment()}
        result = subprocess.run(
            [str(VENV / "bin" / "python"), *arguments],
            env=env,
            cwd=VAR,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def access_token(self, org_id: str | None = None) -> str:
        arguments = ["devlogin", OWNER_EMAIL, "--create"]
        if org_id:
            arguments = ["devlogin", OWNER_EMAIL, "--org", org_id]
        output = self.admin(*arguments, debug=True)
        match = re.search(r"access_token:\s+(\S+)", output)
        if match is None:
            raise RuntimeError("the peer's devlogin printed no access token")
        return match.group(1)

    # --- its server ---------------------------------------------------------------------------

    def start(self, *, workers: int, log: Path) -> Server:
        self.server = start_gunicorn(
            name="peer",
            gunicorn=VENV / "bin" / "gunicorn",
            application="crm.wsgi:application",
            workers=workers,
            environment={**self.environment(), "DEBUG": "False"},
            cwd=VAR,
            log=log,
        )
        return self.server

    def client(self, token: str) -> ServerClient:
        assert self.server is not None
        return ServerClient(
            host="127.0.0.1", port=self.server.port, token=token, pids=self.server.worker_pids()
        )

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def bootstrap(self) -> tuple[str, str]:
        """An organization and a personal access token for its owner (both kept in the marker)."""
        known = self.marker()
        if "token" in known and "org_id" in known:
            return known["token"], known["org_id"]
        # A token is only shown once, so a lost one means a new token, in the same organization.
        org_id = known.get("org_id", "")
        if not org_id:
            first = ServerClient(host="127.0.0.1", port=self.server.port, token=self.access_token())  # type: ignore[union-attr]
            created = first.request("POST", "/api/org/", json_body={"name": "Bench Beratung GmbH"})
            if created.status not in (200, 201):
                raise RuntimeError(
                    f"the peer refused to create an organization: HTTP {created.status} {created.body[:300]!r}"
                )
            body = created.json()
            org_id = str(body.get("id") or body.get("org", {}).get("id") or body.get("org_id"))
            self.remember(org_id=org_id)
        bound = ServerClient(host="127.0.0.1", port=self.server.port, token=self.access_token(org_id))  # type: ignore[union-attr]
        answer = bound.request("POST", "/api/profile/tokens/", json_body={"name": "bench"})
        if answer.status not in (200, 201):
            raise RuntimeError(f"the peer refused a token: HTTP {answer.status} {answer.body[:300]!r}")
        token_body = answer.json()
        token = str(token_body["token"])  # shown once; "token_prefix" is only its start
        self.remember(token=token)
        return token, org_id

    def load(self, *, dataset: str, org_id: str, write_csv: Callable[[Path], int]) -> int:
        """Load Zweck's persons once per data set; the count loaded (or already there)."""
        known = self.marker()
        if known.get("dataset") == dataset:
            return int(known["persons"])
        path = VAR / f"persons_{self.key}.csv"
        write_csv(path)
        loaded = int(self.python(str(HERE / "load.py"), "load", str(path), org_id).strip().splitlines()[-1])
        path.unlink()
        self.remember(dataset=dataset, persons=loaded)
        if self.database == "postgres":
            connection = self.connect()
            connection.execute("ANALYZE")
            connection.close()
        return loaded

    def delete_emails(self, org_id: str) -> Callable[[list[str]], None]:
        def delete(emails: list[str]) -> None:
            path = VAR / f"delete_{self.key}.txt"
            path.write_text("\n".join(emails))
            self.python(str(HERE / "load.py"), "delete", str(path), org_id)
            path.unlink()

        return delete


def write_persons_csv(path: Path, rows: Iterable[tuple[Any, ...]]) -> int:
    """Zweck's persons in the peer's import columns; an email seen twice is kept once (its constraint)."""
    seen: set[str] = set()
    count = 0
    with path.open("w", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(["first_name", "last_name", "email", "phone", "organization", "title"])
        for first, last, email, phone, organization, title in rows:
            email = (email or "").lower()
            if email in seen:
                email = ""
            seen.add(email)
            writer.writerow([first, last, email, (phone or "")[:25], organization or "", title or ""])
            count += 1
    return count
