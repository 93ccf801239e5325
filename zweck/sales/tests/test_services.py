"""Quotes to orders to invoices to payments, and every refusal on the way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.crm.services import deal_close
from zweck.crm.tests.factories import make_deal, make_organization
from zweck.sales.choices import InvoiceKind, InvoiceStatus, OrderStatus, PaymentStatus, QuoteStatus
from zweck.sales.models import Invoice, InvoiceLine, InvoiceTaxTotal, Order, Quote, SalesSettings
from zweck.sales.selectors import invoice_get, invoice_list
from zweck.sales.services import (
    LineInput,
    deal_won_order_create,
    invoice_cancel,
    invoice_create,
    invoice_create_from_order,
    invoice_finalize,
    invoice_update,
    order_create_from_quote,
    payment_record,
    product_create,
    quote_accept,
    quote_create,
    quote_send,
    sales_settings_update,
)
from zweck.sales.tests.conftest import SUPPLY, Shop, consulting

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = date(2026, 12, 1)


def _accepted_quote(shop: Shop, **details: object) -> Quote:
    quote = quote_create(
        actor=shop.owner,
        organization=shop.customer,
        contact=shop.contact,
        lines=[consulting("10", "120"), consulting("2", "15.50", vat_rate=7)],
        discount_percent=D("10"),
        **details,
    )
    quote_send(actor=shop.owner, quote=quote, today=TODAY)
    return quote_accept(actor=shop.owner, quote=quote, today=TODAY)


def test_deal_to_quote_to_order_to_partial_and_final_invoice_to_payment(shop: Shop) -> None:
    # given an accepted quote
    quote = _accepted_quote(shop)
    assert (quote.status, quote.number) == (QuoteStatus.ACCEPTED, "AN-2026-0001")
    assert (quote.net_total, quote.tax_total, quote.gross_total) == (D("1107.90"), D("207.15"), D("1315.05"))

    # when it becomes an order, invoiced 30 % first and then finally
    order = order_create_from_quote(actor=shop.owner, quote=quote, today=TODAY, **SUPPLY)
    partial = invoice_create_from_order(
        actor=shop.owner, order=order, kind=InvoiceKind.PARTIAL, percent=D("30")
    )
    partial = invoice_finalize(actor=shop.accountant, invoice=partial, today=TODAY)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PARTIALLY_INVOICED
    final = invoice_create_from_order(actor=shop.owner, order=order, kind=InvoiceKind.FINAL)
    final = invoice_finalize(actor=shop.accountant, invoice=final, today=TODAY)

    # then the partial invoice is 30 % per rate, and the final one deducts it per rate
    assert partial.number == "RE-2026-0001" and final.number == "RE-2026-0002"
    assert [(t.vat_rate, t.net_amount, t.tax_amount) for t in partial.tax_totals.all()] == [
        (19, D("324.00"), D("61.56")),
        (7, D("8.37"), D("0.59")),
    ]
    assert (final.net_total, final.tax_total) == (D("775.53"), D("145.00"))  # 207.15 - 62.15
    assert partial.gross_total + final.gross_total == quote.gross_total
    assert InvoiceLine.objects.filter(invoice=final, deducts_invoice=partial).count() == 2
    assert Order.objects.get(pk=order.pk).status == OrderStatus.INVOICED

    # and payments move the payment status from open to partly paid to paid
    assert (
        invoice_get(actor=shop.accountant, invoice_id=final.pk, today=TODAY).payment_status
        == PaymentStatus.OPEN
    )
    payment_record(
        actor=shop.accountant,
        invoice=final,
        amount=D("500"),
        paid_on=TODAY,
        payer_iban="DE89370400440532013000",
    )
    assert (
        invoice_get(actor=shop.accountant, invoice_id=final.pk, today=TODAY).payment_status
        == PaymentStatus.PARTIALLY_PAID
    )
    payment_record(actor=shop.accountant, invoice=final, amount=final.gross_total - D("500"), paid_on=TODAY)
    listed = {
        i.pk: (i.payment_status, i.open_amount) for i in invoice_list(actor=shop.accountant, today=TODAY)
    }
    assert listed[final.pk] == (PaymentStatus.PAID, D("0.00"))
    assert listed[partial.pk] == (PaymentStatus.OPEN, partial.gross_total)
    assert (
        invoice_list(actor=shop.accountant, today=date(2027, 1, 31)).get(pk=partial.pk).payment_status
        == "overdue"
    )


def test_finalizing_snapshots_buyer_and_supplier_and_later_changes_do_not_reach_it(shop: Shop) -> None:
    invoice = invoice_create(
        actor=shop.owner, organization=shop.customer, contact=shop.contact, lines=[consulting()], **SUPPLY
    )
    invoice = invoice_finalize(actor=shop.accountant, invoice=invoice, today=TODAY)
    sales_settings_update(actor=shop.owner, legal_name="Neuer Name GmbH")

    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.buyer_name, stored.buyer_street, stored.buyer_city, stored.buyer_vat_id) == (
        "Kunde AG",
        "Ringstraße 5",
        "Bonn",
        "DE136695976",
    )
    assert (stored.supplier_name, stored.supplier_iban, stored.buyer_contact_name) == (
        "Beispiel Beratung GmbH",
        "DE89370400440532013000",
        "Karla Kundin",
    )
    assert (stored.issue_date, stored.due_date, stored.status) == (
        TODAY,
        date(2026, 12, 15),
        InvoiceStatus.FINALIZED,
    )
    assert AuditEvent.objects.filter(action="invoice.finalize", object_id=str(invoice.pk)).count() == 1


def test_a_finalized_invoice_never_changes(shop: Shop) -> None:
    invoice = invoice_create(actor=shop.owner, organization=shop.customer, lines=[consulting()], **SUPPLY)
    invoice = invoice_finalize(actor=shop.accountant, invoice=invoice, today=TODAY)
    before = Invoice.objects.values().get(pk=invoice.pk)

    with pytest.raises(ValidationError) as refused:
        invoice_update(actor=shop.owner, invoice=invoice, footer_text="changed")
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError) as twice:
        invoice_finalize(actor=shop.accountant, invoice=invoice, today=TODAY)
    assert "already finalized" in twice.value.message_dict["status"][0]
    # the model refuses a direct save or delete too
    stored = Invoice.objects.get(pk=invoice.pk)
    stored.footer_text = "changed"
    with pytest.raises(ValidationError):
        stored.save()
    with pytest.raises(ValidationError):
        stored.delete()
    with pytest.raises(ValidationError):
        InvoiceLine.objects.filter(invoice=invoice).first().save()  # type: ignore[union-attr]
    assert Invoice.objects.values().get(pk=invoice.pk) == before


def test_a_cancellation_invoice_negates_the_invoice_with_its_own_number(shop: Shop) -> None:
    invoice = invoice_create(
        actor=shop.owner,
        organization=shop.customer,
        lines=[consulting(), consulting("1", "9.99", vat_rate=7)],
        **SUPPLY,
    )
    invoice = invoice_finalize(actor=shop.accountant, invoice=invoice, today=TODAY)

    cancellation = invoice_cancel(actor=shop.accountant, invoice=invoice, today=TODAY)

    assert (cancellation.kind, cancellation.status, cancellation.number) == (
        InvoiceKind.CANCELLATION,
        InvoiceStatus.FINALIZED,
        "RE-2026-0002",
    )
    assert cancellation.cancels_link.invoice == invoice
    assert (cancellation.net_total, cancellation.tax_total, cancellation.gross_total) == (
        -invoice.net_total,
        -invoice.tax_total,
        -invoice.gross_total,
    )
    assert invoice.number in cancellation.header_text
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.CANCELLED
    with pytest.raises(ValidationError):
        invoice_cancel(actor=shop.accountant, invoice=invoice, today=TODAY)


def test_finalizing_refuses_an_invoice_without_the_items_the_law_requires(shop: Shop) -> None:
    # given a workspace without a tax number and a customer without an address
    SalesSettings.objects.update(tax_number="", vat_id="")
    bare = make_organization(shop.owner, "Ohne Adresse GmbH")
    invoice = invoice_create(actor=shop.owner, organization=bare, lines=[])

    with pytest.raises(ValidationError) as refused:
        invoice_finalize(actor=shop.accountant, invoice=invoice, today=TODAY)

    assert set(refused.value.message_dict) == {"supplier_tax_number", "organization", "supply_date", "lines"}
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.status, stored.number, stored.buyer_name) == (InvoiceStatus.DRAFT, None, "")


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        (consulting("-2"), "lines.0.quantity", "greater than zero"),
        (consulting(vat_rate=16), "lines.0.vat_rate", "not a valid choice"),
        (consulting(vat_rate=0), "lines.0.zero_rate_reason", "needs the reason"),
        (
            consulting(vat_rate=0, zero_rate_reason="intra_community"),
            "lines.0.zero_rate_reason",
            "another EU member",
        ),
    ],
)
def test_bad_lines_are_refused_at_the_line_and_nothing_is_written(
    shop: Shop, line: LineInput, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        invoice_create(actor=shop.owner, organization=shop.customer, lines=[consulting(), line])
    assert message in " ".join(refused.value.message_dict[field.replace("0", "1", 1)])
    assert not Invoice.objects.exists() and not InvoiceTaxTotal.objects.exists()


def test_reverse_charge_needs_the_customers_vat_id(shop: Shop) -> None:
    without = make_organization(shop.owner, "Keine USt-IdNr. GmbH")
    reverse = consulting(vat_rate=0, zero_rate_reason="reverse_charge")
    with pytest.raises(ValidationError) as refused:
        quote_create(actor=shop.owner, organization=without, lines=[reverse])
    assert "VAT ID" in refused.value.message_dict["lines.0.zero_rate_reason"][0]
    foreign = make_organization(shop.owner, "Klant BV", vat_id="NL004495445B01")
    supply = consulting(vat_rate=0, zero_rate_reason="intra_community")
    assert quote_create(actor=shop.owner, organization=foreign, lines=[supply]).tax_total == D("0.00")
    assert Quote.objects.count() == 1


def test_bank_details_are_checked(shop: Shop) -> None:
    with pytest.raises(ValidationError) as refused:
        sales_settings_update(actor=shop.owner, iban="DE89 3704 0044 0532 0130 01")
    assert "not a valid IBAN" in refused.value.message_dict["iban"][0]
    assert SalesSettings.objects.get().iban == "DE89370400440532013000"
    invoice = invoice_finalize(
        actor=shop.accountant,
        invoice=invoice_create(actor=shop.owner, organization=shop.customer, lines=[consulting()], **SUPPLY),
        today=TODAY,
    )
    with pytest.raises(ValidationError) as payer:
        payment_record(
            actor=shop.accountant, invoice=invoice, amount=D("1"), paid_on=TODAY, payer_iban="DE00 1234"
        )
    assert "payer_iban" in payer.value.message_dict


def test_winning_a_deal_makes_the_order_of_its_accepted_quote(shop: Shop) -> None:
    deal = make_deal(shop.owner, organization=shop.customer)
    quote = _accepted_quote(shop, deal=deal)
    deal_close(actor=shop.owner, deal=deal, won=True)

    order = deal_won_order_create(actor=shop.owner, deal=deal, today=TODAY)

    assert order is not None
    assert (order.quote, order.deal, order.number, order.gross_total) == (
        quote,
        deal,
        "AB-2026-0001",
        quote.gross_total,
    )
    assert deal_won_order_create(actor=shop.owner, deal=deal, today=TODAY) is None


def test_roles_limit_who_issues_invoices(shop: Shop, actor_with_role) -> None:  # type: ignore[no-untyped-def]
    seller = actor_with_role(Role.SALES)
    invoice = invoice_create(actor=seller, organization=shop.customer, lines=[consulting()], **SUPPLY)
    with pytest.raises(PermissionDenied):
        invoice_finalize(actor=seller, invoice=invoice, today=TODAY)
    with pytest.raises(PermissionDenied):
        product_create(actor=actor_with_role(Role.SERVICE), name="Wartung", unit_net_price=D("90"))
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.DRAFT


def test_another_workspaces_customer_is_refused(shop: Shop, stranger) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        invoice_create(actor=stranger, organization=shop.customer, lines=[consulting()])
    assert "organization" in refused.value.message_dict
    assert not Invoice.objects.exists()


def test_amounts_beyond_what_the_books_hold_are_refused(shop: Shop) -> None:
    huge = consulting("999999999.999", "99999999.9999")
    with pytest.raises(ValidationError) as refused:
        quote_create(actor=shop.owner, organization=shop.customer, lines=[huge])
    assert "too large" in refused.value.message_dict["lines"][0]
    assert not Quote.objects.exists()
