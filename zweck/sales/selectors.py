"""Reads for sales, always through ``visible_to``: the actor's workspace and permissions, and
without restricted contacts' or held documents unless read for storage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.sales.choices import InvoiceKind, InvoiceStatus, PaymentStatus
from zweck.sales.models import Invoice, InvoiceLine, Order, Payment, Product, Quote

MONEY = DecimalField(max_digits=14, decimal_places=2)


def product_list(*, actor: Actor, include_inactive: bool = False) -> QuerySet[Product]:
    products = Product.objects.visible_to(actor, Permission.SALES_VIEW)
    return products if include_inactive else products.filter(is_active=True)


def product_get(*, actor: Actor, product_id: int) -> Product:
    return Product.objects.visible_to(actor, Permission.SALES_VIEW).get(pk=product_id)


def quote_list(
    *, actor: Actor, status: str | None = None, organization_id: int | None = None
) -> QuerySet[Quote]:
    quotes = Quote.objects.visible_to(actor, Permission.SALES_VIEW).prefetch_related("lines")
    if status:
        quotes = quotes.filter(status=status)
    if organization_id:
        quotes = quotes.filter(organization_id=organization_id)
    return quotes


def quote_get(*, actor: Actor, quote_id: int) -> Quote:
    return (
        Quote.objects.visible_to(actor, Permission.SALES_VIEW)
        .select_related("organization", "contact", "deal")
        .prefetch_related("lines")
        .get(pk=quote_id)
    )


def order_list(
    *, actor: Actor, status: str | None = None, organization_id: int | None = None
) -> QuerySet[Order]:
    orders = Order.objects.visible_to(actor, Permission.SALES_VIEW).prefetch_related("lines")
    if status:
        orders = orders.filter(status=status)
    if organization_id:
        orders = orders.filter(organization_id=organization_id)
    return orders


def order_get(*, actor: Actor, order_id: int) -> Order:
    return (
        Order.objects.visible_to(actor, Permission.SALES_VIEW)
        .select_related("organization", "contact", "quote", "deal")
        .prefetch_related("lines")
        .get(pk=order_id)
    )


def with_payment_status(invoices: QuerySet[Invoice], *, today: date | None = None) -> QuerySet[Invoice]:
    """``invoices`` with ``paid_amount``, ``open_amount`` and ``payment_status`` (empty for drafts,
    cancelled invoices and cancellations), computed from the payments; one query."""
    today = today or timezone.localdate()
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return invoices.annotate(
        paid_amount=Coalesce(Subquery(paid, output_field=MONEY), Value(Decimal("0.00")), output_field=MONEY),
    ).annotate(
        open_amount=F("gross_total") - F("paid_amount"),
        payment_status=Case(
            When(~Q(status=InvoiceStatus.FINALIZED) | Q(kind=InvoiceKind.CANCELLATION), then=Value("")),
            When(paid_amount__gte=F("gross_total"), then=Value(PaymentStatus.PAID.value)),
            When(due_date__lt=today, then=Value(PaymentStatus.OVERDUE.value)),
            When(paid_amount__gt=0, then=Value(PaymentStatus.PARTIALLY_PAID.value)),
            default=Value(PaymentStatus.OPEN.value),
            output_field=CharField(),
        ),
    )


def invoice_list(
    *,
    actor: Actor,
    status: str | None = None,
    payment_status: str | None = None,
    organization_id: int | None = None,
    today: date | None = None,
) -> QuerySet[Invoice]:
    """Invoices with their payment status (see ``with_payment_status``)."""
    invoices: QuerySet[Invoice] = with_payment_status(
        Invoice.objects.visible_to(actor, Permission.SALES_VIEW)
        .select_related("cancels_link", "cancellation_link")
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("position", "pk")), "tax_totals"
        ),
        today=today,
    )
    if status:
        invoices = invoices.filter(status=status)
    if payment_status:
        invoices = invoices.filter(payment_status=payment_status)  # type: ignore[misc]
    if organization_id:
        invoices = invoices.filter(organization_id=organization_id)
    return invoices


def invoice_get(*, actor: Actor, invoice_id: int, today: date | None = None) -> Invoice:
    """One invoice with its lines, tax totals, payments and payment status."""
    invoices = Invoice.objects.visible_to(actor, Permission.SALES_VIEW)
    return (
        with_payment_status(invoices, today=today)
        .select_related("organization", "contact", "order", "cancels_link", "cancellation_link")
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("position", "pk")),
            "tax_totals",
            "payments",
        )
        .get(pk=invoice_id)
    )


def payment_list(*, actor: Actor, invoice_id: int | None = None) -> QuerySet[Payment]:
    payments = Payment.objects.visible_to(actor, Permission.SALES_VIEW).select_related("invoice")
    return payments.filter(invoice_id=invoice_id) if invoice_id else payments
