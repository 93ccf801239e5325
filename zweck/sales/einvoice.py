"""Electronic invoices (EN 16931) from a finalized invoice: the UN/CEFACT CII XML, as XRechnung
(the German CIUS, version 3.0) or as the Factur-X/ZUGFeRD profile EN 16931, and the hybrid
ZUGFeRD/Factur-X PDF: a PDF/A-3 whose attachment ``factur-x.xml`` carries the same invoice.

``drafthorse`` builds the XML and checks it against the CII schema of the profile it is written
for; ``factur-x`` embeds it into the PDF/A-3 with the XMP metadata the standard asks for and
checks it once more. Only a finalized invoice has the number, date and the copied party details
an e-invoice needs; a draft is refused.

Mapping notes (EN 16931 business terms):
- VAT categories (BT-151/BT-118): 19 % and 7 % → ``S``; reverse charge (§ 13b UStG) → ``AE``;
  intra-community supply → ``K``; export → ``G``; small business (§ 19 UStG) and other exempt
  supplies → ``E``, each with its exemption reason (BT-120) and code (BT-121, VATEX).
- A line with a negative unit price (a deducted partial invoice, a cancellation) is written with
  a negative quantity and a positive price (BR-27: an item's net price is never negative).
- A document discount is a document-level allowance per VAT group (BG-20), so the tax basis of
  each group (BT-116) equals the invoice's stored net amount of that group.
- A cancellation invoice is a corrected invoice (type code 384) that names the invoice it
  cancels (BG-3).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from zweck.sales.choices import InvoiceKind, InvoiceStatus, ZeroRateReason
from zweck.sales.models import Invoice
from zweck.sales.totals import CENT, cents

# EN 16931 specification identifiers (BT-24).
EN16931_GUIDELINE = "urn:cen.eu:en16931:2017"
XRECHNUNG_GUIDELINE = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
# drafthorse's name of the Factur-X schema both are checked against (XRechnung's CII syntax is
# the EN 16931 profile's).
SCHEMA = "FACTUR-X_EN16931"

PROFILES = ("xrechnung", "en16931")

# VAT category (UNTDID 5305), exemption reason code (VATEX) and reason text of each reason for no VAT.
ZERO_RATE_CATEGORIES: dict[str, tuple[str, str, str]] = {
    ZeroRateReason.REVERSE_CHARGE: ("AE", "VATEX-EU-AE", "Reverse charge (§ 13b UStG)"),
    ZeroRateReason.INTRA_COMMUNITY: ("K", "VATEX-EU-IC", "Intra-community supply (§ 4 Nr. 1b, § 6a UStG)"),
    ZeroRateReason.EXPORT: ("G", "VATEX-EU-G", "Export outside the EU (§ 4 Nr. 1a, § 6 UStG)"),
    ZeroRateReason.SMALL_BUSINESS: ("E", "", "Kleinunternehmer gemäß § 19 UStG"),
    ZeroRateReason.EXEMPT: ("E", "", "Steuerfreie Leistung (§ 4 UStG)"),
}


class EInvoiceError(ValueError):
    """The invoice cannot be written as an e-invoice; the message says why, for people."""


def vat_category(rate: int, reason: str) -> tuple[str, str, str]:
    """(category code, exemption reason code, exemption reason) of a VAT group."""
    if rate:
        return "S", "", ""
    return ZERO_RATE_CATEGORIES.get(reason, ("E", "", "Steuerfrei"))


def _check_ready(invoice: Invoice) -> None:
    if invoice.status == InvoiceStatus.DRAFT:
        raise EInvoiceError(_("Only a finalized invoice can be issued as an e-invoice."))
    missing = [
        label
        for label, value in (
            (_("supplier name"), invoice.supplier_name),
            (_("supplier address"), invoice.supplier_city),
            (_("supplier's VAT ID or tax number"), invoice.supplier_vat_id or invoice.supplier_tax_number),
            (_("buyer name"), invoice.buyer_name),
        )
        if not value
    ]
    if missing:
        raise EInvoiceError(
            _("The invoice lacks what an e-invoice must state: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )


def invoice_document(invoice: Invoice, *, profile: str = "en16931") -> Any:
    """The drafthorse ``Document`` of a finalized invoice."""
    from drafthorse.models.accounting import ApplicableTradeTax, CategoryTradeTax, TradeAllowanceCharge
    from drafthorse.models.document import Document
    from drafthorse.models.note import IncludedNote
    from drafthorse.models.party import TaxRegistration
    from drafthorse.models.payment import PaymentMeans, PaymentTerms
    from drafthorse.models.references import InvoiceReferencedDocument
    from drafthorse.models.tradelines import LineItem

    if profile not in PROFILES:
        raise EInvoiceError(_("Unknown e-invoice profile."))
    _check_ready(invoice)
    currency = invoice.currency or "EUR"
    xrechnung = profile == "xrechnung"

    doc = Document()
    doc.context.guideline_parameter.id = XRECHNUNG_GUIDELINE if xrechnung else EN16931_GUIDELINE
    doc.header.id = invoice.number
    doc.header.type_code = "384" if invoice.kind == InvoiceKind.CANCELLATION else "380"
    doc.header.issue_date_time = invoice.issue_date
    for text in (invoice.header_text, invoice.footer_text):
        if text:
            note = IncludedNote()
            note.content = text
            doc.header.notes.add(note)
    if invoice.small_business:
        note = IncludedNote()
        note.content = "Kleinunternehmer gemäß § 19 UStG, keine Umsatzsteuer berechnet."
        doc.header.notes.add(note)

    agreement = doc.trade.agreement
    # BT-10: XRechnung requires the buyer reference (a Leitweg-ID for public buyers); where the
    # buyer gave none, the invoice number serves, as is common practice.
    if invoice.buyer_reference or xrechnung:
        agreement.buyer_reference = invoice.buyer_reference or invoice.number

    seller = agreement.seller
    seller.name = invoice.supplier_name
    seller.address.line_one = invoice.supplier_street
    seller.address.postcode = invoice.supplier_postal_code
    seller.address.city_name = invoice.supplier_city
    seller.address.country_id = invoice.supplier_country or "DE"
    if invoice.supplier_vat_id:
        seller.tax_registrations.add(TaxRegistration(id=("VA", invoice.supplier_vat_id)))
    if invoice.supplier_tax_number:
        seller.tax_registrations.add(TaxRegistration(id=("FC", invoice.supplier_tax_number)))
    if invoice.supplier_email:
        seller.electronic_address.uri_ID = ("EM", invoice.supplier_email)
    if xrechnung or invoice.supplier_contact_point:
        # BG-6: XRechnung requires a contact with phone and email (BR-DE-2, -5, -6, -7).
        seller.contact.person_name = invoice.supplier_contact_point or invoice.supplier_name
        if invoice.supplier_phone:
            seller.contact.telephone.number = invoice.supplier_phone
        if invoice.supplier_email:
            seller.contact.email.address = invoice.supplier_email

    buyer = agreement.buyer
    buyer.name = invoice.buyer_name
    buyer.address.line_one = invoice.buyer_street
    buyer.address.postcode = invoice.buyer_postal_code
    buyer.address.city_name = invoice.buyer_city
    buyer.address.country_id = invoice.buyer_country or "DE"
    if invoice.buyer_vat_id:
        buyer.tax_registrations.add(TaxRegistration(id=("VA", invoice.buyer_vat_id)))
    if invoice.buyer_email:
        buyer.electronic_address.uri_ID = ("EM", invoice.buyer_email)
    if invoice.customer_reference:
        agreement.buyer_order.issuer_assigned_id = invoice.customer_reference

    # BT-72 date of supply, or BG-14 the period (§ 14(4) Nr. 6 UStG).
    if invoice.supply_period_start and invoice.supply_period_end:
        doc.trade.settlement.period.start = invoice.supply_period_start
        doc.trade.settlement.period.end = invoice.supply_period_end
    else:
        doc.trade.delivery.event.occurrence = invoice.supply_date or invoice.issue_date

    settlement = doc.trade.settlement
    settlement.currency_code = currency
    settlement.payment_reference = invoice.number
    if invoice.supplier_iban:
        means = PaymentMeans()
        means.type_code = "58"  # SEPA credit transfer
        means.payee_account.iban = invoice.supplier_iban.replace(" ", "")
        means.payee_account.account_name = invoice.supplier_name
        if invoice.supplier_bic:
            means.payee_institution.bic = invoice.supplier_bic
        settlement.payment_means.add(means)
    elif xrechnung:
        means = PaymentMeans()
        means.type_code = "1"  # not defined: the terms say how to pay
        settlement.payment_means.add(means)
    terms = PaymentTerms()
    if invoice.due_date:
        terms.description = f"Zahlbar ohne Abzug bis {invoice.due_date:%d.%m.%Y}."
        terms.due = invoice.due_date
    else:
        terms.description = f"Zahlbar ohne Abzug innerhalb von {invoice.payment_terms_days} Tagen."
    settlement.terms.add(terms)

    if invoice.kind == InvoiceKind.CANCELLATION:
        link = getattr(invoice, "cancels_link", None)
        cancelled = getattr(link, "invoice", None)
        if cancelled is not None:
            settlement.invoice_referenced_document = InvoiceReferencedDocument(
                issuer_assigned_id=cancelled.number, issue_date_time=cancelled.issue_date
            )

    # Lines.
    lines = list(invoice.lines.all())
    line_total = Decimal("0.00")
    for index, line in enumerate(lines, start=1):
        item = LineItem()
        item.document.line_id = str(index)
        item.product.name = (line.description.splitlines() or ["-"])[0][:200] or "-"
        if "\n" in line.description:
            item.product.description = line.description
        quantity = line.quantity
        price = line.unit_net_price
        if price < 0:
            quantity, price = -quantity, -price
        item.agreement.net.amount = price
        item.delivery.billed_quantity = (quantity, line.unit)
        category, _code, _reason = vat_category(line.vat_rate, line.zero_rate_reason)
        item.settlement.trade_tax.type_code = "VAT"
        item.settlement.trade_tax.category_code = category
        item.settlement.trade_tax.rate_applicable_percent = Decimal(line.vat_rate)
        gross = cents(quantity * price)
        if line.discount_percent:
            allowance = TradeAllowanceCharge()
            allowance.indicator = False
            allowance.calculation_percent = line.discount_percent
            allowance.basis_amount = gross
            allowance.actual_amount = gross - line.net_amount
            allowance.reason = "Rabatt"
            item.settlement.allowance_charge.add(allowance)
        item.settlement.monetary_summation.total_amount = line.net_amount
        line_total += line.net_amount
        doc.trade.items.add(item)

    # Document discount and VAT breakdown, per group as stored at finalization.
    allowance_total = Decimal("0.00")
    groups = list(invoice.tax_totals.all())
    lines_per_group: dict[tuple[int, str], Decimal] = {}
    for line in lines:
        key = (line.vat_rate, line.zero_rate_reason)
        lines_per_group[key] = lines_per_group.get(key, Decimal("0.00")) + line.net_amount
    for group in groups:
        category, code, reason = vat_category(group.vat_rate, group.zero_rate_reason)
        discount = (
            lines_per_group.get((group.vat_rate, group.zero_rate_reason), group.net_amount) - group.net_amount
        )
        if discount:
            allowance = TradeAllowanceCharge()
            allowance.indicator = False
            allowance.actual_amount = discount
            allowance.reason = "Rabatt"
            allowance.trade_tax.add(
                CategoryTradeTax(
                    type_code="VAT", category_code=category, rate_applicable_percent=Decimal(group.vat_rate)
                )
            )
            settlement.allowance_charge.add(allowance)
            allowance_total += discount
        tax = ApplicableTradeTax()
        tax.calculated_amount = group.tax_amount
        tax.basis_amount = group.net_amount
        tax.type_code = "VAT"
        tax.category_code = category
        if reason:
            tax.exemption_reason = reason
        if code:
            tax.exemption_reason_code = code
        tax.rate_applicable_percent = Decimal(group.vat_rate)
        settlement.trade_tax.add(tax)

    summation = settlement.monetary_summation
    summation.line_total = line_total.quantize(CENT)
    summation.charge_total = Decimal("0.00")
    summation.allowance_total = allowance_total.quantize(CENT)
    summation.tax_basis_total = invoice.net_total
    summation.tax_total = (invoice.tax_total, currency)
    summation.grand_total = invoice.gross_total
    summation.prepaid_total = Decimal("0.00")
    summation.due_amount = invoice.gross_total
    return doc


def invoice_xml(invoice: Invoice, *, profile: str = "en16931") -> bytes:
    """The CII XML of a finalized invoice, checked against the schema (``profile``: ``xrechnung``
    or ``en16931``, the ZUGFeRD/Factur-X profile)."""
    document = invoice_document(invoice, profile=profile)
    return bytes(document.serialize(schema=SCHEMA))


def check_xml(xml: bytes) -> None:
    """Check CII XML against the Factur-X EN 16931 schema shipped with ``factur-x``; raises
    ``EInvoiceError`` with the schema's complaint."""
    import facturx

    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as error:  # factur-x raises a bare Exception for every failure
        raise EInvoiceError(str(error)) from error


