"""Deal pages: list, pipeline board, detail, forms, moving between stages, winning and losing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zweck.core.permissions import Permission
from zweck.crm import selectors
from zweck.crm.choices import DealStatus
from zweck.crm.models import Deal
from zweck.crm.services import deal_archive, deal_delete, deal_move, deal_reopen
from zweck.web.staff.access import StaffRequest, redirect_back, render_page, staff_view
from zweck.web.staff.activities import activity_panel_context
from zweck.web.staff.forms import DealCloseForm, DealForm
from zweck.web.staff.listing import list_template, paginate, sort_by
from zweck.web.staff.pages import archive_toggle, delete_page, form_page
from zweck.web.staff.sales_links import sales_panel_context

SORTS = {
    "title": "title",
    "-title": "-title",
    "amount": "amount",
    "-amount": "-amount",
    "close": "expected_close_on",
    "-close": "-expected_close_on",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


@staff_view(Permission.DEAL_VIEW)
def deal_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", DealStatus.OPEN)
    stage = request.GET.get("stage", "")
    deals = selectors.deal_list(
        actor=request.actor,
        query=query or None,
        status=status if status in DealStatus.values else None,
        stage_id=int(stage) if stage.isdigit() else None,
        include_archived=request.GET.get("archived") == "1",
    )
    page = paginate(request, sort_by(request, deals, SORTS))
    return render_page(
        request,
        list_template(request, "staff/deals/list.html"),
        {
            "heading": _("Deals"),
            "search_hint": _("Title or organization"),
            "page": page,
            "query": query,
            "status": status,
            "stage": stage,
            "status_choices": DealStatus.choices,
            "stages": selectors.pipeline_stage_list(actor=request.actor),
            "include_archived": request.GET.get("archived") == "1",
            "sort": request.GET.get("sort", ""),
        },
    )


def _board_context(request: StaffRequest) -> dict[str, Any]:
    stages = list(selectors.pipeline_stage_list(actor=request.actor))
    deals = selectors.deal_list(actor=request.actor, status=DealStatus.OPEN).order_by("-amount", "pk")
    by_stage: dict[int, list[Any]] = {stage.pk: [] for stage in stages}
    for deal in deals:
        by_stage.setdefault(deal.stage_id, []).append(deal)
    return {"columns": [(stage, by_stage[stage.pk]) for stage in stages], "stages": stages}


@staff_view(Permission.DEAL_VIEW)
def deal_board(request: StaffRequest) -> HttpResponse:
    return render_page(request, "staff/deals/board.html", _board_context(request))


@require_POST
@staff_view(Permission.DEAL_CHANGE)
def deal_move_view(request: StaffRequest, deal_id: int) -> HttpResponse:
    deal = selectors.deal_get(actor=request.actor, deal_id=deal_id)
    stage_id = request.POST.get("stage", "")
    stage = selectors.pipeline_stage_get(
        actor=request.actor, stage_id=int(stage_id) if stage_id.isdigit() else 0
    )
    try:
        deal_move(actor=request.actor, deal=deal, stage=stage)
        messages.success(
            request, _("%(deal)s moved to %(stage)s.") % {"deal": deal.title, "stage": _(stage.name)}
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    if request.htmx:
        return render_page(request, "staff/deals/board.html#board", _board_context(request))
    return redirect_back(request, reverse("staff:deal_board"))


@staff_view(Permission.DEAL_VIEW)
def deal_detail(request: StaffRequest, deal_id: int) -> HttpResponse:
    deal = selectors.deal_get(actor=request.actor, deal_id=deal_id)
    return render_page(
        request,
        "staff/deals/detail.html",
        {
            "deal": deal,
            "stages": selectors.pipeline_stage_list(actor=request.actor),
            **activity_panel_context(request, deal=deal),
            **sales_panel_context(request, deal=deal),
        },
    )


def _detail_url(deal: Deal) -> str:
    return reverse("staff:deal_detail", args=[deal.pk])


@staff_view(Permission.DEAL_CHANGE)
def deal_create(request: StaffRequest) -> HttpResponse:
    initial = {}
    if (organization := request.GET.get("organization", "")).isdigit():
        initial["organization"] = int(organization)
    return form_page(
        request,
        DealForm(request.POST or None, actor=request.actor, initial=initial),
        heading=_("New deal"),
        done=lambda created: (_("Deal %(title)s created.") % {"title": created.title}, _detail_url(created)),
    )


@staff_view(Permission.DEAL_CHANGE)
def deal_edit(request: StaffRequest, deal_id: int) -> HttpResponse:
    deal = selectors.deal_get(actor=request.actor, deal_id=deal_id)
    return form_page(
        request,
        DealForm(request.POST or None, actor=request.actor, deal=deal),
        heading=_("Edit %(title)s") % {"title": deal.title},
        done=lambda saved: (_("Changes saved."), _detail_url(saved)),
        cancel_url=_detail_url(deal),
    )


def _closed_message(deal: Deal) -> str:
    if deal.status == DealStatus.WON:
        return _("Deal %(title)s won.") % {"title": deal.title}
    return _("Deal %(title)s lost.") % {"title": deal.title}


@staff_view(Permission.DEAL_CHANGE)
def deal_close_view(request: StaffRequest, deal_id: int) -> HttpResponse:
    deal = selectors.deal_get(actor=request.actor, deal_id=deal_id)
    initial = {"outcome": request.GET.get("outcome", "won")}
    return form_page(
        request,
        DealCloseForm(request.POST or None, actor=request.actor, deal=deal, initial=initial),
        heading=_("Close deal %(title)s") % {"title": deal.title},
        done=lambda closed: (_closed_message(closed), _detail_url(closed)),
        submit_label=_("Close deal"),
        cancel_url=_detail_url(deal),
    )


@require_POST
@staff_view(Permission.DEAL_CHANGE)
def deal_reopen_view(request: StaffRequest, deal_id: int) -> HttpResponse:
    deal = selectors.deal_get(actor=request.actor, deal_id=deal_id)
    deal_reopen(actor=request.actor, deal=deal)
    messages.success(request, _("Deal reopened."))
    return redirect(_detail_url(deal))


@require_POST
@staff_view(Permission.DEAL_CHANGE)
def deal_archive_toggle(request: StaffRequest, deal_id: int) -> HttpResponse:
    deal = selectors.deal_get(actor=request.actor, deal_id=deal_id)
    return archive_toggle(
        request,
        archived=deal.archived_at is not None,
        archive=lambda archived: deal_archive(actor=request.actor, deal=deal, archived=archived),
        messages_for=(_("Deal archived."), _("Deal restored.")),
        url=_detail_url(deal),
    )


@staff_view(Permission.DEAL_DELETE)
def deal_delete_confirm(request: StaffRequest, deal_id: int) -> HttpResponse:
    deal = selectors.deal_get(actor=request.actor, deal_id=deal_id)
    return delete_page(
        request,
        delete=lambda: deal_delete(actor=request.actor, deal=deal),
        heading=_("Delete deal %(title)s?") % {"title": deal.title},
        explanation=_("The deal is deleted; activities logged on it stay with their contacts."),
        cancel_url=_detail_url(deal),
        deleted_message=_("Deal deleted."),
        deleted_url=reverse("staff:deal_list"),
    )
