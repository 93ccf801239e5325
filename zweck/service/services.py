"""Writes of the service desk: tickets, replies and notes, status and assignment, settings and
service level targets, and incoming mail kept for review.

Invariants:
- every write checks the actor's permission, validates before it writes, runs in one
  transaction and writes its audit event in it (ids and field names only, never texts);
- a public reply is queued in the outbox in the same transaction (``mail_queue``): a rolled-back
  reply sends nothing, a committed one cannot lose its mail;
- ticket numbers are given under a row lock on the workspace's settings: once, in order, no gaps;
- the targets (``response_due_at``, ``resolution_due_at``, ``sla_due_at``) are computed here and
  nowhere else, from the priority, the organization's targets and the business hours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.core.scoping import require_usable
from zweck.core.services import apply_changes, require_same_workspace, save_scoped
from zweck.crm.models import Organization, Person
from zweck.outbox.services import mail_queue
from zweck.privacy.deadlines import working_days_of
from zweck.service.attachments import (
    MAX_ATTACHMENTS_PER_MESSAGE,
    CheckedFile,
    attachment_content,
    attachment_files_delete,
)
from zweck.service.choices import (
    ACTIVE_STATUSES,
    HeldMailStatus,
    MessageAuthor,
    MessageKind,
    TicketChannel,
    TicketPriority,
    TicketStatus,
)
from zweck.service.models import HeldMail, ServiceSettings, SlaTarget, Ticket, TicketAttachment, TicketMessage
from zweck.service.sla import BusinessHours, target_for

# How long the link in a ticket's emails lets the requester read and answer it.
LINK_MAX_AGE_DAYS = 30
LINK_SALT = "zweck.service.ticket-link"
TICKET_FIELDS = ("status", "priority", "category", "assignee", "organization", "subject")
MAX_BODY_CHARS = 100_000


# --- settings and targets ------------------------------------------------------------------


def service_settings_of(workspace_id: int) -> ServiceSettings:
    """The workspace's service settings; the defaults (unsaved) where none were stored yet."""
    found = ServiceSettings.objects.in_workspace(workspace_id).first()
    return found or ServiceSettings(workspace_id=workspace_id)


@transaction.atomic
def service_settings_update(*, actor: Actor, **changes: Any) -> ServiceSettings:
    """Change the service desk's settings (support address, prefix, business hours)."""
    actor.require(Permission.TICKET_MANAGE, Permission.WORKSPACE_MANAGE)
    row = _settings_locked(actor)
    changed = apply_changes(
        row,
        changes,
        allowed=(
            "inbound_address",
            "ticket_prefix",
            "business_day_start",
            "business_day_end",
            "acknowledge_new_tickets",
        ),
    )
    if "inbound_address" in changes:
        row.inbound_address = (row.inbound_address or "").strip().lower()
        taken = (
            ServiceSettings.objects.filter(inbound_address=row.inbound_address)
            .exclude(workspace_id=actor.workspace_id)
            .exists()
        )
        if row.inbound_address and taken:
            raise ValidationError({"inbound_address": _("Another workspace receives mail at this address.")})
    if changed:
        save_scoped(row, actor=actor, changed=changed)
        audit_record(actor=actor, action="service_settings.update", instance=row, changed_fields=changed)
    return row


def _settings_locked(actor: Actor) -> ServiceSettings:
    rows = ServiceSettings.objects.in_workspace(actor.workspace_id)
    if not rows.exists():
        try:
            with transaction.atomic():
                save_scoped(ServiceSettings(), actor=actor)
        except (IntegrityError, ValidationError):
            pass  # created by a concurrent transaction: locked below
    return rows.select_for_update().get()


