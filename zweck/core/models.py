"""The base every workspace-owned model stands on.

Invariants: every tenant row carries ``workspace_id``; indexes on tenant tables lead
with it, so one workspace's rows sit together and a sharded deployment can distribute
by it. Timestamps are timezone-aware. ``created_by``/``updated_by`` hold user ids only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zweck.core.scoping import WorkspaceManager


class WorkspaceScopedModel(models.Model):
    """A row that belongs to exactly one workspace (tenant)."""

    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("workspace"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("updated by"),
    )

    objects = WorkspaceManager()

    class Meta:
        abstract = True


BASE_FIELDS = ("id", "workspace", "created_at", "updated_at", "created_by", "updated_by")
"""Fields every workspace-scoped model has; the register declares them once for all."""
