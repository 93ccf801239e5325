"""What a request tells others: the recipients of the subject's data (Art. 19 GDPR) and the
subject themselves (extension, lifting of a restriction, verification link).

Tasks hold the recipient's and the person's ids only; emails are sent after the transaction
commits, so a rolled-back change never announces itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from zweck.accounts.actors import Actor
from zweck.privacy.models import DataSubjectRequest, ProcessingActivity, Recipient, RecipientNotification
from zweck.privacy.register import ModelDeclaration


def recipients_of(*, workspace_id: int, declarations: Iterable[ModelDeclaration]) -> list[Recipient]:
    """Every recipient of data of ``declarations``, through their processing activities."""
    keys = sorted({key for declaration in declarations for key in declaration.activities})
    activity_ids = ProcessingActivity.objects.filter(workspace_id=workspace_id, key__in=keys).values("pk")
    return list(
        Recipient.objects.filter(workspace_id=workspace_id, activities__in=activity_ids)
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
    recipients = recipients_of(workspace_id=actor.workspace_id, declarations=declarations)
    tasks = [
        RecipientNotification(
            workspace_id=actor.workspace_id,
            created_by_id=actor.user_id,
            updated_by_id=actor.user_id,
            recipient=recipient,
            request=request,
            subject_id=person_id,
            action=action,
        )
        for recipient in recipients
        for person_id in sorted(set(person_ids))
    ]
    return RecipientNotification.objects.bulk_create(tasks)


def email_after_commit(*, to: str, subject: str, body: str) -> None:
    """Send one email once the surrounding transaction has committed."""
    if not to:
        return

    def send() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])

    transaction.on_commit(send)
