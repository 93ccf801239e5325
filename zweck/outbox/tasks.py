"""The outbox's tasks for Django's task framework: send one mail, and send what is due.

``mail_send_task`` is enqueued when a mail's transaction commits; a failed attempt leaves the
mail pending with its next attempt time, and the worker's schedule (``zweck db_worker``, every
minute) sends whatever is due through ``mails_send_due``.
"""

from __future__ import annotations

from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task
from django.utils import timezone

from zweck.outbox.models import MailStatus, OutgoingMail
from zweck.outbox.services import mail_send, mails_send_due


@task
def mail_send_task(mail_id: int) -> str:
    """Send one queued mail (its id only: the task row holds no personal value)."""
    return mail_send(mail_id=mail_id)


@task
def mails_send_due_task() -> int:
    """Send every pending mail whose next attempt has come."""
    return mails_send_due()


def outbox_schedule(*, backend: str = DEFAULT_TASK_BACKEND_ALIAS) -> bool:
    """Enqueue a pass over the due mail when any is due (the worker's clock asks every minute)."""
    due = OutgoingMail.objects.filter(status=MailStatus.PENDING, next_attempt_at__lte=timezone.now())
    if not due.exists():
        return False
    mails_send_due_task.using(backend=backend).enqueue()
    return True
