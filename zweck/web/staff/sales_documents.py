"""Quote, order and invoice pages: lists with a status filter, details with their actions (send,
accept, decline, order; partial and final invoice; finalize, cancel, record a payment), and the
quote form with its editable lines. Each view parses, calls one service or selector, renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zweck.core.permissions import Permission
from zweck.crm import selectors as crm_selectors
from zweck.sales import dunning, selectors, services
from zweck.sales.choices import InvoiceKind, InvoiceStatus, OrderStatus, PaymentStatus, QuoteStatus
from zweck.sales.models import Invoice, Order, Quote
from zweck.sales.web_support import (
    document_totals_view,
    invoice_search,
    invoice_steps,
    order_search,
    order_steps,
    quote_search,
    quote_steps,
)
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.listing import list_template, paginate, sort_by
from zweck.web.staff.sales_forms import (
    LINES_PREFIX,
    CancelForm,
    DocumentHeadForm,
    InvoiceForm,
    OrderForm,
    OrderInvoiceForm,
    PaymentForm,
    QuoteForm,
    add_line_errors,
    kept_lines,
    line_formset,
    line_initial,
    unbound_copy,
)

VIEW = Permission.SALES_VIEW
CHANGE = Permission.SALES_CHANGE
# Finalizing and cancelling invoices and recording payments is accounting's.
MANAGE = Permission.INVOICE_MANAGE
DATE_SORTS = {"number": "number", "-number": "-number"}


def _refused(request: StaffRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _act(request: StaffRequest, action: Callable[[], Any], done: str, url: str) -> HttpResponse:
    """Call ``action``; its refusal is shown as a message on the page it came from."""
    try:
        action()
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(url)


def quote_title(quote: Quote) -> str:
    if quote.number:
        return _("Quote %(number)s") % {"number": quote.number}
    return _("Draft quote for %(customer)s") % {"customer": quote.organization.name}


def invoice_title(invoice: Invoice) -> str:
    if invoice.number:
        return f"{invoice.get_kind_display()} {invoice.number}"
    return _("Draft invoice for %(customer)s") % {"customer": invoice.organization.name}


def order_title(order: Order) -> str:
    return _("Order %(number)s") % {"number": order.number or order.pk}


# ------------------------------------------------------------------------------------------ quotes


@staff_view(VIEW)
def quote_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    quotes = quote_search(
        actor=request.actor,
        query=query or None,
        status=status if status in QuoteStatus.values else None,
    )
    sorts = {**DATE_SORTS, "date": "issue_date", "-date": "-issue_date"}
    return render_page(
        request,
        list_template(request, "staff/sales/quotes/list.html"),
        {
            "sales_section": "quotes",
            "heading": _("Quotes"),
            "search_hint": _("Number or customer"),
            "page": paginate(request, sort_by(request, quotes, sorts)),
            "query": query,
            "status": status,
            "status_choices": QuoteStatus.choices,
            "sort": request.GET.get("sort", ""),
        },
    )


@staff_view(VIEW)
def quote_detail(request: StaffRequest, quote_id: int) -> HttpResponse:
    quote = selectors.quote_get(actor=request.actor, quote_id=quote_id)
    order = getattr(quote, "order", None)
    return render_page(
        request,
        "staff/sales/quotes/detail.html",
        {
            "sales_section": "quotes",
            "title": quote_title(quote),
            "quote": quote,
            "lines": list(quote.lines.all()),
            "totals": document_totals_view(quote),
            "steps": quote_steps(quote),
            "orders": [order] if order is not None else [],
            "edit_url": reverse("staff:sales_quote_edit", args=[quote.pk])
            if quote.status == QuoteStatus.DRAFT and request.actor.can(CHANGE)
            else "",
        },
    )


def _quote_form_page(request: StaffRequest, quote: Quote | None) -> HttpResponse:
    actor = request.actor
    posted = request.method == "POST"
    initial: dict[str, Any] = {}
    if quote is None:
        for name in ("organization", "deal", "contact"):
            if (value := request.GET.get(name, "")).isdigit():
                initial[name] = int(value)
    form = QuoteForm(request.POST if posted else None, actor=actor, quote=quote, initial=initial or None)
    add_line = posted and "add_line" in request.POST
    if add_line:
        # One more line, and nothing judged yet: the form shows what was typed, without errors.
        form = QuoteForm(actor=actor, quote=quote, initial=unbound_copy(form))
    lines = line_formset(
        request.POST if posted else None,
        actor=actor,
        initial=[line_initial(line) for line in quote.lines.all()] if quote is not None else [],
        add_line=add_line,
    )
    show_errors = posted and not add_line
    if show_errors and form.is_valid() & lines.is_valid():
        try:
            if quote is None:
                saved = services.quote_create(actor=actor, lines=kept_lines(lines), **form.head())
            else:
                saved = services.quote_update(
                    actor=actor, quote=quote, lines=kept_lines(lines), **form.head()
                )
        except ValidationError as error:
            for rest in add_line_errors(lines, error):
                form.add_service_errors(rest)
        else:
            messages.success(request, _("Quote saved."))
            return HttpResponseRedirect(reverse("staff:sales_quote_detail", args=[saved.pk]))
    has_errors = show_errors and (bool(form.errors) or any(lines.errors) or bool(lines.non_form_errors()))
    cancel_url = (
        reverse("staff:sales_quote_detail", args=[quote.pk]) if quote else reverse("staff:sales_quote_list")
    )
    return render_page(
        request,
        "staff/sales/quotes/form.html",
        {
            "sales_section": "quotes",
            "heading": quote_title(quote) if quote else _("New quote"),
            "form": form,
            "lines": lines,
            "show_line_errors": show_errors,
            "lines_have_errors": has_errors,
            "cancel_url": cancel_url,
        },
        status=422 if has_errors else 200,
    )


@staff_view(VIEW, CHANGE)
def quote_create(request: StaffRequest) -> HttpResponse:
    return _quote_form_page(request, None)


@staff_view(VIEW, CHANGE)
def quote_edit(request: StaffRequest, quote_id: int) -> HttpResponse:
    quote = selectors.quote_get(actor=request.actor, quote_id=quote_id)
    if quote.status != QuoteStatus.DRAFT:
        messages.error(request, _("Only a draft quote can be changed; this one was sent."))
        return HttpResponseRedirect(reverse("staff:sales_quote_detail", args=[quote.pk]))
    return _quote_form_page(request, quote)


def _quote_action(
    request: StaffRequest, quote_id: int, service: Callable[..., Any], done: str
) -> HttpResponse:
    quote = selectors.quote_get(actor=request.actor, quote_id=quote_id)
    url = reverse("staff:sales_quote_detail", args=[quote.pk])
    return _act(request, lambda: service(actor=request.actor, quote=quote), done, url)


@require_POST
@staff_view(VIEW, CHANGE)
def quote_send(request: StaffRequest, quote_id: int) -> HttpResponse:
    return _quote_action(request, quote_id, services.quote_send, _("The quote is marked as sent."))


@require_POST
@staff_view(VIEW, CHANGE)
def quote_accept(request: StaffRequest, quote_id: int) -> HttpResponse:
    return _quote_action(request, quote_id, services.quote_accept, _("The quote is accepted."))


@require_POST
@staff_view(VIEW, CHANGE)
def quote_decline(request: StaffRequest, quote_id: int) -> HttpResponse:
    return _quote_action(request, quote_id, services.quote_decline, _("The quote is declined."))


@require_POST
@staff_view(VIEW, CHANGE)
def quote_order(request: StaffRequest, quote_id: int) -> HttpResponse:
    quote = selectors.quote_get(actor=request.actor, quote_id=quote_id)
    try:
        order = services.order_create_from_quote(actor=request.actor, quote=quote)
    except ValidationError as error:
        _refused(request, error)
        return HttpResponseRedirect(reverse("staff:sales_quote_detail", args=[quote.pk]))
    messages.success(request, _("Order %(number)s created.") % {"number": order.number or order.pk})
    return HttpResponseRedirect(reverse("staff:sales_order_detail", args=[order.pk]))


@require_POST
@staff_view(VIEW, CHANGE)
def deal_order(request: StaffRequest, deal_id: int) -> HttpResponse:
    """The order of a won deal, made from its accepted quote."""
    deal = crm_selectors.deal_get(actor=request.actor, deal_id=deal_id)
    try:
        order = services.deal_won_order_create(actor=request.actor, deal=deal)
    except ValidationError as error:
        _refused(request, error)
        order = None
    else:
        if order is None:
            messages.error(
                request, _("The deal has no accepted quote without an order yet; accept a quote first.")
            )
    if order is None:
        return HttpResponseRedirect(reverse("staff:deal_detail", args=[deal.pk]))
    messages.success(request, _("Order %(number)s created.") % {"number": order.number or order.pk})
    return HttpResponseRedirect(reverse("staff:sales_order_detail", args=[order.pk]))


# ------------------------------------------------------------------------------------------ orders


@staff_view(VIEW)
def order_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    orders = order_search(
        actor=request.actor,
        query=query or None,
        status=status if status in OrderStatus.values else None,
    )
    sorts = {**DATE_SORTS, "date": "order_date", "-date": "-order_date"}
    return render_page(
        request,
        list_template(request, "staff/sales/orders/list.html"),
        {
            "sales_section": "orders",
            "heading": pgettext("sales documents", "Orders"),
            "search_hint": _("Number or customer"),
            "page": paginate(request, sort_by(request, orders, sorts)),
            "query": query,
            "status": status,
            "status_choices": OrderStatus.choices,
            "sort": request.GET.get("sort", ""),
        },
    )


def _order_page(
    request: StaffRequest, order: Order, invoice_form: OrderInvoiceForm | None = None
) -> HttpResponse:
    actor = request.actor
    invoiceable = order.status in (OrderStatus.OPEN, OrderStatus.PARTIALLY_INVOICED)
    if invoice_form is None and invoiceable and actor.can(CHANGE):
        invoice_form = OrderInvoiceForm(
            actor=actor, order=order, partially_invoiced=order.status == OrderStatus.PARTIALLY_INVOICED
        )
    invoices = list(invoice_search(actor=actor, order_id=order.pk))
    return render_page(
        request,
        "staff/sales/orders/detail.html",
        {
            "sales_section": "orders",
            "title": order_title(order),
            "order": order,
            "lines": list(order.lines.all()),
            "totals": document_totals_view(order),
            "steps": order_steps(order),
            "invoices": invoices,
            "invoiced_net": sum(
                (
                    i.net_total
                    for i in invoices
                    if i.status != InvoiceStatus.CANCELLED and i.kind != "cancellation"
                ),
                start=order.net_total * 0,
            ),
            "invoice_form": invoice_form,
        },
        status=422 if invoice_form is not None and invoice_form.errors else 200,
    )


@staff_view(VIEW)
def order_detail(request: StaffRequest, order_id: int) -> HttpResponse:
    return _order_page(request, selectors.order_get(actor=request.actor, order_id=order_id))


@require_POST
@staff_view(VIEW, CHANGE)
def order_invoice(request: StaffRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get(actor=request.actor, order_id=order_id)
    form = OrderInvoiceForm(request.POST, actor=request.actor, order=order)
    invoice = form.submit() if form.is_valid() else None
    if invoice is None:
        return _order_page(request, order, form)
    messages.success(request, _("Invoice draft created. Check it, then finalize it."))
    return HttpResponseRedirect(reverse("staff:sales_invoice_detail", args=[invoice.pk]))


def _head_form_page(
    request: StaffRequest, form: DocumentHeadForm, *, section: str, heading: str, url: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid() and form.submit() is not None:
        messages.success(request, _("Changes saved."))
        return HttpResponseRedirect(url)
    return render_page(
        request,
        "staff/sales/form.html",
        {"sales_section": section, "heading": heading, "form": form, "cancel_url": url},
        status=422 if form.errors else 200,
    )


@staff_view(VIEW, CHANGE)
def order_edit(request: StaffRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get(actor=request.actor, order_id=order_id)
    return _head_form_page(
        request,
        OrderForm(request.POST or None, actor=request.actor, document=order),
        section="orders",
        heading=_("Edit %(title)s") % {"title": order_title(order)},
        url=reverse("staff:sales_order_detail", args=[order.pk]),
    )


# ---------------------------------------------------------------------------------------- invoices


def _deduction_inputs(lines: list[Any]) -> list[services.LineInput]:
    """The lines of a final invoice that deduct partial invoices, as they are: the form does
    not offer them (they follow from the partial invoices), and saving keeps them last."""
    return [
        services.LineInput(
            description=line.description,
            quantity=line.quantity,
            unit_net_price=line.unit_net_price,
            vat_rate=line.vat_rate,
            zero_rate_reason=line.zero_rate_reason,
            unit=line.unit,
            discount_percent=line.discount_percent,
            deducts_invoice=line.deducts_invoice,
        )
        for line in lines
        if line.deducts_invoice_id is not None
    ]


@staff_view(VIEW, CHANGE)
def invoice_edit(request: StaffRequest, invoice_id: int) -> HttpResponse:
    """A draft invoice's dates, references and texts, and its lines; a finalized invoice never
    changes (GoBD): it is corrected by a cancellation invoice."""
    actor = request.actor
    invoice = selectors.invoice_get(actor=actor, invoice_id=invoice_id)
    url = reverse("staff:sales_invoice_detail", args=[invoice.pk])
    if invoice.status != InvoiceStatus.DRAFT or invoice.kind == InvoiceKind.CANCELLATION:
        messages.error(
            request, _("A finalized invoice cannot be changed. Correct it with a cancellation invoice.")
        )
        return HttpResponseRedirect(url)
    posted = request.method == "POST"
    stored_lines = list(invoice.lines.select_related("deducts_invoice").all())
    own_lines = [line for line in stored_lines if line.deducts_invoice_id is None]
    deductions = _deduction_inputs(stored_lines)
    form = InvoiceForm(request.POST if posted else None, actor=actor, document=invoice)
    add_line = posted and "add_line" in request.POST
    if add_line:
        # One more line, and nothing judged yet: the form shows what was typed, without errors.
        form = InvoiceForm(None, actor=actor, document=invoice, initial=unbound_copy(form))
    lines = line_formset(
        request.POST if posted else None,
        actor=actor,
        initial=[line_initial(line) for line in own_lines],
        add_line=add_line,
    )
    show_errors = posted and not add_line
    # A post without the lines (only the head's fields) leaves the lines as they are.
    lines_posted = f"{LINES_PREFIX}-TOTAL_FORMS" in request.POST
    if show_errors and form.is_valid() & (lines.is_valid() or not lines_posted):
        try:
            services.invoice_update(
                actor=actor,
                invoice=invoice,
                lines=[*kept_lines(lines), *deductions] if lines_posted else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for rest in add_line_errors(lines, error):
                form.add_service_errors(rest)
        else:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(url)
    has_errors = show_errors and (
        bool(form.errors) or (lines_posted and (any(lines.errors) or bool(lines.non_form_errors())))
    )
    return render_page(
        request,
        "staff/sales/quotes/form.html",
        {
            "sales_section": "invoices",
            "heading": _("Edit %(title)s") % {"title": invoice_title(invoice)},
            "form": form,
            "lines": lines,
            "kept_deductions": [line for line in stored_lines if line.deducts_invoice_id is not None],
            "show_line_errors": show_errors,
            "lines_have_errors": has_errors,
            "cancel_url": url,
        },
        status=422 if has_errors else 200,
    )


@staff_view(VIEW)
def invoice_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    payment = request.GET.get("payment", "")
    invoices = invoice_search(
        actor=request.actor,
        query=query or None,
        status=status if status in InvoiceStatus.values else None,
        payment_status=payment if payment in PaymentStatus.values else None,
    )
    sorts = {
        **DATE_SORTS,
        "date": "issue_date",
        "-date": "-issue_date",
        "due": "due_date",
        "-due": "-due_date",
    }
    page = paginate(request, sort_by(request, invoices, sorts))
    labels = dict(PaymentStatus.choices)
    rows = [
        {
            "invoice": invoice,
            "payment_status": invoice.payment_status,
            "payment_label": labels.get(invoice.payment_status, ""),
        }
        for invoice in page
    ]
    return render_page(
        request,
        list_template(request, "staff/sales/invoices/list.html"),
        {
            "sales_section": "invoices",
            "heading": _("Invoices"),
            "search_hint": _("Number or customer"),
            "page": page,
            "rows": rows,
            "query": query,
            "status": status,
            "payment": payment,
            "status_choices": InvoiceStatus.choices,
            "payment_choices": PaymentStatus.choices,
            "sort": request.GET.get("sort", ""),
        },
    )


def _invoice_page(
    request: StaffRequest, invoice: Invoice, payment_form: PaymentForm | None = None
) -> HttpResponse:
    actor = request.actor
    payable = invoice.status == InvoiceStatus.FINALIZED and invoice.kind != "cancellation"
    if payment_form is None and payable and actor.can(MANAGE):
        payment_form = PaymentForm(actor=actor, invoice=invoice, initial={"reference": invoice.number})
    payments = list(selectors.payment_list(actor=actor, invoice_id=invoice.pk))
    # ``invoice_get`` computes the payment status (empty for drafts and cancellations).
    state: str | None = invoice.payment_status or None  # type: ignore[attr-defined]
    link = getattr(invoice, "cancels_link", None)
    cancelled = getattr(invoice, "cancellation_link", None)
    return render_page(
        request,
        "staff/sales/invoices/detail.html",
        {
            "sales_section": "invoices",
            "title": invoice_title(invoice),
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "totals": document_totals_view(invoice),
            "steps": invoice_steps(invoice, state),
            "payments": payments,
            "paid_amount": invoice.paid_amount,  # type: ignore[attr-defined]
            "outstanding": invoice.open_amount,  # type: ignore[attr-defined]
            "payment_status": state,
            "payment_label": dict(PaymentStatus.choices).get(state, "") if state else "",
            "payment_form": payment_form if payable else None,
            "cancels": link.invoice if link else None,
            "edit_url": reverse("staff:sales_invoice_edit", args=[invoice.pk])
            if invoice.status == InvoiceStatus.DRAFT and actor.can(CHANGE) and invoice.kind != "cancellation"
            else "",
            "missing_supply_date": invoice.status == InvoiceStatus.DRAFT
            and not (invoice.supply_date or invoice.supply_period_start),
            "cancelled_by": cancelled.cancellation if cancelled else None,
            "reminders": list(dunning.reminder_list(actor=actor, invoice_id=invoice.pk))
            if actor.can(MANAGE) and invoice.status != InvoiceStatus.DRAFT
            else [],
        },
        status=422 if payment_form is not None and payment_form.errors else 200,
    )


@staff_view(VIEW)
def invoice_detail(request: StaffRequest, invoice_id: int) -> HttpResponse:
    return _invoice_page(request, selectors.invoice_get(actor=request.actor, invoice_id=invoice_id))


@require_POST
@staff_view(VIEW, MANAGE)
def invoice_finalize(request: StaffRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_get(actor=request.actor, invoice_id=invoice_id)
    url = reverse("staff:sales_invoice_detail", args=[invoice.pk])
    try:
        finalized = services.invoice_finalize(actor=request.actor, invoice=invoice)
    except ValidationError as error:
        _refused(request, error)
        return HttpResponseRedirect(url)
    messages.success(request, _("Invoice %(number)s finalized.") % {"number": finalized.number})
    return HttpResponseRedirect(url)


@staff_view(VIEW, MANAGE)
def invoice_cancel(request: StaffRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_get(actor=request.actor, invoice_id=invoice_id)
    form = CancelForm(request.POST or None, actor=request.actor, invoice=invoice)
    if request.method == "POST" and form.is_valid():
        cancellation = form.submit()
        if cancellation is not None:
            messages.success(
                request,
                _("Invoice %(number)s is cancelled by cancellation invoice %(cancellation)s.")
                % {"number": invoice.number, "cancellation": cancellation.number},
            )
            return HttpResponseRedirect(reverse("staff:sales_invoice_detail", args=[cancellation.pk]))
    return render_page(
        request,
        "staff/sales/invoices/cancel.html",
        {
            "sales_section": "invoices",
            "heading": _("Cancel invoice %(number)s?") % {"number": invoice.number or invoice.pk},
            "invoice": invoice,
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@require_POST
@staff_view(VIEW, MANAGE)
def invoice_payment(request: StaffRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_get(actor=request.actor, invoice_id=invoice_id)
    form = PaymentForm(request.POST, actor=request.actor, invoice=invoice)
    if form.is_valid() and form.submit() is not None:
        messages.success(request, _("Payment recorded."))
        return HttpResponseRedirect(reverse("staff:sales_invoice_detail", args=[invoice.pk]))
    return _invoice_page(request, invoice, form)
