"""/deals: sales opportunities moving through the pipeline until won or lost."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from zweck.accounts.actors import Actor
from zweck.api import references
from zweck.api.auth import actor_of
from zweck.api.operations import NO_CONTENT, answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.api.schemas.deals import DealCloseIn, DealFilter, DealIn, DealMoveIn, DealOut, DealPatch
from zweck.crm import selectors, services
from zweck.crm.models import Deal

router = Router(tags=["deals"])


def _arguments(actor: Actor, payload: DealIn) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    if "owner_id" in data:
        data["owner"] = references.member(actor, data.pop("owner_id"))
    if "organization_id" in data:
        data["organization"] = references.organization(actor, data.pop("organization_id"))
    if "stage_id" in data:
        data["stage"] = references.stage(actor, data.pop("stage_id"))
    if "contact_ids" in data:
        data["contacts"] = references.persons(actor, data.pop("contact_ids"), "contact_ids.{index}")
    if data.get("probability", 0) is None:
        # Left to the stage's default, as if it had not been sent.
        del data["probability"]
    return data


def _read(actor: Actor, deal_id: int) -> Deal:
    return selectors.deal_get(actor=actor, deal_id=deal_id)


@router.get("", response=answers(Page[DealOut]))
def list_deals(request: HttpRequest, filters: Query[DealFilter], page: Query[PageQuery]) -> Any:
    """Deals, most recently changed first."""
    actor, arguments = actor_of(request), filters.selector_arguments()
    return page_of(
        selectors.deal_list(actor=actor, **arguments), page, reader=actor, filters=filters.model_fields_set
    )


@router.post("", response=answers(DealOut, 201))
def create_deal(request: HttpRequest, payload: DealIn) -> Any:
    actor = actor_of(request)
    with transaction.atomic():
        deal = services.deal_create(actor=actor, **_arguments(actor, payload))
        return Status(201, _read(actor, deal.pk))


@router.get("/{deal_id}", response=answers(DealOut))
def read_deal(request: HttpRequest, deal_id: ObjectId) -> Any:
    return _read(actor_of(request), deal_id)


@router.patch("/{deal_id}", response=answers(DealOut))
def update_deal(request: HttpRequest, deal_id: ObjectId, payload: DealPatch) -> Any:
    """Change a deal's details; closing and reopening have their own actions."""
    actor = actor_of(request)
    with transaction.atomic():
        services.deal_update(actor=actor, deal=_read(actor, deal_id), **_arguments(actor, payload))
        return _read(actor, deal_id)


@router.delete("/{deal_id}", response=NO_CONTENT)
def delete_deal(request: HttpRequest, deal_id: ObjectId) -> Any:
    actor = actor_of(request)
    services.deal_delete(actor=actor, deal=_read(actor, deal_id))
    return Status(204, None)


@router.post("/{deal_id}/move", response=answers(DealOut))
def move_deal(request: HttpRequest, deal_id: ObjectId, payload: DealMoveIn) -> Any:
    """Move an open deal to another stage; its probability becomes the stage's default."""
    actor = actor_of(request)
    with transaction.atomic():
        deal = _read(actor, deal_id)
        stage = references.stage(actor, payload.stage_id)
        assert stage is not None
        services.deal_move(actor=actor, deal=deal, stage=stage)
        return _read(actor, deal_id)


@router.post("/{deal_id}/close", response=answers(DealOut))
def close_deal(request: HttpRequest, deal_id: ObjectId, payload: DealCloseIn) -> Any:
    """Mark an open deal won or lost, with the reason."""
    actor = actor_of(request)
    with transaction.atomic():
        services.deal_close(actor=actor, deal=_read(actor, deal_id), won=payload.won, reason=payload.reason)
        return _read(actor, deal_id)


@router.post("/{deal_id}/reopen", response=answers(DealOut))
def reopen_deal(request: HttpRequest, deal_id: ObjectId) -> Any:
    """Open a won or lost deal again, in the stage it was in."""
    actor = actor_of(request)
    with transaction.atomic():
        services.deal_reopen(actor=actor, deal=_read(actor, deal_id))
        return _read(actor, deal_id)


def _set_archived(request: HttpRequest, deal_id: int, archived: bool) -> Deal:
    actor = actor_of(request)
    with transaction.atomic():
        services.deal_archive(actor=actor, deal=_read(actor, deal_id), archived=archived)
        return _read(actor, deal_id)


@router.post("/{deal_id}/archive", response=answers(DealOut))
def archive_deal(request: HttpRequest, deal_id: ObjectId) -> Any:
    return _set_archived(request, deal_id, archived=True)


@router.post("/{deal_id}/unarchive", response=answers(DealOut))
def unarchive_deal(request: HttpRequest, deal_id: ObjectId) -> Any:
    return _set_archived(request, deal_id, archived=False)
