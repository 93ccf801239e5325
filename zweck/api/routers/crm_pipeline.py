"""/pipeline-stages: the workspace's own sales pipeline."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.api.schemas.deals import StageFilter, StageIn, StageOut, StagePatch
from zweck.crm import selectors, services

router = Router(tags=["pipeline"])


@router.get("", response=answers(Page[StageOut]))
def list_pipeline_stages(request: HttpRequest, filters: Query[StageFilter], page: Query[PageQuery]) -> Any:
    """The stages in pipeline order."""
    return page_of(
        selectors.pipeline_stage_list(actor=actor_of(request), **filters.selector_arguments()), page
    )


@router.post("", response=answers(StageOut, 201))
def create_pipeline_stage(request: HttpRequest, payload: StageIn) -> Any:
    """Append a stage at the end of the pipeline."""
    actor = actor_of(request)
    with transaction.atomic():
        stage = services.pipeline_stage_create(actor=actor, **payload.model_dump())
        return Status(201, selectors.pipeline_stage_get(actor=actor, stage_id=stage.pk))


@router.post("/install-defaults", response=answers(list[StageOut]))
def install_default_pipeline_stages(request: HttpRequest) -> Any:
    """Give a workspace without stages the default pipeline; an existing one is left alone."""
    actor = actor_of(request)
    with transaction.atomic():
        services.pipeline_install_defaults(actor=actor)
        return list(selectors.pipeline_stage_list(actor=actor, include_inactive=True))


@router.get("/{stage_id}", response=answers(StageOut))
def read_pipeline_stage(request: HttpRequest, stage_id: ObjectId) -> Any:
    return selectors.pipeline_stage_get(actor=actor_of(request), stage_id=stage_id)


@router.patch("/{stage_id}", response=answers(StageOut))
def update_pipeline_stage(request: HttpRequest, stage_id: ObjectId, payload: StagePatch) -> Any:
    """Rename, reorder, change the default probability of, or deactivate a stage."""
    actor = actor_of(request)
    with transaction.atomic():
        stage = selectors.pipeline_stage_get(actor=actor, stage_id=stage_id)
        services.pipeline_stage_update(actor=actor, stage=stage, **payload.model_dump(exclude_unset=True))
        return selectors.pipeline_stage_get(actor=actor, stage_id=stage_id)
