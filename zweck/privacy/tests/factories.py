"""Register rows the tests of several apps start from."""

from __future__ import annotations

from typing import Any

from zweck.accounts.actors import Actor
from zweck.privacy.choices import RecipientRole
from zweck.privacy.dsr import dsr_link_persons, dsr_open, dsr_verify
from zweck.privacy.models import DataSubjectRequest, Recipient
from zweck.privacy.request_models import RequestChannel
from zweck.privacy.services import recipient_create, register_defaults_install


def register_with_erp_processor(owner: Actor) -> Recipient:
    """The shipped register installed, plus one processor in the EU that receives quote and
    order data (like the ERP provider of seed notice 004); the recipient is returned."""
    register_defaults_install(actor=owner)
    return recipient_create(
        actor=owner,
        name="Odoo S.A.",
        role=RecipientRole.PROCESSOR,
        service_en="ERP: quotes, orders, invoices",
        service_de="ERP: Angebote, Aufträge, Rechnungen",
        country="BE",
        activity_keys=["quotes_and_orders"],
    )


def mailhost_processor(actor: Actor) -> Recipient:
    """A processor in Germany that receives the client contacts' data (email hosting), so every
    rectification, erasure or restriction of a contact leaves a recipient notification."""
    return recipient_create(
        actor=actor,
        name="Mailhost GmbH",
        role=RecipientRole.PROCESSOR,
        service_en="Email hosting",
        service_de="E-Mail-Hosting",
        country="DE",
        activity_keys=["client_relationship"],
    )


def verified_request(actor: Actor, person_ids: list[int], kind: str, **details: Any) -> DataSubjectRequest:
    """A request received by email, the requester's identity verified, the persons linked."""
    opened = dsr_open(actor=actor, kind=kind, channel=RequestChannel.EMAIL, **details)
    dsr_verify(actor=actor, request=opened)
    dsr_link_persons(actor=actor, request=opened, person_ids=person_ids)
    return opened
