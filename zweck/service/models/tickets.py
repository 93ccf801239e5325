"""Tickets, their conversation and their attachments.

A ticket belongs to one workspace and has a number there, counted up without gaps by
``ServiceSettings.next_ticket_number``; its reference (``T-1042``) goes into every subject line
sent about it, so answers find their way back. Its requester is a contact (a data subject);
the subject, description and message texts are free text and may mention other people.

Targets: ``response_due_at`` and ``resolution_due_at`` are fixed when the ticket is opened (or
its priority or organization changes) from the service level targets, counted in business
hours; ``sla_due_at`` is the next of them still open, so the queue sorts by it with one index.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.service.choices import MessageAuthor, MessageKind, TicketChannel, TicketPriority, TicketStatus


@deconstructible
class AttachmentStorage(FileSystemStorage):
    """Files of tickets, under ``<data directory>/attachments``: never served as static or
    media files, only through a view that checks who may read the ticket."""

    # Read on every use, not cached: the data directory is a setting (tests change it).
    @property
    def base_location(self) -> str:
        return str(Path(settings.DATA_DIR) / "attachments")

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


def attachment_storage() -> AttachmentStorage:
    return AttachmentStorage()


def attachment_path(instance: TicketAttachment, filename: str) -> str:
    # The stored name says nothing about the content: the original name stays in the row only.
    return f"{instance.workspace_id}/{instance.ticket_id}/{instance.sha256[:32]}"


class Ticket(WorkspaceScopedModel):
    """A customer's request for service, from its opening to its closing."""

    number = models.PositiveIntegerField(_("number"), editable=False)
    organization = models.ForeignKey(
        "crm.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    requester = models.ForeignKey(
        "crm.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("requester")
    )
    # The address the requester wrote from (or is answered at): one of theirs, kept with the
    # ticket so that replies go where the conversation happens.
    requester_email = models.EmailField(_("requester's email address"), blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=TicketPriority.choices, default=TicketPriority.NORMAL
    )
    category = models.CharField(_("category"), max_length=80, blank=True)
    channel = models.CharField(
        _("received through"), max_length=8, choices=TicketChannel.choices, default=TicketChannel.STAFF
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee"),
    )
    response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True, editable=False)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True, editable=False)
    sla_due_at = models.DateTimeField(_("next target"), null=True, blank=True, editable=False)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # Business minutes from opening to the first response and to the resolution, stored when
    # they happen (the service level reports read these).
    response_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "number"], name="ticket_number_unique"),
        ]
        indexes = [
            # The queue: open tickets of a workspace (or an assignee) by their next target.
            models.Index(fields=["workspace", "status", "sla_due_at"], name="ticket_queue"),
            models.Index(
                fields=["workspace", "assignee", "sla_due_at"],
                condition=Q(status__in=["new", "open", "waiting"]),
                name="ticket_queue_assignee",
            ),
            models.Index(fields=["workspace", "requester"], name="ticket_requester"),
            models.Index(fields=["workspace", "organization"], name="ticket_organization"),
            models.Index(fields=["workspace", "closed_at"], name="ticket_closed"),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"


class TicketMessage(WorkspaceScopedModel):
    """One entry of a ticket's conversation: a public reply (sent to or received from the
    requester) or an internal note (staff only). ``message_id`` is the email Message-ID the
    entry was sent or received with, so answers by email thread to it."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=6, choices=MessageKind.choices, default=MessageKind.REPLY)
    author_kind = models.CharField(_("from"), max_length=10, choices=MessageAuthor.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"))
    channel = models.CharField(_("received through"), max_length=8, choices=TicketChannel.choices)
    message_id = models.CharField(_("email message ID"), max_length=250, blank=True)
    # An automatic message (an out-of-office reply): kept, never answered.
    is_automatic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["workspace", "ticket", "created_at"], name="ticketmessage_ticket"),
            models.Index(
                fields=["workspace", "message_id"],
                condition=~Q(message_id=""),
                name="ticketmessage_message_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class TicketAttachment(WorkspaceScopedModel):
    """A file sent with a ticket or one of its messages, checked for size and type
    (``zweck.service.attachments``) and stored under the data directory."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        TicketMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    file = models.FileField(storage=attachment_storage, upload_to=attachment_path, max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workspace", "ticket"], name="ticketattachment_ticket")]

    def __str__(self) -> str:
        return self.file_name
