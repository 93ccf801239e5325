"""/workspace: the controller's details of the caller's workspace: every member reads them (the
notices publish them anyway); the owner changes them (``workspace.manage``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router

from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.workspace import WorkspaceOut, WorkspacePatch
from zweck.privacy.controller import controller_get, controller_update

router = Router(tags=["workspace"])


@router.get("", response=answers(WorkspaceOut))
def read_workspace(request: HttpRequest) -> Any:
    """The controller's details every privacy notice and the records of processing name."""
    return controller_get(actor=actor_of(request))


@router.patch("", response=answers(WorkspaceOut))
def update_workspace(request: HttpRequest, payload: WorkspacePatch) -> Any:
    """Change the controller's details; fields left out stay. A changed notice gets a new version,
    a new federal state moves the deadlines of the open requests."""
    actor = actor_of(request)
    with transaction.atomic():
        return controller_update(actor=actor, **payload.model_dump(exclude_unset=True))
