"""Test data for the consent ledger (reserved domains only)."""

from __future__ import annotations

from typing import Any

from zweck.accounts.actors import Actor
from zweck.crm.models import Person
from zweck.marketing.choices import ConsentChannel, ConsentMethod, ConsentPurpose
from zweck.marketing.models import ConsentRecord
from zweck.marketing.services import consent_record


def make_consent(
    actor: Actor,
    person: Person,
    purpose: str = ConsentPurpose.NEWSLETTER,
    address: str | None = None,
    **details: Any,
) -> ConsentRecord:
    if address is None:
        address = person.emails.values_list("email", flat=True).first() or "someone@example.com"
    details.setdefault("channel", ConsentChannel.EMAIL)
    details.setdefault("method", ConsentMethod.PAPER)
    return consent_record(actor=actor, person=person, purpose=purpose, address=address, **details)
