"""The workspace's pipeline stages: list them in order, add, rename, reorder and delete them."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zweck.core.permissions import Permission
from zweck.crm import selectors
from zweck.crm.models import PipelineStage
from zweck.crm.services import pipeline_stage_delete, pipeline_stage_move
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.forms import PipelineStageForm
from zweck.web.staff.pages import delete_page, form_page

# Both: the stages are read through the deal selectors, and changed only by pipeline managers.
MANAGE = (Permission.DEAL_VIEW, Permission.PIPELINE_MANAGE)
MOVES = {"up": -1, "down": 1}


def _list_url() -> str:
    return reverse("staff:pipeline_stage_list")


def _stage_name(stage: PipelineStage) -> str:
    # The default stages are stored in English and shown translated, as on the board.
    return _(stage.name)


@staff_view(*MANAGE)
def pipeline_stage_list(request: StaffRequest) -> HttpResponse:
    stages = selectors.pipeline_stage_list(actor=request.actor, include_inactive=True)
    return render_page(
        request,
        "staff/pipeline/stages.html",
        {
            "stages": list(stages.annotate(deal_count=Count("deals")).order_by("position", "pk")),
            "form": PipelineStageForm(actor=request.actor),
        },
    )


@staff_view(*MANAGE)
def pipeline_stage_create(request: StaffRequest) -> HttpResponse:
    return form_page(
        request,
        PipelineStageForm(request.POST or None, actor=request.actor),
        heading=_("New pipeline stage"),
        done=lambda created: (_("Stage %(stage)s added.") % {"stage": _stage_name(created)}, _list_url()),
        cancel_url=_list_url(),
    )


@staff_view(*MANAGE)
def pipeline_stage_edit(request: StaffRequest, stage_id: int) -> HttpResponse:
    stage = selectors.pipeline_stage_get(actor=request.actor, stage_id=stage_id)
    return form_page(
        request,
        PipelineStageForm(request.POST or None, actor=request.actor, stage=stage),
        heading=_("Rename stage %(stage)s") % {"stage": _stage_name(stage)},
        done=lambda saved: (_("Changes saved."), _list_url()),
        cancel_url=_list_url(),
    )


@require_POST
@staff_view(*MANAGE)
def pipeline_stage_move_view(request: StaffRequest, stage_id: int) -> HttpResponse:
    stage = selectors.pipeline_stage_get(actor=request.actor, stage_id=stage_id)
    offset = MOVES.get(request.POST.get("direction", ""))
    if offset is not None:
        pipeline_stage_move(actor=request.actor, stage=stage, offset=offset)
        messages.success(request, _("Stage %(stage)s moved.") % {"stage": _stage_name(stage)})
    return redirect(f"{_list_url()}#stage-{stage.pk}")


@staff_view(*MANAGE)
def pipeline_stage_delete_confirm(request: StaffRequest, stage_id: int) -> HttpResponse:
    stage = selectors.pipeline_stage_get(actor=request.actor, stage_id=stage_id)
    return delete_page(
        request,
        delete=lambda: pipeline_stage_delete(actor=request.actor, stage=stage),
        heading=_("Delete stage %(stage)s?") % {"stage": _stage_name(stage)},
        explanation=_("Only a stage that holds no deals, open or closed, can be deleted."),
        cancel_url=_list_url(),
        deleted_message=_("Stage deleted."),
        deleted_url=_list_url(),
    )
