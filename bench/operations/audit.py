"""The audit trail's hash chain: what sealing each event into its workspace's chain costs.

Every service writes its audit event inside its own transaction; the bulk paths (an import,
each batch of the retention sweep, an erasure) write one event per transaction too. So the
path to measure is one event per transaction: Zweck's ``audit_record`` (lock the chain's head,
hash the canonical form, INSERT, UPDATE the head) beside the floor, a raw INSERT of the same
row without a chain, each in a transaction of its own. A sample is 50 such transactions.
The events are real rows of the benchmark workspace's trail; they stay (the trail is
append-only) and the floor's rows, outside the chain, are removed again.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from bench import floors
from bench.context import Context
from bench.measure import Stats
from bench.operations import NotBuilt, Outcome, operation

PER_SAMPLE = 50


@operation("audit.append", "Audit event appended to its chain")
def audit_append(context: Context) -> Outcome:
    try:
        from zweck.audit.models import AuditEvent
        from zweck.audit.services import audit_record
    except ImportError as error:
        raise NotBuilt(str(error)) from error
    ours: list[int] = []
    floor: list[int] = []
    floor_ids: list[int] = []
    for repetition in range(context.samples_needed):
        started = time.perf_counter_ns()
        for index in range(PER_SAMPLE):
            with transaction.atomic():
                audit_record(
                    actor=context.actor,
                    action="bench.append",
                    object_type="crm.person",
                    object_id=index,
                    subject_ids=[index + 1],
                    changed_fields=["last_name"],
                )
        elapsed = time.perf_counter_ns() - started
        sql, params = floors.insert_sql(
            AuditEvent,
            {
                "workspace_id": context.workspace_id,
                "actor_id": context.actor.user_id,
                "action": "bench.append",
                "object_type": "crm.person",
                "object_id": "1",
                "changed_fields": ["last_name"],
                "occurred_at": timezone.now(),
            },
        )
        started_floor = time.perf_counter_ns()
        for _index in range(PER_SAMPLE):
            with context.raw_transaction() as cursor:
                cursor.execute(context.sql(sql), params)
                floor_ids.append(cursor.fetchone()[0])
        floor_elapsed = time.perf_counter_ns() - started_floor
        if repetition >= context.warmup:
            ours.append(elapsed)
            floor.append(floor_elapsed)
    with context.raw_transaction() as cursor:
        for offset in range(0, len(floor_ids), 1000):
            chunk = ", ".join(str(int(pk)) for pk in floor_ids[offset : offset + 1000])
            cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id IN ({chunk})")
    return Outcome(
        ours=Stats(ours, units_per_sample=PER_SAMPLE, unit="event"),
        floor=Stats(floor, units_per_sample=PER_SAMPLE, unit="event"),
        floor_sql="INSERT of the same audit row without a chain, one transaction per row",
        peer_reason="the peer keeps no tamper-evident audit trail",
        notes=[f"{PER_SAMPLE} events per sample, each in its own transaction (as every service writes them)"],
    )
