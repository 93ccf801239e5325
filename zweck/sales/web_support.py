"""Reads the staff pages need beside ``selectors``: a document's totals per VAT rate with their
labels, the steps of its status bar, and the lists' search and the record pages' filters (by
deal, by order) on top of the selectors' scoped querysets. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.sales import selectors
from zweck.sales.choices import (
    InvoiceKind,
    InvoiceStatus,
    OrderStatus,
    PaymentStatus,
    QuoteStatus,
    ZeroRateReason,
)
from zweck.sales.models import Invoice, Order, Product, Quote
from zweck.sales.totals import LineFigures, document_totals


@dataclass(frozen=True)
class TaxGroupView:
    vat_rate: int
    reason_label: str
    net_amount: Decimal
    tax_amount: Decimal


@dataclass(frozen=True)
class TotalsView:
    lines_net_total: Decimal
    discount_amount: Decimal
    groups: tuple[TaxGroupView, ...]


def document_totals_view(document: Quote | Order | Invoice) -> TotalsView:
    """The net amount and VAT per rate (with the reason for no VAT) of ``document``'s lines,
    as ``zweck.sales.totals`` computes them."""
    totals = document_totals(
        (
            LineFigures(
                quantity=line.quantity,
                unit_net_price=line.unit_net_price,
                vat_rate=line.vat_rate,
                zero_rate_reason=line.zero_rate_reason,
                discount_percent=line.discount_percent,
            )
            for line in document.lines.all()
        ),
        document.discount_percent,
    )
    reasons = dict(ZeroRateReason.choices)
    return TotalsView(
        lines_net_total=totals.lines_net_total,
        discount_amount=totals.discount_amount,
        groups=tuple(
            TaxGroupView(
                vat_rate=group.vat_rate,
                reason_label=str(reasons.get(group.zero_rate_reason, "")) if group.zero_rate_reason else "",
                net_amount=group.net_amount,
                tax_amount=group.tax_amount,
            )
            for group in totals.groups
        ),
    )


def _steps(labels: list[str], current: int) -> list[dict[str, Any]]:
    return [
        {"label": label, "done": index < current, "current": index == current}
        for index, label in enumerate(labels)
    ]


def quote_steps(quote: Quote) -> list[dict[str, Any]]:
    """Draft → sent → accepted (or declined, or expired) → ordered."""
    decided = {
        QuoteStatus.DECLINED: _("Declined"),
        QuoteStatus.EXPIRED: _("Expired"),
    }.get(QuoteStatus(quote.status), _("Accepted"))
    labels = [_("Draft"), _("Sent"), decided, _("Ordered")]
    ordered = getattr(quote, "order", None) is not None
    current = {QuoteStatus.DRAFT: 0, QuoteStatus.SENT: 1}.get(QuoteStatus(quote.status), 2)
    return _steps(labels, 3 if ordered else current)


def order_steps(order: Order) -> list[dict[str, Any]]:
    if order.status == OrderStatus.CANCELLED:
        return _steps([_("Open"), _("Cancelled")], 1)
    labels = [_("Open"), _("Partially invoiced"), _("Invoiced")]
    current = {OrderStatus.OPEN: 0, OrderStatus.PARTIALLY_INVOICED: 1}.get(OrderStatus(order.status), 2)
    return _steps(labels, current)


def invoice_steps(invoice: Invoice, payment_status: str | None) -> list[dict[str, Any]]:
    """Draft → finalized → paid; a cancelled invoice or a cancellation invoice ends elsewhere."""
    if invoice.status == InvoiceStatus.CANCELLED:
        return _steps([_("Draft"), _("Finalized"), _("Cancelled")], 2)
    if invoice.kind == InvoiceKind.CANCELLATION:
        return _steps([_("Draft"), _("Finalized")], 0 if invoice.status == InvoiceStatus.DRAFT else 1)
    labels = [_("Draft"), _("Finalized"), _("Paid")]
    if invoice.status == InvoiceStatus.DRAFT:
        return _steps(labels, 0)
    return _steps(labels, 2 if payment_status == PaymentStatus.PAID else 1)


# --- the list pages' search and the record pages' filters, on top of ``selectors`` -----------


def _matching[M: Any](items: QuerySet[M], query: str | None, *fields: str) -> QuerySet[M]:
    """``items`` whose any of ``fields`` contains ``query`` (case-insensitive); all without one."""
    if not query:
        return items
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": query})
    return items.filter(condition)


def product_search(
    *, actor: Actor, query: str | None = None, include_inactive: bool = False
) -> QuerySet[Product]:
    products = selectors.product_list(actor=actor, include_inactive=include_inactive)
    return _matching(products, query, "name", "number")


def quote_search(
    *,
    actor: Actor,
    query: str | None = None,
    status: str | None = None,
    organization_id: int | None = None,
    deal_id: int | None = None,
) -> QuerySet[Quote]:
    quotes = selectors.quote_list(actor=actor, status=status, organization_id=organization_id)
    if deal_id is not None:
        quotes = quotes.filter(deal_id=deal_id)
    return _matching(quotes, query, "number", "organization__name")


def order_search(*, actor: Actor, query: str | None = None, status: str | None = None) -> QuerySet[Order]:
    orders = selectors.order_list(actor=actor, status=status)
    return _matching(orders, query, "number", "organization__name", "customer_reference")


def invoice_search(
    *,
    actor: Actor,
    query: str | None = None,
    status: str | None = None,
    payment_status: str | None = None,
    organization_id: int | None = None,
    deal_id: int | None = None,
    order_id: int | None = None,
) -> QuerySet[Invoice]:
    """Invoices with their payment status; those of a deal are the invoices of its orders."""
    invoices = selectors.invoice_list(
        actor=actor, status=status, payment_status=payment_status, organization_id=organization_id
    )
    if deal_id is not None:
        invoices = invoices.filter(order__deal_id=deal_id)
    if order_id is not None:
        invoices = invoices.filter(order_id=order_id)
    return _matching(invoices, query, "number", "organization__name", "buyer_name")