@transaction.atomic
def sla_target_set(
    *,
    actor: Actor,
    priority: str,
    response_minutes: int,
    resolution_minutes: int,
    organization: Organization | None = None,
) -> SlaTarget:
    """Set the response and resolution targets of one priority, for the workspace or, with
    ``organization``, for that customer. Open tickets keep the targets they were given."""
    actor.require(Permission.TICKET_MANAGE)
    require_same_workspace(actor, organization=organization)
    if priority not in TicketPriority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    target = (
        SlaTarget.objects.in_workspace(actor.workspace_id)
        .select_for_update()
        .filter(priority=priority, organization=organization)
        .first()
    ) or SlaTarget(priority=priority, organization=organization)
    target.response_minutes = response_minutes
    target.resolution_minutes = resolution_minutes
    save_scoped(
        target,
        actor=actor,
        changed=None if target._state.adding else ["response_minutes", "resolution_minutes"],
    )
    audit_record(
        actor=actor,
        action="sla_target.set",
        instance=target,
        changed_fields=["response_minutes", "resolution_minutes"],
    )
    return target


@transaction.atomic
def sla_target_delete(*, actor: Actor, target: SlaTarget) -> None:
    """Remove a target: the workspace's default (or the shipped one) applies again."""
    actor.require(Permission.TICKET_MANAGE)
    require_same_workspace(actor, target=target)
    audit_record(actor=actor, action="sla_target.delete", instance=target)
    target.delete()


def business_hours_of(actor: Actor, desk: ServiceSettings | None = None) -> BusinessHours:
    desk = desk or service_settings_of(actor.workspace_id)
    return BusinessHours(
        working_days=working_days_of(actor.workspace),
        start=desk.business_day_start,
        end=desk.business_day_end,
    )


def _targets(actor: Actor, priority: str, organization_id: int | None) -> tuple[int, int]:
    rows = {
        row.organization_id: (row.response_minutes, row.resolution_minutes)
        for row in SlaTarget.objects.in_workspace(actor.workspace_id).filter(
            models.Q(organization__isnull=True) | models.Q(organization_id=organization_id), priority=priority
        )
    }
    return target_for(
        priority,
        workspace_default=rows.get(None),
        organization_override=rows.get(organization_id) if organization_id else None,
    )


def _schedule(actor: Actor, ticket: Ticket) -> list[str]:
    """(Re)compute the ticket's due moments from its opening; the fields that changed."""
    response, resolution = _targets(actor, ticket.priority, ticket.organization_id)
    hours = business_hours_of(actor)
    opened = ticket.created_at or timezone.now()
    before = (ticket.response_due_at, ticket.resolution_due_at, ticket.sla_due_at)
    ticket.response_due_at = hours.add_minutes(opened, response)
    ticket.resolution_due_at = hours.add_minutes(opened, resolution)
    _next_due(ticket)
    after = (ticket.response_due_at, ticket.resolution_due_at, ticket.sla_due_at)
    return [
        name
        for name, old, new in zip(
            ("response_due_at", "resolution_due_at", "sla_due_at"), before, after, strict=True
        )
        if old != new
    ]


def _next_due(ticket: Ticket) -> None:
    """The next target still open: the response until answered, then the resolution."""
    if ticket.status not in ACTIVE_STATUSES:
        ticket.sla_due_at = None
    elif ticket.first_response_at is None:
        ticket.sla_due_at = ticket.response_due_at
    else:
        ticket.sla_due_at = ticket.resolution_due_at


# --- tickets -------------------------------------------------------------------------------


def ticket_reference(ticket: Ticket, desk: ServiceSettings | None = None) -> str:
    """The reference that goes into subject lines: ``T-1042``."""
    desk = desk or service_settings_of(ticket.workspace_id)
    return f"{desk.ticket_prefix}-{ticket.number}"


def reference_pattern(desk: ServiceSettings) -> re.Pattern[str]:
    """Finds ``[T-1042]`` (the bracketed reference this desk writes) in a subject line."""
    return re.compile(rf"\[{re.escape(desk.ticket_prefix)}-(\d{{1,9}})\]", re.IGNORECASE)


def _check_assignee(actor: Actor, assignee: User | None) -> None:
    if assignee is not None and not assignee.memberships.filter(workspace_id=actor.workspace_id).exists():
        raise ValidationError({"assignee": _("The assignee must be a member of this workspace.")})


