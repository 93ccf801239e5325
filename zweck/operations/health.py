"""Liveness and readiness of an installation, for load balancers, orchestrators and operators.

Liveness asks nothing but the process itself. Readiness asks what a request or a background
job needs: the database answers, every migration of this code is applied, no restore is
half-done, a task worker was seen recently (where tasks run in a worker at all), and the mail
server accepts connections (where mail goes out by SMTP). Each check says what it found in
words an operator can act on, never a personal value.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max
from django.utils import timezone

from zweck.operations.models import WorkerHeartbeat

SMTP_TIMEOUT_SECONDS = 2.0
_migrations_applied = threading.Event()


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def restore_marker() -> Path:
    """The file ``zweck restore`` keeps while it works: the installation is not ready until the
    restore (and its re-applied erasures) has finished."""
    return Path(settings.DATA_DIR) / "restore-in-progress"


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check("database", False, f"not reachable ({type(error).__name__})")
    return Check("database", True, f"{connection.vendor} answers")


def migrations_check() -> Check:
    """Every migration of this code is applied. Once true it stays true for this process (the
    code cannot change under it), so only the first ready answer loads the migration graph."""
    if _migrations_applied.is_set():
        return Check("migrations", True, "all applied")
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return Check("migrations", False, f"cannot be read ({type(error).__name__})")
    if plan:
        return Check("migrations", False, f"{len(plan)} not applied: run 'zweck migrate'")
    _migrations_applied.set()
    return Check("migrations", True, "all applied")


def restore_check() -> Check:
    if restore_marker().exists():
        return Check("restore", False, "a restore has not finished: run 'zweck restore' again")
    return Check("restore", True, "none in progress")


def tasks_run_in_worker() -> bool:
    backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
    return "Immediate" not in backend and "Dummy" not in backend


def worker_check() -> Check:
    if not tasks_run_in_worker():
        return Check("worker", True, "tasks run inside the request; no worker needed")
    stale = timedelta(minutes=settings.ZWECK["WORKER_STALE_MINUTES"])
    seen = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    if seen is None:
        return Check("worker", False, "no task worker has ever run: start 'zweck db_worker'")
    age = timezone.now() - seen
    if age > stale:
        minutes = int(age.total_seconds() // 60)
        return Check("worker", False, f"last seen {minutes} minutes ago: is 'zweck db_worker' running?")
    return Check("worker", True, "seen within the last minutes")


def smtp_check() -> Check:
    mailer: dict[str, Any] = dict(settings.MAILERS.get("default", {}))
    if not str(mailer.get("BACKEND", "")).endswith("smtp.EmailBackend"):
        return Check("smtp", True, "mail is not sent by SMTP here")
    options: dict[str, Any] = dict(mailer.get("OPTIONS", {}))
    address = (str(options.get("host") or "127.0.0.1"), int(options.get("port") or 25))
    try:
        with socket.create_connection(address, timeout=SMTP_TIMEOUT_SECONDS) as sock:
            sock.settimeout(SMTP_TIMEOUT_SECONDS)
            greeting = sock.recv(512)
            with contextlib.suppress(OSError):
                sock.sendall(b"QUIT\r\n")
    except OSError as error:
        return Check("smtp", False, f"{address[0]}:{address[1]} not reachable ({type(error).__name__})")
    if not greeting.startswith(b"220"):
        return Check("smtp", False, f"{address[0]}:{address[1]} does not greet as a mail server")
    return Check("smtp", True, f"{address[0]}:{address[1]} accepts connections")


READINESS: tuple[Callable[[], Check], ...] = (
    database_check,
    migrations_check,
    restore_check,
    worker_check,
    smtp_check,
)


def readiness() -> list[Check]:
    """Every readiness check, in order; a check that needs the database is skipped (and fails)
    when the database does not answer."""
    database = database_check()
    if not database.ok:
        skipped = (
            Check(c.__name__.removesuffix("_check"), False, "database not reachable") for c in READINESS[1:]
        )
        return [database, *skipped]
    return [database, *(check() for check in READINESS[1:])]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_heartbeat(name: str | None = None) -> None:
    """Say that this task worker is alive (called every minute by ``zweck db_worker``)."""
    now = timezone.now()
    name = name or worker_name()
    updated = WorkerHeartbeat.objects.filter(worker=name).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(worker=name, defaults={"seen_at": now, "started_at": now})
    # Workers gone for a week are forgotten, so the table holds only recent ones.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=7)).delete()
