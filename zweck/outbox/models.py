"""Outgoing email, stored before it is sent (the outbox).

A mail row is written in the transaction of the change that causes it, so a rolled-back change
sends nothing and a committed one cannot lose its mail to an SMTP outage: the worker sends
it, retries it with a growing pause, and marks it failed after ``MAX_ATTEMPTS``; staff see
pending and failed mail and can send it again. Sent mail is deleted by the retention sweep
(rule ``outgoing_mail``, a short period counted from the mail's creation).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zweck.core.scoping import WorkspaceManager


class MailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingMail(models.Model):
    """One email to one or more recipients, from its queueing until it is sent or given up.

    ``workspace`` is empty for mail that belongs to no workspace (sent by the operator's
    commands); such rows are swept by the shipped default of the rule. ``last_error`` holds the
    kind of the last failure (an exception class), never its message, which can name addresses.
    """

    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workspace"),
    )
    created_at = models.DateTimeField(_("queued at"), default=timezone.now, editable=False)
    from_email = models.CharField(_("sender"), max_length=254)
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text"))
    reply_to = models.JSONField(_("answers to"), default=list, blank=True)
    # Files sent with the mail (a document's PDF): name, content type and the content in base64.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # Extra header fields (Message-ID, In-Reply-To, References, Reply-To, Auto-Submitted) that
    # thread a reply to its conversation; only names in ``zweck.outbox.services.EXTRA_HEADERS``.
    headers = models.JSONField(_("header fields"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=120, blank=True)

    objects = WorkspaceManager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "status", "-created_at"], name="outgoingmail_workspace_status"),
            models.Index(fields=["status", "next_attempt_at"], name="outgoingmail_due"),
        ]

    def __str__(self) -> str:
        return f"mail {self.pk} {self.status}"
