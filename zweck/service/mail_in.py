"""Email in: one RFC 5322 message becomes a new ticket, joins an existing one, or is kept for
review — never dropped.

How a message finds its place:
1. The workspace is the one whose support address (``ServiceSettings.inbound_address``) is
   among the message's recipients (``To``, ``Cc``, ``Delivered-To``, ``X-Original-To``,
   ``Envelope-To``, and the envelope recipient the mail server passes with ``--recipient``);
   where none matches, the workspace named by the caller (``--workspace``, for a mail server
   that pipes one mailbox per workspace). Without either, the mail is held without workspace.
2. It continues a ticket when its ``In-Reply-To`` or ``References`` name a message of one
   (an id that is practically impossible to guess), or when its subject carries the ticket's
   reference ``[T-1042]`` and it comes from one of the requester's addresses (a reference
   alone is easy to guess, so a stranger's mail with it opens a new ticket instead).
3. Otherwise it opens a ticket. The sender is matched to a contact of the workspace by email
   address; an unknown sender becomes a new contact ("other person who contacts us").

Automatic mail (RFC 3834 ``Auto-Submitted`` other than ``no``; ``Precedence: bulk, junk,
list, auto_reply``; ``X-Autoreply``, ``X-Autorespond``, ``X-Auto-Response-Suppress``; a null
return path; mail from the desk's own address) never gets an answer: it joins its ticket
without reopening it, and where it belongs to none it is held, so a loop between two
auto-responders cannot start.

Invariants: a message is stored exactly once — as part of a ticket or as a held mail — or the
command fails with a temporary error (exit status 75) so that the mail server keeps it and
tries again; a held mail keeps the message as received, byte for byte.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.crm import selectors as crm_selectors
from zweck.crm.choices import DataSource, SubjectCategory
from zweck.crm.models import Person
from zweck.crm.services.persons import EmailInput, normalize_email, person_create
from zweck.service import selectors, services
from zweck.service.attachments import MAX_ATTACHMENTS_PER_MESSAGE, CheckedFile, attachment_check
from zweck.service.choices import HeldMailReason, TicketChannel
from zweck.service.models import HeldMail, ServiceSettings, Ticket

logger = logging.getLogger(__name__)

# Larger messages are held whole, without being read.
MAX_MAIL_BYTES = 40 * 1024 * 1024
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")


@dataclass
class MailInResult:
    """What became of one message: ``opened`` or ``continued`` (a ticket), or ``held``."""

    outcome: str
    ticket_id: int | None = None
    held_id: int | None = None
    reason: str = ""
    refused_files: list[str] = field(default_factory=list)


def _parse(raw: bytes) -> EmailMessage | None:
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception:  # the parser is lenient; anything it still cannot read is unreadable
        return None
    if not isinstance(message, EmailMessage) or not message.keys() or message.get("From") is None:
        return None
    return message


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header the policy cannot parse reads as absent
        return ""
    return str(value or "").strip()


def _addresses(message: EmailMessage, names: tuple[str, ...]) -> list[str]:
    values = [_header(message, name) for name in names]
    return [
        address.strip().lower() for _name, address in getaddresses([v for v in values if v]) if "@" in address
    ]


def is_automatic(message: EmailMessage, *, own_addresses: set[str]) -> bool:
    """Whether the message was sent by a machine (RFC 3834 and common practice)."""
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    if _header(message, "Precedence").lower() in {"bulk", "junk", "list", "auto_reply"}:
        return True
    if any(_header(message, name) for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress")):
        return True
    if _header(message, "Return-Path") == "<>":
        return True
    sender = parseaddr(_header(message, "From"))[1].strip().lower()
    return sender in own_addresses


def _text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = body.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else str(payload)
    text = str(content)
    if body.get_content_subtype() == "html":
        text = strip_tags(text)
    return text.replace("\x00", "").replace("\r\n", "\n").strip()


def _files_of(message: EmailMessage) -> tuple[list[CheckedFile], list[str]]:
    """The message's attachments that pass the checks, and what was refused (name: reason)."""
    accepted: list[CheckedFile] = []
    refused: list[str] = []
    for part in message.iter_attachments():
        name = part.get_filename() or _("attachment")
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            refused.append(f"{name}: {_('not readable')}")
            continue
        try:
            checked = attachment_check(file_name=name, content=payload)
        except ValidationError as error:
            refused.append(" ".join(error.messages))
            continue
        if len(accepted) >= MAX_ATTACHMENTS_PER_MESSAGE:
            refused.append(_("%(name)s: too many files in one message.") % {"name": checked.file_name})
            continue
        accepted.append(checked)
    return accepted, refused


