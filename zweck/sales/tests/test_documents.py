"""Quote and invoice PDFs, e-invoices (XRechnung, ZUGFeRD/Factur-X) and the GiroCode."""

from __future__ import annotations

import io
import os
from decimal import Decimal
from pathlib import Path

import facturx
import pytest
from lxml import etree
from pypdf import PdfReader

from zweck.accounts.actors import Actor
from zweck.crm.tests.factories import make_organization, make_person
from zweck.sales.einvoice import EInvoiceError, check_xml, facturx_pdf, invoice_xml
from zweck.sales.models import Invoice
from zweck.sales.printing import document_pdf, girocode_payload
from zweck.sales.tests.document_factories import make_finalized_invoice, make_quote

pytestmark = pytest.mark.django_db

CII = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
SHOTS = Path(os.environ.get("ZWECK_SHOTS_DIR", "/tmp/shots-salesdocs"))


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def _save(name: str, pdf: bytes) -> None:
    if SHOTS.is_dir():
        (SHOTS / name).write_bytes(pdf)


@pytest.fixture
def invoice(owner: Actor) -> Invoice:
    organization = make_organization(owner, "Kunde Handels AG", vat_id="DE811569869")
    contact = make_person(owner, "Karla", "Kundin", organization=organization)
    return make_finalized_invoice(
        owner,
        organization=organization,
        contact=contact,
        customer_reference="PO-4711",
        discount_percent=Decimal("5"),
    )


def test_the_invoice_pdf_states_every_item_of_section_14_ustg(invoice: Invoice) -> None:
    # when the invoice is printed
    pdf = document_pdf(invoice)
    _save("invoice-de.pdf", pdf)
    text = _text(pdf)

    # then it names both parties with their addresses, the supplier's tax number and VAT ID,
    # date, number, quantities and kinds, date of supply, net per rate, rate and tax
    for expected in (
        "Nordlicht Consulting GmbH",
        "Hafenstraße 12",
        "20457 Hamburg",
        "Kunde Handels AG",
        "Unter den Linden 5",
        "10117 Berlin",
        "22/123/45678",
        "DE136695976",
        "RE-2026-0001",
        "02.12.2026",
        "IT-Beratung Migration",
        "12 Stunden" if "Stunden" in text else "12 hours",
        "PO-4711",
        "16.12.2026",
        "DE02 1203 0000 0000 2020 51",
    ):
        assert expected in text, expected
    # 12 × 120 = 1440 at 19 %, 3 × 24.50 = 73.50 at 7 %, less 5 %: 1368.00 and 69.83
    assert "1.368,00" in text and "259,92" in text
    assert "69,83" in text and "4,89" in text
    assert "1.702,64" in text


def test_an_english_invoice_writes_english_words_and_money(owner: Actor) -> None:
    organization = make_organization(owner, "Client Ltd")
    invoice = make_finalized_invoice(
        owner,
        organization=organization,
        contact=None,
        language="en",
        buyer_country="GB",
        buyer_city="London",
        buyer_postal_code="EC1A 1BB",
    )
    pdf = document_pdf(invoice)
    _save("invoice-en.pdf", pdf)
    text = _text(pdf)
    assert "Invoice RE-2026-0001" in text
    assert "2 Dec 2026" in text
    assert "€1,702.64" not in text  # no discount here
    assert "€1,792.25" in text  # 1440 + 273.60 + 73.50 + 5.15


