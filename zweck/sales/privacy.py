"""Register declarations for sales: the catalogue, quotes, orders, invoices and payments.

A quote, order or invoice is addressed to an organization; the contact person it names is its
data subject. Invoices and the payments booked on them are accounting vouchers (8 years,
§ 147(1) Nr. 4, (3) AO as amended, § 257(1) Nr. 4, (4) HGB, § 14b UStG); quotes and order
confirmations sent are business letters (6 years, § 257(1) Nr. 2–3 HGB, § 147(1) Nr. 2–3 AO).
Each period runs from the end of the calendar year of the document's date (the rules'
``from_end_of_year``), so the clocks below name that date; a draft without a date counts from
the day it was created.

An erasure request keeps these rows under their statutory hold, restricted, with their end
dates, and the retention sweep deletes them when the period ends: every field is declared
without a mask, because a voucher or a copy of a letter sent must stay as issued (GoBD;
§ 146(4) AO), and their texts are not searched for other people's mentions for the same reason.
"""

from django.db.models import DateField, Value
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils.translation import gettext_noop as _noop

from zweck.core.register import (
    NOT_PERSONAL,
    Erasure,
    FieldDeclaration,
    Mask,
    NotPersonal,
    Personal,
    base_fields,
    register,
)
from zweck.sales import models as sales

VOUCHER_HOLD = _noop(
    "Accounting voucher kept for 8 years from the end of the calendar year of its date "
    "(§ 147(1) Nr. 4, (3) AO; § 257(1) Nr. 4, (4) HGB; § 14b UStG; Art. 17(3)(b) GDPR)."
)
LETTER_HOLD = _noop(
    "Business letter sent, kept for 6 years from the end of the calendar year of its date "
    "(§ 257(1) Nr. 2–3, (4) HGB; § 147(1) Nr. 2–3, (3) AO; Art. 17(3)(b) GDPR)."
)
ACTIVITIES = ("quotes_and_orders",)
# Kept unchanged while held: the document as it was issued.
KEPT = Mask.NONE
OWN_DETAILS = NotPersonal("The workspace's own business details, printed on every invoice.")
# A line goes with its document, deleted in the same statement. It has no date of its own for the
# sweep: a document can outlive its period while a later record refers to it (an invoice paid
# next year, an order with invoices), and its lines must stay with it as long.
WITH_ITS_DOCUMENT = Cast(Value(None), output_field=DateField())


def _document_date() -> Coalesce:
    """The date a document's period counts from: its own date, else the day it was created."""
    return Coalesce("issue_date", TruncDate("created_at"))


def _document_fields(**extra: FieldDeclaration) -> dict[str, FieldDeclaration]:
    return base_fields(
        organization=NOT_PERSONAL,
        # The link to the subject; the person's own data stays in the CRM.
        contact=NOT_PERSONAL,
        owner=Personal("user.unique_id", mask=KEPT),
        number=NOT_PERSONAL,
        currency=NOT_PERSONAL,
        language=NOT_PERSONAL,
        header_text=Personal("user.content.private", mask=KEPT),
        footer_text=Personal("user.content.private", mask=KEPT),
        discount_percent=NOT_PERSONAL,
        net_total=Personal("user.behavior.purchase_history", mask=KEPT),
        tax_total=Personal("user.behavior.purchase_history", mask=KEPT),
        gross_total=Personal("user.behavior.purchase_history", mask=KEPT),
        **extra,
    )


def _line_fields(parent: str, **extra: FieldDeclaration) -> dict[str, FieldDeclaration]:
    return base_fields(
        **{parent: NOT_PERSONAL},
        position=NOT_PERSONAL,
        product=NOT_PERSONAL,
        description=Personal("user.behavior.purchase_history", mask=KEPT),
        quantity=Personal("user.behavior.purchase_history", mask=KEPT),
        unit=NOT_PERSONAL,
        unit_net_price=NOT_PERSONAL,
        discount_percent=NOT_PERSONAL,
        vat_rate=NOT_PERSONAL,
        zero_rate_reason=NOT_PERSONAL,
        net_amount=Personal("user.behavior.purchase_history", mask=KEPT),
        **extra,
    )


