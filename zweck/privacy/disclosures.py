"""Recording that a subject's data was passed to a recipient of the register, and reading it
back for the access export (Art. 15(1)(c) GDPR) and the recipient notifications (Art. 19 GDPR).

Invariants:
- a disclosure names a recipient of the actor's own workspace; it is recorded in the caller's
  transaction with its audit event (ids and the data set only, no value);
- the recipients told of a rectification, erasure or restriction are those of the data set's
  processing activities and, for each person, every recipient their data was disclosed to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.services import save_scoped
from zweck.privacy.disclosure_models import Disclosure
from zweck.privacy.models import Recipient


@transaction.atomic
def disclosure_record(
    *,
    actor: Actor,
    recipient: Recipient,
    person_ids: Iterable[int],
    purpose: str,
    data_set: str,
    record_id: int,
    categories: Iterable[str],
    disclosed_on: date,
) -> list[Disclosure]:
    """One disclosure per person. Called inside the caller's transaction."""
    if recipient.workspace_id != actor.workspace_id:
        raise ValidationError({"recipient": _("No such recipient.")})
    recorded = []
    for person_id in sorted(set(person_ids)):
        disclosure = save_scoped(
            Disclosure(
                recipient=recipient,
                subject_id=person_id,
                disclosed_on=disclosed_on,
                purpose=purpose,
                data_set=data_set,
                record_id=record_id,
                categories=sorted(set(categories)),
            ),
            actor=actor,
        )
        audit_record(actor=actor, action="disclosure.record", instance=disclosure, subject_ids=[person_id])
        recorded.append(disclosure)
    return recorded


def disclosures_of(*, workspace_id: int, person_ids: Iterable[int]) -> QuerySet[Disclosure]:
    """The disclosures of the persons' data, the oldest first, with their recipients."""
    return (
        Disclosure.objects.in_workspace(workspace_id)
        .filter(subject_id__in=list(person_ids))
        .select_related("recipient")
        .order_by("disclosed_on", "pk")
    )


def disclosed_recipients(*, workspace_id: int, person_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each person, the ids of the recipients their data was disclosed to."""
    found: dict[int, set[int]] = {}
    rows = (
        Disclosure.objects.in_workspace(workspace_id)
        .filter(subject_id__in=list(person_ids))
        .values_list("subject_id", "recipient_id")
    )
    for subject_id, recipient_id in rows:
        found.setdefault(subject_id, set()).add(recipient_id)
    return found
