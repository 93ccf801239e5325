"""The requester's own view of a ticket, through the signed link in the desk's emails: no
account, no password. The link is the credential; it expires (``LINK_MAX_AGE_DAYS``) and names
ids only. The page shows the public conversation (never internal notes) and takes an answer,
with files, that joins the ticket as the requester's message."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from zweck.service import selectors, services
from zweck.service.attachments import attachment_check
from zweck.service.choices import TicketChannel, TicketStatus
from zweck.web.staff.ticket_forms import MultipleFileField


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.MAX_BODY_CHARS,
    )
    attachments = MultipleFileField(label=gettext_lazy("Files (optional)"), required=False)


def _private(response: HttpResponse) -> HttpResponse:
    # The link is the credential: it is not passed on to other sites, nor indexed. (Not
    # "no-referrer": browsers then send "Origin: null" with the answer form, which CSRF refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.ticket_for_link(token=token)
    if found is None:
        return _private(
            render(
                request,
                "support/invalid.html",
                {"message": _("This link is not valid or has expired. Reply to our last email to reach us.")},
                status=404,
            )
        )
    actor, ticket = found
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            files = [
                attachment_check(file_name=upload.name or "", content=upload.read(), field="attachments")
                for upload in form.cleaned_data["attachments"]
            ]
            services.ticket_message_receive(
                actor=actor,
                ticket=ticket,
                body=form.cleaned_data["body"],
                channel=TicketChannel.PORTAL,
                attachments=files,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Thank you. Your answer was added to the ticket."))
            return HttpResponseRedirect(request.path)
    return _private(
        render(
            request,
            "support/ticket.html",
            {
                "ticket": ticket,
                "reference": services.ticket_reference(ticket),
                "conversation": list(ticket.messages.all()),
                "form": form,
                "closed": ticket.status == TicketStatus.CLOSED,
            },
            status=422 if request.method == "POST" else 200,
        )
    )
