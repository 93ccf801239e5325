"""What the installation knows about its own processes: when each task worker was last seen."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per task worker (host and process), touched every minute while it runs, so the
    readiness check can tell whether background work (mail, exports, the nightly sweep) still
    happens. Installation-wide: a worker serves every workspace."""

    worker = models.CharField(_("worker"), max_length=200, unique=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker
