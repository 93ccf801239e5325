"""Staff pages of sales documents: downloads, sending, and received e-invoices (upload, list, detail)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.core.permissions import Role
from zweck.core.tests.smtp import Inbox
from zweck.crm.tests.factories import make_organization, make_person
from zweck.sales.einvoice import invoice_xml
from zweck.sales.models import DocumentSending, Invoice, SupplierInvoice
from zweck.sales.tests.document_factories import make_finalized_invoice
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

Members = Callable[[str], tuple[Client, Actor]]


@pytest.fixture
def invoice(owner: Actor) -> Invoice:
    organization = make_organization(owner, "Kunde Handels AG", vat_id="DE811569869")
    contact = make_person(owner, "Karla", "Kundin", organization=organization)
    return make_finalized_invoice(owner, organization=organization, contact=contact)


def test_accounting_reads_in_an_xrechnung_and_reviews_it(member_client: Members, invoice: Invoice) -> None:
    client, _actor = member_client(Role.ACCOUNTING)
    xml = invoice_xml(invoice, profile="xrechnung")
    response = client.post(
        "/app/sales/supplier-invoices/", {"file": SimpleUploadedFile("rechnung.xml", xml, "text/xml")}
    )
    created = SupplierInvoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/app/sales/supplier-invoices/{created.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Nordlicht Consulting GmbH" in detail and "RE-2026-0001" in detail
    assert "IT-Beratung Migration" in detail
    listing = client.get("/app/sales/supplier-invoices/").content.decode()
    assert "Nordlicht Consulting GmbH" in listing


def test_a_file_that_is_no_invoice_is_refused_on_the_page(member_client: Members) -> None:
    client, _actor = member_client(Role.ACCOUNTING)
    response = client.post(
        "/app/sales/supplier-invoices/", {"file": SimpleUploadedFile("liste.csv", b"a;b\n1;2\n", "text/csv")}
    )
    assert response.status_code == 422
    assert "The file is neither a PDF nor well-formed XML." in response.content.decode()
    assert not SupplierInvoice.objects.exists()


def test_the_pages_answer_by_permission_and_workspace(
    member_client: Members, invoice: Invoice, stranger: Actor
) -> None:
    listing = "/app/sales/supplier-invoices/"
    pdf = f"/app/sales/invoices/{invoice.pk}/pdf/"
    anonymous = Client()
    assert anonymous.get(listing).status_code == 302
    assert anonymous.get(pdf).status_code == 302
    assert client_for(stranger).get(pdf).status_code == 404
    service, _actor = member_client(Role.SERVICE)
    assert service.get(listing).status_code == 403
    sales, _actor = member_client(Role.SALES)
    response = sales.get(pdf)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    xml = sales.get(f"/app/sales/invoices/{invoice.pk}/xrechnung/")
    assert xml.status_code == 200 and b"CrossIndustryInvoice" in xml.content


def test_sending_from_the_page_mails_the_invoice_once_committed(
    member_client: Members, invoice: Invoice, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    read_only, _actor = member_client(Role.READ_ONLY)
    assert read_only.post(f"/app/sales/invoices/{invoice.pk}/email/").status_code == 403
    sales, _actor = member_client(Role.SALES)
    assert sales.post(f"/app/sales/invoices/{invoice.pk}/email/").status_code == 403
    accounting, _actor = member_client(Role.ACCOUNTING)
    with django_capture_on_commit_callbacks(execute=True):
        response = accounting.post(f"/app/sales/invoices/{invoice.pk}/email/", {"next": "/app/"})
    assert response.status_code == 302 and response["Location"] == "/app/"
    assert DocumentSending.objects.filter(invoice=invoice).count() == 1
    assert len(smtp_inbox.messages) == 1
