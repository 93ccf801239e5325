"""Disclosures: the record that a subject's data went to a recipient of the register on one day
for one purpose (a claim handed to a debt collector). Art. 15(1)(c) GDPR names the recipients to
whom data "have been disclosed"; Art. 19 GDPR tells them of later rectification, erasure or
restriction. The row holds the person's id only, like a recipient notification."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel


class DisclosurePurpose(models.TextChoices):
    DEBT_COLLECTION = "debt_collection", _("Collection of an overdue claim")


class Disclosure(WorkspaceScopedModel):
    """Data of one subject passed to one recipient."""

    recipient = models.ForeignKey(
        "privacy.Recipient", on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("recipient")
    )
    # The person's id only (a pseudonym), as in ``RecipientNotification``.
    subject_id = models.BigIntegerField(_("data subject"))
    disclosed_on = models.DateField(_("disclosed on"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=DisclosurePurpose.choices)
    # The data set and record the disclosure concerns (``sales.Invoice`` and its id).
    data_set = models.CharField(_("data set"), max_length=100)
    record_id = models.BigIntegerField(_("record"))
    # fideslang data categories of what was passed on.
    categories = models.JSONField(_("categories of data"), default=list)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["disclosed_on", "id"]
        indexes = [models.Index(fields=["workspace", "subject_id"], name="disclosure_workspace_subject")]

    def __str__(self) -> str:
        return f"{self.subject_id} → {self.recipient_id}"
