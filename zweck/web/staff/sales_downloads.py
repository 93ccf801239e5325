"""Staff pages of sales documents: download a quote or invoice as PDF (an invoice also as
XRechnung), send it to the contact person, and the received e-invoices (upload, list, detail).

The sales detail pages link here: ``staff:sales_invoice_pdf``, ``staff:sales_invoice_xrechnung``,
``staff:sales_quote_pdf`` (GET) and ``staff:sales_invoice_email``, ``staff:sales_quote_email``
(POST, with an optional ``next``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zweck.sales import incoming
from zweck.sales.document_permissions import (
    DOCUMENT_VIEW,
    INVOICE_SEND,
    QUOTE_SEND,
    SUPPLIER_INVOICE_CHANGE,
    SUPPLIER_INVOICE_VIEW,
)
from zweck.sales.einvoice import EInvoiceError, facturx_pdf, invoice_xml, xml_file_name
from zweck.sales.models import Invoice, Quote
from zweck.sales.printing import document_file_name, document_pdf
from zweck.sales.sending import document_send
from zweck.web.staff.access import StaffRequest, redirect_back, render_page, staff_view
from zweck.web.staff.listing import paginate

PAGE_SIZE = 50


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["Cache-Control"] = "no-store"
    return response


def _messages_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


@require_GET
@staff_view(DOCUMENT_VIEW)
def invoice_pdf(request: StaffRequest, invoice_id: int) -> HttpResponse:
    invoice = Invoice.objects.visible_to(request.actor, DOCUMENT_VIEW).get(pk=invoice_id)
    if invoice.is_draft:
        return _download(document_pdf(invoice), "application/pdf", document_file_name(invoice))
    try:
        content = facturx_pdf(invoice)
    except EInvoiceError:
        content = document_pdf(invoice)
    return _download(content, "application/pdf", document_file_name(invoice))


@require_GET
@staff_view(DOCUMENT_VIEW)
def invoice_xrechnung(request: StaffRequest, invoice_id: int) -> HttpResponse:
    invoice = Invoice.objects.visible_to(request.actor, DOCUMENT_VIEW).get(pk=invoice_id)
    try:
        content = invoice_xml(invoice, profile="xrechnung")
    except EInvoiceError as error:
        messages.error(request, str(error))
        return redirect_back(request, reverse("staff:dashboard"))
    return _download(content, "application/xml", xml_file_name(invoice))


@require_GET
@staff_view(DOCUMENT_VIEW)
def quote_pdf(request: StaffRequest, quote_id: int) -> HttpResponse:
    quote = Quote.objects.visible_to(request.actor, DOCUMENT_VIEW).get(pk=quote_id)
    return _download(document_pdf(quote), "application/pdf", document_file_name(quote))


def _send(request: StaffRequest, document: Invoice | Quote) -> HttpResponse:
    try:
        sending = document_send(
            actor=request.actor, document=document, to_email=request.POST.get("to_email", "")
        )
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, _("Sent to %(email)s.") % {"email": sending.recipient_email})
    return redirect_back(request, reverse("staff:dashboard"))


@require_POST
@staff_view(INVOICE_SEND)
def invoice_send(request: StaffRequest, invoice_id: int) -> HttpResponse:
    return _send(request, Invoice.objects.visible_to(request.actor, DOCUMENT_VIEW).get(pk=invoice_id))


@require_POST
@staff_view(QUOTE_SEND)
def quote_send(request: StaffRequest, quote_id: int) -> HttpResponse:
    return _send(request, Quote.objects.visible_to(request.actor, DOCUMENT_VIEW).get(pk=quote_id))


@require_http_methods(["GET", "POST"])
@staff_view(SUPPLIER_INVOICE_VIEW)
def supplier_invoice_list(request: StaffRequest) -> HttpResponse:
    """Received e-invoices, the newest first, and the form to read one in."""
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose an XRechnung (XML) or ZUGFeRD (PDF) file.")
        else:
            try:
                created = incoming.supplier_invoice_import(
                    actor=request.actor,
                    data=upload.read(incoming.MAX_FILE_BYTES + 1),
                    file_name=upload.name or "",
                )
            except ValidationError as refusal:
                error = _messages_of(refusal)
            else:
                messages.success(request, _("The invoice was read in and waits for review."))
                return redirect("staff:sales_supplier_invoice_detail", supplier_invoice_id=created.pk)
    rows = incoming.supplier_invoice_list(actor=request.actor)
    page = paginate(request, rows, PAGE_SIZE)
    return render_page(
        request,
        "staff/sales/supplier_invoices.html",
        {"page": page, "error": error, "can_upload": request.actor.can(SUPPLIER_INVOICE_CHANGE)},
        status=422 if error else 200,
    )


@require_GET
@staff_view(SUPPLIER_INVOICE_VIEW)
def supplier_invoice_detail(request: StaffRequest, supplier_invoice_id: int) -> HttpResponse:
    invoice = incoming.supplier_invoice_get(actor=request.actor, supplier_invoice_id=supplier_invoice_id)
    return render_page(request, "staff/sales/supplier_invoice.html", {"invoice": invoice})
