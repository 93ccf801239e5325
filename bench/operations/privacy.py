"""What the privacy officer does while the requester is on the phone: access export, erasure.

Both run in this process through the product's own function (as the CLI and the staff
UI call it), timed end to end: find the person, collect or erase, write the audit
event, serialise the export. Peak memory is this process's peak RSS.

The floors are the SQL a database needs for the same answer: every row about the
person (person, emails, phones, organizations, activities and deals they took part in,
their audit subject rows) plus the free-text mentions of their email, phone and full name
in every free-text column the register declares, which the architecture promises both
operations include, found through the same word indexes the product uses. Erasure's floor
blanks the rows only they took part in, replaces the mentions, deletes the person's rows
and writes the audit event, in one transaction.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from bench import floors
from bench.context import Context, Subject
from bench.measure import Stats, alternate, peak_rss
from bench.operations import Outcome, Target, call_product, first_product, operation
from zweck.audit.models import AuditEventSubject
from zweck.crm.models import Activity, ActivityParticipant, Deal, DealContact, Person

ACCESS_EXPORT = (
    ("zweck.privacy.access", "access_export"),
    ("zweck.privacy.exports", "access_export"),
    ("zweck.privacy.services", "access_export"),
    ("zweck.privacy.dsr", "access_export"),
)
ERASURE = (
    ("zweck.privacy.erasure", "person_erase"),
    ("zweck.privacy.services", "person_erase"),
    ("zweck.privacy.dsr", "person_erase"),
)

ACTIVITY = Activity._meta.db_table
PARTICIPANT = ActivityParticipant._meta.db_table
DEAL = Deal._meta.db_table
DEAL_CONTACT = DealContact._meta.db_table
AUDIT_SUBJECT = AuditEventSubject._meta.db_table


def consume(result: Any) -> int:
    """Turn whatever the product returned into bytes, as sending it to the requester would."""
    if result is None:
        return 0
    if isinstance(result, bytes | str):
        return len(result)
    if isinstance(result, dict | list | tuple):
        return len(json.dumps(result, default=str))
    for reader in ("getvalue", "read"):
        if hasattr(result, reader):
            return len(getattr(result, reader)())
    if hasattr(result, "__iter__"):
        return sum(len(chunk) for chunk in result)
    return len(json.dumps(getattr(result, "__dict__", str(result)), default=str))


def _person_and_terms(context: Context, subject: Subject) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The person with emails, phones and organizations, and the terms that identify them in text."""
    person = floors.person_rows_sql(
        f"SELECT id, first_name, last_name, position FROM {floors.PERSON} WHERE id = %s AND workspace_id = %s"
    )
    rows = context.fetch(person, [subject.id, context.workspace_id])
    emails = sorted({row[4] for row in rows if row[4]})
    phones = sorted({row[5] for row in rows if row[5]})
    names = sorted({f"{row[1]} {row[2]}".strip() for row in rows if row[1] and row[2]})
    return rows, floors.mention_terms(emails, phones, names)


def access_floor(context: Context, subject: Subject) -> int:
    rows, terms = _person_and_terms(context, subject)
    rows += context.fetch(
        f"SELECT a.id, a.kind, a.subject, a.body, a.starts_at, a.ends_at, a.location FROM {ACTIVITY} a "
        f"JOIN {PARTICIPANT} ap ON ap.activity_id = a.id WHERE ap.person_id = %s AND ap.workspace_id = %s",
        [subject.id, context.workspace_id],
    )
    rows += context.fetch(
        f"SELECT d.id, d.title, d.amount, d.status, dc.role FROM {DEAL} d "
        f"JOIN {DEAL_CONTACT} dc ON dc.deal_id = d.id WHERE dc.person_id = %s AND dc.workspace_id = %s",
        [subject.id, context.workspace_id],
    )
    rows += context.fetch(
        f"SELECT id, event_id FROM {AUDIT_SUBJECT} WHERE workspace_id = %s AND subject_id = %s",
        [context.workspace_id, subject.id],
    )
    if terms:
        mentions, params = floors.mention_select_sql(context.workspace_id, terms)
        rows += context.fetch(mentions, params)
    return len(json.dumps(rows, default=str))


