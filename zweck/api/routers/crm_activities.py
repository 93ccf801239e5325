"""/activities: meetings, calls, emails, tasks, notes and events."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from zweck.accounts.actors import Actor
from zweck.api import references
from zweck.api.auth import actor_of
from zweck.api.operations import NO_CONTENT, answers
from zweck.api.schemas.activities import ActivityFilter, ActivityIn, ActivityOut, ActivityPatch
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.crm import selectors, services
from zweck.crm.models import Activity

router = Router(tags=["activities"])


def _arguments(actor: Actor, payload: ActivityIn) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    if "owner_id" in data:
        data["owner"] = references.member(actor, data.pop("owner_id"))
    if "organization_id" in data:
        data["organization"] = references.organization(actor, data.pop("organization_id"))
    if "deal_id" in data:
        data["deal"] = references.deal(actor, data.pop("deal_id"))
    if "participant_ids" in data:
        data["participants"] = references.persons(
            actor, data.pop("participant_ids"), "participant_ids.{index}"
        )
    return data


def _read(actor: Actor, activity_id: int) -> Activity:
    return selectors.activity_get(actor=actor, activity_id=activity_id)


@router.get("", response=answers(Page[ActivityOut]))
def list_activities(request: HttpRequest, filters: Query[ActivityFilter], page: Query[PageQuery]) -> Any:
    """Activities, latest start first."""
    actor, arguments = actor_of(request), filters.selector_arguments()
    return page_of(
        selectors.activity_list(actor=actor, **arguments),
        page,
        reader=actor,
        filters=filters.model_fields_set,
    )


@router.post("", response=answers(ActivityOut, 201))
def create_activity(request: HttpRequest, payload: ActivityIn) -> Any:
    actor = actor_of(request)
    with transaction.atomic():
        activity = services.activity_create(actor=actor, **_arguments(actor, payload))
        return Status(201, _read(actor, activity.pk))


@router.get("/{activity_id}", response=answers(ActivityOut))
def read_activity(request: HttpRequest, activity_id: ObjectId) -> Any:
    return _read(actor_of(request), activity_id)


@router.patch("/{activity_id}", response=answers(ActivityOut))
def update_activity(request: HttpRequest, activity_id: ObjectId, payload: ActivityPatch) -> Any:
    """Change an activity; a participant list sent replaces the stored one."""
    actor = actor_of(request)
    with transaction.atomic():
        services.activity_update(
            actor=actor, activity=_read(actor, activity_id), **_arguments(actor, payload)
        )
        return _read(actor, activity_id)


@router.delete("/{activity_id}", response=NO_CONTENT)
def delete_activity(request: HttpRequest, activity_id: ObjectId) -> Any:
    actor = actor_of(request)
    services.activity_delete(actor=actor, activity=_read(actor, activity_id))
    return Status(204, None)


def _set_done(request: HttpRequest, activity_id: int, done: bool) -> Activity:
    actor = actor_of(request)
    with transaction.atomic():
        services.activity_complete(actor=actor, activity=_read(actor, activity_id), done=done)
        return _read(actor, activity_id)


@router.post("/{activity_id}/complete", response=answers(ActivityOut))
def complete_activity(request: HttpRequest, activity_id: ObjectId) -> Any:
    """Mark an activity (typically a task) done now."""
    return _set_done(request, activity_id, done=True)


@router.post("/{activity_id}/reopen", response=answers(ActivityOut))
def reopen_activity(request: HttpRequest, activity_id: ObjectId) -> Any:
    """Mark a done activity open again."""
    return _set_done(request, activity_id, done=False)