def _check_body(body: str, field: str = "body") -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError({field: _("Write a text.")})
    if len(text) > MAX_BODY_CHARS:
        raise ValidationError(
            {field: _("The text is too long (at most %(limit)d characters).") % {"limit": MAX_BODY_CHARS}}
        )
    return text


def _store_attachments(
    actor: Actor, ticket: Ticket, message: TicketMessage | None, files: Sequence[CheckedFile]
) -> list[TicketAttachment]:
    if len(files) > MAX_ATTACHMENTS_PER_MESSAGE:
        raise ValidationError(
            {"attachments": _("Attach at most %(limit)d files.") % {"limit": MAX_ATTACHMENTS_PER_MESSAGE}}
        )
    stored = []
    written: list[str] = []
    try:
        for checked in files:
            attachment = TicketAttachment(
                ticket=ticket,
                message=message,
                file_name=checked.file_name,
                content_type=checked.content_type,
                size=len(checked.content),
                sha256=checked.sha256,
            )
            attachment.workspace_id = actor.workspace_id
            attachment.file.save(checked.file_name, attachment_content(checked), save=False)
            written.append(attachment.file.name or "")
            save_scoped(attachment, actor=actor)
            stored.append(attachment)
    except BaseException:
        _forget_files_now(written)
        raise
    # Should the caller's transaction roll back later, no row names these files any more:
    # ``attachment_files_prune`` (nightly) removes them.
    return stored


def _forget_files_now(names: list[str]) -> None:
    from zweck.service.models.tickets import attachment_storage

    storage = attachment_storage()
    for name in names:
        storage.delete(name)


def _next_ticket_number(actor: Actor) -> int:
    desk = _settings_locked(actor)
    number = desk.next_ticket_number
    ServiceSettings.objects.filter(pk=desk.pk).update(next_ticket_number=models.F("next_ticket_number") + 1)
    return number


def _requester_check(actor: Actor, requester: Person, organization: Organization | None) -> None:
    require_same_workspace(actor, requester=requester, organization=organization)
    require_usable(workspace_id=actor.workspace_id, field="requester", subjects=[requester], record=Ticket)


def _primary_organization(requester: Person) -> Organization | None:
    membership = requester.memberships.select_related("organization").order_by("-is_primary", "pk").first()
    return membership.organization if membership else None


def _primary_email(requester: Person) -> str:
    email = requester.emails.order_by("-is_primary", "pk").first()
    return email.email if email else ""


@transaction.atomic
def ticket_create(
    *,
    actor: Actor,
    requester: Person,
    subject: str,
    description: str = "",
    priority: str = TicketPriority.NORMAL,
    category: str = "",
    organization: Organization | None = None,
    assignee: User | None = None,
    channel: str = TicketChannel.STAFF,
    requester_email: str = "",
    attachments: Sequence[CheckedFile] = (),
    message_id: str = "",
    acknowledge: bool | None = None,
) -> Ticket:
    """Open a ticket for ``requester`` (and their organization, where not given: their primary
    one). The targets are set from the priority; with ``acknowledge`` (default: the desk's
    setting, for tickets from email and the API) the requester gets the reference by email."""
    actor.require(Permission.TICKET_MANAGE)
    organization = organization or _primary_organization(requester)
    _requester_check(actor, requester, organization)
    _check_assignee(actor, assignee)
    ticket = Ticket(
        requester=requester,
        organization=organization,
        subject=" ".join((subject or "").split())[:300],
        description=(description or "").strip(),
        priority=priority,
        category=(category or "").strip(),
        assignee=assignee,
        channel=channel,
        requester_email=(requester_email or _primary_email(requester)).strip().lower(),
    )
    if not ticket.subject:
        raise ValidationError({"subject": _("Give the ticket a subject.")})
    if len(ticket.description) > MAX_BODY_CHARS:
        _check_body(ticket.description, "description")
    ticket.number = _next_ticket_number(actor)
    save_scoped(ticket, actor=actor)
    # The targets count from the moment the ticket was stored.
    ticket.save(update_fields=_schedule(actor, ticket))
    first: TicketMessage | None = None
    if message_id or attachments:
        # The opening mail's Message-ID threads answers; its files belong to its text.
        first = _message_add(
            actor,
            ticket,
            kind=MessageKind.REPLY,
            author_kind=MessageAuthor.REQUESTER
            if channel in (TicketChannel.EMAIL, TicketChannel.PORTAL)
            else MessageAuthor.STAFF,
            body=ticket.description or ticket.subject,
            channel=channel,
            message_id=message_id,
        )
        _store_attachments(actor, ticket, first, attachments)
    audit_record(
        actor=actor,
        action="ticket.create",
        instance=ticket,
        subject_ids=[requester.pk],
        details={"channel": channel},
    )
    desk = service_settings_of(actor.workspace_id)
    if acknowledge is None:
        acknowledge = desk.acknowledge_new_tickets and channel in (TicketChannel.EMAIL, TicketChannel.API)
    if acknowledge and ticket.requester_email:
        _send(actor, ticket, desk=desk, kind="acknowledgement", in_reply_to=first)
    return ticket


