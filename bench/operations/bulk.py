"""Bulk work: CSV import (rows per second) and the streaming export of all persons (peak memory).

The import file is generated here: ``import_rows`` new persons with names, a unique
email on example.com, a unique phone number and a company, in the columns both Zweck
and the peer accept (first_name, last_name, email, phone, organization, title). The
peer takes at most 5,000 rows a file, so its time is the sum of as many files as that
needs. Imported persons are removed again afterwards, outside the timing.

The export floor reads every person with the primary email through a server-side
cursor (PostgreSQL) or the sqlite3 row iterator and writes CSV to /dev/null: the least
memory and time a full export can take on that database.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

from bench import floors
from bench.context import Context
from bench.measure import Stats, alternate, peak_rss
from bench.operations import Outcome, Target, call_product, first_product, operation
from bench.operations.privacy import consume
from zweck.crm.models import Person, PersonEmail

IMPORT = (
    ("zweck.crm.imports", "person_import_csv"),
    ("zweck.crm.imports", "person_import"),
    ("zweck.crm.services", "person_import_csv"),
    ("zweck.crm.importing", "person_import_csv"),
)
EXPORT = (
    ("zweck.crm.exports", "person_export_stream"),
    ("zweck.crm.exports", "person_export_csv"),
    ("zweck.crm.selectors", "person_export_stream"),
)
PEER_FILE_ROWS = 5_000
HEADER = ["first_name", "last_name", "email", "phone", "organization", "title"]
FIRST = [
    "Anna",
    "Jonas",
    "Lea",
    "Lukas",
    "Marie",
    "Felix",
    "Sophie",
    "Paul",
    "Emma",
    "Ben",
    "Olivia",
    "James",
]
LAST = ["Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Smith", "Taylor", "Brown"]


def import_rows(system: str, run: str, repetition: int, count: int) -> list[list[str]]:
    rows = []
    for n in range(count):
        serial = repetition * count + n
        rows.append(
            [
                FIRST[serial % len(FIRST)],
                f"{LAST[serial % len(LAST)]}{serial}",
                f"imp.{system}.{run}.{serial}@example.com",
                # Unique per file and system: +49 30 then 8 digits; the peer refuses duplicate phones.
                f"+49 30 {(hash((system, run)) % 90 + 10):02d}{serial:06d}",
                f"Importfirma {serial % 997} GmbH",
                "Einkauf",
            ]
        )
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _multi_row_insert(
    context: Context, cursor: Any, model: type, rows: list[dict[str, Any]], returning: bool
) -> list[int]:
    """One ``INSERT ... VALUES (...), (...)`` for all ``rows``; the new ids in insertion order."""
    statements = [floors.insert_sql(model, values) for values in rows]
    head = statements[0][0].split(" VALUES ")[0]
    placeholders = "(" + ", ".join(["%s"] * len(statements[0][1])) + ")"
    sql = f"{head} VALUES {', '.join([placeholders] * len(rows))}" + (" RETURNING id" if returning else "")
    cursor.execute(context.sql(sql), [value for _, params in statements for value in params])
    return sorted(row[0] for row in cursor.fetchall()) if returning else []


def import_floor(context: Context, rows: list[list[str]]) -> None:
    """Multi-row INSERTs of the persons and their emails, 500 rows a statement, one transaction."""
    now = timezone.now()
    stamps = {
        "workspace_id": context.workspace_id,
        "created_by_id": context.actor.user_id,
        "updated_by_id": context.actor.user_id,
        "created_at": now,
        "updated_at": now,
    }
    with context.raw_transaction() as cursor:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            persons = [
                {
                    **stamps,
                    "first_name": row[0],
                    "last_name": row[1],
                    "position": row[5],
                    "search_text": " ".join(row).lower(),
                }
                for row in batch
            ]
            ids = _multi_row_insert(context, cursor, Person, persons, returning=True)
            emails = [
                {**stamps, "person_id": person_id, "email": row[2], "is_primary": True}
                for person_id, row in zip(ids, batch, strict=True)
            ]
            _multi_row_insert(context, cursor, PersonEmail, emails, returning=False)


@operation(
    "import.csv",
    "CSV import of new persons",
    targets=(Target("throughput", 10_000, "import ≥ 10,000 rows/s"),),
    api=True,
)
def csv_import(context: Context) -> Outcome:
    importer = first_product(*IMPORT)
    repetitions = max(1, min(context.repetitions, 3))
    count = context.import_rows
    run = context.run_id
    files = {
        system: [to_csv(import_rows(system, run, r, count)) for r in range(repetitions + 1)]
        for system in ("z", "p")
    }
    floor_rows = [import_rows("f", run, r, count) for r in range(repetitions + 1)]

    def ours(index: int) -> None:
        content = files["z"][index % len(files["z"])]
        call_product(
            importer,
            actor=context.actor,
            file=io.BytesIO(content),
            stream=io.BytesIO(content),
            data=content,
            content=content,
            text=content.decode(),
            source=io.BytesIO(content),
        )

    calls: dict[str, Callable[[int], object]] = {
        "ours": ours,
        "floor": lambda i: import_floor(context, floor_rows[i % len(floor_rows)]),
    }
    peer_reason = "" if context.peer is not None else "no peer in this run"
    if context.peer is not None:
        peer = context.peer
        from bench.operations.api import expect

        def peer_import(index: int) -> None:
            rows = import_rows("p", run, index % (repetitions + 1), count)
            for start in range(0, len(rows), PEER_FILE_ROWS):
                expect(
                    peer.client.request(
                        "POST",
                        "/api/contacts/import/commit/",
                        files={
                            "file": ("contacts.csv", to_csv(rows[start : start + PEER_FILE_ROWS]), "text/csv")
                        },
                    ),
                    200,
                )

        calls["peer"] = peer_import
    try:
        with peak_rss([os.getpid()]) as memory:
            samples = alternate(calls, repetitions=repetitions, warmup=1)
    finally:
        emails = [
            f"imp.{system}.{run}.{serial}@example.com"
            for system in ("z", "f")
            for serial in range((repetitions + 1) * count)
        ]
        for start in range(0, len(emails), 5000):
            ids = PersonEmail.objects.filter(
                workspace_id=context.workspace_id, email__in=emails[start : start + 5000]
            )
            context.cleanup_persons(list(ids.values_list("person_id", flat=True)))
        context.peer_cleanup_emails(
            [f"imp.p.{run}.{serial}@example.com" for serial in range((repetitions + 1) * count)]
        )
    return Outcome(
        ours=Stats(
            samples["ours"],
            units_per_sample=count,
            unit="row",
            peak_rss_bytes=memory.peak_bytes,
            memory_method=memory.method + " of the benchmark process",
        ),
        floor=Stats(samples["floor"], units_per_sample=count, unit="row"),
        peer=Stats(samples["peer"], units_per_sample=count, unit="row") if "peer" in samples else None,
        peer_reason=peer_reason,
        floor_sql="multi-row INSERT of persons and their emails, 500 a statement, one transaction; no validation, no duplicate check",
        notes=[
            f"{count:,} rows a file; the peer gets {PEER_FILE_ROWS:,}-row files (its limit) through its API"
        ],
    )


def export_floor(context: Context) -> int:
    """Stream every visible person with the primary email as CSV to /dev/null."""
    query = context.sql(
        f"SELECT p.id, p.first_name, p.last_name, p.position, e.email FROM {floors.PERSON} p "
        f"LEFT JOIN {floors.EMAIL} e ON e.person_id = p.id AND e.is_primary "
        f"WHERE p.workspace_id = %s AND p.restricted_at IS NULL ORDER BY p.id"
    )
    raw = context.raw_connection()
    count = 0
    with open(os.devnull, "w", newline="") as sink:
        writer = csv.writer(sink)
        if context.database == "postgres":
            with raw.transaction(), raw.cursor(name="bench_export") as cursor:
                cursor.itersize = 2000
                cursor.execute(query, [context.workspace_id])
                for row in cursor:
                    writer.writerow(row)
                    count += 1
        else:
            cursor = raw.cursor()
            cursor.execute(query, [context.workspace_id])
            for row in cursor:
                writer.writerow(row)
                count += 1
            cursor.close()
    return count


@operation(
    "export.persons_stream",
    "Streaming export of all persons",
    targets=(Target("peak_mb", 200, "streaming export peak memory ≤ 200 MB"),),
)
def persons_stream(context: Context) -> Outcome:
    export = first_product(*EXPORT)
    repetitions = max(1, min(context.repetitions, 3))
    counted: dict[str, int] = {}
    stats: dict[str, Stats] = {}
    for system, run in (
        ("ours", lambda: counted.__setitem__("ours", consume(call_product(export, actor=context.actor)))),
        ("floor", lambda: counted.__setitem__("floor", export_floor(context))),
    ):
        with peak_rss([os.getpid()]) as memory:
            samples = alternate({system: lambda i, run=run: run()}, repetitions=repetitions, warmup=0)
        stats[system] = Stats(
            samples[system],
            peak_rss_bytes=memory.peak_bytes,
            memory_method=memory.method + " of the benchmark process",
        )
    rows = counted.get("floor", 0)
    for value in stats.values():
        value.units_per_sample, value.unit = rows, "row"
    # The benchmark process still holds what earlier operations used, so its peak says little
    # about the export; the judged peak is that of `zweck export-persons` in a process of its own.
    in_process = stats["ours"].peak_rss_bytes
    notes = [f"{rows:,} persons; Zweck wrote {counted.get('ours', 0):,} bytes"]
    own_process = export_process_peak(context)
    if own_process is None:
        notes.append("the database is not reachable from another process here (a test transaction or memory)")
    else:
        stats["ours"].peak_rss_bytes = own_process
        stats["ours"].memory_method = "peak RSS (ru_maxrss) of `zweck export-persons` run as its own process"
    if own_process and in_process:
        notes.append(
            f"inside the benchmark process, which earlier operations had grown, the peak was "
            f"{in_process / 2**20:,.0f} MB (the floor's row is measured there too)"
        )
    return Outcome(
        ours=stats["ours"],
        floor=stats["floor"],
        floor_sql="server-side cursor over every person with the primary email, CSV to /dev/null",
        peer_reason="the peer's export is not a stream of all contacts",
        notes=notes,
    )


def _database_url_for_another_process() -> str | None:
    """The current database as a ``DATABASE_URL``, or None where another process would not see
    this one's data (an open transaction, an in-memory SQLite database)."""
    settings = connection.settings_dict
    if connection.in_atomic_block:
        return None
    if connection.vendor == "sqlite":
        name = str(settings["NAME"])
        in_memory = name == ":memory:" or "mode=memory" in name
        return None if in_memory else f"sqlite:///{Path(name).resolve()}"
    user = quote(str(settings["USER"] or ""))
    password = f":{quote(str(settings['PASSWORD']))}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


def export_process_peak(context: Context) -> int | None:
    """The peak resident memory of the product's export command, run as a new process against
    the benchmark's database, in bytes; None where that process could not see the data."""
    url = _database_url_for_another_process()
    if url is None:
        return None
    target = context.scratch / "export-persons.csv"
    command = [str(Path(sys.executable).with_name("zweck")), "export-persons", "--out", str(target)]
    command += ["--workspace", context.actor.workspace.slug]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "DATABASE_URL": url}
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    target.unlink(missing_ok=True)
    if process.returncode != 0:
        raise RuntimeError(f"zweck export-persons failed ({process.returncode}): {errors[-500:]}")
    return usage.ru_maxrss * 1024  # kilobytes on Linux
