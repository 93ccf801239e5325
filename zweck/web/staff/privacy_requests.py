"""The privacy officer's request queue: deadlines (overdue and soon due highlighted), a request's
detail with its action log, the erasure plan to review, and its execution."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zweck.accounts.permissions import Permission
from zweck.privacy import dsr
from zweck.privacy.erasure import erasure_plan
from zweck.web.staff.access import StaffRequest, redirect_back, render_page, staff_view

SOON_DAYS = 7


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def request_queue(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = list(dsr.dsr_list(actor=request.actor, open_only=request.GET.get("all") != "1"))
    for row in rows:
        row.overdue = row.is_open and row.deadline < today  # type: ignore[attr-defined]
        row.soon_due = row.is_open and today <= row.deadline <= today + timedelta(days=SOON_DAYS)  # type: ignore[attr-defined]
    return render_page(request, "staff/privacy/queue.html", {"rows": rows, "today": today})


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def request_detail(request: StaffRequest, request_id: int) -> HttpResponse:
    found = dsr.dsr_get(actor=request.actor, request_id=request_id)
    return render_page(request, "staff/privacy/detail.html", {"row": found})


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def request_erasure_plan(request: StaffRequest, request_id: int) -> HttpResponse:
    found = dsr.dsr_get(actor=request.actor, request_id=request_id)
    plan = erasure_plan(actor=request.actor, person_ids=[p.pk for p in found.persons.all()])
    return render_page(request, "staff/privacy/plan.html", {"row": found, "plan": plan})


@require_POST
@staff_view(Permission.PRIVACY_MANAGE)
def request_erasure_execute(request: StaffRequest, request_id: int) -> HttpResponse:
    found = dsr.dsr_get(actor=request.actor, request_id=request_id)
    dsr.dsr_erase(actor=request.actor, request=found)
    return redirect_back(request, reverse("staff:privacy_request_detail", args=[request_id]))