@operation(
    "privacy.access_export",
    "Access export for one subject (Art. 15)",
    targets=(Target("p50_ms", 100, "access export p50 ≤ 100 ms"),),
)
def access_export(context: Context) -> Outcome:
    export = first_product(*ACCESS_EXPORT)
    sizes: dict[str, int] = {}

    def ours(index: int) -> None:
        subject = context.subject("read", index)
        person = Person.objects.get(pk=subject.id, workspace_id=context.workspace_id)
        sizes["ours"] = consume(
            call_product(
                export,
                actor=context.actor,
                workspace=context.actor.workspace,
                person=person,
                person_id=subject.id,
                person_ids=[subject.id],
                subject=person,
            )
        )

    def floor(index: int) -> None:
        sizes["floor"] = access_floor(context, context.subject("read", index))

    with peak_rss([os.getpid()]) as memory:
        samples = alternate(
            {"ours": ours, "floor": floor}, repetitions=context.repetitions, warmup=context.warmup
        )
    return Outcome(
        ours=Stats(
            samples["ours"],
            peak_rss_bytes=memory.peak_bytes,
            memory_method=memory.method + " of the benchmark process",
        ),
        floor=Stats(samples["floor"]),
        floor_sql="the person with emails, phones, organizations; activities and deals they took part in; "
        "their audit subject rows; in one UNION ALL, every free-text column of the register that holds their "
        "email, phone or full name, through the word indexes the product uses",
        peer_reason="the peer has no access export",
        notes=[
            f"last export: {sizes.get('ours', 0):,} bytes (floor rows as JSON: {sizes.get('floor', 0):,} bytes)"
        ],
    )


def erasure_floor(context: Context, subject: Subject) -> None:
    with context.raw_transaction() as cursor:
        # SQLite locks the whole database for the write transaction; PostgreSQL locks the row.
        lock = " FOR UPDATE" if context.database == "postgres" else ""
        cursor.execute(context.sql(f"SELECT id FROM {floors.PERSON} WHERE id = %s{lock}"), [subject.id])
        _rows, terms = _person_and_terms(context, subject)
        # The activities and deals only this person took part in lose their personal fields.
        for table, link, key, assignments in (
            (
                ACTIVITY,
                PARTICIPANT,
                "activity_id",
                "subject = '', body = '', starts_at = NULL, ends_at = NULL",
            ),
            (DEAL, DEAL_CONTACT, "deal_id", "title = '', close_reason = ''"),
        ):
            cursor.execute(
                context.sql(
                    f"UPDATE {table} SET {assignments} WHERE id IN (SELECT {key} FROM {link} WHERE person_id = %s) "
                    f"AND NOT EXISTS (SELECT 1 FROM {link} o WHERE o.{key} = {table}.id AND o.person_id <> %s)"
                ),
                [subject.id, subject.id],
            )
        for statement, params in floors.mention_redact_sql(context.workspace_id, terms, "[erased]"):
            cursor.execute(context.sql(statement), params)
        for statement in floors.person_dependent_deletes():
            cursor.execute(context.sql(statement), [subject.id])
        cursor.execute(
            context.sql(
                f"INSERT INTO {floors.AUDIT} (workspace_id, occurred_at, actor_id, channel, action, object_type, "
                "object_id, changed_fields, client_ip, actor_label, details, previous_hash, hash) "
                "VALUES (%s, CURRENT_TIMESTAMP, %s, 'cli', 'person.erase', 'crm.person', %s, '[]', NULL, '', '{}', "
                "'', '')"
            ),
            [context.workspace_id, context.actor.user_id, str(subject.id)],
        )


@operation(
    "privacy.erasure",
    "Erasure of one subject (Art. 17)",
    targets=(Target("p50_ms", 200, "erasure p50 ≤ 200 ms"),),
)
def erasure(context: Context) -> Outcome:
    erase = first_product(*ERASURE)
    # Zweck and the floor each erase their own persons: even ones for Zweck, odd for the floor.
    subjects = context.subjects("erase", 2 * context.samples_needed)

    def pick(system: int, index: int) -> Subject:
        return subjects[(2 * (index % context.samples_needed) + system) % len(subjects)]

    def ours(index: int) -> None:
        subject = pick(0, index)
        person = Person.objects.get(pk=subject.id, workspace_id=context.workspace_id)
        call_product(
            erase,
            actor=context.actor,
            workspace=context.actor.workspace,
            person=person,
            person_id=subject.id,
            person_ids=[subject.id],
            subject=person,
        )

    calls: dict[str, Callable[[int], object]] = {
        "ours": ours,
        "floor": lambda i: erasure_floor(context, pick(1, i)),
    }
    with peak_rss([os.getpid()]) as memory:
        samples = alternate(calls, repetitions=context.repetitions, warmup=context.warmup)
    return Outcome(
        ours=Stats(
            samples["ours"],
            peak_rss_bytes=memory.peak_bytes,
            memory_method=memory.method + " of the benchmark process",
        ),
        floor=Stats(samples["floor"]),
        floor_sql="in one transaction: lock the person, read their terms, blank the activities and deals only "
        "they took part in, REPLACE their email, phone and name in every free-text column that mentions them "
        "(word indexes), DELETE their participations, deal links, emails, phones, memberships and the person, "
        "INSERT the audit event",
        peer_reason="the peer has no erasure; deleting a contact is not the same answer",
        notes=["each repetition erases a different seeded person (top fifth of the id range)"],
    )