@transaction.atomic
def ticket_update(*, actor: Actor, ticket: Ticket, **changes: Any) -> Ticket:
    """Change status, priority, category, assignee, organization or subject. Resolving and
    closing stamp their moments and the business minutes to resolution; reopening clears them;
    a new priority or organization sets new targets, counted from the opening."""
    actor.require(Permission.TICKET_MANAGE)
    locked = Ticket.objects.in_workspace(actor.workspace_id).select_for_update().get(pk=ticket.pk)
    if "status" in changes and changes["status"] not in TicketStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if "priority" in changes and changes["priority"] not in TicketPriority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    if "subject" in changes:
        changes["subject"] = " ".join((changes["subject"] or "").split())[:300]
        if not changes["subject"]:
            raise ValidationError({"subject": _("Give the ticket a subject.")})
    if "category" in changes:
        changes["category"] = (changes["category"] or "").strip()
    require_same_workspace(actor, organization=changes.get("organization"))
    if "assignee" in changes:
        _check_assignee(actor, changes["assignee"])
    before_status = locked.status
    changed = apply_changes(locked, changes, allowed=TICKET_FIELDS)
    if not changed:
        return locked
    changed += _status_stamps(actor, locked, before_status)
    if {"priority", "organization"} & set(changed):
        changed += _schedule(actor, locked)
    else:
        previous = locked.sla_due_at
        _next_due(locked)
        if previous != locked.sla_due_at:
            changed.append("sla_due_at")
    changed = list(dict.fromkeys(changed))
    save_scoped(locked, actor=actor, changed=changed)
    audit_record(
        actor=actor,
        action="ticket.update",
        instance=locked,
        subject_ids=[locked.requester_id],
        changed_fields=changed,
    )
    return locked


def _status_stamps(actor: Actor, ticket: Ticket, before: str) -> list[str]:
    now = timezone.now()
    changed: list[str] = []
    if ticket.status == before:
        return changed
    if ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED) and ticket.resolved_at is None:
        ticket.resolved_at = now
        ticket.resolution_minutes = business_hours_of(actor).minutes_between(ticket.created_at, now)
        changed += ["resolved_at", "resolution_minutes"]
    if ticket.status == TicketStatus.CLOSED and ticket.closed_at is None:
        ticket.closed_at = now
        changed.append("closed_at")
    if ticket.status in ACTIVE_STATUSES:
        for name in ("resolved_at", "resolution_minutes", "closed_at"):
            if getattr(ticket, name) is not None:
                setattr(ticket, name, None)
                changed.append(name)
    return changed


