from __future__ import annotations

import pytest
from django.db import transaction

from zweck.accounts.actors import Actor
from zweck.audit.context import RequestContext, bound
from zweck.audit.models import AppendOnlyError, AuditEvent
from zweck.audit.services import AuditOutsideTransactionError, audit_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_audit_refuses_to_write_outside_a_transaction(owner: Actor) -> None:
    with pytest.raises(AuditOutsideTransactionError):
        audit_record(actor=owner, action="x.test", object_type="x", object_id=1)


def test_events_are_append_only(owner: Actor) -> None:
    with transaction.atomic():
        event = audit_record(
            actor=owner, action="x.test", object_type="x", object_id=1, subject_ids=[3, 3, 2]
        )
    assert list(event.subjects.order_by("subject_id").values_list("subject_id", flat=True)) == [2, 3]
    event.action = "x.changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x.changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x.test"


def test_request_context_supplies_ip_and_channel(owner: Actor) -> None:
    with bound(RequestContext(client_ip="192.0.2.10", channel="api")), transaction.atomic():
        event = audit_record(actor=owner, action="x.test", object_type="x")
    assert (event.client_ip, event.channel, event.actor_id) == ("192.0.2.10", "api", owner.user_id)


def test_rolled_back_change_leaves_no_event(owner: Actor) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=owner, action="x.test", object_type="x")
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == 0
