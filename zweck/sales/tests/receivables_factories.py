"""Collection rows for tests of the register: a bank credit that paid an invoice, a reminder and
a handover to a debt collector with its disclosure (written directly)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zweck.accounts.actors import Actor
from zweck.core.services import save_scoped
from zweck.privacy.disclosures import disclosure_record
from zweck.privacy.models import Recipient
from zweck.sales.models import BankStatement, BankTransaction, CollectionHandover, Reminder
from zweck.sales.tests.factories import SalesDocuments


def make_collection_rows(actor: Actor, documents: SalesDocuments, *, recipient: Recipient) -> None:
    invoice = documents.invoice
    statement = save_scoped(
        BankStatement(identifier=f"S-{invoice.pk}", account_iban="DE89370400440532013000", version="02"),
        actor=actor,
    )
    transaction = save_scoped(
        BankTransaction(
            statement=statement,
            key=f"REF-{invoice.pk}",
            amount=Decimal("238"),
            booking_date=date(2026, 4, 1),
            payer_name="Beispiel GmbH",
            remittance="Beratung März",
            state="matched",
        ),
        actor=actor,
    )
    transaction.payments.add(documents.payment)
    save_scoped(
        Reminder(
            invoice=invoice,
            level="reminder",
            sent_on=date(2026, 5, 1),
            pay_by=date(2026, 5, 11),
            days_overdue=7,
            open_amount=Decimal("238"),
            total=Decimal("238"),
            email="buchhaltung@example.com",
            subject="Zahlungserinnerung",
            text="Bitte zahlen Sie.",
        ),
        actor=actor,
    )
    [disclosure] = disclosure_record(
        actor=actor,
        recipient=recipient,
        person_ids=[invoice.contact_id] if invoice.contact_id else [],
        purpose="debt_collection",
        data_set="sales.Invoice",
        record_id=invoice.pk,
        categories=["user.name", "user.payment"],
        disclosed_on=date(2026, 6, 1),
    )
    save_scoped(
        CollectionHandover(
            invoice=invoice,
            recipient=recipient,
            disclosure=disclosure,
            handed_over_on=date(2026, 6, 1),
            amount=Decimal("238"),
        ),
        actor=actor,
    )
