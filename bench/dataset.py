"""The benchmark's data set: seeded once by ``zweck seed``'s generator, then reused.

A data set lives in its own database, ``zweck_bench_<persons>`` on PostgreSQL or
``var/bench/zweck_bench_<persons>.sqlite3`` on SQLite. A small table ``bench_dataset``
in it records what was seeded (generator version, sizes, seed, how long it took). A
later run reuses the database when that record matches; otherwise it drops and seeds
it again. The version is a digest of the generator's source and of the migrations, so
a changed generator or schema never measures stale data.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

REPO = Path(__file__).resolve().parent.parent
FORMAT = "1"
MARKER_TABLE = "bench_dataset"
OWNER_EMAIL = "bench-owner@example.com"


@dataclass
class Dataset:
    workspace_id: int
    owner_id: int
    persons: int
    seed: int
    seconds: float  # how long seeding took when it was done
    seeded_now: bool


def version() -> str:
    digest = hashlib.sha256(FORMAT.encode())
    for path in sorted((REPO / "zweck").glob("*/migrations/0*.py")):
        digest.update(path.name.encode())
    generator = REPO / "zweck" / "cli" / "seed.py"
    if generator.exists():
        digest.update(generator.read_bytes())
    return digest.hexdigest()[:16]


def read_marker() -> dict[str, str]:
    with connection.cursor() as cursor:
        if MARKER_TABLE not in connection.introspection.table_names(cursor):
            return {}
        cursor.execute(f"SELECT key, value FROM {MARKER_TABLE}")
        return dict(cursor.fetchall())


def write_marker(values: dict[str, object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key varchar(100) PRIMARY KEY, value text)"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        for key, value in values.items():
            cursor.execute(f"INSERT INTO {MARKER_TABLE} (key, value) VALUES (%s, %s)", [key, str(value)])


def seed_generator() -> Callable[..., Any]:
    try:
        from zweck.cli.seed import seed_generate
    except ImportError as error:
        raise RuntimeError(
            "The benchmark seeds its data with zweck.cli.seed.seed_generate, which does not exist yet."
        ) from error
    return seed_generate


def create_owner_workspace() -> tuple[Any, Any]:
    """The workspace the benchmark seeds into, and its owner (a login with no password)."""
    from zweck.accounts.services import user_create, workspace_create

    owner = user_create(email=OWNER_EMAIL, password=None, full_name="Benchmark Owner")
    workspace = workspace_create(name="Bench Beratung GmbH", slug="bench", owner=owner)
    return workspace, owner


def seed(
    *, workspace: Any, persons: int, seed_value: int = 1, progress: Callable[..., None] | None = None
) -> float:
    generate = seed_generator()
    started = time.perf_counter()
    generate(workspace=workspace, persons=persons, seed=seed_value, progress=progress)
    if connection.vendor == "postgresql":
        # Fresh tables have no statistics; without them the planner guesses and the
        # first runs would measure its guesses.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def ensure(*, persons: int, seed_value: int = 1, progress: Callable[[str], None] = print) -> Dataset:
    """Reuse the seeded data set in the current database, or migrate and seed it (an empty database)."""
    from django.core.management import call_command

    marker = read_marker()
    wanted = {"version": version(), "persons": str(persons), "seed": str(seed_value)}
    if marker and all(marker.get(key) == value for key, value in wanted.items()):
        progress(
            f"reusing the seeded data set ({persons:,} persons, seeded in {float(marker['seconds']):.0f} s)"
        )
        return Dataset(
            int(marker["workspace_id"]),
            int(marker["owner_id"]),
            persons,
            seed_value,
            float(marker["seconds"]),
            False,
        )
    if marker:
        raise StaleDataset(f"the data set here is {marker}, not {wanted}")
    progress("migrating …")
    call_command("migrate", interactive=False, verbosity=0)
    workspace, owner = create_owner_workspace()
    progress(f"seeding {persons:,} persons …")

    shown: dict[str, int] = {}

    def report(label: str, done: int, total: int) -> None:
        # Every tenth of each table, not every chunk.
        step = total // 10 or 1
        if done // step > shown.get(label, -1) or done == total:
            shown[label] = done // step
            progress(f"  {label}: {done:,} of {total:,}")

    seconds = seed(workspace=workspace, persons=persons, seed_value=seed_value, progress=report)
    progress(f"seeded in {seconds:.1f} s")
    write_marker({**wanted, "workspace_id": workspace.pk, "owner_id": owner.pk, "seconds": f"{seconds:.1f}"})
    return Dataset(workspace.pk, owner.pk, persons, seed_value, seconds, True)


class StaleDataset(RuntimeError):
    """The database holds another data set; the caller drops it and seeds anew."""


def counts(workspace_id: int) -> dict[str, int]:
    from zweck.crm.models import Activity, Deal, Organization, Person

    return {
        "persons": Person.objects.filter(workspace_id=workspace_id).count(),
        "organizations": Organization.objects.filter(workspace_id=workspace_id).count(),
        "activities": Activity.objects.filter(workspace_id=workspace_id).count(),
        "deals": Deal.objects.filter(workspace_id=workspace_id).count(),
    }