def test_a_reverse_charge_invoice_states_the_reason_instead_of_the_tax(owner: Actor) -> None:
    organization = make_organization(owner, "Klant B.V.", vat_id="NL004495445B01")
    invoice = make_finalized_invoice(
        owner,
        organization=organization,
        contact=None,
        lines=[
            {
                "description": "Beratung",
                "quantity": Decimal("10"),
                "unit": "HUR",
                "unit_net_price": Decimal("100"),
                "vat_rate": 0,
                "zero_rate_reason": "reverse_charge",
            }
        ],
        buyer_country="NL",
    )
    text = _text(document_pdf(invoice))
    assert "Steuerschuldnerschaft des Leistungsempfängers" in text
    assert "§ 13b UStG" in text
    assert "NL004495445B01" in text

    xml = etree.fromstring(invoice_xml(invoice, profile="xrechnung"))
    tax = xml.find(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", CII)
    assert tax.findtext("ram:CategoryCode", namespaces=CII) == "AE"
    assert tax.findtext("ram:ExemptionReasonCode", namespaces=CII) == "VATEX-EU-AE"


def test_the_quote_pdf_names_its_validity(owner: Actor) -> None:
    organization = make_organization(owner, "Kunde Handels AG")
    contact = make_person(owner, "Karla", "Kundin", organization=organization)
    pdf = document_pdf(make_quote(owner, organization=organization, contact=contact))
    _save("quote-de.pdf", pdf)
    text = _text(pdf)
    assert "AN-2026-0007" in text
    assert "31.12.2026" in text
    assert "Karla Kundin" in text


def test_the_xrechnung_follows_the_en16931_schema_and_carries_the_totals(invoice: Invoice) -> None:
    xml = invoice_xml(invoice, profile="xrechnung")
    check_xml(xml)
    root = etree.fromstring(xml)
    assert root.findtext(".//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", namespaces=CII).endswith(
        "xrechnung_3.0"
    )
    summation = root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", CII)
    assert summation.findtext("ram:TaxBasisTotalAmount", namespaces=CII) == "1437.83"
    assert summation.findtext("ram:GrandTotalAmount", namespaces=CII) == "1702.64"
    assert summation.findtext("ram:AllowanceTotalAmount", namespaces=CII) == "75.67"
    assert root.findtext(".//ram:BuyerReference", namespaces=CII) == "RE-2026-0001"


def test_the_zugferd_pdf_embeds_the_invoice_xml_that_passes_the_schema(invoice: Invoice) -> None:
    pdf = facturx_pdf(invoice)
    _save("invoice-zugferd.pdf", pdf)
    name, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert name == "factur-x.xml"
    assert b"RE-2026-0001" in xml
    assert b"urn:cen.eu:en16931:2017" in xml
    assert PdfReader(io.BytesIO(pdf)).metadata is not None


def test_a_draft_is_not_issued_as_an_e_invoice(owner: Actor) -> None:
    organization = make_organization(owner, "Kunde Handels AG")
    draft = Invoice(organization=organization, workspace_id=owner.workspace_id)
    with pytest.raises(EInvoiceError):
        invoice_xml(draft)


def test_the_invoice_carries_a_girocode_only_where_there_is_an_account_to_pay_to(owner: Actor) -> None:
    from django.utils import translation

    from zweck.sales.printing import printed_document

    organization = make_organization(owner, "Kunde Handels AG")
    with_account = make_finalized_invoice(owner, organization=organization, contact=None)
    without = make_finalized_invoice(
        owner,
        organization=organization,
        contact=None,
        number="RE-2026-0002",
        supplier_iban="",
        supplier_bic="",
    )
    with translation.override("de"):
        assert printed_document(with_account).qr_code.startswith("data:image/svg+xml")
        assert printed_document(without).qr_code == ""
    code = girocode_payload(
        name="Nordlicht", iban="DE02120300000000202051", bic="", amount=Decimal("1.00"), reference="RE-1"
    )
    assert code.mode == "byte"


def test_a_cancellation_invoice_is_a_corrected_invoice_without_negative_prices(owner: Actor) -> None:
    organization = make_organization(owner, "Kunde Handels AG")
    cancellation = make_finalized_invoice(
        owner,
        organization=organization,
        contact=None,
        kind="cancellation",
        number="RE-2026-0009",
        lines=[
            {
                "description": "IT-Beratung Migration",
                "quantity": Decimal("12"),
                "unit": "HUR",
                "unit_net_price": Decimal("-120"),
                "vat_rate": 19,
            },
        ],
    )
    xml = invoice_xml(cancellation, profile="en16931")
    check_xml(xml)
    root = etree.fromstring(xml)
    assert root.findtext(".//ram:TypeCode", namespaces=CII) == "384"
    assert root.findtext(".//ram:NetPriceProductTradePrice/ram:ChargeAmount", namespaces=CII) == "120.0000"
    assert root.findtext(".//ram:BilledQuantity", namespaces=CII) == "-12.000"
    assert root.findtext(".//ram:GrandTotalAmount", namespaces=CII) == "-1713.60"
    text = _text(document_pdf(cancellation))
    assert "-1.713,60" in text
    assert "GiroCode" not in text