def _message_add(
    actor: Actor,
    ticket: Ticket,
    *,
    kind: str,
    author_kind: str,
    body: str,
    channel: str,
    message_id: str = "",
    is_automatic: bool = False,
) -> TicketMessage:
    message = TicketMessage(
        ticket=ticket,
        kind=kind,
        author_kind=author_kind,
        author=actor.user if author_kind == MessageAuthor.STAFF else None,
        body=body,
        channel=channel,
        message_id=message_id[:250],
        is_automatic=is_automatic,
    )
    return save_scoped(message, actor=actor)


@transaction.atomic
def ticket_system_note(*, actor: Actor, ticket: Ticket, body: str) -> TicketMessage:
    """An internal note written by the desk itself (what it refused of an incoming mail)."""
    actor.require(Permission.TICKET_MANAGE)
    note = _message_add(
        actor,
        ticket,
        kind=MessageKind.NOTE,
        author_kind=MessageAuthor.STAFF,
        body=body,
        channel=ticket.channel,
    )
    audit_record(actor=actor, action="ticket.note", instance=note, details={"ticket": ticket.pk})
    return note


@transaction.atomic
def ticket_reply(
    *,
    actor: Actor,
    ticket: Ticket,
    body: str,
    kind: str = MessageKind.REPLY,
    status: str | None = None,
    attachments: Sequence[CheckedFile] = (),
    channel: str = TicketChannel.STAFF,
) -> TicketMessage:
    """A staff member's public reply (emailed to the requester) or internal note. The first
    public reply is the first response (its business minutes are stored); a reply moves a new
    or open ticket to waiting for the customer, unless ``status`` says otherwise."""
    actor.require(Permission.TICKET_MANAGE)
    if kind not in MessageKind.values:
        raise ValidationError({"kind": _("Choose a public reply or an internal note.")})
    if status is not None and status not in TicketStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    text = _check_body(body)
    locked = Ticket.objects.in_workspace(actor.workspace_id).select_for_update().get(pk=ticket.pk)
    if kind == MessageKind.REPLY and not locked.requester_email:
        raise ValidationError({"body": _("The requester has no email address to send the reply to.")})
    message = _message_add(
        actor, locked, kind=kind, author_kind=MessageAuthor.STAFF, body=text, channel=channel
    )
    _store_attachments(actor, locked, message, attachments)
    before = locked.status
    changed: list[str] = []
    if kind == MessageKind.REPLY:
        if locked.first_response_at is None:
            locked.first_response_at = message.created_at
            locked.response_minutes = business_hours_of(actor).minutes_between(
                locked.created_at, message.created_at
            )
            changed += ["first_response_at", "response_minutes"]
        if status is None and locked.status in (TicketStatus.NEW, TicketStatus.OPEN):
            status = TicketStatus.WAITING
    elif status is None and locked.status == TicketStatus.NEW:
        status = TicketStatus.OPEN
    if status is not None and status != locked.status:
        locked.status = status
        changed.append("status")
        changed += _status_stamps(actor, locked, before)
    previous = locked.sla_due_at
    _next_due(locked)
    if previous != locked.sla_due_at:
        changed.append("sla_due_at")
    if changed:
        save_scoped(locked, actor=actor, changed=list(dict.fromkeys(changed)))
    audit_record(
        actor=actor,
        action="ticket.reply" if kind == MessageKind.REPLY else "ticket.note",
        instance=message,
        subject_ids=[locked.requester_id],
        details={"ticket": locked.pk},
    )
    if kind == MessageKind.REPLY:
        message.message_id = _send(actor, locked, kind="reply", message=message)
        message.save(update_fields=["message_id"])
    ticket.__dict__.update(
        {
            name: getattr(locked, name)
            for name in ("status", "first_response_at", "sla_due_at", "resolved_at", "closed_at")
        }
    )
    return message


