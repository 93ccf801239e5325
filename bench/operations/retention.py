"""The retention sweep: rows per second that leave when their period ends, beside a raw DELETE.

Each run takes two equal sets of seeded persons from the "retention" part of the id range (the
even ones for Zweck, the odd ones for the floor) and ends their business relationships long
ago. Zweck's sweep (``retention_sweep``, as the nightly task calls it) erases its set through
the erasure path: the person and every row about them, their activities anonymized, search
words, a tombstone and an audit event per data set and batch. The floor removes the same kinds
of rows for the other set with raw SQL in one transaction: DELETE of every row that dies with
a person, the UPDATE that blanks the activities only they took part in, DELETE of the persons.
Throughput is rows removed or anonymized per second; both sides count their own rows.

The sets are consumed: each run removes persons from the cached data set (about one in a
thousand per run), as the erasure operation does.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.db.models import Max, Min

from bench import floors
from bench.context import PURPOSE_RANGES, Context
from bench.measure import Stats, peak_rss
from bench.operations import NotBuilt, Outcome, Target, operation
from zweck.crm.models import Activity, ActivityParticipant, Person

ENDED_LONG_AGO = "2015-06-30"
ACTIVITY = Activity._meta.db_table
PARTICIPANT = ActivityParticipant._meta.db_table


def _persons(context: Context, count: int) -> list[int]:
    """``2 * count`` persons from the retention part of the id range, lowest ids first."""
    persons = Person.objects.filter(workspace_id=context.workspace_id, restricted_at=None)
    bounds = persons.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        raise RuntimeError("the benchmark workspace has no persons")
    start, _end = PURPOSE_RANGES["retention"]
    first = bounds["low"] + int((bounds["high"] - bounds["low"] + 1) * start)
    return list(
        persons.filter(id__gte=first, relationship_ended_on=None)
        .order_by("id")
        .values_list("id", flat=True)[: 2 * count]
    )


def _end_relationships(context: Context, ids: list[int]) -> None:
    for offset in range(0, len(ids), 1000):
        Person.objects.filter(workspace_id=context.workspace_id, id__in=ids[offset : offset + 1000]).update(
            relationship_ended_on=ENDED_LONG_AGO
        )


def _in(ids: list[int]) -> str:
    return ", ".join(str(int(pk)) for pk in ids)


def sweep_floor(context: Context, ids: list[int]) -> int:
    """Remove ``ids`` and their rows with raw SQL in one transaction; the rows affected."""
    affected = 0
    members = _in(ids)
    with context.raw_transaction() as cursor:
        cursor.execute(
            f"UPDATE {ACTIVITY} SET subject = '', body = '', starts_at = NULL, ends_at = NULL, location = '' "
            f"WHERE id IN (SELECT activity_id FROM {PARTICIPANT} WHERE person_id IN ({members})) "
            f"AND NOT EXISTS (SELECT 1 FROM {PARTICIPANT} o WHERE o.activity_id = {ACTIVITY}.id "
            f"AND o.person_id NOT IN ({members}))"
        )
        affected += max(cursor.rowcount, 0)
        for statement in floors.person_dependent_deletes():
            cursor.execute(statement.replace("= %s", f"IN ({members})"))
            affected += max(cursor.rowcount, 0)
    return affected


@operation(
    "retention.sweep",
    "Retention sweep",
    targets=(Target("throughput", 100_000, "retention sweep ≥ 100,000 rows/s"),),
)
def retention_sweep(context: Context) -> Outcome:
    try:
        from zweck.privacy.retention import retention_sweep as sweep
        from zweck.privacy.services import register_defaults_install
    except ImportError as error:
        raise NotBuilt(str(error)) from error
    register_defaults_install(actor=context.actor)
    total = Person.objects.filter(workspace_id=context.workspace_id).count()
    count = max(10, min(2000, total // 1000))
    chosen = _persons(context, count)
    ours_ids, floor_ids = chosen[0::2], chosen[1::2]
    rows: dict[str, Any] = {}

    with peak_rss([os.getpid()]) as memory:
        _end_relationships(context, ours_ids)
        started = time.perf_counter_ns()
        report = sweep(actor=context.actor)
        ours_ns = time.perf_counter_ns() - started
        rows["ours"] = report.total
        started = time.perf_counter_ns()
        rows["floor"] = sweep_floor(context, floor_ids)
        floor_ns = time.perf_counter_ns() - started
    left = Person.objects.filter(id__in=ours_ids).count()
    return Outcome(
        ours=Stats(
            [ours_ns],
            units_per_sample=max(rows["ours"], 1),
            unit="row",
            peak_rss_bytes=memory.peak_bytes,
            memory_method=memory.method + " of the benchmark process",
        ),
        floor=Stats([floor_ns], units_per_sample=max(rows["floor"], 1), unit="row"),
        floor_sql="in one transaction: UPDATE blanking the activities only the set took part in, then DELETE "
        "of every row that dies with a person (participations, deal links, emails, phones, memberships, search "
        "words) and of the persons, by id lists",
        peer_reason="the peer has no retention rules",
        notes=[
            f"{len(ours_ids):,} persons swept by Zweck ({rows['ours']:,} rows, {left} left), "
            f"{len(floor_ids):,} by the floor ({rows['floor']:,} rows); one timed run each (the rows are consumed)"
        ],
    )
