"""Writes of the outbox: queue a mail in the caller's transaction, send what is due, retry.

Invariants:
- ``mail_queue`` writes the mail row inside the caller's transaction and asks the worker to
  send it only once that transaction has committed: a rolled-back change sends nothing;
- sending never raises into the caller: an SMTP failure is recorded on the row (the kind of
  error, never its message) with the next attempt after a growing pause, and after
  ``MAX_ATTEMPTS`` the mail is marked failed for staff to see and send again;
- a mail is sent by one worker at a time: the row is locked while it is sent, and a sent
  mail is never sent again.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.outbox.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# The header fields a caller may add to a mail (threading and loop prevention, RFC 5322 3.6.4,
# RFC 3834); every other name is refused, so nothing can override From, To or Subject.
EXTRA_HEADERS = frozenset({"Message-ID", "In-Reply-To", "References", "Reply-To", "Auto-Submitted"})
# The pause before attempt n + 1 (n = attempts made): 1, 2, 4, 8, 16 minutes, ...
FIRST_PAUSE = timedelta(minutes=1)


def retry_pause(attempts: int) -> timedelta:
    """How long to wait after ``attempts`` failed attempts before the next one."""
    return FIRST_PAUSE * (2 ** max(attempts - 1, 0))


@dataclass(frozen=True)
class Attachment:
    """A file sent with a mail."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


def _stored(attachment: Attachment) -> dict[str, str]:
    return {
        "name": attachment.name,
        "content_type": attachment.content_type,
        "content": base64.b64encode(attachment.content).decode("ascii"),
    }


def attachments_of(mail: OutgoingMail) -> list[Attachment]:
    """The files stored with ``mail``."""
    return [
        Attachment(
            name=str(item["name"]),
            content=base64.b64decode(item["content"]),
            content_type=str(item.get("content_type") or "application/octet-stream"),
        )
        for item in mail.attachments or []
    ]


def mail_queue(
    *,
    to: str | Sequence[str],
    subject: str,
    body: str,
    workspace_id: int | None = None,
    from_email: str | None = None,
    reply_to: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
    headers: dict[str, str] | None = None,
) -> OutgoingMail | None:
    """Store one email in the caller's transaction; the worker sends it after the commit.

    ``None`` when there is no recipient. The mail's text and files are kept until the retention
    sweep deletes them (rule ``outgoing_mail``)."""
    recipients = [address for address in ([to] if isinstance(to, str) else list(to)) if address]
    if not recipients:
        return None
    extra = {name: " ".join(value.split()) for name, value in (headers or {}).items() if value}
    unknown = sorted(set(extra) - EXTRA_HEADERS)
    if unknown:
        raise ValueError(f"header fields not allowed: {', '.join(unknown)}")
    mail = OutgoingMail.objects.create(
        workspace_id=workspace_id,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        recipients=recipients,
        subject=subject.replace("\r", " ").replace("\n", " ")[:998],
        body=body,
        reply_to=[address for address in reply_to if address],
        attachments=[_stored(attachment) for attachment in attachments],
        headers=extra,
        next_attempt_at=timezone.now(),
    )
    mail_id = mail.pk
    transaction.on_commit(lambda: _enqueue(mail_id))
    return mail


def _enqueue(mail_id: int) -> None:
    from zweck.outbox.tasks import mail_send_task

    try:
        mail_send_task.enqueue(mail_id)
    except Exception:
        # The worker's schedule picks the mail up on its next pass (``mails_send_due``).
        logger.exception("Could not enqueue outgoing mail %s; the worker's schedule sends it.", mail_id)


def mail_send(*, mail_id: int, now: datetime | None = None) -> str:
    """Try to send one mail now, unless it was sent already; its status afterwards."""
    now = now or timezone.now()
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status == MailStatus.SENT:
            return MailStatus.SENT if mail else ""
        message = EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=mail.from_email,
            to=mail.recipients,
            reply_to=mail.reply_to or None,
            headers=dict(mail.headers or {}),
        )
        for attachment in attachments_of(mail):
            message.attach(attachment.name, attachment.content, attachment.content_type)
        mail.attempts += 1
        try:
            message.send()
        except Exception as error:  # smtplib, socket and TLS errors all mean: try again later
            mail.last_error = type(error).__name__[:120]
            if mail.attempts >= MAX_ATTEMPTS:
                mail.status = MailStatus.FAILED
                mail.next_attempt_at = None
            else:
                mail.next_attempt_at = now + retry_pause(mail.attempts)
            logger.warning(
                "Outgoing mail %s: attempt %s failed (%s).", mail.pk, mail.attempts, mail.last_error
            )
        else:
            mail.status = MailStatus.SENT
            mail.sent_at = now
            mail.next_attempt_at = None
            mail.last_error = ""
        mail.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])
        return mail.status


def mails_send_due(*, now: datetime | None = None, due_by: datetime | None = None, limit: int = 200) -> int:
    """Send the pending mail whose next attempt has come by ``due_by`` (now, unless given);
    the worker's schedule calls this every minute. How many were sent."""
    now = now or timezone.now()
    due = (
        OutgoingMail.objects.filter(status=MailStatus.PENDING, next_attempt_at__lte=due_by or now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for mail_id in list(due) if mail_send(mail_id=mail_id, now=now) == MailStatus.SENT)


@transaction.atomic
def mail_retry(*, actor: Actor, mail: OutgoingMail) -> OutgoingMail:
    """Send a pending or failed mail again as soon as the worker can: its attempts start over."""
    actor.require(Permission.MAIL_MANAGE)
    locked = OutgoingMail.objects.in_workspace(actor.workspace_id).select_for_update().get(pk=mail.pk)
    if locked.status == MailStatus.SENT:
        return locked
    locked.status = MailStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(actor=actor, action="outgoing_mail.retry", instance=locked, changed_fields=["status"])
    mail_id = locked.pk
    transaction.on_commit(lambda: _enqueue(mail_id))
    return locked
