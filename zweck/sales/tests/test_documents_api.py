"""Sales documents through the API: PDFs, XRechnung, sending by email (to the real SMTP server
the tests start), and received e-invoices read for review; each with its permission matrix."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import facturx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from zweck.accounts.actors import Actor
from zweck.api.tests.support import Api, api_as
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.core.tests.smtp import Inbox
from zweck.crm.tests.factories import make_organization, make_person
from zweck.sales.einvoice import facturx_pdf, invoice_xml
from zweck.sales.models import DocumentSending, Invoice, Quote, SupplierInvoice
from zweck.sales.tests.document_factories import make_finalized_invoice, make_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner: Actor) -> Api:
    return api_as(owner)


@pytest.fixture
def committing(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what a request leaves for after its commit, as the commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def invoice(owner: Actor) -> Invoice:
    organization = make_organization(owner, "Kunde Handels AG", vat_id="DE811569869")
    contact = make_person(owner, "Karla", "Kundin", organization=organization)
    return make_finalized_invoice(owner, organization=organization, contact=contact)


@pytest.fixture
def quote(owner: Actor) -> Quote:
    organization = make_organization(owner, "Kunde Handels AG")
    contact = make_person(owner, "Karla", "Kundin", organization=organization)
    return make_quote(owner, organization=organization, contact=contact)


def test_the_invoice_pdf_is_a_zugferd_invoice(api: Api, invoice: Invoice) -> None:
    response = api.get(f"/sales/invoices/{invoice.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="' in response["Content-Disposition"]
    name, xml = facturx.get_facturx_xml_from_pdf(response.content, check_xsd=True)
    assert name == "factur-x.xml" and b"RE-2026-0001" in xml


def test_the_xrechnung_of_a_draft_is_refused_at_the_field(api: Api, owner: Actor) -> None:
    draft = Invoice.objects.create(
        workspace_id=owner.workspace_id, organization=make_organization(owner, "Kunde Handels AG")
    )
    response = api.get(f"/sales/invoices/{draft.pk}/xrechnung")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "invoice", "message": "Only a finalized invoice can be issued as an e-invoice."}
    ]
    assert api.get(f"/sales/invoices/{draft.pk}/pdf").status_code == 200


def test_sending_an_invoice_mails_the_zugferd_pdf_after_commit_and_records_it(
    api: Api, invoice: Invoice, smtp_inbox: Inbox, committing: Any
) -> None:
    with committing():
        response = api.post(f"/sales/invoices/{invoice.pk}/email", {})
    assert response.status_code == 201, response.content
    address = invoice.contact.emails.get(is_primary=True).email
    assert response.json()["recipient_email"] == address
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == address
    assert "RE-2026-0001" in message["Subject"]
    attachments = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert len(attachments) == 1
    pdf = attachments[0].get_payload(decode=True)
    assert facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)[0] == "factur-x.xml"
    sending = DocumentSending.objects.get(invoice=invoice)
    assert sending.recipient_id == invoice.contact_id
    assert AuditEvent.objects.filter(action="invoice.email", object_id=str(invoice.pk)).count() == 1


def test_an_invoice_mail_waits_in_the_outbox_through_an_smtp_outage_with_its_pdf(
    api: Api, invoice: Invoice, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from aiosmtpd.controller import Controller

    from zweck.core.tests.smtp import free_port
    from zweck.outbox.models import MailStatus, OutgoingMail
    from zweck.outbox.testing import outbox_deliver

    # given no SMTP server listening: the request still records the sending
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/sales/invoices/{invoice.pk}/email", {})
    assert response.status_code == 201, response.content
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts, mail.workspace_id) == (MailStatus.PENDING, 1, invoice.workspace_id)
    assert [item["name"] for item in mail.attachments] == ["rechnung-RE-2026-0001.pdf"]
    assert mail.reply_to == ["rechnung@nordlicht.example.com"]

    # when the server is back and the outbox is delivered
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert outbox_deliver() == 1
    finally:
        controller.stop()

    # then the message arrives with the ZUGFeRD PDF, and is never sent twice
    (message,) = inbox.messages
    assert message["Reply-To"] == "rechnung@nordlicht.example.com"
    (attachment,) = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert attachment.get_filename() == "rechnung-RE-2026-0001.pdf"
    pdf = attachment.get_payload(decode=True)
    assert facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)[0] == "factur-x.xml"
    assert OutgoingMail.objects.get().status == MailStatus.SENT
    assert outbox_deliver() == 0


def test_sending_a_quote_marks_it_sent(api: Api, quote: Quote, smtp_inbox: Inbox, committing: Any) -> None:
    with committing():
        response = api.post(f"/sales/quotes/{quote.pk}/email", {"to_email": "einkauf@kunde.example.com"})
    assert response.status_code == 201, response.content
    quote.refresh_from_db()
    assert quote.status == "sent" and quote.sent_at is not None
    assert smtp_inbox.messages[0]["To"] == "einkauf@kunde.example.com"


def test_a_document_without_an_address_is_not_sent_and_nothing_is_recorded(
    api: Api, owner: Actor, smtp_inbox: Inbox, committing: Any
) -> None:
    organization = make_organization(owner, "Kunde Handels AG")
    invoice = make_finalized_invoice(owner, organization=organization, contact=None, buyer_email="")
    with committing():
        response = api.post(f"/sales/invoices/{invoice.pk}/email", {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "contact"
    assert not DocumentSending.objects.exists()
    assert smtp_inbox.messages == []


def test_a_received_zugferd_invoice_is_read_for_review(api: Api, owner: Actor, invoice: Invoice) -> None:
    pdf = facturx_pdf(invoice)
    response = api.upload(
        "/sales/supplier-invoices", {"file": SimpleUploadedFile("rechnung.pdf", pdf, "application/pdf")}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source_format"] == "zugferd"
    assert body["supplier_name"] == "Nordlicht Consulting GmbH"
    assert body["supplier_vat_id"] == "DE136695976"
    assert body["number"] == "RE-2026-0001"
    assert body["issue_date"] == "2026-12-02"
    assert Decimal(body["gross_total"]) == invoice.gross_total
    assert [line["name"] for line in body["lines"]] == ["IT-Beratung Migration", "Schulungsunterlagen"]
    assert api.get(f"/sales/supplier-invoices/{body['id']}").json()["number"] == "RE-2026-0001"
    assert api.get("/sales/supplier-invoices").json()["count"] == 1
    # the same file again is refused
    again = api.upload(
        "/sales/supplier-invoices", {"file": SimpleUploadedFile("rechnung.pdf", pdf, "application/pdf")}
    )
    assert again.status_code == 422
    assert SupplierInvoice.objects.count() == 1


def test_a_received_xrechnung_xml_is_read(api: Api, invoice: Invoice) -> None:
    xml = invoice_xml(invoice, profile="xrechnung")
    response = api.upload("/sales/supplier-invoices", {"file": SimpleUploadedFile("x.xml", xml, "text/xml")})
    assert response.status_code == 201, response.content
    assert response.json()["source_format"] == "xrechnung_cii"
    assert response.json()["buyer_reference"] == "RE-2026-0001"


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Rechnungsnummer;Betrag\n1;100\n", "The file is neither a PDF nor well-formed XML."),
        (
            b"<note><to>Ada</to></note>",
            "This XML is not an electronic invoice (XRechnung, ZUGFeRD or Factur-X).",
        ),
        (b"%PDF-1.7\n%broken beyond repair", "The PDF is damaged and cannot be read."),
        (None, "This PDF carries no e-invoice: it has no ZUGFeRD or Factur-X XML attached."),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'
            b"&e;</rsm:CrossIndustryInvoice>",
            None,
        ),
    ],
)
def test_a_file_that_is_no_e_invoice_is_refused_at_the_field(
    api: Api, content: bytes | None, message: str | None
) -> None:
    data = _blank_pdf() if content is None else content
    response = api.upload("/sales/supplier-invoices", {"file": SimpleUploadedFile("f", data)})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == ["file"]
    if message:
        assert errors[0]["message"] == message
    assert "root:" not in response.content.decode()
    assert not SupplierInvoice.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/sales/invoices/{invoice}/pdf"),
        ("GET", "/sales/invoices/{invoice}/xrechnung"),
        ("GET", "/sales/quotes/{quote}/pdf"),
        ("POST", "/sales/invoices/{invoice}/email"),
        ("POST", "/sales/quotes/{quote}/email"),
        ("GET", "/sales/supplier-invoices"),
    ],
)
def test_the_permission_matrix(
    method: str,
    path: str,
    invoice: Invoice,
    quote: Quote,
    stranger: Actor,
    actor_with_role: Any,
    smtp_inbox: Inbox,
    committing: Any,
) -> None:
    url = path.format(invoice=invoice.pk, quote=quote.pk)
    before = (
        DocumentSending.objects.count(),
        Quote.objects.get(pk=quote.pk).status,
        AuditEvent.objects.count(),
    )

    def call(api: Api) -> int:
        return int((api.get(url) if method == "GET" else api.post(url, {})).status_code)

    # nobody
    with committing():
        assert call(Api(token=None)) == 401
    # the owner of another workspace: nothing of this one exists
    expected_foreign = 200 if url.endswith("/supplier-invoices") else 404
    with committing():
        assert call(api_as(stranger)) == expected_foreign
    # a member without the permission the call needs
    if url.endswith(("/supplier-invoices", f"/invoices/{invoice.pk}/email")):
        lacking, allowed = actor_with_role(Role.SALES), actor_with_role(Role.ACCOUNTING)
    elif method == "POST":
        lacking, allowed = actor_with_role(Role.READ_ONLY), actor_with_role(Role.SALES)
    else:
        lacking, allowed = actor_with_role(Role.SERVICE), actor_with_role(Role.READ_ONLY)
    with committing():
        assert call(api_as(lacking)) == 403
    assert (DocumentSending.objects.count(), Quote.objects.get(pk=quote.pk).status) == before[:2]
    assert smtp_inbox.messages == []
    # a member with it
    with committing():
        assert call(api_as(allowed)) in (200, 201)
