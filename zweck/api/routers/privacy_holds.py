"""/privacy/holds: legal holds on persons, activities and deals — placed with a reason and an end
date, listed, ended early with reasons. /privacy/requests/{id}/lift-restriction and
/privacy/requests/{id}/objection/decide: the request steps that end or confirm a restriction."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.routers.privacy_requests import RequestOut
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.api.schemas.privacy_holds import (
    HoldFilter,
    HoldIn,
    HoldOut,
    HoldReleaseIn,
    ObjectionDecisionIn,
    RestrictionLiftIn,
)
from zweck.privacy import dsr, holds

router = Router(tags=["privacy holds"])
requests_router = Router(tags=["privacy requests"])


@router.get("", response=answers(Page[HoldOut]))
def list_record_holds(request: HttpRequest, filters: Query[HoldFilter], page: Query[PageQuery]) -> Any:
    """The workspace's holds, the nearest end first; ``state=active`` for those not yet ended
    (one whose date has passed stays active until ``zweck privacy release-holds`` ends it)."""
    rows = holds.hold_list(actor=actor_of(request), **filters.selector_arguments())
    return page_of(rows, page)


@router.post("", response=answers(HoldOut, 201))
def place_record_hold(request: HttpRequest, payload: HoldIn) -> Any:
    """Place a legal hold on a person, activity or deal: it stays in use, and an erasure keeps it,
    restricted, until the hold ends."""
    return Status(201, holds.record_hold_place(actor=actor_of(request), **payload.model_dump()))


@router.get("/{hold_id}", response=answers(HoldOut))
def read_record_hold(request: HttpRequest, hold_id: ObjectId) -> Any:
    return holds.hold_get(actor=actor_of(request), hold_id=hold_id)


@router.post("/{hold_id}/release", response=answers(HoldOut))
def release_record_hold(request: HttpRequest, hold_id: ObjectId, payload: HoldReleaseIn) -> Any:
    """End a hold before its date, with reasons. A record an erasure kept is erased now; a live
    record stays as it is."""
    actor = actor_of(request)
    hold = holds.hold_get(actor=actor, hold_id=hold_id)
    return holds.record_hold_release(actor=actor, hold=hold, reason=payload.reason)


@requests_router.post("/{request_id}/lift-restriction", response=answers(RequestOut))
def lift_privacy_request_restriction(
    request: HttpRequest, request_id: ObjectId, payload: RestrictionLiftIn
) -> Any:
    """Lift the restriction of the request's person records, with reasons; the subject is told
    first (Art. 18(3) GDPR)."""
    actor = actor_of(request)
    dsr.dsr_restriction_lift(
        actor=actor, request=dsr.dsr_get(actor=actor, request_id=request_id), reason=payload.reason
    )
    return dsr.dsr_get(actor=actor, request_id=request_id)


@requests_router.post("/{request_id}/objection/decide", response=answers(RequestOut))
def decide_privacy_objection(request: HttpRequest, request_id: ObjectId, payload: ObjectionDecisionIn) -> Any:
    """Decide an objection to processing on legitimate interests (Art. 21(1) GDPR)."""
    actor = actor_of(request)
    dsr.objection_decide(
        actor=actor,
        request=dsr.dsr_get(actor=actor, request_id=request_id),
        compelling_grounds=payload.decision == "rejected",
        reason=payload.reason,
    )
    return dsr.dsr_get(actor=actor, request_id=request_id)
