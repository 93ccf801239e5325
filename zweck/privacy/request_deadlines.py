"""The stored deadlines of data-subject requests, kept in step with the workspace's calendar.

A request stores ``due_on`` and ``extended_due_on`` (the queue sorts and filters by them). Both are
derived from the receipt and the workspace's working days by ``deadlines`` and from nothing
else: opening a request, extending it, the migration of existing requests and a change of the
workspace's federal state all use its functions.

Invariants:
- after ``workspace_federal_state_set`` every open request of the workspace carries the dates
  derived with the new state's public holidays; closed requests keep the deadline they were
  answered under;
- each request whose dates moved gets a line in its action log and an audit event naming the
  changed fields (dates only, nothing personal).
"""

from __future__ import annotations

from django.db import transaction

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.accounts.services import workspace_update
from zweck.audit.services import audit_record
from zweck.privacy.deadlines import stored_deadlines, working_days_of
from zweck.privacy.dsr import request_log
from zweck.privacy.models import DataSubjectRequest
from zweck.privacy.request_models import RequestStatus


@transaction.atomic
def workspace_federal_state_set(*, actor: Actor, federal_state: str) -> Workspace:
    """Set the federal state whose public holidays end the workspace's deadlines, and derive the
    deadlines of its open requests again with them."""
    workspace = workspace_update(actor=actor, federal_state=federal_state)
    working_days = working_days_of(workspace)
    open_requests = DataSubjectRequest.objects.select_for_update().filter(
        workspace_id=workspace.pk, status__in=(RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
    )
    for request in open_requests.order_by("pk"):
        due, extended = stored_deadlines(
            received_at=request.received_at,
            extended=request.extended_due_on is not None,
            working_days=working_days,
        )
        changed = [
            name
            for name, value in (("due_on", due), ("extended_due_on", extended))
            if getattr(request, name) != value
        ]
        if not changed:
            continue
        request.due_on, request.extended_due_on = due, extended
        request.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="dsr.deadline_recompute",
            instance=request,
            subject_ids=request.persons.values_list("pk", flat=True),
            changed_fields=changed,
        )
        request_log(
            request=request,
            actor=actor,
            action="dsr.deadline_recompute",
            note=(extended or due).isoformat(),
        )
    return workspace
