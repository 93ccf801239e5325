"""/sales: documents for the customer and from suppliers.

- ``GET /sales/invoices/{id}/pdf``: the invoice as PDF — a finalized invoice as ZUGFeRD/Factur-X
  (PDF/A-3 with its EN 16931 XML embedded), a draft as a marked draft;
- ``GET /sales/invoices/{id}/xrechnung``: the finalized invoice as XRechnung 3.0 (CII XML);
- ``GET /sales/quotes/{id}/pdf``: the quote as PDF;
- ``POST /sales/invoices/{id}/send``, ``POST /sales/quotes/{id}/send``: email the document to its
  contact person (or ``to_email``), recorded and audited;
- ``POST /sales/supplier-invoices`` (multipart ``file``): read a received XRechnung or ZUGFeRD
  invoice for review; ``GET /sales/supplier-invoices``, ``GET /sales/supplier-invoices/{id}``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.sales import incoming
from zweck.sales.document_permissions import DOCUMENT_VIEW
from zweck.sales.einvoice import EInvoiceError, facturx_pdf, invoice_xml, xml_file_name
from zweck.sales.models import Invoice, Quote
from zweck.sales.printing import document_file_name, document_pdf
from zweck.sales.sending import document_send

router = Router(tags=["sales documents"])


class SendIn(Schema):
    to_email: str = Field(
        "", max_length=254, description="Send here instead of the contact person's address."
    )


class SendingOut(Schema):
    id: int
    invoice_id: int | None
    quote_id: int | None
    recipient_id: int | None
    recipient_email: str
    sent_at: datetime
    attachment_name: str


class SupplierInvoiceOut(Schema):
    id: int
    status: str
    source_format: str
    file_name: str
    profile: str
    type_code: str
    number: str
    issue_date: date | None
    due_date: date | None
    supply_date: date | None
    supplier_name: str
    supplier_vat_id: str
    supplier_tax_number: str
    supplier_address: str
    supplier_iban: str
    buyer_name: str
    buyer_reference: str
    currency: str
    net_total: Decimal | None
    tax_total: Decimal | None
    gross_total: Decimal | None
    due_amount: Decimal | None
    lines: list[dict[str, Any]]
    created_at: datetime


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "no-store"
    return response


def _invoice(request: HttpRequest, invoice_id: int) -> Invoice:
    return Invoice.objects.visible_to(actor_of(request), DOCUMENT_VIEW).get(pk=invoice_id)


def _quote(request: HttpRequest, quote_id: int) -> Quote:
    return Quote.objects.visible_to(actor_of(request), DOCUMENT_VIEW).get(pk=quote_id)


def _refused(error: EInvoiceError) -> ValidationError:
    return ValidationError({"invoice": [str(error)]})


@router.get("/invoices/{invoice_id}/pdf", response=answers(None))
def download_invoice_pdf(request: HttpRequest, invoice_id: ObjectId) -> HttpResponse:
    """The invoice as PDF: a finalized one as ZUGFeRD/Factur-X (EN 16931), a draft marked as draft."""
    invoice = _invoice(request, invoice_id)
    if invoice.is_draft:
        content = document_pdf(invoice)
    else:
        try:
            content = facturx_pdf(invoice)
        except EInvoiceError:
            content = document_pdf(invoice)
    return _download(content, "application/pdf", document_file_name(invoice))


@router.get("/invoices/{invoice_id}/xrechnung", response=answers(None))
def download_invoice_xrechnung(request: HttpRequest, invoice_id: ObjectId) -> HttpResponse:
    """The finalized invoice as XRechnung 3.0 (UN/CEFACT CII XML); a draft answers 422."""
    invoice = _invoice(request, invoice_id)
    try:
        content = invoice_xml(invoice, profile="xrechnung")
    except EInvoiceError as error:
        raise _refused(error) from error
    return _download(content, "application/xml", xml_file_name(invoice))


@router.get("/quotes/{quote_id}/pdf", response=answers(None))
def download_quote_pdf(request: HttpRequest, quote_id: ObjectId) -> HttpResponse:
    quote = _quote(request, quote_id)
    return _download(document_pdf(quote), "application/pdf", document_file_name(quote))


@router.post("/invoices/{invoice_id}/email", response=answers(SendingOut, 201))
def send_invoice(request: HttpRequest, invoice_id: ObjectId, payload: SendIn) -> Any:
    """Email the finalized invoice (ZUGFeRD PDF) to its contact person; recorded and audited."""
    invoice = _invoice(request, invoice_id)
    return Status(201, document_send(actor=actor_of(request), document=invoice, to_email=payload.to_email))


@router.post("/quotes/{quote_id}/email", response=answers(SendingOut, 201))
def send_quote(request: HttpRequest, quote_id: ObjectId, payload: SendIn) -> Any:
    """Email the quote as PDF to its contact person; a draft quote becomes "sent"."""
    quote = _quote(request, quote_id)
    return Status(201, document_send(actor=actor_of(request), document=quote, to_email=payload.to_email))


@router.post("/supplier-invoices", response=answers(SupplierInvoiceOut, 201))
def upload_supplier_invoice(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Read a received e-invoice — XRechnung (CII or UBL XML) or a ZUGFeRD/Factur-X PDF — for
    review. A file that is not one answers 422 at the field ``file``."""
    data = file.read(incoming.MAX_FILE_BYTES + 1)
    return Status(
        201,
        incoming.supplier_invoice_import(actor=actor_of(request), data=data, file_name=file.name or ""),
    )


@router.get("/supplier-invoices", response=answers(Page[SupplierInvoiceOut]))
def list_supplier_invoices(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """Received invoices, the newest first."""
    return page_of(incoming.supplier_invoice_list(actor=actor_of(request)), page)


@router.get("/supplier-invoices/{supplier_invoice_id}", response=answers(SupplierInvoiceOut))
def read_supplier_invoice(request: HttpRequest, supplier_invoice_id: ObjectId) -> Any:
    return incoming.supplier_invoice_get(actor=actor_of(request), supplier_invoice_id=supplier_invoice_id)