register.declare(
    sales.Product,
    fields=base_fields(
        name=NOT_PERSONAL,
        number=NOT_PERSONAL,
        description=NOT_PERSONAL,
        unit=NOT_PERSONAL,
        unit_net_price=NOT_PERSONAL,
        vat_rate=NOT_PERSONAL,
        zero_rate_reason=NOT_PERSONAL,
        is_active=NOT_PERSONAL,
    ),
)
register.declare(
    sales.SalesSettings,
    fields=base_fields(
        legal_name=OWN_DETAILS,
        street=OWN_DETAILS,
        postal_code=OWN_DETAILS,
        city=OWN_DETAILS,
        country=OWN_DETAILS,
        tax_number=OWN_DETAILS,
        vat_id=OWN_DETAILS,
        contact_point=OWN_DETAILS,
        email=OWN_DETAILS,
        phone=OWN_DETAILS,
        iban=OWN_DETAILS,
        bic=OWN_DETAILS,
        bank_name=OWN_DETAILS,
        register_court=OWN_DETAILS,
        register_number=OWN_DETAILS,
        # Published with the company's register entry and on its letters (§ 35a GmbHG).
        managing_directors=OWN_DETAILS,
        invoice_prefix=NOT_PERSONAL,
        quote_prefix=NOT_PERSONAL,
        order_prefix=NOT_PERSONAL,
        default_payment_terms_days=NOT_PERSONAL,
        quote_validity_days=NOT_PERSONAL,
        small_business=NOT_PERSONAL,
    ),
)
register.declare(
    sales.DocumentCounter,
    fields=base_fields(kind=NOT_PERSONAL, series=NOT_PERSONAL, year=NOT_PERSONAL, next_number=NOT_PERSONAL),
)
register.declare(
    sales.Quote,
    subject="contact",
    fields=_document_fields(
        deal=NOT_PERSONAL,
        status=NOT_PERSONAL,
        issue_date=NOT_PERSONAL,
        valid_until=NOT_PERSONAL,
        sent_at=NOT_PERSONAL,
        decided_at=NOT_PERSONAL,
    ),
    activities=ACTIVITIES,
    retention="business_letters",
    erasure=Erasure.HOLD,
    hold_reason=LETTER_HOLD,
    clocks={"record_created": _document_date()},
)
register.declare(
    sales.QuoteLine,
    subject="quote__contact",
    fields=_line_fields("quote"),
    activities=ACTIVITIES,
    retention="business_letters",
    erasure=Erasure.HOLD,
    hold_reason=LETTER_HOLD,
    clocks={"record_created": WITH_ITS_DOCUMENT},
)
register.declare(
    sales.Order,
    subject="contact",
    fields=_document_fields(
        quote=NOT_PERSONAL,
        deal=NOT_PERSONAL,
        status=NOT_PERSONAL,
        order_date=NOT_PERSONAL,
        customer_reference=NOT_PERSONAL,
        supply_date=NOT_PERSONAL,
        supply_period_start=NOT_PERSONAL,
        supply_period_end=NOT_PERSONAL,
    ),
    activities=ACTIVITIES,
    retention="business_letters",
    erasure=Erasure.HOLD,
    hold_reason=LETTER_HOLD,
    clocks={"record_created": "order_date"},
)
register.declare(
    sales.OrderLine,
    subject="order__contact",
    fields=_line_fields("order"),
    activities=ACTIVITIES,
    retention="business_letters",
    erasure=Erasure.HOLD,
    hold_reason=LETTER_HOLD,
    clocks={"record_created": WITH_ITS_DOCUMENT},
)
register.declare(
    sales.Invoice,
    subject="contact",
    fields=_document_fields(
        kind=NOT_PERSONAL,
        status=NOT_PERSONAL,
        order=NOT_PERSONAL,
        series=NOT_PERSONAL,
        sequence=NOT_PERSONAL,
        issue_date=NOT_PERSONAL,
        supply_date=NOT_PERSONAL,
        supply_period_start=NOT_PERSONAL,
        supply_period_end=NOT_PERSONAL,
        payment_terms_days=NOT_PERSONAL,
        due_date=NOT_PERSONAL,
        buyer_reference=NOT_PERSONAL,
        customer_reference=NOT_PERSONAL,
        finalized_at=NOT_PERSONAL,
        # The buyer as the invoice names them (a sole trader's name is a person's name).
        buyer_name=Personal("user.contact.organization", mask=KEPT),
        buyer_contact_name=Personal("user.name", mask=KEPT),
        buyer_street=Personal("user.contact.address.street", mask=KEPT),
        buyer_postal_code=Personal("user.contact.address.postal_code", mask=KEPT),
        buyer_city=Personal("user.contact.address.city", mask=KEPT),
        buyer_country=Personal("user.contact.address.country", mask=KEPT),
        # A VAT ID names a business, as on the organization (zweck/crm/privacy.py).
        buyer_vat_id=NOT_PERSONAL,
        buyer_email=Personal("user.contact.email", mask=KEPT),
        supplier_name=OWN_DETAILS,
        supplier_street=OWN_DETAILS,
        supplier_postal_code=OWN_DETAILS,
        supplier_city=OWN_DETAILS,
        supplier_country=OWN_DETAILS,
        supplier_tax_number=OWN_DETAILS,
        supplier_vat_id=OWN_DETAILS,
        supplier_contact_point=OWN_DETAILS,
        supplier_email=OWN_DETAILS,
        supplier_phone=OWN_DETAILS,
        supplier_iban=OWN_DETAILS,
        supplier_bic=OWN_DETAILS,
        supplier_bank_name=OWN_DETAILS,
        supplier_register_court=OWN_DETAILS,
        supplier_register_number=OWN_DETAILS,
        supplier_managing_directors=OWN_DETAILS,
        small_business=NOT_PERSONAL,
    ),
    activities=ACTIVITIES,
    retention="accounting_vouchers",
    erasure=Erasure.HOLD,
    hold_reason=VOUCHER_HOLD,
    clocks={"record_created": _document_date()},
)
register.declare(
    sales.InvoiceLine,
    subject="invoice__contact",
    fields=_line_fields("invoice", deducts_invoice=NOT_PERSONAL),
    activities=ACTIVITIES,
    retention="accounting_vouchers",
    erasure=Erasure.HOLD,
    hold_reason=VOUCHER_HOLD,
    clocks={"record_created": WITH_ITS_DOCUMENT},
)
register.declare(
    sales.InvoiceCancellation,
    # Which invoice a cancellation invoice cancels: deleted with the cancellation invoice.
    fields=base_fields(invoice=NOT_PERSONAL, cancellation=NOT_PERSONAL),
)
register.declare(
    sales.InvoiceTaxTotal,
    # Amounts per VAT rate: deleted with their invoice.
    fields=base_fields(
        invoice=NOT_PERSONAL,
        vat_rate=NOT_PERSONAL,
        zero_rate_reason=NOT_PERSONAL,
        net_amount=NOT_PERSONAL,
        tax_amount=NOT_PERSONAL,
    ),
)
register.declare(
    sales.Payment,
    subject="invoice__contact",
    fields=base_fields(
        invoice=NOT_PERSONAL,
        paid_on=NOT_PERSONAL,
        amount=Personal("user.payment", mask=KEPT),
        method=NOT_PERSONAL,
        source=NOT_PERSONAL,
        reference=Personal("user.payment", mask=KEPT),
        payer_name=Personal("user.name", mask=KEPT),
        payer_iban=Personal("user.financial.bank_account", mask=KEPT),
        bank_transaction_id=NOT_PERSONAL,
        note=Personal("user.content.private", mask=KEPT),
    ),
    activities=ACTIVITIES,
    retention="accounting_vouchers",
    erasure=Erasure.HOLD,
    hold_reason=VOUCHER_HOLD,
    clocks={"record_created": "paid_on"},
)

# The documents exchanged with the outside (received e-invoices, documents sent) and collection
# (bank statements, reminders, handovers to debt collectors) declare their own models.
from zweck.sales import privacy_exchange, privacy_receivables  # noqa: E402, F401
