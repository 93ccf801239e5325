"""``zweck db_worker``: the database-backed task worker, which also keeps the nightly schedule.

The worker of ``django_tasks_db`` runs queued tasks (emails, exports); this command adds the
clock Django's task framework lacks: a thread that every minute asks ``nightly_schedule``
whether the nightly maintenance (retention sweep, ended holds) is due, and enqueues it once
per day for the workers to run, and asks ``outbox_schedule`` whether outgoing mail is due
for another attempt. ``--batch`` checks the schedule once, then runs what is queued.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from zweck.operations.health import worker_heartbeat, worker_name
from zweck.outbox.tasks import outbox_schedule
from zweck.privacy.tasks import nightly_schedule

logger = logging.getLogger(__name__)
SCHEDULE_SECONDS = 60


def _keep_schedule(backend: str, stop: threading.Event) -> None:
    name = worker_name()
    while not stop.is_set():
        try:
            # The readiness check (/readyz) knows from this that background work still happens.
            worker_heartbeat(name)
            if nightly_schedule(backend=backend):
                logger.info("Nightly maintenance enqueued.")
            # Mail whose last attempt failed is tried again once its pause has passed.
            outbox_schedule(backend=backend)
        except Exception:
            logger.exception("Could not check the nightly schedule.")
        finally:
            close_old_connections()
        stop.wait(SCHEDULE_SECONDS)


class Command(WorkerCommand):
    help = (
        "Run queued background tasks (emails, exports) and, every night, the retention sweep and the "
        "end of expired holds."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = options["backend_name"]
        if options["batch"]:
            worker_heartbeat()
            nightly_schedule(backend=backend)
            outbox_schedule(backend=backend)
            super().handle(*args, **options)
            return
        stop = threading.Event()
        clock = threading.Thread(
            target=_keep_schedule, args=(backend, stop), name="nightly-schedule", daemon=True
        )
        clock.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
