"""The record of each retention sweep: when it ran, how it ended, and what it did per rule
and data set. Counts and names only, never a value from the rows it swept."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel


class SweepTrigger(models.TextChoices):
    NIGHTLY = "nightly", _("Nightly")
    MANUAL = "manual", _("By hand")


class SweepState(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RetentionSweep(WorkspaceScopedModel):
    """One run of the retention sweep in one workspace.

    ``results`` is a list of ``{"rule", "data_set", "action", "count"}``, summed over the
    run's batches as they commit: a run stopped half-way shows what it did, and the next run
    continues with the rows still expired.
    """

    trigger = models.CharField(_("started"), max_length=12, choices=SweepTrigger.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=SweepState.choices, default=SweepState.RUNNING
    )
    swept_for = models.DateField(_("expired before"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    results = models.JSONField(_("results"), default=list, blank=True)
    failure = models.CharField(_("failure"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("retention sweep")
        verbose_name_plural = _("retention sweeps")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "created_at"], name="retention_sweep_time")]

    def __str__(self) -> str:
        return f"{self.swept_for} {self.state}"

    @property
    def total(self) -> int:
        return sum(int(item.get("count", 0)) for item in self.results)


class NightlyRun(models.Model):
    """The nightly maintenance enqueued for one day: the unique day makes several workers
    enqueue it once (``zweck.privacy.tasks.nightly_schedule``)."""

    run_on = models.DateField(_("day"), unique=True)
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("nightly run")
        verbose_name_plural = _("nightly runs")
        ordering = ["-run_on"]

    def __str__(self) -> str:
        return self.run_on.isoformat()
