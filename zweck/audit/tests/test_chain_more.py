"""Who acted stays known as a pseudonym after the user is deleted; parallel appends on
PostgreSQL take consecutive places; the migration chains the events written before the chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.audit import chain
from zweck.audit.chain import verify
from zweck.audit.models import AuditChain, AuditEvent
from zweck.audit.services import audit_record
from zweck.core.permissions import Role


def _record(actor: Actor, object_id: int = 1) -> AuditEvent:
    with transaction.atomic():
        return audit_record(actor=actor, action="x.test", object_type="x", object_id=object_id)


@pytest.mark.django_db
def test_the_actor_stays_a_pseudonym_after_the_user_is_deleted(owner: Actor, actor_with_role: object) -> None:
    colleague = actor_with_role(Role.SALES)  # type: ignore[operator]
    mine, theirs, again = _record(owner), _record(colleague), _record(colleague)
    assert colleague.user is not None
    email, name = colleague.user.email, colleague.user.full_name

    User.objects.filter(pk=colleague.user_id).delete()

    stored = AuditEvent.objects.get(pk=theirs.pk)
    assert stored.actor_id is None
    assert stored.actor_label == theirs.actor_label == again.actor_label
    assert stored.actor_label.startswith("user-") and stored.actor_label != mine.actor_label
    assert email not in stored.actor_label and name not in stored.actor_label
    assert stored.actor_label != f"user-{colleague.user_id}"
    # The deletion set the actor to NULL: no one tampered, the chain holds.
    assert verify([owner.workspace_id]).intact


@pytest.mark.django_db
def test_one_user_has_a_different_label_in_each_workspace(owner: Actor, stranger: Actor) -> None:
    from zweck.accounts.models import Membership

    Membership.objects.create(workspace=stranger.workspace, user=owner.user, role=Role.SALES)
    here = _record(owner)
    there = _record(Actor(workspace=stranger.workspace, user=owner.user, role=Role.SALES))

    assert here.actor_label != there.actor_label


@pytest.mark.django_db
def test_the_system_acts_under_its_own_label(workspace: object) -> None:
    event = _record(Actor.system(workspace))  # type: ignore[arg-type]

    assert (event.actor_id, event.actor_label) == (None, "system")


@pytest.mark.django_db
def test_a_row_given_another_user_is_found(owner: Actor, actor_with_role: object) -> None:
    colleague = actor_with_role(Role.SALES)  # type: ignore[operator]
    event = _record(owner)

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET actor_id = %s WHERE id = %s",
            [colleague.user_id, event.pk],
        )

    assert [p.finding for p in verify([owner.workspace_id]).problems] == [chain.Finding.LABEL]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time anyway")
@pytest.mark.django_db(transaction=True)
def test_parallel_transactions_take_consecutive_places(owner: Actor) -> None:
    threads, each = 6, 15
    start = threading.Barrier(threads)
    failures: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            start.wait()
            for index in range(each):
                _record(owner, offset * 100 + index)
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert failures == []
    places = list(
        AuditEvent.objects.in_workspace(owner.workspace_id)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert places == list(range(1, threads * each + 1))
    assert AuditChain.objects.get(pk=owner.workspace_id).sequence == threads * each
    assert verify([owner.workspace_id]).intact


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_events_written_before(owner: Actor) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0001_initial")])
    old = executor.loader.project_state([("audit", "0001_initial")]).apps
    historical = old.get_model("audit", "AuditEvent")
    subject = old.get_model("audit", "AuditEventSubject")
    first = historical.objects.create(
        workspace_id=owner.workspace_id,
        actor_id=owner.user_id,
        action="person.create",
        object_type="crm.person",
    )
    subject.objects.create(event_id=first.pk, workspace_id=owner.workspace_id, subject_id=4)
    second = historical.objects.create(
        workspace_id=owner.workspace_id, channel="web", action="person.update", object_type="crm.person"
    )
    operator = historical.objects.create(action="workspace.offboard", object_type="accounts.workspace")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    events = {e.pk: e for e in AuditEvent.objects.filter(pk__in=[first.pk, second.pk, operator.pk])}
    assert (events[first.pk].sequence, events[second.pk].sequence, events[operator.pk].sequence) == (1, 2, 1)
    assert events[second.pk].previous_hash == events[first.pk].hash
    assert events[first.pk].actor_label.startswith("user-")
    assert (events[second.pk].actor_label, events[operator.pk].actor_label) == ("unknown", "operator")
    assert verify().intact
    # The next event continues the chain.
    assert _record(owner).sequence == 3
    assert verify().intact
