"""The workspace owner's sign-in and security log, and every member's own data ("my data"):
their recent entries of the log, the staff privacy notice and the download of their export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zweck.accounts.models import SecurityEvent, SecurityEventKind
from zweck.accounts.security import client_of
from zweck.accounts.selectors import member_list, security_event_list, security_event_list_own
from zweck.accounts.services import sign_in_unlock
from zweck.accounts.throttle import locked_accounts
from zweck.core.permissions import Permission, permission_text
from zweck.privacy.defaults import STAFF
from zweck.privacy.documents import notice_document
from zweck.privacy.labels import LANGUAGES, retention_text
from zweck.privacy.selectors import published_register, retention_rule_list
from zweck.privacy.staff_export import staff_access_export, staff_data_summary
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.listing import list_template, paginate
from zweck.web.staff.privacy_register import _BODY, _demoted
from zweck.web.staff.privacy_register_forms import page_language

PAGE_SIZE = 50
SECURITY_LOG_RULE = "security_log"
OWN_ENTRIES = 10


def _detail_text(event: SecurityEvent) -> str:
    """What else the entry says, in words: the permissions a refused action needed, the token."""
    if event.kind == SecurityEventKind.PERMISSION_DENIED and event.detail:
        return ", ".join(permission_text(code.strip()) for code in event.detail.split(","))
    if event.token is not None:
        return event.token.name
    return ""


def _retention(request: StaffRequest) -> dict[str, object] | None:
    """The workspace's rule for the log: its period in words, and where to change it."""
    if not request.actor.can(Permission.PRIVACY_VIEW):
        return None
    rule = retention_rule_list(actor=request.actor).filter(key=SECURITY_LOG_RULE).first()
    if rule is None:
        return None
    return {
        "period": retention_text(rule, page_language()),
        "edit_url": reverse("staff:privacy_register_retention_rule_edit", args=[rule.key])
        if request.actor.can(Permission.PRIVACY_MANAGE)
        else "",
    }


@require_GET
@staff_view(Permission.SECURITY_LOG_VIEW)
def security_log(request: StaffRequest) -> HttpResponse:
    """Every entry of the workspace's security log, filtered by kind and by member."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in SecurityEventKind.values else ""
    user = request.GET.get("user", "")
    user_id = int(user) if user.isdigit() and len(user) < 19 else None
    events = security_event_list(actor=request.actor, kind=kind or None, user_id=user_id)
    members = sorted(member_list(actor=request.actor), key=lambda membership: str(membership.user).casefold())
    page = paginate(request, events, size=PAGE_SIZE)
    for event in page.object_list:
        event.detail_text = _detail_text(event)
    locked = locked_accounts(membership.user.email for membership in members) if not request.htmx else {}
    return render_page(
        request,
        list_template(request, "staff/security/log.html"),
        {
            "page": page,
            "retention": _retention(request),
            "kind": kind,
            "user_id": user_id,
            "kinds": SecurityEventKind.choices,
            "members": members,
            "locked": [
                {"membership": membership, "until": timezone.localtime(locked[membership.user.email])}
                for membership in members
                if membership.user.email in locked
            ],
        },
    )


@require_POST
@staff_view(Permission.SECURITY_LOG_VIEW, Permission.MEMBER_MANAGE)
def security_unlock(request: StaffRequest) -> HttpResponse:
    """The owner lifts a member's sign-in lock."""
    user_id = request.POST.get("user", "")
    membership = (
        member_list(actor=request.actor).filter(user_id=int(user_id)).select_related("user").first()
        if user_id.isdigit() and len(user_id) < 19
        else None
    )
    if membership is None:
        raise Http404
    if sign_in_unlock(actor=request.actor, user=membership.user, client=client_of(request)):
        messages.success(request, _("%(member)s can sign in again.") % {"member": membership.user})
    else:
        messages.info(request, _("%(member)s was not locked.") % {"member": membership.user})
    return HttpResponseRedirect(reverse("staff:security_log"))


@require_GET
@staff_view()
def my_data(request: StaffRequest) -> HttpResponse:
    """What the workspace keeps about the signed-in member, and where to get all of it."""
    return render_page(
        request,
        "staff/security/my_data.html",
        {
            "data_sets": staff_data_summary(actor=request.actor),
            "entries": list(security_event_list_own(actor=request.actor)[:OWN_ENTRIES]),
            "languages": LANGUAGES,
            "lang": page_language(),
        },
    )


@require_GET
@staff_view()
def my_data_export(request: StaffRequest) -> HttpResponse:
    """The signed-in member's own access export (Art. 15 GDPR), as JSON."""
    lang = request.GET.get("lang", page_language())
    lang = lang if lang in LANGUAGES else page_language()
    body = staff_access_export(actor=request.actor, lang=lang)
    filename = f"my-data-{request.actor.workspace.slug}-{timezone.localdate().isoformat()}.json"
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@require_GET
@staff_view()
def my_notice(request: StaffRequest, lang: str) -> HttpResponse:
    """The privacy notice for the workspace's staff, which every member may read."""
    if lang not in LANGUAGES:
        raise Http404
    snapshot = published_register(workspace_slug=request.actor.workspace.slug)
    body = _BODY.search(str(notice_document(snapshot, subject=STAFF, lang=lang, fmt="html")))
    return render_page(
        request,
        "staff/security/notice.html",
        {"lang": lang, "languages": LANGUAGES, "document": _demoted(body.group(1)) if body else ""},
    )
