"""The audit trail for the owner and the privacy officer (``Permission.AUDIT_VIEW``): who did
what to which record, when, filtered by member, subject, action and time, and as a CSV file.
Read only: there is no way here (or anywhere) to change or remove an event."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zweck.accounts.selectors import member_list
from zweck.audit.models import AuditEvent
from zweck.audit.selectors import audit_action_list, audit_actor_labels, audit_event_list
from zweck.audit.services import audit_record
from zweck.core import spreadsheet
from zweck.core.permissions import Permission
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.listing import list_template, paginate

PAGE_SIZE = 50
_LABEL = re.compile(r"^[a-z0-9-]{1,32}$")
MAX_ID = 2**63 - 1

# What an action's verb says, in words; an unknown verb is shown as it is recorded.
VERBS = {
    "create": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
    "archive": gettext_lazy("archived"),
    "unarchive": gettext_lazy("restored from the archive"),
    "export": gettext_lazy("exported"),
    "import": gettext_lazy("imported"),
    "list": gettext_lazy("listed in bulk"),
    "search": gettext_lazy("searched in bulk"),
    "download": gettext_lazy("downloaded"),
    "erase": gettext_lazy("erased"),
    "sweep": gettext_lazy("retention sweep"),
    "prune": gettext_lazy("removed by the retention period"),
}
OTHERS = {
    "system": gettext_lazy("Zweck itself"),
    "operator": gettext_lazy("The operator"),
    "unknown": gettext_lazy("Unknown (deleted before labels)"),
}


@dataclass
class AuditFilters:
    """The filters of the page as given, what the selector gets from them, and any refusal."""

    values: dict[str, str]
    selector: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _day(request: StaffRequest, name: str, found: AuditFilters) -> date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        found.errors[name] = _("Enter a date as YYYY-MM-DD.")
        return None


def audit_filters(request: StaffRequest, actions: list[str]) -> AuditFilters:
    """Parse the query string; a value that cannot be used is named, never a server error."""
    keys = ("user", "action", "subject", "from", "to")
    found = AuditFilters(values={key: request.GET.get(key, "").strip() for key in keys})
    user, action, subject = found.values["user"], found.values["action"], found.values["subject"]
    if user and _LABEL.match(user):
        found.selector["actor_label"] = user
    if action in actions:
        found.selector["action"] = action
    if subject:
        if subject.isdigit() and 0 < int(subject) <= MAX_ID:
            found.selector["subject_id"] = int(subject)
        else:
            found.errors["subject"] = _("Enter the number of a contact.")
    since, until = _day(request, "from", found), _day(request, "to", found)
    if since is not None:
        found.selector["since"] = timezone.make_aware(datetime.combine(since, time.min))
    if until is not None:
        found.selector["until"] = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    if since and until and until < since:
        found.errors["to"] = _("The end lies before the start.")
    return found


def _object_text(object_type: str) -> str:
    try:
        return capfirst(str(apps.get_model(object_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return object_type


def action_text(event: AuditEvent) -> str:
    """``person.update`` as "Contact changed"; an action without known words as recorded."""
    verb = event.action.rsplit(".", 1)[-1]
    if verb not in VERBS:
        return event.action
    return f"{_object_text(event.object_type)}: {VERBS[verb]}"


def who_text(event: AuditEvent, names: dict[str, str]) -> str:
    if event.actor is not None:
        return str(event.actor)
    if event.actor_label in OTHERS:
        return str(OTHERS[event.actor_label])
    return names.get(event.actor_label) or _("Former member %(label)s") % {"label": event.actor_label}


def details_text(event: AuditEvent) -> str:
    """Changed fields and counts, never a value (the trail holds none)."""
    parts = [", ".join(event.changed_fields)] if event.changed_fields else []
    details = event.details or {}
    if "count" in details:
        parts.append(_("%(count)s rows") % {"count": details["count"]})
    return "; ".join(parts)


def _member_names(request: StaffRequest) -> tuple[list[tuple[str, str]], dict[str, str]]:
    members = sorted(member_list(actor=request.actor), key=lambda m: str(m.user).casefold())
    labels = audit_actor_labels(actor=request.actor, user_ids=[m.user_id for m in members])
    choices = [(labels[m.user_id], str(m.user)) for m in members if m.user_id in labels]
    return choices, dict(choices)


@require_GET
@staff_view(Permission.AUDIT_VIEW)
def audit_log(request: StaffRequest) -> HttpResponse:
    """The workspace's audit trail, newest first, a page at a time."""
    actions = audit_action_list(actor=request.actor)
    filters = audit_filters(request, actions)
    members, names = _member_names(request)
    events = audit_event_list(actor=request.actor, **filters.selector)
    if filters.errors:
        events = events.none()
    page = paginate(request, events, size=PAGE_SIZE)
    for event in page.object_list:
        event.who_text = who_text(event, names)
        event.action_text = action_text(event)
        event.object_text = _object_text(event.object_type)
        event.details_text = details_text(event)
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        list_template(request, "staff/audit/log.html"),
        {
            "page": page,
            "filters": filters,
            "members": members,
            "actions": actions,
            "export_query": query.urlencode(),
        },
    )


def _csv_lines(events: Any, names: dict[str, str]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        spreadsheet.row(
            [_("Time"), _("Member"), _("Label"), _("Action"), _("Record type"), _("Record"), _("Details")]
        )
    )
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            spreadsheet.row(
                [
                    event.occurred_at.isoformat(),
                    who_text(event, names),
                    event.actor_label,
                    event.action,
                    _object_text(event.object_type),
                    event.object_id,
                    details_text(event),
                ]
            )
        )
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@require_GET
@staff_view(Permission.AUDIT_VIEW)
def audit_log_export(request: StaffRequest) -> HttpResponse:
    """The filtered trail as CSV (cells a spreadsheet would run as formulas are escaped); the
    download itself is recorded, with its count and the names of the filters used."""
    filters = audit_filters(request, audit_action_list(actor=request.actor))
    _members, names = _member_names(request)
    events = audit_event_list(actor=request.actor, **filters.selector)
    if filters.errors:
        events = events.none()
    with transaction.atomic():
        audit_record(
            actor=request.actor,
            action="audit.export",
            object_type="audit.auditevent",
            details={"count": events.count(), "format": "csv", "filters": sorted(filters.selector)},
        )
    response: Any = StreamingHttpResponse(_csv_lines(events, names), content_type="text/csv; charset=utf-8")
    filename = f"audit-{request.actor.workspace.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
