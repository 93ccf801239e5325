"""Reads of the outbox, scoped to the acting member's workspace."""

from __future__ import annotations

from django.db.models import QuerySet

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.outbox.models import MailStatus, OutgoingMail


def mail_list(*, actor: Actor, unsent_only: bool = True) -> QuerySet[OutgoingMail]:
    """The workspace's outgoing mail, newest first: by default only what is pending or failed."""
    mails = OutgoingMail.objects.visible_to(actor, Permission.MAIL_MANAGE)
    if unsent_only:
        mails = mails.exclude(status=MailStatus.SENT)
    return mails.order_by("-created_at", "-pk")


def mail_get(*, actor: Actor, mail_id: int) -> OutgoingMail:
    """One mail of the actor's workspace; ``OutgoingMail.DoesNotExist`` otherwise."""
    return mail_list(actor=actor, unsent_only=False).get(pk=mail_id)
