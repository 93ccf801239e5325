"""/sales: products, quotes, orders, invoices and payments.

Issuing and cancelling invoices and recording payments need ``invoice.manage``; a finalized
invoice answers every change with 422 and stays as it is.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from zweck.accounts.actors import Actor
from zweck.api import references
from zweck.api.auth import actor_of
from zweck.api.operations import NO_CONTENT, answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.api.schemas.sales import (
    InvoiceCancelIn,
    InvoiceFilter,
    InvoiceIn,
    InvoiceOut,
    InvoicePatch,
    LineIn,
    OrderFilter,
    OrderFromQuoteIn,
    OrderInvoiceIn,
    OrderOut,
    OrderPatch,
    PaymentIn,
    PaymentOut,
    ProductIn,
    ProductOut,
    ProductPatch,
    QuoteFilter,
    QuoteIn,
    QuoteOut,
    QuotePatch,
)
from zweck.sales import selectors, services
from zweck.sales.choices import PaymentSource

router = Router(tags=["sales"])


def _lines(actor: Actor, lines: list[LineIn]) -> list[services.LineInput]:
    products = selectors.product_list(actor=actor, include_inactive=True)
    resolved = []
    for index, line in enumerate(lines):
        data = line.model_dump()
        product_id = data.pop("product_id")
        product = None
        if product_id is not None:
            product = references._one(products, product_id, f"lines.{index}.product_id")
        resolved.append(services.LineInput(product=product, **data))
    return resolved


def _document_arguments(actor: Actor, payload: Any) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    if "organization_id" in data:
        data["organization"] = references.organization(actor, data.pop("organization_id"))
    if "contact_id" in data:
        contact_id = data.pop("contact_id")
        data["contact"] = references.persons(actor, [contact_id], "contact_id")[0] if contact_id else None
    if "owner_id" in data:
        data["owner"] = references.member(actor, data.pop("owner_id"))
    if "deal_id" in data:
        data["deal"] = references.deal(actor, data.pop("deal_id"))
    if "lines" in data:
        data["lines"] = _lines(actor, payload.lines) if payload.lines is not None else None
    if data.get("payment_terms_days", 0) is None:
        del data["payment_terms_days"]
    return data


# --- products ------------------------------------------------------------------------------


@router.get("/products", response=answers(Page[ProductOut]))
def list_products(request: HttpRequest, page: Query[PageQuery], include_inactive: bool = False) -> Any:
    return page_of(selectors.product_list(actor=actor_of(request), include_inactive=include_inactive), page)


@router.post("/products", response=answers(ProductOut, 201))
def create_product(request: HttpRequest, payload: ProductIn) -> Any:
    product = services.product_create(actor=actor_of(request), **payload.model_dump())
    return Status(201, product)


@router.get("/products/{product_id}", response=answers(ProductOut))
def read_product(request: HttpRequest, product_id: ObjectId) -> Any:
    return selectors.product_get(actor=actor_of(request), product_id=product_id)


@router.patch("/products/{product_id}", response=answers(ProductOut))
def update_product(request: HttpRequest, product_id: ObjectId, payload: ProductPatch) -> Any:
    actor = actor_of(request)
    with transaction.atomic():
        product = selectors.product_get(actor=actor, product_id=product_id)
        return services.product_update(actor=actor, product=product, **payload.model_dump(exclude_unset=True))


# --- quotes --------------------------------------------------------------------------------


@router.get("/quotes", response=answers(Page[QuoteOut]))
def list_quotes(request: HttpRequest, filters: Query[QuoteFilter], page: Query[PageQuery]) -> Any:
    return page_of(selectors.quote_list(actor=actor_of(request), **filters.selector_arguments()), page)


@router.post("/quotes", response=answers(QuoteOut, 201))
def create_quote(request: HttpRequest, payload: QuoteIn) -> Any:
    actor = actor_of(request)
    with transaction.atomic():
        quote = services.quote_create(actor=actor, **_document_arguments(actor, payload))
        return Status(201, selectors.quote_get(actor=actor, quote_id=quote.pk))


@router.get("/quotes/{quote_id}", response=answers(QuoteOut))
def read_quote(request: HttpRequest, quote_id: ObjectId) -> Any:
    return selectors.quote_get(actor=actor_of(request), quote_id=quote_id)


@router.patch("/quotes/{quote_id}", response=answers(QuoteOut))
def update_quote(request: HttpRequest, quote_id: ObjectId, payload: QuotePatch) -> Any:
    """Change a draft quote; one that was sent answers 422."""
    actor = actor_of(request)
    with transaction.atomic():
        quote = selectors.quote_get(actor=actor, quote_id=quote_id)
        services.quote_update(actor=actor, quote=quote, **_document_arguments(actor, payload))
        return selectors.quote_get(actor=actor, quote_id=quote_id)


def _quote_action(request: HttpRequest, quote_id: int, action: Any) -> Any:
    actor = actor_of(request)
    with transaction.atomic():
        action(actor=actor, quote=selectors.quote_get(actor=actor, quote_id=quote_id))
        return selectors.quote_get(actor=actor, quote_id=quote_id)


@router.post("/quotes/{quote_id}/send", response=answers(QuoteOut))
def send_quote(request: HttpRequest, quote_id: ObjectId) -> Any:
    """Mark a draft quote as sent: it gets its number, date and validity."""
    return _quote_action(request, quote_id, services.quote_send)


@router.post("/quotes/{quote_id}/accept", response=answers(QuoteOut))
def accept_quote(request: HttpRequest, quote_id: ObjectId) -> Any:
    return _quote_action(request, quote_id, services.quote_accept)


@router.post("/quotes/{quote_id}/decline", response=answers(QuoteOut))
def decline_quote(request: HttpRequest, quote_id: ObjectId) -> Any:
    return _quote_action(request, quote_id, services.quote_decline)


@router.post("/quotes/{quote_id}/order", response=answers(OrderOut, 201))
def order_quote(request: HttpRequest, quote_id: ObjectId, payload: OrderFromQuoteIn) -> Any:
    """The order of an accepted quote."""
    actor = actor_of(request)
    with transaction.atomic():
        quote = selectors.quote_get(actor=actor, quote_id=quote_id)
        order = services.order_create_from_quote(
            actor=actor, quote=quote, **payload.model_dump(exclude_none=True)
        )
        return Status(201, selectors.order_get(actor=actor, order_id=order.pk))


# --- orders --------------------------------------------------------------------------------


@router.get("/orders", response=answers(Page[OrderOut]))
def list_orders(request: HttpRequest, filters: Query[OrderFilter], page: Query[PageQuery]) -> Any:
    return page_of(selectors.order_list(actor=actor_of(request), **filters.selector_arguments()), page)


@router.get("/orders/{order_id}", response=answers(OrderOut))
def read_order(request: HttpRequest, order_id: ObjectId) -> Any:
    return selectors.order_get(actor=actor_of(request), order_id=order_id)


@router.patch("/orders/{order_id}", response=answers(OrderOut))
def update_order(request: HttpRequest, order_id: ObjectId, payload: OrderPatch) -> Any:
    actor = actor_of(request)
    with transaction.atomic():
        order = selectors.order_get(actor=actor, order_id=order_id)
        services.order_update(actor=actor, order=order, **payload.model_dump(exclude_unset=True))
        return selectors.order_get(actor=actor, order_id=order_id)


@router.post("/orders/{order_id}/invoices", response=answers(InvoiceOut, 201))
def invoice_order(request: HttpRequest, order_id: ObjectId, payload: OrderInvoiceIn) -> Any:
    """A draft invoice for the order (whole, partial or final)."""
    actor = actor_of(request)
    with transaction.atomic():
        order = selectors.order_get(actor=actor, order_id=order_id)
        lines = _lines(actor, payload.lines) if payload.lines is not None else None
        invoice = services.invoice_create_from_order(
            actor=actor, order=order, kind=payload.kind, percent=payload.percent, lines=lines
        )
        return Status(201, selectors.invoice_get(actor=actor, invoice_id=invoice.pk))


# --- invoices ------------------------------------------------------------------------------


@router.get("/invoices", response=answers(Page[InvoiceOut]))
def list_invoices(request: HttpRequest, filters: Query[InvoiceFilter], page: Query[PageQuery]) -> Any:
    """Invoices, newest first, with what was paid and their payment status."""
    return page_of(selectors.invoice_list(actor=actor_of(request), **filters.selector_arguments()), page)


@router.post("/invoices", response=answers(InvoiceOut, 201))
def create_invoice(request: HttpRequest, payload: InvoiceIn) -> Any:
    """A draft invoice; it gets its number when finalized."""
    actor = actor_of(request)
    with transaction.atomic():
        invoice = services.invoice_create(actor=actor, **_document_arguments(actor, payload))
        return Status(201, selectors.invoice_get(actor=actor, invoice_id=invoice.pk))


@router.get("/invoices/{invoice_id}", response=answers(InvoiceOut))
def read_invoice(request: HttpRequest, invoice_id: ObjectId) -> Any:
    return selectors.invoice_get(actor=actor_of(request), invoice_id=invoice_id)


@router.patch("/invoices/{invoice_id}", response=answers(InvoiceOut))
def update_invoice(request: HttpRequest, invoice_id: ObjectId, payload: InvoicePatch) -> Any:
    """Change a draft invoice; a finalized one answers 422 and stays as issued."""
    actor = actor_of(request)
    with transaction.atomic():
        invoice = selectors.invoice_get(actor=actor, invoice_id=invoice_id)
        services.invoice_update(actor=actor, invoice=invoice, **_document_arguments(actor, payload))
        return selectors.invoice_get(actor=actor, invoice_id=invoice_id)


@router.delete("/invoices/{invoice_id}", response=NO_CONTENT)
def delete_invoice(request: HttpRequest, invoice_id: ObjectId) -> Any:
    """Delete a draft invoice; a finalized one answers 422."""
    actor = actor_of(request)
    services.invoice_delete(actor=actor, invoice=selectors.invoice_get(actor=actor, invoice_id=invoice_id))
    return Status(204, None)


@router.post("/invoices/{invoice_id}/finalize", response=answers(InvoiceOut))
def finalize_invoice(request: HttpRequest, invoice_id: ObjectId) -> Any:
    """Issue a draft invoice: it gets the next number of its range and never changes again."""
    actor = actor_of(request)
    with transaction.atomic():
        services.invoice_finalize(
            actor=actor, invoice=selectors.invoice_get(actor=actor, invoice_id=invoice_id)
        )
        return selectors.invoice_get(actor=actor, invoice_id=invoice_id)


@router.post("/invoices/{invoice_id}/cancel", response=answers(InvoiceOut, 201))
def cancel_invoice(request: HttpRequest, invoice_id: ObjectId, payload: InvoiceCancelIn) -> Any:
    """Cancel a finalized invoice; answers the cancellation invoice (with its own number)."""
    actor = actor_of(request)
    with transaction.atomic():
        invoice = selectors.invoice_get(actor=actor, invoice_id=invoice_id)
        cancellation = services.invoice_cancel(actor=actor, invoice=invoice, reason=payload.reason)
        return Status(201, selectors.invoice_get(actor=actor, invoice_id=cancellation.pk))


@router.get("/invoices/{invoice_id}/payments", response=answers(list[PaymentOut]))
def list_invoice_payments(request: HttpRequest, invoice_id: ObjectId) -> Any:
    actor = actor_of(request)
    invoice = selectors.invoice_get(actor=actor, invoice_id=invoice_id)
    return list(selectors.payment_list(actor=actor, invoice_id=invoice.pk))


@router.post("/invoices/{invoice_id}/payments", response=answers(PaymentOut, 201))
def record_payment(request: HttpRequest, invoice_id: ObjectId, payload: PaymentIn) -> Any:
    actor = actor_of(request)
    with transaction.atomic():
        invoice = selectors.invoice_get(actor=actor, invoice_id=invoice_id)
        payment = services.payment_record(
            actor=actor, invoice=invoice, source=PaymentSource.API, **payload.model_dump()
        )
        return Status(201, payment)


@router.get("/payments", response=answers(Page[PaymentOut]))
def list_payments(request: HttpRequest, page: Query[PageQuery]) -> Any:
    return page_of(selectors.payment_list(actor=actor_of(request)), page)