def _workspace_of(
    message: EmailMessage, recipients: list[str], fallback_slug: str | None
) -> Workspace | None:
    addresses = set(recipients) | set(_addresses(message, RECIPIENT_HEADERS))
    if addresses:
        desk = (
            ServiceSettings.objects.filter(inbound_address__in=sorted(addresses))
            .exclude(inbound_address="")
            .select_related("workspace")
            .order_by("pk")
            .first()
        )
        if desk is not None:
            return desk.workspace
    if fallback_slug:
        return Workspace.objects.filter(slug=fallback_slug).first()
    return None


def _message_ids(message: EmailMessage) -> list[str]:
    found = _MESSAGE_ID.findall(" ".join((_header(message, "References"), _header(message, "In-Reply-To"))))
    return list(dict.fromkeys(found))


def _requester_addresses(ticket: Ticket) -> set[str]:
    addresses = {email.lower() for email in ticket.requester.emails.values_list("email", flat=True)}
    if ticket.requester_email:
        addresses.add(ticket.requester_email.lower())
    return addresses


def _existing_ticket(
    actor: Actor, message: EmailMessage, sender: str, desk: ServiceSettings
) -> Ticket | None:
    ticket = selectors.ticket_by_message_ids(actor=actor, message_ids=_message_ids(message))
    if ticket is not None:
        return ticket
    found = services.reference_pattern(desk).search(_header(message, "Subject"))
    if found:
        ticket = selectors.ticket_by_number(actor=actor, number=int(found.group(1)))
        if ticket is not None and sender in _requester_addresses(ticket):
            return ticket
    return None


def _split_name(display_name: str, address: str) -> tuple[str, str]:
    name = " ".join(display_name.replace('"', " ").split())
    if not name or "@" in name:
        return "", address.partition("@")[0][:100]
    if "," in name:  # "Schmidt, Anna"
        last, _comma, first = name.partition(",")
        return first.strip()[:100], last.strip()[:100] or address.partition("@")[0][:100]
    first, _space, last = name.rpartition(" ")
    return first[:100], (last or first)[:100]


def _requester_for(actor: Actor, address: str, display_name: str) -> Person:
    """The contact with this email address, or a new one (an "other person who contacts us")."""
    known = (
        crm_selectors.person_list(actor=actor, include_archived=True)
        .filter(emails__email__iexact=address)
        .order_by("archived_at", "pk")
        .first()
    )
    if known is not None:
        return known
    first_name, last_name = _split_name(display_name, address)
    return person_create(
        actor=actor,
        first_name=first_name,
        last_name=last_name,
        emails=[EmailInput(email=address, is_primary=True)],
        subject_category=SubjectCategory.OTHER_CONTACT,
        source=DataSource.PROVIDED_BY_SUBJECT,
        source_note=_("Wrote to the support address."),
    )


def _hold(
    workspace: Workspace | None, reason: str, raw: bytes, sender: str = "", subject: str = ""
) -> MailInResult:
    held = services.held_mail_store(
        workspace_id=workspace.pk if workspace else None,
        reason=reason,
        raw=raw,
        sender=sender,
        subject=subject,
    )
    return MailInResult(outcome="held", held_id=held.pk, reason=reason)