@transaction.atomic
def ticket_message_receive(
    *,
    actor: Actor,
    ticket: Ticket,
    body: str,
    channel: str,
    message_id: str = "",
    attachments: Sequence[CheckedFile] = (),
    is_automatic: bool = False,
) -> TicketMessage:
    """The requester's answer (by email or through the ticket's link): it joins the
    conversation, and a ticket waiting, resolved or closed opens again (an automatic reply
    changes nothing but the conversation)."""
    actor.require(Permission.TICKET_MANAGE)
    text = (body or "").strip() or _("(no text)")
    if len(text) > MAX_BODY_CHARS:
        text = text[:MAX_BODY_CHARS]
    locked = Ticket.objects.in_workspace(actor.workspace_id).select_for_update().get(pk=ticket.pk)
    message = _message_add(
        actor,
        locked,
        kind=MessageKind.REPLY,
        author_kind=MessageAuthor.REQUESTER,
        body=text,
        channel=channel,
        message_id=message_id,
        is_automatic=is_automatic,
    )
    _store_attachments(actor, locked, message, attachments)
    changed: list[str] = []
    if not is_automatic and locked.status != TicketStatus.OPEN and locked.status != TicketStatus.NEW:
        before = locked.status
        locked.status = TicketStatus.OPEN
        changed = ["status", *_status_stamps(actor, locked, before)]
        _next_due(locked)
        changed.append("sla_due_at")
        save_scoped(locked, actor=actor, changed=list(dict.fromkeys(changed)))
    audit_record(
        actor=actor,
        action="ticket.message_receive",
        instance=message,
        subject_ids=[locked.requester_id],
        changed_fields=changed,
        details={"ticket": locked.pk, "channel": channel, "automatic": is_automatic},
    )
    return message


@transaction.atomic
def ticket_attachment_delete(*, actor: Actor, attachment: TicketAttachment) -> None:
    """Remove one file from a ticket (sent by mistake); the file leaves the disk after commit."""
    actor.require(Permission.TICKET_MANAGE)
    require_same_workspace(actor, attachment=attachment)
    audit_record(
        actor=actor,
        action="ticket_attachment.delete",
        instance=attachment,
        details={"ticket": attachment.ticket_id},
    )
    name = attachment.file.name or ""
    attachment.delete()
    attachment_files_delete([name])


# --- the requester's link ------------------------------------------------------------------


def ticket_link_token(ticket: Ticket) -> str:
    """A signed token that lets the requester read and answer ``ticket`` without an account,
    for ``LINK_MAX_AGE_DAYS`` (the signature carries its time); it names ids only."""
    return signing.dumps(
        {"w": ticket.workspace_id, "t": ticket.pk, "p": ticket.requester_id}, salt=LINK_SALT, compress=True
    )


