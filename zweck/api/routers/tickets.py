"""/tickets: the service desk's tickets, their conversation, replies and notes.

Reading needs ``ticket.view``, every write ``ticket.manage``; bad input answers 422 and nothing
is written. A public reply is emailed to the requester through the outbox. Files travel in
base64 inside the JSON body, so one request carries at most the API's body limit (2 MB, 413
above it); larger files go through the staff pages, which take uploads up to 10 MB a file.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from zweck.accounts.actors import Actor
from zweck.api import references
from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.api.schemas.tickets import (
    FileIn,
    MessageOut,
    ReplyIn,
    TicketDetailOut,
    TicketFilter,
    TicketIn,
    TicketOut,
    TicketPatch,
)
from zweck.service import selectors, services
from zweck.service.attachments import CheckedFile, attachment_check
from zweck.service.choices import TicketChannel
from zweck.service.models import Ticket

router = Router(tags=["tickets"])


def _files(files: list[FileIn]) -> list[CheckedFile]:
    checked = []
    for index, item in enumerate(files):
        checked.append(
            attachment_check(file_name=item.file_name, content=item.content(), field=f"attachments.{index}")
        )
    return checked


def _read(actor: Actor, ticket_id: int) -> Ticket:
    ticket = selectors.ticket_get(actor=actor, ticket_id=ticket_id)
    ticket.reference = services.ticket_reference(ticket)  # type: ignore[attr-defined]
    return ticket


@router.get("", response=answers(Page[TicketOut]))
def list_tickets(request: HttpRequest, filters: Query[TicketFilter], page: Query[PageQuery]) -> Any:
    """The queue: by the next target (most urgent first), then newest."""
    actor = actor_of(request)
    return page_of(
        selectors.ticket_list(actor=actor, **filters.selector_arguments()),
        page,
        reader=actor,
        filters=filters.model_fields_set,
    )


@router.post("", response=answers(TicketDetailOut, 201))
def create_ticket(request: HttpRequest, payload: TicketIn) -> Any:
    """Open a ticket for a contact; the targets are set from its priority."""
    actor = actor_of(request)
    data = payload.model_dump()
    with transaction.atomic():
        requester = references.persons(actor, [data.pop("requester_id")], "requester_id")[0]
        ticket = services.ticket_create(
            actor=actor,
            requester=requester,
            subject=payload.subject,
            description=payload.description,
            priority=payload.priority,
            category=payload.category,
            organization=references.organization(actor, payload.organization_id),
            assignee=references.member(actor, payload.assignee_id, "assignee_id"),
            channel=TicketChannel.API,
            attachments=_files(payload.attachments),
            acknowledge=None if payload.acknowledge else False,
        )
        return Status(201, _read(actor, ticket.pk))


@router.get("/{ticket_id}", response=answers(TicketDetailOut))
def read_ticket(request: HttpRequest, ticket_id: ObjectId) -> Any:
    """One ticket with its whole conversation, internal notes included."""
    return _read(actor_of(request), ticket_id)


@router.patch("/{ticket_id}", response=answers(TicketDetailOut))
def update_ticket(request: HttpRequest, ticket_id: ObjectId, payload: TicketPatch) -> Any:
    """Change status, priority, category, assignee, organization or subject."""
    actor = actor_of(request)
    data = payload.model_dump(exclude_unset=True)
    for name in ("status", "priority", "subject"):
        if name in data and data[name] is None:
            raise ValidationError({name: _("This field cannot be empty.")})
    if "assignee_id" in data:
        data["assignee"] = references.member(actor, data.pop("assignee_id"), "assignee_id")
    if "organization_id" in data:
        data["organization"] = references.organization(actor, data.pop("organization_id"))
    if "category" in data and data["category"] is None:
        data["category"] = ""
    with transaction.atomic():
        ticket = selectors.ticket_get(actor=actor, ticket_id=ticket_id)
        services.ticket_update(actor=actor, ticket=ticket, **data)
        return _read(actor, ticket_id)


@router.post("/{ticket_id}/replies", response=answers(MessageOut, 201))
def reply_to_ticket(request: HttpRequest, ticket_id: ObjectId, payload: ReplyIn) -> Any:
    """A public reply, emailed to the requester, or an internal note (``kind: note``)."""
    actor = actor_of(request)
    with transaction.atomic():
        ticket = selectors.ticket_get(actor=actor, ticket_id=ticket_id)
        message = services.ticket_reply(
            actor=actor,
            ticket=ticket,
            body=payload.body,
            kind=payload.kind,
            status=payload.status,
            attachments=_files(payload.attachments),
            channel=TicketChannel.API,
        )
        return Status(201, message)
