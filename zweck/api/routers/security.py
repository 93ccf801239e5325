"""/security-events: the workspace's sign-in and security log, for its owner."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from zweck.accounts import selectors
from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import Page, PageQuery, page_of
from zweck.api.schemas.security import SecurityEventFilter, SecurityEventOut

router = Router(tags=["security"])


@router.get("", response=answers(Page[SecurityEventOut]))
def list_security_events(
    request: HttpRequest, filters: Query[SecurityEventFilter], page: Query[PageQuery]
) -> Any:
    """Sign-ins, failed sign-ins, sign-outs, password resets, each token's first use on a day
    and refused actions of the workspace's members, newest first. Only the owner may read it."""
    actor, arguments = actor_of(request), filters.selector_arguments()
    rows = selectors.security_event_list(actor=actor, **arguments)
    return page_of(rows, page, reader=actor, filters=filters.model_fields_set)