def mail_in(
    *, raw: bytes, recipients: list[str] | None = None, workspace_slug: str | None = None
) -> MailInResult:
    """Take one message as received; what became of it. Raises only when even holding it
    failed (the database is unreachable): the caller then answers with a temporary error."""
    if len(raw) > MAX_MAIL_BYTES:
        return _hold(
            Workspace.objects.filter(slug=workspace_slug).first() if workspace_slug else None,
            HeldMailReason.TOO_LARGE,
            raw,
        )
    message = _parse(raw)
    if message is None:
        workspace = Workspace.objects.filter(slug=workspace_slug).first() if workspace_slug else None
        return _hold(workspace, HeldMailReason.UNREADABLE, raw)
    subject = _header(message, "Subject")
    display_name, sender = parseaddr(_header(message, "From"))
    workspace = _workspace_of(message, [r.strip().lower() for r in recipients or []], workspace_slug)
    if workspace is None:
        return _hold(None, HeldMailReason.NO_WORKSPACE, raw, sender, subject)
    try:
        sender = normalize_email(sender).lower()
    except ValidationError:
        return _hold(workspace, HeldMailReason.NO_SENDER, raw, sender, subject)
    desk = services.service_settings_of(workspace.pk)
    own = {address for address in (desk.inbound_address, str(settings.DEFAULT_FROM_EMAIL).lower()) if address}
    automatic = is_automatic(message, own_addresses=own)
    actor = Actor.system(workspace)
    message_id = (_MESSAGE_ID.findall(_header(message, "Message-ID")) or [""])[0]
    text = _text_of(message)
    files, refused = _files_of(message)
    try:
        with transaction.atomic():
            ticket = _existing_ticket(actor, message, sender, desk)
            if ticket is not None:
                services.ticket_message_receive(
                    actor=actor,
                    ticket=ticket,
                    body=text,
                    channel=TicketChannel.EMAIL,
                    message_id=message_id,
                    attachments=files,
                    is_automatic=automatic,
                )
                result = MailInResult(outcome="continued", ticket_id=ticket.pk)
            elif automatic:
                return _hold(workspace, HeldMailReason.AUTOMATIC, raw, sender, subject)
            else:
                requester = _requester_for(actor, sender, display_name)
                ticket = services.ticket_create(
                    actor=actor,
                    requester=requester,
                    subject=subject or _("(no subject)"),
                    description=text,
                    channel=TicketChannel.EMAIL,
                    requester_email=sender,
                    attachments=files,
                    message_id=message_id,
                )
                result = MailInResult(outcome="opened", ticket_id=ticket.pk)
            if refused:
                _note_refused(actor, ticket, refused)
                held = services.held_mail_store(
                    workspace_id=workspace.pk,
                    reason=HeldMailReason.ATTACHMENT_REFUSED,
                    raw=raw,
                    sender=sender,
                    subject=subject,
                )
                HeldMail.objects.filter(pk=held.pk).update(ticket=ticket)
                result.held_id = held.pk
                result.refused_files = refused
            return result
    except ValidationError:
        logger.info("An incoming mail was refused while opening a ticket; it is held for review.")
        return _hold(workspace, HeldMailReason.REFUSED, raw, sender, subject)


def _note_refused(actor: Actor, ticket: Ticket, refused: list[str]) -> None:
    """An internal note on the ticket naming the files that were not accepted."""
    services.ticket_system_note(
        actor=actor,
        ticket=ticket,
        body=_("Files of this email that were not accepted (the email is kept under held mail):")
        + "\n"
        + "\n".join(f"- {line}" for line in refused),
    )


def held_mail_open_ticket(*, actor: Actor, held: HeldMail) -> Ticket:
    """Open a ticket from a held mail a staff member judged worth one (an automatic reply that
    was a real question, a mail refused before): its sender becomes the requester."""
    from zweck.core.permissions import Permission
    from zweck.service.choices import HeldMailStatus

    actor.require(Permission.TICKET_MANAGE)
    if held.workspace_id != actor.workspace_id:
        raise HeldMail.DoesNotExist
    if held.status != HeldMailStatus.WAITING or held.reason == HeldMailReason.ATTACHMENT_REFUSED:
        raise ValidationError(_("This email was dealt with already."))
    message = _parse(bytes(held.raw))
    if message is None:
        raise ValidationError(_("This email cannot be read; it can only be dismissed."))
    display_name, sender = parseaddr(_header(message, "From"))
    try:
        sender = normalize_email(sender).lower()
    except ValidationError as error:
        raise ValidationError(_("This email has no usable sender address.")) from error
    files, refused = _files_of(message)
    with transaction.atomic():
        ticket = services.ticket_create(
            actor=actor,
            requester=_requester_for(actor, sender, display_name),
            subject=_header(message, "Subject") or _("(no subject)"),
            description=_text_of(message),
            channel=TicketChannel.EMAIL,
            requester_email=sender,
            attachments=files,
            message_id=(_MESSAGE_ID.findall(_header(message, "Message-ID")) or [""])[0],
            acknowledge=False,
        )
        if refused:
            _note_refused(actor, ticket, refused)
        services.held_mail_decided(actor=actor, held=held, ticket=ticket)
    return ticket