def facturx_pdf(invoice: Invoice) -> bytes:
    """The hybrid invoice: the PDF/A-3 of the invoice with its EN 16931 XML embedded
    (ZUGFeRD 2 / Factur-X, profile EN 16931)."""
    import facturx

    from zweck.sales.printing import document_language, document_pdf

    xml = invoice_xml(invoice, profile="en16931")
    pdf = document_pdf(invoice, archival=True)
    language = document_language(invoice)
    return bytes(
        facturx.generate_from_binary(
            pdf,
            xml,
            flavor="factur-x",
            level="en16931",
            check_xsd=True,
            lang="de-DE" if language == "de" else "en-GB",
            pdf_metadata={
                "author": invoice.supplier_name,
                "keywords": "Factur-X, ZUGFeRD, Invoice",
                "title": f"{invoice.supplier_name}: {invoice.number}",
                "subject": f"Invoice {invoice.number} of {invoice.issue_date:%Y-%m-%d}",
            },
        )
    )


def xml_file_name(invoice: Invoice) -> str:
    return f"xrechnung-{(invoice.number or str(invoice.pk)).replace('/', '-')}.xml"


__all__ = [
    "PROFILES",
    "EInvoiceError",
    "check_xml",
    "facturx_pdf",
    "invoice_document",
    "invoice_xml",
    "vat_category",
    "xml_file_name",
]
