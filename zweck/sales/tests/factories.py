"""Sales documents for tests: a small set of every kind, addressed to one contact person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zweck.accounts.actors import Actor
from zweck.core.services import save_scoped
from zweck.crm.models import Organization, Person
from zweck.sales.models import Invoice, InvoiceLine, Order, OrderLine, Payment, Quote, QuoteLine


@dataclass
class SalesDocuments:
    quote: Quote
    order: Order
    invoice: Invoice
    payment: Payment


def make_sales_documents(
    actor: Actor, *, organization: Organization, contact: Person | None
) -> SalesDocuments:
    """A quote, an order from it, a draft invoice for the order and a payment on it, each with one
    line, all addressed to ``contact`` (written directly, for tests of the register)."""
    line = {
        "description": "Beratung",
        "quantity": Decimal("2"),
        "unit": "HUR",
        "unit_net_price": Decimal("100"),
    }
    amounts = {"net_total": Decimal("200"), "tax_total": Decimal("38"), "gross_total": Decimal("238")}
    quote = save_scoped(
        Quote(organization=organization, contact=contact, issue_date=date(2026, 3, 2), **amounts), actor=actor
    )
    save_scoped(QuoteLine(quote=quote, vat_rate=19, net_amount=Decimal("200"), **line), actor=actor)
    order = save_scoped(
        Order(
            organization=organization, contact=contact, quote=quote, order_date=date(2026, 3, 9), **amounts
        ),
        actor=actor,
    )
    save_scoped(OrderLine(order=order, vat_rate=19, net_amount=Decimal("200"), **line), actor=actor)
    invoice = save_scoped(
        Invoice(organization=organization, contact=contact, order=order, **amounts), actor=actor
    )
    save_scoped(InvoiceLine(invoice=invoice, vat_rate=19, net_amount=Decimal("200"), **line), actor=actor)
    payment = save_scoped(
        Payment(invoice=invoice, paid_on=date(2026, 4, 1), amount=Decimal("238"), reference="Beratung März"),
        actor=actor,
    )
    return SalesDocuments(quote=quote, order=order, invoice=invoice, payment=payment)
