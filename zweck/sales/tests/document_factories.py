"""Finalized invoices and records of documents sent, for the tests of PDFs, e-invoices and sending."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.core.services import save_scoped
from zweck.crm.models import Organization, Person, PersonEmail
from zweck.sales.choices import InvoiceStatus
from zweck.sales.models import DocumentSending, Invoice, InvoiceLine, InvoiceTaxTotal, Quote, QuoteLine
from zweck.sales.totals import LineFigures, document_totals

SUPPLIER = {
    "supplier_name": "Nordlicht Consulting GmbH",
    "supplier_street": "Hafenstraße 12",
    "supplier_postal_code": "20457",
    "supplier_city": "Hamburg",
    "supplier_country": "DE",
    "supplier_tax_number": "22/123/45678",
    "supplier_vat_id": "DE136695976",
    "supplier_contact_point": "Buchhaltung",
    "supplier_email": "rechnung@nordlicht.example.com",
    "supplier_phone": "+49 40 123456",
    "supplier_iban": "DE02120300000000202051",
    "supplier_bic": "BYLADEM1001",
    "supplier_bank_name": "Deutsche Kreditbank",
    "supplier_register_court": "Amtsgericht Hamburg",
    "supplier_register_number": "HRB 123456",
    "supplier_managing_directors": "Jana Nord, Ole Licht",
}


def make_sending(actor: Actor, *, quote: Quote, recipient: Person | None) -> DocumentSending:
    return save_scoped(
        DocumentSending(
            quote=quote,
            recipient=recipient,
            recipient_email="kunde@example.com",
            sent_by_id=actor.user_id,
            sent_at=timezone.now(),
            attachment_name="angebot.pdf",
        ),
        actor=actor,
    )


def add_email(actor: Actor, person: Person, email: str) -> None:
    save_scoped(PersonEmail(person=person, email=email, is_primary=True), actor=actor)


def make_finalized_invoice(
    actor: Actor,
    *,
    organization: Organization,
    contact: Person | None,
    lines: list[dict[str, Any]] | None = None,
    discount_percent: Decimal = Decimal("0"),
    number: str = "RE-2026-0001",
    language: str = "de",
    **details: Any,
) -> Invoice:
    """A finalized invoice with the supplier and buyer details copied as finalization copies them
    (written directly: the lines first, then the status, as the models allow)."""
    lines = lines or [
        {
            "description": "IT-Beratung Migration",
            "quantity": Decimal("12"),
            "unit": "HUR",
            "unit_net_price": Decimal("120"),
            "vat_rate": 19,
        },
        {
            "description": "Schulungsunterlagen",
            "quantity": Decimal("3"),
            "unit": "C62",
            "unit_net_price": Decimal("24.5"),
            "vat_rate": 7,
        },
    ]
    figures = [
        LineFigures(
            quantity=line["quantity"],
            unit_net_price=line["unit_net_price"],
            vat_rate=line["vat_rate"],
            zero_rate_reason=line.get("zero_rate_reason", ""),
            discount_percent=line.get("discount_percent", Decimal("0")),
        )
        for line in lines
    ]
    totals = document_totals(figures, discount_percent)
    buyer = {
        "buyer_name": organization.name,
        "buyer_contact_name": f"{contact.first_name} {contact.last_name}" if contact else "",
        "buyer_street": "Unter den Linden 5",
        "buyer_postal_code": "10117",
        "buyer_city": "Berlin",
        "buyer_country": "DE",
        "buyer_vat_id": organization.vat_id,
        "buyer_email": "ap@kunde.example.com",
    }
    buyer.update({key: value for key, value in details.items() if key.startswith("buyer_")})
    others = {key: value for key, value in details.items() if not key.startswith("buyer_")}
    invoice = save_scoped(
        Invoice(
            organization=organization,
            contact=contact,
            language=language,
            discount_percent=discount_percent,
            net_total=totals.net_total,
            tax_total=totals.tax_total,
            gross_total=totals.gross_total,
            **{**SUPPLIER, **buyer, **others},
        ),
        actor=actor,
    )
    for position, (line, amount) in enumerate(zip(lines, totals.line_amounts, strict=True), start=1):
        save_scoped(InvoiceLine(invoice=invoice, position=position, net_amount=amount, **line), actor=actor)
    for group in totals.groups:
        save_scoped(
            InvoiceTaxTotal(
                invoice=invoice,
                vat_rate=group.vat_rate,
                zero_rate_reason=group.zero_rate_reason,
                net_amount=group.net_amount,
                tax_amount=group.tax_amount,
            ),
            actor=actor,
        )
    Invoice.objects.filter(pk=invoice.pk).update(
        status=InvoiceStatus.FINALIZED,
        number=number,
        series="RE-",
        sequence=1,
        issue_date=details.get("issue_date", date(2026, 12, 2)),
        due_date=details.get("due_date", date(2026, 12, 16)),
        finalized_at=timezone.now(),
    )
    return Invoice.objects.get(pk=invoice.pk)


def make_quote(
    actor: Actor, *, organization: Organization, contact: Person | None, language: str = "de"
) -> Quote:
    quote = save_scoped(
        Quote(
            organization=organization,
            contact=contact,
            language=language,
            number="AN-2026-0007",
            issue_date=date(2026, 12, 1),
            valid_until=date(2026, 12, 31),
            header_text="vielen Dank für Ihre Anfrage. Gern bieten wir Ihnen an:",
            net_total=Decimal("2400.00"),
            tax_total=Decimal("456.00"),
            gross_total=Decimal("2856.00"),
        ),
        actor=actor,
    )
    save_scoped(
        QuoteLine(
            quote=quote,
            position=1,
            description="Workshop Datenschutz-Organisation\n2 Tage vor Ort, bis 8 Teilnehmende",
            quantity=Decimal("2"),
            unit="DAY",
            unit_net_price=Decimal("1200"),
            vat_rate=19,
            net_amount=Decimal("2400.00"),
        ),
        actor=actor,
    )
    return quote
