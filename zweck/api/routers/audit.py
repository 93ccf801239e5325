"""/audit-events: the workspace's audit trail, for those allowed to read it. There is no
operation that changes or removes an event."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.audit import AuditEventFilter, AuditEventOut
from zweck.api.schemas.base import Page, PageQuery, page_of
from zweck.audit.selectors import audit_event_list

router = Router(tags=["audit"])


@router.get("", response=answers(Page[AuditEventOut]))
def list_audit_events(request: HttpRequest, filters: Query[AuditEventFilter], page: Query[PageQuery]) -> Any:
    """Every change to the workspace's records and every bulk read of personal data, newest first."""
    rows = audit_event_list(actor=actor_of(request), **filters.selector_arguments()).prefetch_related(
        "subjects"
    )
    return page_of(rows, page)
