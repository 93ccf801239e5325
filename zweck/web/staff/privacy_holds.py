"""The privacy officer's legal holds: the list (active or ended), placing a hold on a contact,
activity or deal with its reason and end date, and ending one early with reasons."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zweck.core.permissions import Permission
from zweck.privacy.holds import ACTIVE, ENDED, hold_get, hold_list, hold_type_name
from zweck.privacy.models import RecordHold
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.listing import list_template, paginate
from zweck.web.staff.pages import form_page
from zweck.web.staff.privacy_hold_forms import HOLD_TYPE_LABELS, HoldPlaceForm, HoldReleaseForm

# The page of each record a hold can be placed on.
RECORD_PAGES = {
    "person": "staff:person_detail",
    "activity": "staff:activity_detail",
    "deal": "staff:deal_detail",
}
STATES = (ACTIVE, ENDED, "all")


def _record_label(hold: RecordHold) -> str:
    name = hold_type_name(hold.object_type)
    if name in HOLD_TYPE_LABELS:
        return str(HOLD_TYPE_LABELS[name])
    try:
        return str(apps.get_model(hold.object_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return hold.object_type


def _describe(hold: RecordHold) -> RecordHold:
    """``hold`` with what its row shows: the record's kind, and a link to a live record's page
    (a record an erasure kept is restricted: the CRM's pages do not show it)."""
    page = RECORD_PAGES.get(hold_type_name(hold.object_type))
    hold.record_label = _record_label(hold)  # type: ignore[attr-defined]
    hold.record_url = (  # type: ignore[attr-defined]
        reverse(page, args=[hold.object_id]) if page and not hold.erase_on_release else ""
    )
    return hold


def _list_url() -> str:
    return reverse("staff:privacy_hold_list")


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def hold_list_page(request: StaffRequest) -> HttpResponse:
    state = request.GET.get("state", ACTIVE)
    state = state if state in STATES else ACTIVE
    holds = hold_list(actor=request.actor, state=None if state == "all" else state)
    page = paginate(request, holds)
    page.object_list = [_describe(hold) for hold in page.object_list]
    return render_page(
        request,
        list_template(request, "staff/privacy/holds/list.html"),
        {"page": page, "state": state},
    )


@staff_view(Permission.PRIVACY_MANAGE)
def hold_place(request: StaffRequest) -> HttpResponse:
    """Place a hold; ``?type=deal&id=12`` fills in the record (the record pages link here)."""
    initial: dict[str, Any] = {}
    if request.GET.get("type") in HOLD_TYPE_LABELS:
        initial["object_type"] = request.GET["type"]
    if request.GET.get("id", "").isdigit():
        initial["object_id"] = request.GET["id"]
    return form_page(
        request,
        HoldPlaceForm(request.POST or None, actor=request.actor, initial=initial),
        heading=_("Place a legal hold"),
        done=lambda hold: (
            _("The hold is placed until %(date)s.") % {"date": hold.ends_on.isoformat()},
            _list_url(),
        ),
        cancel_url=_list_url(),
        submit_label=_("Place the hold"),
    )


@staff_view(Permission.PRIVACY_MANAGE)
def hold_release(request: StaffRequest, hold_id: int) -> HttpResponse:
    hold = _describe(hold_get(actor=request.actor, hold_id=hold_id))
    record = f"{hold.record_label} #{hold.object_id}"  # type: ignore[attr-defined]
    return form_page(
        request,
        HoldReleaseForm(request.POST or None, actor=request.actor, hold=hold),
        heading=_("End the hold on %(record)s early") % {"record": record},
        done=lambda _ended: (
            _("The hold on %(record)s has ended.") % {"record": record},
            _list_url() + "?state=ended",
        ),
        cancel_url=_list_url(),
        submit_label=_("End the hold"),
    )
