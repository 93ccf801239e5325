"""Products, quotes, orders, invoices and payments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ninja import Field, Schema

from zweck.api.schemas.base import FilterSchema, InputSchema, ObjectId, Text, length, partial
from zweck.sales.choices import (
    InvoiceKind,
    InvoiceStatus,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    QuoteStatus,
)
from zweck.sales.models import Invoice, Payment, Product

Percent = Field(Decimal("0"), ge=0, le=100, max_digits=5, decimal_places=2, allow_inf_nan=False)


class ProductIn(InputSchema):
    name: Text = Field(min_length=1, max_length=length(Product, "name"))
    number: Text = Field("", max_length=length(Product, "number"))
    description: Text = Field("", max_length=5000)
    unit: Text = Field("C62", max_length=3, description="UN/ECE Recommendation 20 code: HUR, DAY, C62, ...")
    unit_net_price: Decimal = Field(max_digits=14, decimal_places=4, allow_inf_nan=False)
    vat_rate: int = Field(19, description="19, 7 or 0.")
    zero_rate_reason: Text = Field(
        "",
        max_length=20,
        description="With 0 %: reverse_charge, intra_community, small_business, export, exempt.",
    )
    is_active: bool = True


if TYPE_CHECKING:
    ProductPatch = ProductIn
else:
    ProductPatch = partial(ProductIn, "ProductPatch", "Changes to a product.")


class ProductOut(Schema):
    id: int
    name: str
    number: str
    description: str
    unit: str
    unit_net_price: Decimal
    vat_rate: int
    zero_rate_reason: str
    is_active: bool


class LineIn(InputSchema):
    """One line; a product fills description, unit, price and VAT treatment left out."""

    product_id: ObjectId | None = None
    description: Text = Field("", max_length=5000)
    quantity: Decimal = Field(Decimal("1"), max_digits=12, decimal_places=3, allow_inf_nan=False)
    unit: Text | None = Field(None, max_length=3)
    unit_net_price: Decimal | None = Field(None, max_digits=14, decimal_places=4, allow_inf_nan=False)
    discount_percent: Decimal = Percent
    vat_rate: int | None = Field(None, ge=0, le=100)
    zero_rate_reason: Text | None = Field(None, max_length=20)


class LineOut(Schema):
    id: int
    position: int
    product_id: int | None
    description: str
    quantity: Decimal
    unit: str
    unit_net_price: Decimal
    discount_percent: Decimal
    vat_rate: int
    zero_rate_reason: str
    net_amount: Decimal


class DocumentIn(InputSchema):
    organization_id: ObjectId
    contact_id: ObjectId | None = None
    owner_id: ObjectId | None = None
    currency: Text = Field("EUR", min_length=3, max_length=3)
    language: Text = Field("de", max_length=8)
    header_text: Text = Field("", max_length=10000)
    footer_text: Text = Field("", max_length=10000)
    discount_percent: Decimal = Percent
    lines: list[LineIn] = Field(default_factory=list, max_length=500)


class QuoteIn(DocumentIn):
    deal_id: ObjectId | None = None
    issue_date: date | None = None
    valid_until: date | None = None


if TYPE_CHECKING:
    QuotePatch = QuoteIn
else:
    QuotePatch = partial(
        QuoteIn, "QuotePatch", "Changes to a draft quote; lines given replace the stored ones."
    )


class DocumentOut(Schema):
    id: int
    number: str | None
    organization_id: int
    contact_id: int | None
    owner_id: int | None
    currency: str
    language: str
    header_text: str
    footer_text: str
    discount_percent: Decimal
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    lines: list[LineOut]
    created_at: datetime
    updated_at: datetime


class QuoteOut(DocumentOut):
    status: QuoteStatus
    deal_id: int | None
    issue_date: date | None
    valid_until: date | None
    sent_at: datetime | None
    decided_at: datetime | None


class QuoteFilter(FilterSchema):
    status: QuoteStatus | None = None
    organization_id: ObjectId | None = None


class OrderFromQuoteIn(InputSchema):
    order_date: date | None = None
    customer_reference: Text = Field("", max_length=100)
    supply_date: date | None = None
    supply_period_start: date | None = None
    supply_period_end: date | None = None


class OrderPatch(InputSchema):
    customer_reference: Text | None = Field(None, max_length=100)
    supply_date: date | None = None
    supply_period_start: date | None = None
    supply_period_end: date | None = None


class OrderOut(DocumentOut):
    status: OrderStatus
    quote_id: int | None
    deal_id: int | None
    order_date: date
    customer_reference: str
    supply_date: date | None
    supply_period_start: date | None
    supply_period_end: date | None


class OrderFilter(FilterSchema):
    status: OrderStatus | None = None
    organization_id: ObjectId | None = None


class OrderInvoiceIn(InputSchema):
    """An invoice for the order: the whole order, a partial invoice (``percent`` of the order, or
    its own ``lines``), or the final invoice, which deducts the partial ones."""

    kind: InvoiceKind = InvoiceKind.INVOICE
    percent: Decimal | None = Field(None, gt=0, le=100, max_digits=5, decimal_places=2, allow_inf_nan=False)
    lines: list[LineIn] | None = Field(None, max_length=500)


class InvoiceIn(DocumentIn):
    kind: InvoiceKind = InvoiceKind.INVOICE
    issue_date: date | None = None
    supply_date: date | None = None
    supply_period_start: date | None = None
    supply_period_end: date | None = None
    payment_terms_days: int | None = Field(None, ge=0, le=365)
    buyer_reference: Text = Field("", max_length=length(Invoice, "buyer_reference"))
    customer_reference: Text = Field("", max_length=length(Invoice, "customer_reference"))


if TYPE_CHECKING:
    InvoicePatch = InvoiceIn
else:
    InvoicePatch = partial(
        InvoiceIn, "InvoicePatch", "Changes to a draft invoice; lines given replace the stored ones."
    )


class TaxTotalOut(Schema):
    vat_rate: int
    zero_rate_reason: str
    net_amount: Decimal
    tax_amount: Decimal


class InvoiceOut(DocumentOut):
    kind: InvoiceKind
    status: InvoiceStatus
    order_id: int | None
    cancels_id: int | None
    cancelled_by_id: int | None
    series: str
    issue_date: date | None
    supply_date: date | None
    supply_period_start: date | None
    supply_period_end: date | None
    payment_terms_days: int
    due_date: date | None
    buyer_reference: str
    customer_reference: str
    finalized_at: datetime | None
    buyer_name: str
    buyer_street: str
    buyer_postal_code: str
    buyer_city: str
    buyer_country: str
    buyer_vat_id: str
    supplier_name: str
    supplier_tax_number: str
    supplier_vat_id: str
    tax_totals: list[TaxTotalOut]
    paid_amount: Decimal
    open_amount: Decimal
    payment_status: PaymentStatus | None

    @staticmethod
    def resolve_cancels_id(invoice: Invoice) -> int | None:
        link = getattr(invoice, "cancels_link", None)
        return link.invoice_id if link is not None else None

    @staticmethod
    def resolve_cancelled_by_id(invoice: Invoice) -> int | None:
        link = getattr(invoice, "cancellation_link", None)
        return link.cancellation_id if link is not None else None

    @staticmethod
    def resolve_payment_status(invoice: Invoice) -> str | None:
        return getattr(invoice, "payment_status", "") or None


class InvoiceFilter(FilterSchema):
    status: InvoiceStatus | None = None
    payment_status: PaymentStatus | None = None
    organization_id: ObjectId | None = None


class InvoiceCancelIn(InputSchema):
    reason: Text = Field("", max_length=500)


class PaymentIn(InputSchema):
    amount: Decimal = Field(max_digits=14, decimal_places=2, allow_inf_nan=False)
    paid_on: date
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    reference: Text = Field("", max_length=length(Payment, "reference"))
    payer_name: Text = Field("", max_length=length(Payment, "payer_name"))
    payer_iban: Text = Field("", max_length=50)
    note: Text = Field("", max_length=5000)


class PaymentOut(Schema):
    id: int
    invoice_id: int
    paid_on: date
    amount: Decimal
    method: str
    source: str
    reference: str
    payer_name: str
    payer_iban: str
    note: str
    created_at: datetime
