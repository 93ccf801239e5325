"""Bank statements read in: matched by number and amount, partial payments, the review list, and
files that are refused without storing anything."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.services import save_scoped
from zweck.crm.models import Organization
from zweck.crm.tests.factories import make_organization
from zweck.sales.models import BankStatement, BankTransaction, Invoice, Payment
from zweck.sales.receivables import (
    bank_statement_import,
    bank_transaction_assign,
    bank_transaction_dismiss,
    review_list,
)
from zweck.sales.tests.camt_samples import Entry, statement

pytestmark = pytest.mark.django_db


def finalized_invoice(actor: Actor, organization: Organization, number: str, gross: str) -> Invoice:
    return save_scoped(
        Invoice(
            organization=organization,
            status="finalized",
            series="RE-",
            number=number,
            issue_date=date(2026, 11, 1),
            due_date=date(2026, 11, 15),
            finalized_at=timezone.now(),
            buyer_name=organization.name,
            gross_total=Decimal(gross),
        ),
        actor=actor,
    )


@pytest.fixture
def customer(owner: Actor) -> Organization:
    return make_organization(owner, "Beispiel GmbH")


def paid(invoice: Invoice) -> list[Decimal]:
    return sorted(Payment.objects.filter(invoice=invoice).values_list("amount", flat=True))


def test_credits_are_matched_by_number_in_full_in_part_and_several_at_once(
    owner: Actor, customer: Organization
) -> None:
    full = finalized_invoice(owner, customer, "RE-2026-0001", "119.00")
    partial = finalized_invoice(owner, customer, "RE-2026-0002", "500.00")
    first = finalized_invoice(owner, customer, "RE-2026-0003", "100.00")
    second = finalized_invoice(owner, customer, "RE-2026-0004", "50.00")
    data = statement(
        [
            Entry(Decimal("119.00"), "Rechnung RE-2026-0001", reference="A1"),
            Entry(Decimal("200.00"), "Abschlag re 2026 0002", reference="A2"),
            Entry(Decimal("150.00"), "RE-2026-0003 und RE-2026-0004", reference="A3"),
            Entry(Decimal("75.00"), credit=False, reference="A4"),
        ]
    )

    result = bank_statement_import(actor=owner, data=data, file_name="november.xml")

    assert (result.credits, result.matched, result.review, result.known) == (3, 3, 0, 0)
    assert paid(full) == [Decimal("119.00")]
    assert paid(partial) == [Decimal("200.00")]
    assert paid(first) == [Decimal("100.00")] and paid(second) == [Decimal("50.00")]
    payment = Payment.objects.get(invoice=full)
    assert (payment.source, payment.paid_on, payment.bank_transaction_id) == (
        "bank_import",
        date(2026, 11, 20),
        "A1",
    )
    assert AuditEvent.objects.filter(action="payment.record").count() == 4
    assert not AuditEvent.objects.filter(changed_fields__icontains="Beispiel").exists()


def test_reading_the_same_statement_again_books_nothing_twice(owner: Actor, customer: Organization) -> None:
    invoice = finalized_invoice(owner, customer, "RE-2026-0001", "119.00")
    data = statement([Entry(Decimal("19.00"), "RE-2026-0001", reference="A1")])
    bank_statement_import(actor=owner, data=data)

    with pytest.raises(ValidationError) as refused:
        bank_statement_import(actor=owner, data=data)

    assert "read in on" in refused.value.message_dict["file"][0]
    # The same credit in another statement (a corrected one) is known and skipped.
    again = bank_statement_import(
        actor=owner,
        data=statement([Entry(Decimal("19.00"), "RE-2026-0001", reference="A1")], identifier="S2"),
    )
    assert (again.credits, again.known, again.matched) == (1, 1, 0)
    assert paid(invoice) == [Decimal("19.00")]


def test_a_file_that_is_not_camt_is_refused_at_the_field_and_nothing_is_stored(owner: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        bank_statement_import(actor=owner, data=b"Buchungstag;Betrag\n01.11.2026;10,00")

    assert "camt.053" in refused.value.message_dict["file"][0]
    assert BankStatement.objects.count() == 0 and BankTransaction.objects.count() == 0


def test_what_does_not_match_waits_for_review_with_its_reason(owner: Actor, customer: Organization) -> None:
    invoice = finalized_invoice(owner, customer, "RE-2026-0001", "119.00")
    finalized_invoice(owner, customer, "RE-2026-0002", "80.00")
    finalized_invoice(owner, customer, "RE-2026-0003", "80.00")
    data = statement(
        [
            Entry(Decimal("500.00"), "RE-2026-0001", reference="B1"),
            Entry(Decimal("80.00"), "Danke", reference="B2"),
            Entry(Decimal("12.34"), "Erstattung Versicherung", reference="B3"),
            Entry(Decimal("119.00"), "ohne Nummer", payer="Andere AG", reference="B4"),
        ]
    )

    result = bank_statement_import(actor=owner, data=data)

    assert (result.matched, result.review) == (0, 4)
    reasons = dict(review_list(actor=owner).values_list("key", "review_reason"))
    assert reasons == {
        "B1": "more_than_open",
        "B2": "ambiguous_amount",
        "B3": "no_reference",
        "B4": "payer_differs",
    }
    assert paid(invoice) == []


def test_a_credit_without_number_matches_the_one_open_invoice_of_its_amount_from_its_buyer(
    owner: Actor, customer: Organization
) -> None:
    invoice = finalized_invoice(owner, customer, "RE-2026-0001", "119.00")

    result = bank_statement_import(
        actor=owner,
        data=statement([Entry(Decimal("119.00"), "Vielen Dank", payer="BEISPIEL GMBH", reference="C1")]),
    )

    assert result.matched == 1 and paid(invoice) == [Decimal("119.00")]


def test_staff_assign_or_dismiss_what_waits_for_review(owner: Actor, customer: Organization) -> None:
    invoice = finalized_invoice(owner, customer, "RE-2026-0001", "119.00")
    bank_statement_import(
        actor=owner,
        data=statement(
            [
                Entry(Decimal("119.00"), "?", payer="X", reference="D1"),
                Entry(Decimal("5"), "Zinsen", reference="D2"),
            ]
        ),
    )
    first, second = sorted(review_list(actor=owner), key=lambda row: row.key)

    bank_transaction_assign(actor=owner, credit=first, invoice=invoice)
    with pytest.raises(ValidationError) as refused:
        bank_transaction_dismiss(actor=owner, credit=second, note=" ")
    assert "note" in refused.value.message_dict
    bank_transaction_dismiss(actor=owner, credit=second, note="Bank interest")

    assert paid(invoice) == [Decimal("119.00")]
    assert list(review_list(actor=owner)) == []
    with pytest.raises(ValidationError):
        bank_transaction_assign(actor=owner, credit=first, invoice=invoice)
    assert paid(invoice) == [Decimal("119.00")]


def test_a_credit_of_another_workspace_cannot_be_assigned_to_an_invoice_of_mine(
    owner: Actor, stranger: Actor, customer: Organization
) -> None:
    bank_statement_import(actor=stranger, data=statement([Entry(Decimal("9"), "?", reference="E1")]))
    foreign = BankTransaction.objects.get(key="E1")
    invoice = finalized_invoice(owner, customer, "RE-2026-0001", "9.00")

    with pytest.raises(BankTransaction.DoesNotExist):
        bank_transaction_assign(actor=owner, credit=foreign, invoice=invoice)
    assert paid(invoice) == []
