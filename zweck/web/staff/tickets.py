"""The service desk's pages: the ticket queue (sorted by the next target, with what is overdue
or due soon standing out), a ticket with its conversation, reply and note forms, status and
assignment, new tickets, attachments, and incoming mail held for review."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zweck.accounts import selectors as account_selectors
from zweck.accounts.models import User
from zweck.core.permissions import Permission
from zweck.crm import selectors as crm_selectors
from zweck.service import mail_in, selectors, services
from zweck.service.attachments import CheckedFile, attachment_check
from zweck.service.choices import MessageKind, SlaState, TicketPriority, TicketStatus
from zweck.service.models import Ticket
from zweck.service.sla import DEFAULT_TARGETS
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.listing import list_template, paginate
from zweck.web.staff.ticket_forms import DeskSettingsForm, TicketCreateForm, TicketReplyForm, TicketUpdateForm

VIEW, MANAGE = Permission.TICKET_VIEW, Permission.TICKET_MANAGE
PAGE_SIZE = 50


def _members(request: StaffRequest) -> list[tuple[int, str]]:
    return [
        (membership.user_id, membership.user.get_full_name() or membership.user.email)
        for membership in account_selectors.member_list(actor=request.actor).order_by("user__full_name")
    ]


def _member(request: StaffRequest, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return User.objects.filter(
        pk=user_id, pk__in=account_selectors.member_list(actor=request.actor).values("user_id")
    ).first()


def _checked_files(uploads: list[Any]) -> list[CheckedFile]:
    return [attachment_check(file_name=upload.name or "", content=upload.read()) for upload in uploads]


def _refusal_to_form(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@require_GET
@staff_view(VIEW)
def ticket_list(request: StaffRequest) -> HttpResponse:
    """The queue. Without filters: the tickets that still need work, most urgent first."""
    status = request.GET.get("status", "")
    status = status if status in TicketStatus.values or status == "all" else ""
    priority = request.GET.get("priority", "")
    priority = priority if priority in TicketPriority.values else ""
    mine = request.GET.get("mine") == "1"
    query = request.GET.get("q", "").strip()[:100]
    tickets = selectors.ticket_list(
        actor=request.actor,
        status=status if status in TicketStatus.values else None,
        active=not status,
        priority=priority or None,
        mine=mine,
    )
    if query:
        number = query.lstrip("#").rpartition("-")[2]
        condition = Q(subject__icontains=query)
        if number.isdigit() and len(number) < 10:
            condition |= Q(number=int(number))
        tickets = tickets.filter(condition)
    page = paginate(request, tickets, size=PAGE_SIZE)
    for ticket in page.object_list:
        ticket.sla_state = selectors.sla_state(ticket)
    return render_page(
        request,
        list_template(request, "staff/tickets/list.html"),
        {
            "heading": _("Tickets"),
            "page": page,
            "status": status,
            "priority": priority,
            "mine": mine,
            "query": query,
            "statuses": TicketStatus.choices,
            "priorities": TicketPriority.choices,
            "counts": selectors.ticket_counts(actor=request.actor),
            "sla": SlaState,
            "held_count": selectors.held_mail_list(actor=request.actor).count()
            if request.actor.can(MANAGE)
            else 0,
        },
    )


def _detail(
    request: StaffRequest,
    ticket: Ticket,
    *,
    reply_form: TicketReplyForm | None = None,
    update_form: TicketUpdateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = _members(request)
    return render_page(
        request,
        "staff/tickets/detail.html",
        {
            "ticket": ticket,
            "reference": services.ticket_reference(ticket),
            "conversation": list(ticket.messages.all()),
            "sla_state": selectors.sla_state(ticket),
            "sla": SlaState,
            "reply_form": reply_form or TicketReplyForm(),
            "update_form": update_form
            or TicketUpdateForm(
                members=members,
                initial={
                    "status": ticket.status,
                    "priority": ticket.priority,
                    "assignee": ticket.assignee_id,
                    "category": ticket.category,
                },
            ),
        },
        status=status,
    )


@require_GET
@staff_view(VIEW)
def ticket_detail(request: StaffRequest, ticket_id: int) -> HttpResponse:
    return _detail(request, selectors.ticket_get(actor=request.actor, ticket_id=ticket_id))


@require_POST
@staff_view(VIEW, MANAGE)
def ticket_reply(request: StaffRequest, ticket_id: int) -> HttpResponse:
    ticket = selectors.ticket_get(actor=request.actor, ticket_id=ticket_id)
    form = TicketReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.ticket_reply(
                    actor=request.actor,
                    ticket=ticket,
                    body=form.cleaned_data["body"],
                    kind=form.cleaned_data["kind"],
                    status=form.cleaned_data["status"] or None,
                    attachments=_checked_files(form.cleaned_data["attachments"]),
                )
        except ValidationError as error:
            _refusal_to_form(form, error)
        else:
            sent = form.cleaned_data["kind"] == MessageKind.REPLY
            messages.success(request, _("The reply is on its way.") if sent else _("The note was added."))
            return HttpResponseRedirect(reverse("staff:ticket_detail", args=[ticket.pk]) + "#conversation")
    return _detail(request, ticket, reply_form=form, status=422)


@require_POST
@staff_view(VIEW, MANAGE)
def ticket_update(request: StaffRequest, ticket_id: int) -> HttpResponse:
    ticket = selectors.ticket_get(actor=request.actor, ticket_id=ticket_id)
    form = TicketUpdateForm(request.POST, members=_members(request))
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["assignee"] = _member(request, data["assignee"])
        try:
            services.ticket_update(actor=request.actor, ticket=ticket, **data)
        except ValidationError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("The ticket was updated."))
            return HttpResponseRedirect(reverse("staff:ticket_detail", args=[ticket.pk]))
    return _detail(request, ticket, update_form=form, status=422)


@require_http_methods(["GET", "POST"])
@staff_view(VIEW, MANAGE, Permission.CRM_VIEW)
def ticket_create(request: StaffRequest) -> HttpResponse:
    """A ticket entered by staff (a call, a visit). The requester is chosen from the contacts
    the form offers: ``?requester=<id>`` from a contact's page, otherwise found by email."""
    requester_id = request.GET.get("requester") or request.POST.get("requester") or ""
    persons = crm_selectors.person_list(actor=request.actor)
    offered = (
        persons.filter(pk=int(requester_id))
        if requester_id.isdigit() and len(requester_id) < 19
        else persons.none()
    )
    email = request.POST.get("requester_email", "").strip()
    if email and not offered.exists():
        offered = persons.filter(emails__email__iexact=email)[:1]
    requesters = [(person.pk, person.full_name) for person in offered]
    form = TicketCreateForm(
        request.POST or None, request.FILES or None, members=_members(request), requesters=requesters
    )
    if request.method == "POST" and requesters and "subject" in request.POST and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            with transaction.atomic():
                ticket = services.ticket_create(
                    actor=request.actor,
                    requester=persons.get(pk=data["requester"]),
                    subject=data["subject"],
                    description=data["description"],
                    priority=data["priority"],
                    category=data["category"],
                    assignee=_member(request, data["assignee"]),
                    attachments=_checked_files(data["attachments"]),
                )
        except ValidationError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(
                request,
                _("Ticket %(reference)s was opened.") % {"reference": services.ticket_reference(ticket)},
            )
            return HttpResponseRedirect(reverse("staff:ticket_detail", args=[ticket.pk]))
    elif request.method == "POST" and not requesters:
        form.add_error(
            None,
            _(
                "No contact has this email address. Create the contact first, then open the ticket from their page."
            ),
        )
    return render_page(
        request,
        "staff/tickets/create.html",
        {"form": form, "requesters": requesters, "requester_email": email},
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@staff_view(VIEW)
def attachment_download(request: StaffRequest, attachment_id: int) -> HttpResponse:
    attachment = selectors.attachment_get(actor=request.actor, attachment_id=attachment_id)
    # A FileResponse is no HttpResponse to the type checker; Django serves both alike.
    response: Any = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.file_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@staff_view(MANAGE)
def held_mail_list(request: StaffRequest) -> HttpResponse:
    return render_page(
        request,
        "staff/tickets/held_mail.html",
        {"page": paginate(request, selectors.held_mail_list(actor=request.actor), size=PAGE_SIZE)},
    )


@require_POST
@staff_view(MANAGE)
def held_mail_decide(request: StaffRequest, held_id: int) -> HttpResponse:
    held = selectors.held_mail_get(actor=request.actor, held_id=held_id)
    try:
        if request.POST.get("action") == "ticket":
            ticket = mail_in.held_mail_open_ticket(actor=request.actor, held=held)
            messages.success(
                request,
                _("Ticket %(reference)s was opened.") % {"reference": services.ticket_reference(ticket)},
            )
            return HttpResponseRedirect(reverse("staff:ticket_detail", args=[ticket.pk]))
        services.held_mail_dismiss(actor=request.actor, held=held)
        messages.success(request, _("The email was dismissed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(reverse("staff:ticket_held_mail"))


@require_GET
@staff_view(MANAGE)
def held_mail_download(request: StaffRequest, held_id: int) -> HttpResponse:
    held = selectors.held_mail_get(actor=request.actor, held_id=held_id)
    response = HttpResponse(bytes(held.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="held-mail-{held.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@staff_view(MANAGE, Permission.WORKSPACE_MANAGE)
def desk_settings(request: StaffRequest) -> HttpResponse:
    """The support address, the reference prefix, the business hours and the workspace's
    response and resolution targets per priority (in business hours)."""
    desk = services.service_settings_of(request.actor.workspace_id)
    targets = {
        target.priority: target
        for target in selectors.sla_target_list(actor=request.actor).filter(organization__isnull=True)
    }
    initial: dict[str, Any] = {
        "inbound_address": desk.inbound_address,
        "ticket_prefix": desk.ticket_prefix,
        "business_day_start": desk.business_day_start,
        "business_day_end": desk.business_day_end,
        "acknowledge_new_tickets": desk.acknowledge_new_tickets,
    }
    for priority in TicketPriority.values:
        target = targets.get(priority)
        response, resolution = (
            (target.response_minutes, target.resolution_minutes) if target else DEFAULT_TARGETS[priority]
        )
        initial[f"response_{priority}"] = Decimal(response) / 60
        initial[f"resolution_{priority}"] = Decimal(resolution) / 60
    form = DeskSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.service_settings_update(
                    actor=request.actor,
                    **{
                        name: data[name]
                        for name in (
                            "inbound_address",
                            "ticket_prefix",
                            "business_day_start",
                            "business_day_end",
                            "acknowledge_new_tickets",
                        )
                    },
                )
                for priority in TicketPriority.values:
                    try:
                        services.sla_target_set(
                            actor=request.actor,
                            priority=priority,
                            response_minutes=round(data[f"response_{priority}"] * 60),
                            resolution_minutes=round(data[f"resolution_{priority}"] * 60),
                        )
                    except ValidationError as error:
                        raise ValidationError({f"resolution_{priority}": error.messages}) from error
        except ValidationError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("The service desk's settings were saved."))
            return HttpResponseRedirect(reverse("staff:ticket_settings"))
    return render_page(
        request,
        "staff/tickets/settings.html",
        {"form": form, "priorities": TicketPriority.choices},
        status=422 if request.method == "POST" else 200,
    )
