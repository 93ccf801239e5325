"""Incoming mail that could not become part of a ticket, kept for review: never dropped.

``workspace`` is empty when no workspace receives mail at any of the message's recipient
addresses; such mail is seen by the operator (``zweck mail-in --held``), every other by the
workspace's service staff, who open a ticket from it or dismiss it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zweck.core.scoping import WorkspaceManager
from zweck.service.choices import HeldMailReason, HeldMailStatus


class HeldMail(models.Model):
    """One incoming message as it arrived (its raw bytes), with why it was held."""

    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workspace"),
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    reason = models.CharField(_("reason"), max_length=16, choices=HeldMailReason.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=HeldMailStatus.choices, default=HeldMailStatus.WAITING
    )
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    raw = models.BinaryField(_("message as received"))
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    ticket = models.ForeignKey(
        "service.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = WorkspaceManager()

    class Meta:
        verbose_name = _("held email")
        verbose_name_plural = _("held emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "status", "-created_at"], name="heldmail_workspace_status")
        ]

    def __str__(self) -> str:
        return f"held mail {self.pk}"