def ticket_link_read(token: str) -> tuple[int, int, int] | None:
    """(workspace id, ticket id, requester id) of a valid, unexpired token; ``None`` otherwise."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE_DAYS * 24 * 60 * 60)
        return int(data["w"]), int(data["t"]), int(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def ticket_link_url(ticket: Ticket) -> str:
    try:
        path = reverse("support:ticket", kwargs={"token": ticket_link_token(ticket)})
    except NoReverseMatch:
        return ""
    base = str(getattr(settings, "ZWECK_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{path}"


# --- email out -----------------------------------------------------------------------------


def _language_of(ticket: Ticket) -> str:
    language = (ticket.requester.language or "").split("-")[0].lower()
    return (
        language
        if language in {"de", "en"}
        else "de"
        if ticket.workspace.country in {"DE", "AT", "CH"}
        else "en"
    )


def _message_id_domain(desk: ServiceSettings) -> str:
    address = desk.inbound_address or settings.DEFAULT_FROM_EMAIL
    return address.rpartition("@")[2] or "localhost"


def _send(
    actor: Actor,
    ticket: Ticket,
    *,
    kind: str,
    message: TicketMessage | None = None,
    in_reply_to: TicketMessage | None = None,
    desk: ServiceSettings | None = None,
) -> str:
    """Queue the acknowledgement or a reply in the outbox; the Message-ID it goes out with."""
    desk = desk or service_settings_of(actor.workspace_id)
    reference = ticket_reference(ticket, desk)
    message_id = make_msgid(idstring=f"ticket-{reference}", domain=_message_id_domain(desk))
    earlier = list(
        TicketMessage.objects.in_workspace(actor.workspace_id)
        .filter(ticket=ticket)
        .exclude(message_id="")
        .exclude(pk=message.pk if message else 0)
        .order_by("created_at", "pk")
        .values_list("message_id", flat=True)
    )
    headers = {"Message-ID": message_id}
    parent = (
        in_reply_to.message_id if in_reply_to and in_reply_to.message_id else (earlier[-1] if earlier else "")
    )
    if parent:
        headers["In-Reply-To"] = parent
        headers["References"] = " ".join(dict.fromkeys([*earlier[-10:], parent]))
    if desk.inbound_address:
        headers["Reply-To"] = desk.inbound_address
    link = ticket_link_url(ticket)
    with translation.override(_language_of(ticket)):
        if kind == "acknowledgement":
            # RFC 3834 3.1.7: a message sent automatically in response to another.
            headers["Auto-Submitted"] = "auto-replied"
            subject = _("[%(reference)s] Received: %(subject)s") % {
                "reference": reference,
                "subject": ticket.subject,
            }
            text = _(
                "Thank you for your message. We have opened ticket %(reference)s and will answer as "
                "soon as we can. To add something, reply to this email and keep the reference in "
                "the subject line."
            ) % {"reference": reference}
        else:
            subject = _("Re: [%(reference)s] %(subject)s") % {
                "reference": reference,
                "subject": ticket.subject,
            }
            text = message.body if message else ""
        parts = [text]
        if link:
            parts.append(
                _("You can read the whole conversation and answer at this link (valid for %(days)d days):")
                % {"days": LINK_MAX_AGE_DAYS}
                + "\n"
                + link
            )
        body = "\n\n".join(parts)
    mail_queue(
        to=ticket.requester_email,
        subject=subject,
        body=body,
        workspace_id=actor.workspace_id,
        from_email=desk.inbound_address or None,
        headers=headers,
    )
    return message_id


# --- held mail -----------------------------------------------------------------------------


def held_mail_store(
    *, workspace_id: int | None, reason: str, raw: bytes, sender: str = "", subject: str = ""
) -> HeldMail:
    """Keep an incoming mail for review; with a workspace, its audit event is written too."""
    with transaction.atomic():
        held = HeldMail.objects.create(
            workspace_id=workspace_id,
            reason=reason,
            raw=raw,
            size=len(raw),
            sender=sender[:254],
            subject=" ".join(subject.split())[:300],
        )
        if workspace_id is not None:
            from zweck.accounts.models import Workspace

            audit_record(
                actor=Actor.system(Workspace.objects.get(pk=workspace_id)),
                action="held_mail.hold",
                instance=held,
                details={"reason": reason},
            )
    return held


@transaction.atomic
def held_mail_dismiss(*, actor: Actor, held: HeldMail) -> HeldMail:
    """Mark a held mail as looked at and not needing a ticket (it goes with its period)."""
    actor.require(Permission.TICKET_MANAGE)
    locked = HeldMail.objects.in_workspace(actor.workspace_id).select_for_update().get(pk=held.pk)
    if locked.status != HeldMailStatus.WAITING:
        raise ValidationError(_("This email was dealt with already."))
    locked.status = HeldMailStatus.DISMISSED
    locked.decided_at = timezone.now()
    locked.decided_by = actor.user
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(actor=actor, action="held_mail.dismiss", instance=locked, changed_fields=["status"])
    return locked


def held_mail_decided(*, actor: Actor, held: HeldMail, ticket: Ticket) -> None:
    """Record that a ticket was opened from the held mail (inside the caller's transaction)."""
    HeldMail.objects.in_workspace(actor.workspace_id).filter(pk=held.pk).update(
        status=HeldMailStatus.TICKET_OPENED, ticket=ticket, decided_at=timezone.now(), decided_by=actor.user
    )
    audit_record(
        actor=actor,
        action="held_mail.ticket",
        instance=held,
        changed_fields=["status"],
        details={"ticket": ticket.pk},
    )
