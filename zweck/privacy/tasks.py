"""The nightly maintenance as a task of Django's task framework, and its schedule.

Django's tasks have no clock of their own: the worker (``zweck db_worker``) calls
``nightly_schedule`` every minute. From the configured hour (``ZWECK_NIGHTLY_HOUR``, local time)
it enqueues ``nightly_maintenance_task`` once for the day: the day's ``NightlyRun`` row is
unique, so several workers, restarts and a worker started late in the day enqueue it exactly
once, and a day the worker was down is caught up as soon as it runs again (the task sweeps
whatever has expired by then).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task
from django.utils import timezone

from zweck.privacy.retention import nightly_maintenance
from zweck.privacy.retention_models import NightlyRun


@task
def nightly_maintenance_task() -> dict[str, int]:
    """End the holds whose date has passed and run the retention sweep in every workspace."""
    return nightly_maintenance()


def nightly_schedule(*, now: datetime | None = None, backend: str = DEFAULT_TASK_BACKEND_ALIAS) -> bool:
    """Enqueue today's nightly maintenance if its hour has come and no one enqueued it yet."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < settings.ZWECK["NIGHTLY_HOUR"]:
        return False
    today = local.date()
    if NightlyRun.objects.filter(run_on=today).exists():
        return False
    try:
        with transaction.atomic():
            run = NightlyRun.objects.create(run_on=today)
            result = nightly_maintenance_task.using(backend=backend).enqueue()
            run.task_id = str(result.id)[:64]
            run.save(update_fields=["task_id"])
    except IntegrityError:
        return False
    return True
