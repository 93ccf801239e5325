"""The first page after signing in: my tasks, my next meetings, the pipeline, what changed lately."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.core.permissions import Permission
from zweck.crm import selectors
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Deal, Organization, Person
from zweck.privacy.offboarding import workspace_contract_facts
from zweck.web.staff.access import StaffRequest, render_page, staff_view

UPCOMING_DAYS = 14


def _recent_entry(record: Person | Organization | Deal) -> dict[str, Any]:
    if isinstance(record, Person):
        return {
            "label": record.full_name,
            "kind": _("Contact"),
            "url": reverse("staff:person_detail", args=[record.pk]),
            "record": record,
        }
    if isinstance(record, Organization):
        return {
            "label": record.name,
            "kind": _("Organization"),
            "url": reverse("staff:organization_detail", args=[record.pk]),
            "record": record,
        }
    return {
        "label": record.title,
        "kind": _("Deal"),
        "url": reverse("staff:deal_detail", args=[record.pk]),
        "record": record,
    }


@staff_view(Permission.CRM_VIEW)
def dashboard(request: StaffRequest) -> HttpResponse:
    actor, now = request.actor, timezone.now()
    tasks = selectors.activity_list(
        actor=actor, kind=ActivityKind.TASK, owner_id=actor.user_id, open_only=True
    ).order_by("due_at", "id")[:20]
    meetings = (
        selectors.activity_list(
            actor=actor,
            kind=ActivityKind.MEETING,
            owner_id=actor.user_id,
            starts_after=now,
            starts_before=now + timedelta(days=UPCOMING_DAYS),
        )
        .select_related("organization")
        .order_by("starts_at", "id")[:10]
    )
    pipeline = selectors.open_deal_value_by_stage(actor=actor) if actor.can(Permission.DEAL_VIEW) else []
    largest = max((row["total"] for row in pipeline), default=0) or 1
    for row in pipeline:
        # The bar's length, relative to the largest stage.
        row["share"] = round(100 * row["total"] / largest)
    return render_page(
        request,
        "staff/dashboard.html",
        {
            "tasks": tasks,
            "meetings": meetings,
            "pipeline": pipeline,
            "recent": [_recent_entry(record) for record in selectors.recently_changed(actor=actor)],
            "now": now,
            "upcoming_days": UPCOMING_DAYS,
            # Owners are reminded of a coming deletion where they start their day.
            "contract": workspace_contract_facts(actor=actor)
            if actor.can(Permission.WORKSPACE_MANAGE)
            else None,
        },
    )
