"""Register rows the tests of several apps start from."""

from __future__ import annotations

from zweck.accounts.actors import Actor
from zweck.privacy.choices import RecipientRole
from zweck.privacy.models import Recipient
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
