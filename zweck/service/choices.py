"""Choices of the service desk: a ticket's status and priority, and what a message is."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting for customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# Statuses in which a ticket still needs work (and its targets still count).
ACTIVE_STATUSES = (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.WAITING)


class TicketPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class TicketChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    STAFF = "staff", _("Entered by staff")
    API = "api", _("API")
    PORTAL = "portal", _("Customer link")


class MessageKind(models.TextChoices):
    REPLY = "reply", _("Public reply")
    NOTE = "note", _("Internal note")


class MessageAuthor(models.TextChoices):
    STAFF = "staff", _("Staff")
    REQUESTER = "requester", _("Requester")


class HeldMailReason(models.TextChoices):
    """Why an incoming mail was kept for review instead of becoming part of a ticket."""

    UNREADABLE = "unreadable", _("Not a readable email message")
    TOO_LARGE = "too_large", _("Too large")
    NO_WORKSPACE = "no_workspace", _("No workspace receives mail at its address")
    AUTOMATIC = "automatic", _("Automatic reply that belongs to no ticket")
    NO_SENDER = "no_sender", _("No usable sender address")
    REFUSED = "refused", _("Refused while opening a ticket")
    ATTACHMENT_REFUSED = "attachment", _("An attachment was refused (the ticket has the rest)")


class HeldMailStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for review")
    TICKET_OPENED = "ticket_opened", _("Ticket opened from it")
    DISMISSED = "dismissed", _("Dismissed")


class SlaState(models.TextChoices):
    """How a ticket stands against its next target, for the queue."""

    NONE = "", _("No target")
    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
