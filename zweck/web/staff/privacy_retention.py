"""The privacy officer's retention page: what the sweep will delete or anonymize now and in the
coming days (per rule and data set, read from the register), the reports of the latest sweeps,
and running a sweep by hand after a confirmation."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zweck.core.permissions import Permission
from zweck.privacy.models import RetentionRule
from zweck.privacy.retention import retention_forecast, retention_sweep, sweep_get, sweep_rows
from zweck.privacy.retention_models import SweepTrigger
from zweck.privacy.retention_words import forecast_groups, sweep_words
from zweck.privacy.selectors import retention_rule_list
from zweck.web.staff.access import StaffRequest, render_page, staff_view

logger = logging.getLogger(__name__)

# The horizons the page offers, in days; the API takes any number of days up to ten years.
HORIZONS = (30, 90, 365)
DEFAULT_HORIZON = 90
SWEEPS_SHOWN = 20


def _horizon(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) in HORIZONS else DEFAULT_HORIZON


def _rules(request: StaffRequest) -> dict[str, RetentionRule]:
    return {rule.key: rule for rule in retention_rule_list(actor=request.actor)}


def _page_url() -> str:
    return reverse("staff:privacy_retention")


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def retention_page(request: StaffRequest) -> HttpResponse:
    days = _horizon(request.GET.get("days"))
    groups = forecast_groups(retention_forecast(actor=request.actor, days=days))
    rules = _rules(request)
    rows = [row for group in groups for row in group.rows]
    return render_page(
        request,
        "staff/privacy/retention/page.html",
        {
            "days": days,
            "horizons": HORIZONS,
            "groups": groups,
            "due_now": sum(row.due_now for row in rows if row.counted),
            "due_later": sum(row.due_later for row in rows if row.counted),
            "sweeps": [sweep_words(sweep, rules) for sweep in sweep_rows(actor=request.actor)[:SWEEPS_SHOWN]],
        },
    )


@staff_view(Permission.PRIVACY_VIEW, Permission.PRIVACY_MANAGE)
def retention_sweep_now(request: StaffRequest) -> HttpResponse:
    """Ask first, saying what is due now; on POST sweep and show the run's report."""
    if request.method == "POST":
        try:
            sweep = retention_sweep(actor=request.actor, trigger=SweepTrigger.MANUAL)
        except Exception:
            # The engine marked the run failed and logged it; what it did until then is kept.
            messages.error(
                request,
                _(
                    "The sweep stopped with an error. What it did until then is kept; the next "
                    "sweep continues with the records still due."
                ),
            )
            return HttpResponseRedirect(_page_url())
        messages.success(request, _("The sweep is done; here is its report."))
        return HttpResponseRedirect(reverse("staff:privacy_retention_sweep", args=[sweep.pk]))
    groups = forecast_groups(retention_forecast(actor=request.actor, days=0))
    due = [(group, row) for group in groups for row in group.rows if row.counted and row.due_now]
    return render_page(
        request,
        "staff/privacy/retention/confirm.html",
        {"due": due, "due_now": sum(row.due_now for _group, row in due), "cancel_url": _page_url()},
    )


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def retention_sweep_report(request: StaffRequest, sweep_id: int) -> HttpResponse:
    sweep = sweep_get(actor=request.actor, sweep_id=sweep_id)
    return render_page(
        request,
        "staff/privacy/retention/sweep.html",
        {"report": sweep_words(sweep, _rules(request)), "back_url": _page_url()},
    )
