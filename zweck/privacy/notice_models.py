"""The published privacy notices, version by version (Art. 5(2), 12(1), 13 and 14 GDPR).

Invariants: a version is the notice exactly as it was generated, in one language for one group
of data subjects, numbered 1, 2, 3, ... per notice; a new version is stored only when the
generated text differs from the latest one (its ``digest``), so the history lists changes and
nothing else; versions are never changed afterwards.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel


class NoticeVersion(WorkspaceScopedModel):
    """One published version of the privacy notice for one group of data subjects."""

    subject = models.CharField(_("group of data subjects"), max_length=40)
    language = models.CharField(_("language"), max_length=2)
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text (Markdown)"))
    digest = models.CharField(_("digest (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("privacy notice version")
        verbose_name_plural = _("privacy notice versions")
        ordering = ["subject", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "subject", "language", "number"], name="notice_version_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}/{self.language}/{self.number}"
