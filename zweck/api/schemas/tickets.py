"""Tickets of the service desk, their conversation and files."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

from zweck.api.schemas.base import FilterSchema, InputSchema, ObjectId, Text, length, partial
from zweck.service.attachments import MAX_ATTACHMENTS_PER_MESSAGE
from zweck.service.choices import MessageKind, TicketPriority, TicketStatus
from zweck.service.models import Ticket, TicketAttachment


def _base64(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("Not valid base64.") from error
    return value


class FileIn(InputSchema):
    """A file sent with a ticket or reply: its name and its content in base64."""

    file_name: Text = Field(min_length=1, max_length=length(TicketAttachment, "file_name"))
    content_base64: Annotated[str, AfterValidator(_base64)] = Field(min_length=1)

    def content(self) -> bytes:
        return base64.b64decode(self.content_base64)


class TicketIn(InputSchema):
    """A new ticket for a contact; without ``organization_id`` the contact's primary one."""

    requester_id: ObjectId
    subject: Text = Field(min_length=1, max_length=length(Ticket, "subject"))
    description: Text = Field("", max_length=100_000)
    priority: TicketPriority = TicketPriority.NORMAL
    category: Text = Field("", max_length=length(Ticket, "category"))
    organization_id: ObjectId | None = None
    assignee_id: ObjectId | None = None
    attachments: list[FileIn] = Field(default_factory=list, max_length=MAX_ATTACHMENTS_PER_MESSAGE)
    acknowledge: bool = Field(
        True,
        description="Email the requester the ticket's reference and link (where the desk confirms tickets).",
    )


class TicketUpdateIn(InputSchema):
    """Changes to a ticket: what is left out stays as it is."""

    subject: Text = Field(min_length=1, max_length=length(Ticket, "subject"))
    status: TicketStatus
    priority: TicketPriority
    category: Text = Field("", max_length=length(Ticket, "category"))
    assignee_id: ObjectId | None = None
    organization_id: ObjectId | None = None


if TYPE_CHECKING:
    TicketPatch = TicketUpdateIn
else:
    TicketPatch = partial(
        TicketUpdateIn, "TicketPatch", "Changes to a ticket; what is left out stays as it is."
    )


class ReplyIn(InputSchema):
    """A public reply (emailed to the requester) or an internal note."""

    body: Text = Field(min_length=1, max_length=100_000)
    kind: MessageKind = MessageKind.REPLY
    status: TicketStatus | None = Field(
        None, description="The status afterwards; a reply waits for the customer."
    )
    attachments: list[FileIn] = Field(default_factory=list, max_length=MAX_ATTACHMENTS_PER_MESSAGE)


class AttachmentOut(Schema):
    id: int
    file_name: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: int
    kind: str
    author_kind: str
    author_id: int | None
    body: str
    channel: str
    is_automatic: bool
    created_at: datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(message: object) -> list[object]:
        return list(message.attachments.all())  # type: ignore[attr-defined]


class TicketOut(Schema):
    id: int
    number: int
    reference: str
    subject: str
    description: str
    status: str
    priority: str
    category: str
    channel: str
    requester_id: int
    requester_email: str
    organization_id: int | None
    assignee_id: int | None
    response_due_at: datetime | None
    resolution_due_at: datetime | None
    sla_due_at: datetime | None
    sla_state: str
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    response_minutes: int | None = Field(description="Business minutes from opening to the first response.")
    resolution_minutes: int | None = Field(description="Business minutes from opening to the resolution.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_reference(ticket: Ticket) -> str:
        return getattr(ticket, "reference", "") or f"T-{ticket.number}"

    @staticmethod
    def resolve_sla_state(ticket: Ticket) -> str:
        from zweck.service.selectors import sla_state

        return str(sla_state(ticket))


class TicketDetailOut(TicketOut):
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(ticket: Ticket) -> list[object]:
        return list(ticket.messages.all())


class TicketFilter(FilterSchema):
    status: TicketStatus | None = None
    priority: TicketPriority | None = None
    assignee_id: ObjectId | None = None
    organization_id: ObjectId | None = None
    requester_id: ObjectId | None = None
    mine: bool = Field(False, description="Only tickets assigned to the token's user.")
    active: bool = Field(False, description="Only tickets that need work (new, open, waiting).")
