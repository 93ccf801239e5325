"""What the end of a tenant leaves behind: the warnings its owners were sent, and the operator's
tombstone of a deleted workspace.

Invariants: a warning row belongs to its workspace and goes with it; the tombstone belongs to
no workspace (it outlives it) and holds the workspace's id, a keyed hash of its short name,
dates and row counts per data set — never a name, an address or any other value of the
workspace's data.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zweck.core.scoping import WorkspaceManager


class DeletionWarning(models.Model):
    """One warning to a workspace's owners that it will be deleted: sent once per deletion date
    and stage (30, 7 or 1 days before), whatever how often the nightly job runs."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+", verbose_name=_("workspace")
    )
    deletion_on = models.DateField(_("deletion date"))
    days_before = models.PositiveSmallIntegerField(_("days before the deletion"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipient_count = models.PositiveSmallIntegerField(_("number of recipients"), default=0)

    objects = WorkspaceManager()

    class Meta:
        verbose_name = _("deletion warning")
        verbose_name_plural = _("deletion warnings")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "deletion_on", "days_before"], name="deletion_warning_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workspace_id}:{self.deletion_on}:{self.days_before}"


class WorkspaceTombstone(models.Model):
    """The operator's record of a workspace deleted at the end of its contract, and the state of
    that deletion while it runs: a run that stops half-way is continued by the next one.

    ``rows_planned`` is what the workspace held when the deletion started, ``rows_deleted`` what
    has been deleted so far, both per data set (``app_label.Model``); ``finished_at`` is set when
    nothing of the workspace is left.
    """

    workspace_id = models.PositiveBigIntegerField(_("workspace number"), unique=True)
    slug_digest = models.CharField(_("keyed hash of the short name"), max_length=64)
    created_on = models.DateField(_("workspace created on"), null=True, blank=True)
    contract_ended_on = models.DateField(_("contract ended on"), null=True, blank=True)
    deletion_due_on = models.DateField(_("deletion date"))
    warnings = models.JSONField(_("warnings sent"), default=list, blank=True)
    rows_planned = models.JSONField(_("rows when the deletion started"), default=dict, blank=True)
    rows_deleted = models.JSONField(_("rows deleted"), default=dict, blank=True)
    accounts_deleted = models.PositiveIntegerField(_("user accounts deleted"), default=0)
    accounts_kept = models.PositiveIntegerField(_("user accounts kept"), default=0)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("workspace tombstone")
        verbose_name_plural = _("workspace tombstones")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"workspace {self.workspace_id}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None
