"""The consent ledger: the texts people agreed to, and what each person gave or withdrew.

Invariants:
- a ``ConsentText`` is stored once per workspace and exact wording, named by the SHA-256 digest
  of its text; a changed wording is a new version, never an edit;
- a ``ConsentRecord`` is appended and never changed: ``save`` refuses an existing row, the
  queryset refuses ``update``, and on PostgreSQL a trigger refuses any UPDATE that would change
  more than the staff references Django clears when a user account goes;
- a withdrawal is a later record pointing at the consent it ends (at most one per consent);
- rows go only through the privacy engine: erasure of the subject, the retention sweep once
  the proof period has ended, the end of the workspace.
"""

from __future__ import annotations

import hashlib
from typing import Any, NoReturn

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.core.scoping import WorkspaceQuerySet
from zweck.marketing.choices import ConsentChannel, ConsentMethod, ConsentPurpose, RecordKind


def text_digest(body: str) -> str:
    """The SHA-256 digest (hex) a consent text is named by."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class AppendOnly(Exception):
    """A ledger row was about to be changed."""


class ConsentText(WorkspaceScopedModel):
    """The exact words a person agreed to, one version of one purpose in one language."""

    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    language = models.CharField(_("language"), max_length=8)
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"))
    digest = models.CharField(_("SHA-256 digest"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose", "language", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "digest"], name="consenttext_unique_digest"),
            models.UniqueConstraint(
                fields=["workspace", "purpose", "language", "version"], name="consenttext_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version} ({self.language})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("A consent text is never changed; publish a new version.")
        self.digest = text_digest(self.body)
        super().save(*args, **kwargs)


class ConsentRecordQuerySet(WorkspaceQuerySet["ConsentRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("The consent ledger is append-only; record a withdrawal instead.")


class ConsentRecord(WorkspaceScopedModel):
    """One entry of the consent ledger: a consent given, or the withdrawal of an earlier one.

    ``given_at`` is when the person gave (or withdrew) it; ``created_at`` when it was recorded.
    For a double opt-in the chain is complete: the form (``form_*``), the confirmation email
    (``confirmation_*``) and the click (``given_at``, ``ip_address``, ``user_agent``).
    """

    person = models.ForeignKey(
        "crm.Person", on_delete=models.PROTECT, related_name="consent_records", verbose_name=_("person")
    )
    kind = models.CharField(_("entry"), max_length=12, choices=RecordKind.choices)
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    recipient = models.ForeignKey(
        "privacy.Recipient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    # What the consent is about beyond its purpose: the event whose health-related details
    # may be processed, for instance.
    scope = models.CharField(_("about"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=ConsentChannel.choices)
    # The email address or telephone number the consent covers.
    address = models.CharField(_("address or number"), max_length=254)
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+", verbose_name=_("text"))
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    note = models.TextField(_("note"), blank=True)
    given_at = models.DateTimeField(_("given at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    form_submitted_at = models.DateTimeField(_("form sent at"), null=True, blank=True)
    form_ip_address = models.GenericIPAddressField(_("IP address of the form"), null=True, blank=True)
    form_user_agent = models.CharField(_("browser of the form"), max_length=500, blank=True)
    form_page = models.CharField(_("page of the form"), max_length=500, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation email queued at"), null=True, blank=True)
    confirmation_subject = models.CharField(
        _("subject of the confirmation email"), max_length=200, blank=True
    )
    confirmation_mail_id = models.BigIntegerField(_("outgoing email"), null=True, blank=True)
    # SHA-256 of the confirmation link's one-time part: a replayed link is recognised by it.
    confirmation_digest = models.CharField(max_length=64, blank=True, editable=False)
    withdraws = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="withdrawals",
        verbose_name=_("withdraws"),
    )

    objects = ConsentRecordQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-given_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "person", "purpose"], name="consent_workspace_person"),
            models.Index(fields=["workspace", "purpose", "kind"], name="consent_workspace_purpose"),
            models.Index(fields=["workspace", "confirmation_digest"], name="consent_confirmation"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["withdraws"], condition=Q(withdraws__isnull=False), name="consent_one_withdrawal"
            ),
            models.CheckConstraint(
                condition=Q(kind=RecordKind.GRANT, withdraws__isnull=True)
                | Q(kind=RecordKind.WITHDRAWAL, withdraws__isnull=False),
                name="consent_withdrawal_names_its_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_purpose_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("The consent ledger is append-only; record a withdrawal instead.")
        super().save(*args, **kwargs)
