"""What a request tells others: the recipients of the subject's data (Art. 19 GDPR) and the
subject themselves (extension, lifting of a restriction, verification link).

A recipient notification is tracked until the recipient confirms it, once; the confirmation
is audited and, where the task belongs to a request, written to that request's action log.
Tasks hold the recipient's and the person's ids only; emails are sent after the transaction
commits, so a rolled-back change never announces itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.core.register import ModelDeclaration
from zweck.core.scoping import Purpose
from zweck.core.services import save_scoped
from zweck.outbox.services import mail_queue
from zweck.privacy.models import DataSubjectRequest, ProcessingActivity, Recipient, RecipientNotification
from zweck.privacy.request_models import NotificationStatus


class NotificationStateError(ValidationError):
    """The notification is not in a state that allows this step."""


def recipients_of(*, workspace_id: int, declarations: Iterable[ModelDeclaration]) -> list[Recipient]:
    """Every recipient of data of ``declarations``, through their processing activities."""
    keys = sorted({key for declaration in declarations for key in declaration.activities})
    activity_ids = ProcessingActivity.objects.in_workspace(workspace_id).filter(key__in=keys).values("pk")
    return list(
        Recipient.objects.in_workspace(workspace_id)
        .filter(activities__in=activity_ids)
        .distinct()
        .order_by("pk")
    )


def recipient_notifications_create(
    *,
    actor: Actor,
    declarations: Iterable[ModelDeclaration],
    person_ids: Iterable[int],
    action: str,
    request: DataSubjectRequest | None = None,
) -> list[RecipientNotification]:
    """One notification task per recipient and person for a rectification, erasure or
    restriction (Art. 19 GDPR). Called inside the caller's transaction."""
    from zweck.privacy.disclosures import disclosed_recipients

    recipients = recipients_of(workspace_id=actor.workspace_id, declarations=declarations)
    people = sorted(set(person_ids))
    # Beside the data sets' recipients, everyone a person's data was disclosed to (a debt collector).
    disclosed = disclosed_recipients(workspace_id=actor.workspace_id, person_ids=people)
    by_id = {recipient.pk: recipient for recipient in recipients}
    extra_ids = {pk for ids in disclosed.values() for pk in ids} - set(by_id)
    by_id.update(
        {r.pk: r for r in Recipient.objects.in_workspace(actor.workspace_id).filter(pk__in=extra_ids)}
    )
    tasks = [
        RecipientNotification(
            workspace_id=actor.workspace_id,
            created_by_id=actor.user_id,
            updated_by_id=actor.user_id,
            recipient=by_id[recipient_id],
            request=request,
            subject_id=person_id,
            action=action,
        )
        for person_id in people
        for recipient_id in sorted({r.pk for r in recipients} | disclosed.get(person_id, set()))
        if recipient_id in by_id
    ]
    return RecipientNotification.objects.bulk_create(tasks)


def recipient_notification_list(
    *, actor: Actor, pending_only: bool = False
) -> QuerySet[RecipientNotification]:
    """The workspace's recipient notifications, the oldest first (the pending ones only, when asked)."""
    # Read as stored: a notification about a restriction concerns a restricted subject.
    notifications = RecipientNotification.objects.visible_to(
        actor, Permission.PRIVACY_VIEW, purpose=Purpose.STORAGE
    ).select_related("recipient")
    if pending_only:
        notifications = notifications.filter(status=NotificationStatus.PENDING)
    return notifications.order_by("created_at", "pk")


def recipient_notification_get(*, actor: Actor, notification_id: int) -> RecipientNotification:
    """One notification of the actor's workspace; ``RecipientNotification.DoesNotExist`` otherwise."""
    return recipient_notification_list(actor=actor).get(pk=notification_id)


@transaction.atomic
def recipient_notification_confirm(
    *, actor: Actor, notification: RecipientNotification
) -> RecipientNotification:
    """Record that the recipient confirmed it was told (Art. 19 GDPR). A notification is
    confirmed once: a second confirmation is refused and changes nothing."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = RecipientNotification.objects.select_for_update().get(
        pk=notification.pk, workspace_id=actor.workspace_id
    )
    if locked.status == NotificationStatus.CONFIRMED:
        confirmed_on = timezone.localdate(locked.confirmed_at) if locked.confirmed_at else None
        raise NotificationStateError(
            _("This notification was already confirmed on %(date)s.")
            % {"date": confirmed_on.isoformat() if confirmed_on else "-"}
        )
    locked.status = NotificationStatus.CONFIRMED
    locked.confirmed_at = timezone.now()
    changed = ["status", "confirmed_at"]
    save_scoped(locked, actor=actor, changed=changed)
    audit_record(
        actor=actor,
        action="recipient_notification.confirm",
        instance=locked,
        subject_ids=[locked.subject_id],
        changed_fields=changed,
    )
    if locked.request_id is not None:
        from zweck.privacy.dsr import request_log

        request = DataSubjectRequest.objects.get(pk=locked.request_id, workspace_id=actor.workspace_id)
        request_log(request=request, actor=actor, action="notification.confirm", note=f"#{locked.pk}")
    return locked


def email_after_commit(*, to: str, subject: str, body: str, workspace_id: int | None = None) -> None:
    """Send one email once the surrounding transaction has committed: it is stored in the
    outbox inside the transaction (a rolled-back change sends nothing) and the worker sends it,
    retrying through an SMTP outage. ``workspace_id`` files it under its workspace for staff."""
    mail_queue(to=to, subject=subject, body=body, workspace_id=workspace_id)
