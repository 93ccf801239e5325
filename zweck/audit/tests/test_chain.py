"""The hash chain: a row changed, removed or inserted behind the application's back (raw SQL)
is found by ``verify`` and named by its workspace and event; the retention sweep's removals
are not."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit import chain
from zweck.audit.chain import Finding, verify
from zweck.audit.models import AuditChain, AuditEvent, AuditEventSubject
from zweck.audit.services import audit_anchor, audit_record

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
SUBJECTS = AuditEventSubject._meta.db_table


def _record(actor: Actor, count: int, **extra: object) -> list[AuditEvent]:
    events = []
    for index in range(count):
        with transaction.atomic():
            events.append(
                audit_record(actor=actor, action="x.test", object_type="x", object_id=index, **extra)  # type: ignore[arg-type]
            )
    return events


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _findings(workspace_id: int | None) -> list[tuple[Finding, int | None]]:
    report = verify([workspace_id])
    return [(problem.finding, problem.event_id) for problem in report.problems]


def test_each_event_carries_the_hash_of_the_one_before(owner: Actor) -> None:
    first, second, third = _record(owner, 3, subject_ids=[5, 4])

    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.previous_hash == chain.GENESIS
    assert (second.previous_hash, third.previous_hash) == (first.hash, second.hash)
    stored = AuditEvent.objects.get(pk=second.pk)
    assert chain.digest(stored, [4, 5]) == second.hash
    head = AuditChain.objects.get(workspace_id=owner.workspace_id)
    assert (head.sequence, head.hash) == (3, third.hash)
    assert verify([owner.workspace_id]).intact


def test_workspaces_have_chains_of_their_own(owner: Actor, stranger: Actor) -> None:
    _record(owner, 2)
    (other,) = _record(stranger, 1)

    assert (other.sequence, other.previous_hash) == (1, chain.GENESIS)
    assert verify().intact


def test_a_changed_row_is_found_and_named(owner: Actor) -> None:
    events = _record(owner, 4)

    _sql(f"UPDATE {TABLE} SET object_id = %s WHERE id = %s", ["99", events[2].pk])

    assert _findings(owner.workspace_id) == [(Finding.CHANGED, events[2].pk)]


def test_a_changed_subject_is_found(owner: Actor) -> None:
    events = _record(owner, 2, subject_ids=[7])

    _sql(f"UPDATE {SUBJECTS} SET subject_id = %s WHERE event_id = %s", [8, events[0].pk])

    assert _findings(owner.workspace_id) == [(Finding.CHANGED, events[0].pk)]


def test_a_removed_row_is_found_at_the_event_after_it(owner: Actor) -> None:
    events = _record(owner, 4)

    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])

    report = verify([owner.workspace_id])
    (problem,) = report.problems
    assert (problem.finding, problem.event_id, problem.workspace_id) == (
        Finding.REMOVED,
        events[2].pk,
        owner.workspace_id,
    )
    assert "places 2–2" in problem.detail


def test_removing_the_newest_rows_is_found_against_the_head(owner: Actor) -> None:
    events = _record(owner, 3)

    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].pk])

    assert [p.finding for p in verify([owner.workspace_id]).problems] == [Finding.REMOVED]


def test_an_inserted_row_is_found(owner: Actor) -> None:
    events = _record(owner, 2)
    now = timezone.now()

    _sql(
        f"INSERT INTO {TABLE} (workspace_id, occurred_at, channel, action, object_type, object_id, "
        "changed_fields, actor_label, details, previous_hash, hash) "
        "VALUES (%s, %s, 'web', 'person.delete', 'crm.person', '1', '[]', 'system', '{}', '', '')",
        [owner.workspace_id, now],
    )
    inserted = AuditEvent.objects.exclude(pk__in=[e.pk for e in events]).get()

    assert _findings(owner.workspace_id) == [(Finding.UNCHAINED, inserted.pk)]


def test_a_row_slipped_in_with_a_recomputed_hash_breaks_the_link(owner: Actor) -> None:
    events = _record(owner, 3)
    # The forger moves the last event one place on and puts their own in its place.
    forged = AuditEvent.objects.get(pk=events[2].pk)
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].pk])
    forged.pk, forged.object_id, forged.previous_hash = None, "forged", events[1].hash
    forged.hash = chain.digest(forged, [])
    _sql(
        f"INSERT INTO {TABLE} (workspace_id, occurred_at, channel, action, object_type, object_id, "
        "changed_fields, actor_label, details, sequence, previous_hash, hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, '[]', %s, '{}', %s, %s, %s)",
        [
            owner.workspace_id,
            forged.occurred_at,
            forged.channel,
            forged.action,
            forged.object_type,
            forged.object_id,
            forged.actor_label,
            3,
            forged.previous_hash,
            forged.hash,
        ],
    )
    # The chain itself now reads well; its head does not.
    assert [p.finding for p in verify([owner.workspace_id]).problems] == [Finding.HEAD]


def test_a_rewritten_chain_shows_against_its_anchors(owner: Actor) -> None:
    events = _record(owner, 3)
    audit_anchor()
    # A forger who can write the database recomputes every hash after the row they change
    # and moves the head along: the chain is consistent again, the anchors are not.
    rows = list(AuditEvent.objects.filter(workspace_id=owner.workspace_id).order_by("sequence"))
    rows[1].object_id = "forged"
    previous = rows[0].hash
    for row in rows[1:]:
        row.previous_hash = previous
        row.hash = chain.digest(row, [])
        previous = row.hash
        _sql(
            f"UPDATE {TABLE} SET object_id = %s, previous_hash = %s, hash = %s WHERE id = %s",
            [row.object_id, row.previous_hash, row.hash, row.pk],
        )
    AuditChain.objects.filter(workspace_id=owner.workspace_id).update(hash=previous)

    problems = verify([owner.workspace_id]).problems

    assert {(p.finding, p.sequence) for p in problems} == {(Finding.ANCHOR, events[2].sequence)}
    assert {p.detail for p in problems} == {
        "the event differs from the anchor in the table",
        "the event differs from the anchor in the file",
    }


def test_anchors_are_signed_lines_in_the_data_directory(owner: Actor) -> None:
    _record(owner, 2)

    written = audit_anchor()
    again = audit_anchor()

    path = Path(settings.ZWECK["AUDIT_ANCHOR_FILE"])
    lines = path.read_text().splitlines()
    assert [(a.workspace_id, a.sequence) for a in written] == [(owner.workspace_id, 2)]
    assert again == []  # nothing moved since
    assert len(lines) == 1
    payload = json.loads(json.loads(lines[0])["payload"])
    assert (payload["workspace"], payload["sequence"]) == (owner.workspace_id, 2)
    # A line edited by hand no longer carries a valid signature.
    entry = json.loads(lines[0])
    entry["payload"] = entry["payload"].replace('"sequence":2', '"sequence":1')
    path.write_text(json.dumps(entry) + "\n")
    assert [p.detail for p in verify([owner.workspace_id]).problems] == [
        "an anchor in the file has a wrong signature"
    ]


def test_the_retention_sweep_removes_events_without_breaking_the_chain(owner: Actor) -> None:
    with transaction.atomic():
        old = AuditEvent.objects.create(
            workspace_id=owner.workspace_id,
            occurred_at=timezone.now() - timedelta(days=365 * 4),
            action="x.old",
            object_type="x",
        )
    events = _record(owner, 3)
    audit_anchor()

    assert AuditEvent.objects.filter(pk=old.pk).retention_delete() == 1
    assert AuditEvent.objects.filter(pk=events[0].pk).retention_delete() == 1

    assert verify([owner.workspace_id]).intact
    prune = AuditEvent.objects.filter(action=chain.PRUNE_ACTION).order_by("sequence").last()
    assert prune is not None and prune.details == {"floor": 2, "ranges": [], "count": 1}
    # A removal the sweep did not make is still found.
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    assert _findings(owner.workspace_id) == [(Finding.REMOVED, events[2].pk)]


def test_a_removal_in_the_middle_by_retention_is_accounted_for(owner: Actor) -> None:
    events = _record(owner, 4)

    AuditEvent.objects.filter(pk=events[1].pk).retention_delete()

    assert verify([owner.workspace_id]).intact
    prune = AuditEvent.objects.get(action=chain.PRUNE_ACTION)
    assert prune.details == {"floor": 0, "ranges": [[2, 2]], "count": 1}
    # The prune event itself leaves later; what it named stays accounted for.
    AuditEvent.objects.filter(pk__in=[events[0].pk, prune.pk]).retention_delete()
    assert verify([owner.workspace_id]).intact


def test_operator_events_form_a_chain_of_their_own() -> None:
    from zweck.audit.services import audit_record_operator

    with transaction.atomic():
        first = audit_record_operator(
            action="workspace.offboard", object_type="accounts.workspace", object_id=1
        )
    with transaction.atomic():
        second = audit_record_operator(
            action="workspace.offboard", object_type="accounts.workspace", object_id=2
        )

    assert (first.sequence, second.previous_hash, first.actor_label) == (1, first.hash, "operator")
    _sql(f"UPDATE {TABLE} SET object_id = %s WHERE id = %s", ["3", first.pk])
    assert _findings(None) == [(Finding.CHANGED, first.pk)]


def test_audit_verify_command_names_the_problem_and_fails(owner: Actor) -> None:
    from io import StringIO

    events = _record(owner, 2)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "The audit trail is intact." in out.getvalue()

    _sql(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["x.other", events[0].pk])
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify", stdout=out)

    assert failed.value.returncode == 1
    assert f"workspace {owner.workspace_id}, event {events[0].pk} (place 1): changed" in out.getvalue()
    assert "1 problem found." in str(failed.value)


def test_audit_anchor_command_and_the_nightly_maintenance_write_anchors(owner: Actor) -> None:
    from io import StringIO

    from zweck.privacy.retention import nightly_maintenance

    _record(owner, 2)
    out = StringIO()
    call_command("audit", "anchor", stdout=out)
    assert out.getvalue().startswith("1 chain anchored")
    _record(owner, 1)

    done = nightly_maintenance()

    assert done["audit_anchors"] >= 1
    lines = Path(settings.ZWECK["AUDIT_ANCHOR_FILE"]).read_text().splitlines()
    places = [json.loads(json.loads(line)["payload"]) for line in lines]
    assert [(p["workspace"], p["sequence"]) for p in places if p["workspace"] == owner.workspace_id][:1] == [
        (owner.workspace_id, 2)
    ]
    assert verify().intact


def test_subject_rows_leave_by_retention_too(owner: Actor) -> None:
    (event,) = _record(owner, 1, subject_ids=[3])

    assert AuditEventSubject.objects.filter(event=event).retention_delete() == 1
    assert AuditEvent.objects.filter(pk=event.pk).retention_delete() == 1

    assert verify([owner.workspace_id]).intact
