"""Outgoing email that is waiting or failed, for the owner and administrators: what it is,
how often it was tried, and a button that sends it again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zweck.core.permissions import Permission
from zweck.outbox import selectors
from zweck.outbox.models import MailStatus
from zweck.outbox.services import mail_retry
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.listing import list_template, paginate

PAGE_SIZE = 50


@require_GET
@staff_view(Permission.MAIL_MANAGE)
def outgoing_mail_list(request: StaffRequest) -> HttpResponse:
    """The workspace's mail waiting to be sent or given up; all mail with ``?all=1``."""
    show_all = request.GET.get("all") == "1"
    mails = selectors.mail_list(actor=request.actor, unsent_only=not show_all)
    return render_page(
        request,
        list_template(request, "staff/outgoing_mail/list.html"),
        {"page": paginate(request, mails, size=PAGE_SIZE), "show_all": show_all, "statuses": MailStatus},
    )


@require_POST
@staff_view(Permission.MAIL_MANAGE)
def outgoing_mail_retry(request: StaffRequest, mail_id: int) -> HttpResponse:
    mail = selectors.mail_get(actor=request.actor, mail_id=mail_id)
    mail_retry(actor=request.actor, mail=mail)
    messages.success(request, _("The email will be sent again in a moment."))
    return HttpResponseRedirect(reverse("staff:outgoing_mail"))
