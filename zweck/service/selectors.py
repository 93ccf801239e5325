"""Reads of the service desk, always through ``visible_to``: the actor's workspace and
permission, and without restricted requesters' tickets unless read for storage."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.service.choices import ACTIVE_STATUSES, HeldMailStatus, SlaState
from zweck.service.models import HeldMail, SlaTarget, Ticket, TicketAttachment, TicketMessage
from zweck.service.sla import DUE_SOON


def ticket_list(
    *,
    actor: Actor,
    status: str | None = None,
    priority: str | None = None,
    assignee_id: int | None = None,
    mine: bool = False,
    active: bool = False,
    organization_id: int | None = None,
    requester_id: int | None = None,
) -> QuerySet[Ticket]:
    """The queue: tickets by their next target (the most urgent first, those without one last),
    then by number."""
    tickets = Ticket.objects.visible_to(actor, Permission.TICKET_VIEW).select_related(
        "requester", "organization", "assignee"
    )
    if mine:
        tickets = tickets.filter(assignee_id=actor.user_id)
    elif assignee_id:
        tickets = tickets.filter(assignee_id=assignee_id)
    if status:
        tickets = tickets.filter(status=status)
    elif active:
        tickets = tickets.filter(status__in=ACTIVE_STATUSES)
    if priority:
        tickets = tickets.filter(priority=priority)
    if organization_id:
        tickets = tickets.filter(organization_id=organization_id)
    if requester_id:
        tickets = tickets.filter(requester_id=requester_id)
    # NULLS LAST is PostgreSQL's own order of an ascending index: the queue index serves it.
    return tickets.order_by(F("sla_due_at").asc(nulls_last=True), "-number")


def ticket_get(*, actor: Actor, ticket_id: int) -> Ticket:
    """One ticket with its conversation and files; ``Ticket.DoesNotExist`` otherwise."""
    messages: QuerySet[TicketMessage] = (
        TicketMessage.objects.visible_to(actor, Permission.TICKET_VIEW)
        .select_related("author")
        .prefetch_related("attachments")
    )
    files: QuerySet[TicketAttachment] = TicketAttachment.objects.visible_to(actor, Permission.TICKET_VIEW)
    return (
        Ticket.objects.visible_to(actor, Permission.TICKET_VIEW)
        .select_related("requester", "organization", "assignee")
        .prefetch_related(
            Prefetch("messages", queryset=messages),
            Prefetch("attachments", queryset=files),
        )
        .get(pk=ticket_id)
    )


def ticket_by_number(*, actor: Actor, number: int) -> Ticket | None:
    return Ticket.objects.visible_to(actor, Permission.TICKET_VIEW).filter(number=number).first()


def ticket_by_message_ids(*, actor: Actor, message_ids: list[str]) -> Ticket | None:
    """The ticket one of whose messages went out or came in with one of ``message_ids``."""
    if not message_ids:
        return None
    message = (
        TicketMessage.objects.visible_to(actor, Permission.TICKET_VIEW)
        .filter(message_id__in=message_ids[-50:])
        .order_by("-created_at")
        .select_related("ticket")
        .first()
    )
    return message.ticket if message else None


def attachment_get(*, actor: Actor, attachment_id: int) -> TicketAttachment:
    return TicketAttachment.objects.visible_to(actor, Permission.TICKET_VIEW).get(pk=attachment_id)


def sla_state(ticket: Ticket, *, now: datetime | None = None) -> str:
    """How the ticket stands against its next target (``SlaState``)."""
    if ticket.sla_due_at is None:
        return SlaState.NONE
    now = now or timezone.now()
    if ticket.sla_due_at <= now:
        return SlaState.OVERDUE
    if ticket.sla_due_at - now <= DUE_SOON:
        return SlaState.DUE_SOON
    return SlaState.ON_TRACK


def ticket_counts(*, actor: Actor) -> dict[str, int]:
    """For the queue's header: active tickets, those overdue, those due soon, and the actor's."""
    now = timezone.now()
    active = Ticket.objects.visible_to(actor, Permission.TICKET_VIEW).filter(status__in=ACTIVE_STATUSES)
    return {
        "active": active.count(),
        "overdue": active.filter(sla_due_at__lte=now).count(),
        "due_soon": active.filter(sla_due_at__gt=now, sla_due_at__lte=now + DUE_SOON).count(),
        "mine": active.filter(assignee_id=actor.user_id).count() if actor.user_id else 0,
    }


def sla_target_list(*, actor: Actor, organization_id: int | None = None) -> QuerySet[SlaTarget]:
    targets = SlaTarget.objects.visible_to(actor, Permission.TICKET_VIEW).select_related("organization")
    if organization_id is not None:
        targets = targets.filter(Q(organization_id=organization_id) | Q(organization__isnull=True))
    return targets.order_by("organization_id", "priority")


def held_mail_list(*, actor: Actor, waiting_only: bool = True) -> QuerySet[HeldMail]:
    held = HeldMail.objects.visible_to(actor, Permission.TICKET_MANAGE).defer("raw")
    if waiting_only:
        held = held.filter(status=HeldMailStatus.WAITING)
    return held.order_by("-created_at", "-pk")


def held_mail_get(*, actor: Actor, held_id: int) -> HeldMail:
    return HeldMail.objects.visible_to(actor, Permission.TICKET_MANAGE).get(pk=held_id)


def ticket_for_link(*, token: str) -> tuple[Actor, Ticket] | None:
    """The ticket a requester's signed link opens, read as the workspace itself (so a
    restricted requester's ticket stays hidden), with only its public messages; ``None`` for a
    link that is forged, expired, or whose ticket or requester no longer match."""
    from zweck.accounts.models import Workspace
    from zweck.service.services import ticket_link_read

    read = ticket_link_read(token)
    if read is None:
        return None
    workspace_id, ticket_id, requester_id = read
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return None
    actor = Actor.system(workspace)
    ticket = (
        Ticket.objects.visible_to(actor, Permission.TICKET_VIEW)
        .filter(pk=ticket_id, requester_id=requester_id)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=TicketMessage.objects.visible_to(actor, Permission.TICKET_VIEW)
                .filter(kind="reply", is_automatic=False)
                .select_related("author")
                .prefetch_related("attachments"),
            )
        )
        .first()
    )
    return (actor, ticket) if ticket is not None else None
