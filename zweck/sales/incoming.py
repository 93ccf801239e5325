"""Reading a received e-invoice into a ``SupplierInvoice`` for review.

Accepted: XRechnung or EN 16931 invoices in the UN/CEFACT CII syntax (``CrossIndustryInvoice``,
as XML or embedded in a ZUGFeRD/Factur-X PDF) and XRechnung in the UBL syntax (``Invoice`` or
``CreditNote``). A CII invoice is checked against the Factur-X schema of its profile before
anything is stored.

Invariants:
- the XML is parsed without entities, DTDs or network access (no XXE, no billion laughs);
- a file that is not an invoice, a broken PDF or XML that fails its schema is refused with a
  message for the person who uploaded it, and nothing is written;
- the same file (by SHA-256) is read in once per workspace.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.services import save_scoped
from zweck.sales.models.exchange import SupplierInvoice, SupplierInvoiceFormat, SupplierInvoiceStatus

MAX_FILE_BYTES = 20 * 1024 * 1024
CII_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
UBL_NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
# Names under which ZUGFeRD 2.x, Factur-X and XRechnung-in-PDF attach their XML.
EMBEDDED_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "order-x.xml")


class IncomingInvoiceError(ValidationError):
    """The file is not an e-invoice Zweck can read; the message says why (field ``file``)."""

    def __init__(self, message: str) -> None:
        super().__init__({"file": [message]})


@dataclass
class ReadInvoice:
    """What an e-invoice says, before it is stored."""

    source_format: str
    xml: bytes
    profile: str = ""
    type_code: str = ""
    number: str = ""
    issue_date: date | None = None
    due_date: date | None = None
    supply_date: date | None = None
    supplier_name: str = ""
    supplier_vat_id: str = ""
    supplier_tax_number: str = ""
    supplier_address: str = ""
    supplier_iban: str = ""
    buyer_name: str = ""
    buyer_reference: str = ""
    currency: str = "EUR"
    net_total: Decimal | None = None
    tax_total: Decimal | None = None
    gross_total: Decimal | None = None
    due_amount: Decimal | None = None
    lines: list[dict[str, Any]] = field(default_factory=list)


def _parse_xml(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise IncomingInvoiceError(_("The file is neither a PDF nor well-formed XML.")) from error
    if root is None:
        raise IncomingInvoiceError(_("The file is neither a PDF nor well-formed XML."))
    return root


def _xml_from_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        attachments = reader.attachments
        names = {name.lower(): name for name in attachments}
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise IncomingInvoiceError(_("The PDF is damaged and cannot be read.")) from error
    for wanted in EMBEDDED_NAMES:
        if wanted in names:
            contents = attachments[names[wanted]]
            if contents:
                return bytes(contents[0])
    raise IncomingInvoiceError(
        _("This PDF carries no e-invoice: it has no ZUGFeRD or Factur-X XML attached.")
    )


def read_einvoice(data: bytes) -> ReadInvoice:
    """What the e-invoice in ``data`` (a PDF or XML file) says; ``IncomingInvoiceError`` otherwise."""
    if not data:
        raise IncomingInvoiceError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise IncomingInvoiceError(_("The file is larger than 20 MB."))
    from_pdf = data.lstrip()[:5] == b"%PDF-"
    xml = _xml_from_pdf(data) if from_pdf else data
    root = _parse_xml(xml)
    namespace = root.tag.split("}")[0].lstrip("{") if root.tag.startswith("{") else ""
    local = root.tag.split("}")[-1]
    if namespace == CII_NS["rsm"] and local == "CrossIndustryInvoice":
        _check_cii_schema(root)
        read = _read_cii(root, xml)
        if from_pdf:
            read.source_format = SupplierInvoiceFormat.ZUGFERD
    elif namespace in (UBL_INVOICE, UBL_CREDIT_NOTE) and local in ("Invoice", "CreditNote"):
        if from_pdf:
            raise IncomingInvoiceError(_("The XML in this PDF is not a ZUGFeRD or Factur-X invoice."))
        read = _read_ubl(root, xml, credit_note=local == "CreditNote")
    else:
        raise IncomingInvoiceError(
            _("This XML is not an electronic invoice (XRechnung, ZUGFeRD or Factur-X).")
        )
    if not read.number or not read.supplier_name:
        raise IncomingInvoiceError(_("The e-invoice names no invoice number or no supplier."))
    return read


def _check_cii_schema(root: Any) -> None:
    import facturx

    try:
        facturx.xml_check_xsd(root, flavor="factur-x", level="autodetect")
    except Exception as error:  # factur-x raises bare Exceptions for every failure
        raise IncomingInvoiceError(
            _("The e-invoice does not follow its schema (EN 16931 CII): %(error)s")
            % {"error": _schema_message(error)}
        ) from error


def _schema_message(error: Exception) -> str:
    text = str(error)
    marker = "Here is the error, which may give you an idea on the cause of the problem: "
    if marker in text:
        text = text.split(marker, 1)[1]
    return text[:300]


def _text(node: Any, path: str, ns: dict[str, str]) -> str:
    found = node.find(path, ns)
    return (found.text or "").strip() if found is not None and found.text else ""


def _decimal(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value.quantize(Decimal("0.01")) if value.is_finite() else None


def _number(text: str) -> str:
    """A number from the XML as plain decimal text, or "" where the text is no number."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return ""
    return str(value) if value.is_finite() else ""


def _cii_date(node: Any, path: str) -> date | None:
    text = _text(node, path + "/udt:DateTimeString", CII_NS)
    try:
        return datetime.strptime(text[:8], "%Y%m%d").date() if text else None  # noqa: DTZ007
    except ValueError:
        return None


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _read_cii(root: Any, xml: bytes) -> ReadInvoice:
    ns = CII_NS
    profile = _text(
        root, "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", ns
    )
    transaction_node = root.find("rsm:SupplyChainTradeTransaction", ns)
    agreement = (
        transaction_node.find("ram:ApplicableHeaderTradeAgreement", ns)
        if transaction_node is not None
        else None
    )
    settlement = (
        transaction_node.find("ram:ApplicableHeaderTradeSettlement", ns)
        if transaction_node is not None
        else None
    )
    if agreement is None or settlement is None:
        raise IncomingInvoiceError(_("The e-invoice names no invoice number or no supplier."))
    seller = agreement.find("ram:SellerTradeParty", ns)
    vat_id = tax_number = ""
    address = ""
    if seller is not None:
        for registration in seller.findall("ram:SpecifiedTaxRegistration/ram:ID", ns):
            scheme = registration.get("schemeID", "")
            if scheme == "VA" and not vat_id:
                vat_id = (registration.text or "").strip()
            elif scheme == "FC" and not tax_number:
                tax_number = (registration.text or "").strip()
        postal = seller.find("ram:PostalTradeAddress", ns)
        if postal is not None:
            place = " ".join(
                part
                for part in (_text(postal, "ram:PostcodeCode", ns), _text(postal, "ram:CityName", ns))
                if part
            )
            address = "\n".join(
                part
                for part in (
                    _text(postal, "ram:LineOne", ns),
                    _text(postal, "ram:LineTwo", ns),
                    place,
                    _text(postal, "ram:CountryID", ns),
                )
                if part
            )
    summation = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", ns)
    lines = []
    for item in transaction_node.findall("ram:IncludedSupplyChainTradeLineItem", ns):
        quantity_node = item.find("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", ns)
        lines.append(
            {
                "position": _text(item, "ram:AssociatedDocumentLineDocument/ram:LineID", ns),
                "name": _text(item, "ram:SpecifiedTradeProduct/ram:Name", ns),
                "quantity": _number(quantity_node.text or "") if quantity_node is not None else "",
                "unit": quantity_node.get("unitCode", "") if quantity_node is not None else "",
                "unit_price": _number(
                    _text(
                        item,
                        "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount",
                        ns,
                    )
                ),
                "net_amount": _number(
                    _text(
                        item,
                        "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
                        ns,
                    )
                ),
                "vat_rate": _number(
                    _text(
                        item,
                        "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent",
                        ns,
                    )
                ),
                "vat_category": _text(
                    item, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode", ns
                ),
            }
        )
    tax_total = None
    if summation is not None:
        for node in summation.findall("ram:TaxTotalAmount", ns):
            currency = node.get("currencyID", "")
            if not currency or currency == _text(settlement, "ram:InvoiceCurrencyCode", ns):
                tax_total = _decimal((node.text or "").strip())
                break
    due_date = _cii_date(settlement, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime")
    return ReadInvoice(
        source_format=SupplierInvoiceFormat.XRECHNUNG_CII
        if "xrechnung" in profile
        else SupplierInvoiceFormat.CII,
        xml=xml,
        profile=profile,
        type_code=_text(root, "rsm:ExchangedDocument/ram:TypeCode", ns),
        number=_text(root, "rsm:ExchangedDocument/ram:ID", ns),
        issue_date=_cii_date(root, "rsm:ExchangedDocument/ram:IssueDateTime"),
        due_date=due_date,
        supply_date=_cii_date(
            transaction_node,
            "ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime",
        ),
        supplier_name=_text(seller, "ram:Name", ns) if seller is not None else "",
        supplier_vat_id=vat_id,
        supplier_tax_number=tax_number,
        supplier_address=address,
        supplier_iban=_text(
            settlement,
            "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:IBANID",
            ns,
        ),
        buyer_name=_text(agreement, "ram:BuyerTradeParty/ram:Name", ns),
        buyer_reference=_text(agreement, "ram:BuyerReference", ns),
        currency=_text(settlement, "ram:InvoiceCurrencyCode", ns) or "EUR",
        net_total=_decimal(_text(summation, "ram:TaxBasisTotalAmount", ns))
        if summation is not None
        else None,
        tax_total=tax_total,
        gross_total=_decimal(_text(summation, "ram:GrandTotalAmount", ns)) if summation is not None else None,
        due_amount=_decimal(_text(summation, "ram:DuePayableAmount", ns)) if summation is not None else None,
        lines=lines,
    )


def _read_ubl(root: Any, xml: bytes, *, credit_note: bool) -> ReadInvoice:
    ns = UBL_NS
    party = root.find("cac:AccountingSupplierParty/cac:Party", ns)
    vat_id = tax_number = address = name = ""
    if party is not None:
        name = _text(party, "cac:PartyLegalEntity/cbc:RegistrationName", ns) or _text(
            party, "cac:PartyName/cbc:Name", ns
        )
        for scheme in party.findall("cac:PartyTaxScheme", ns):
            identifier = _text(scheme, "cbc:CompanyID", ns)
            if _text(scheme, "cac:TaxScheme/cbc:ID", ns) == "VAT" and not vat_id:
                vat_id = identifier
            elif not tax_number:
                tax_number = identifier
        postal = party.find("cac:PostalAddress", ns)
        if postal is not None:
            place = " ".join(
                part
                for part in (_text(postal, "cbc:PostalZone", ns), _text(postal, "cbc:CityName", ns))
                if part
            )
            address = "\n".join(
                part
                for part in (
                    _text(postal, "cbc:StreetName", ns),
                    _text(postal, "cbc:AdditionalStreetName", ns),
                    place,
                    _text(postal, "cac:Country/cbc:IdentificationCode", ns),
                )
                if part
            )
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", ns)
    buyer_name = ""
    if buyer is not None:
        buyer_name = _text(buyer, "cac:PartyLegalEntity/cbc:RegistrationName", ns) or _text(
            buyer, "cac:PartyName/cbc:Name", ns
        )
    totals = root.find("cac:LegalMonetaryTotal", ns)
    line_tag = "cac:CreditNoteLine" if credit_note else "cac:InvoiceLine"
    quantity_tag = "cbc:CreditedQuantity" if credit_note else "cbc:InvoicedQuantity"
    lines = []
    for line in root.findall(line_tag, ns):
        quantity_node = line.find(quantity_tag, ns)
        lines.append(
            {
                "position": _text(line, "cbc:ID", ns),
                "name": _text(line, "cac:Item/cbc:Name", ns),
                "quantity": _number(quantity_node.text or "") if quantity_node is not None else "",
                "unit": quantity_node.get("unitCode", "") if quantity_node is not None else "",
                "unit_price": _number(_text(line, "cac:Price/cbc:PriceAmount", ns)),
                "net_amount": _number(_text(line, "cbc:LineExtensionAmount", ns)),
                "vat_rate": _number(_text(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", ns)),
                "vat_category": _text(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID", ns),
            }
        )
    return ReadInvoice(
        source_format=SupplierInvoiceFormat.XRECHNUNG_UBL,
        xml=xml,
        profile=_text(root, "cbc:CustomizationID", ns),
        type_code=_text(root, "cbc:CreditNoteTypeCode" if credit_note else "cbc:InvoiceTypeCode", ns),
        number=_text(root, "cbc:ID", ns),
        issue_date=_iso_date(_text(root, "cbc:IssueDate", ns)),
        due_date=_iso_date(_text(root, "cbc:DueDate", ns)),
        supply_date=_iso_date(_text(root, "cac:Delivery/cbc:ActualDeliveryDate", ns)),
        supplier_name=name,
        supplier_vat_id=vat_id,
        supplier_tax_number=tax_number,
        supplier_address=address,
        supplier_iban=_text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", ns),
        buyer_name=buyer_name,
        buyer_reference=_text(root, "cbc:BuyerReference", ns),
        currency=_text(root, "cbc:DocumentCurrencyCode", ns) or "EUR",
        net_total=_decimal(_text(totals, "cbc:TaxExclusiveAmount", ns)) if totals is not None else None,
        tax_total=_decimal(_text(root, "cac:TaxTotal/cbc:TaxAmount", ns)),
        gross_total=_decimal(_text(totals, "cbc:TaxInclusiveAmount", ns)) if totals is not None else None,
        due_amount=_decimal(_text(totals, "cbc:PayableAmount", ns)) if totals is not None else None,
        lines=lines,
    )


@transaction.atomic
def supplier_invoice_import(*, actor: Actor, data: bytes, file_name: str = "") -> SupplierInvoice:
    """Read a received e-invoice (PDF or XML) and store it for review, audited. A file that is not
    a readable e-invoice, or one read in before, is refused and nothing is written."""
    from zweck.sales.document_permissions import SUPPLIER_INVOICE_CHANGE

    actor.require(SUPPLIER_INVOICE_CHANGE)
    read = read_einvoice(data)
    checksum = hashlib.sha256(data).hexdigest()
    if SupplierInvoice.objects.in_workspace(actor.workspace_id).filter(file_sha256=checksum).exists():
        raise IncomingInvoiceError(_("This file was read in before."))
    try:
        xml_text = read.xml.decode("utf-8")
    except UnicodeDecodeError as error:
        raise IncomingInvoiceError(_("The e-invoice is not encoded in UTF-8.")) from error
    invoice = SupplierInvoice(
        workspace_id=actor.workspace_id,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
        source_format=read.source_format,
        file_name=file_name.replace("\x00", "")[:255],
        file_sha256=checksum,
        profile=read.profile[:200],
        type_code=read.type_code[:4],
        number=read.number[:100],
        issue_date=read.issue_date,
        due_date=read.due_date,
        supply_date=read.supply_date,
        supplier_name=read.supplier_name[:200],
        supplier_vat_id=read.supplier_vat_id[:30],
        supplier_tax_number=read.supplier_tax_number[:30],
        supplier_address=read.supplier_address,
        supplier_iban=read.supplier_iban.replace(" ", "")[:34],
        buyer_name=read.buyer_name[:200],
        buyer_reference=read.buyer_reference[:100],
        currency=read.currency[:3],
        net_total=read.net_total,
        tax_total=read.tax_total,
        gross_total=read.gross_total,
        due_amount=read.due_amount,
        lines=read.lines,
        xml=xml_text.replace("\x00", ""),
    )
    save_scoped(invoice, actor=actor)
    audit_record(actor=actor, action="supplier_invoice.import", instance=invoice)
    return invoice


@transaction.atomic
def supplier_invoice_review(
    *, actor: Actor, supplier_invoice: SupplierInvoice, status: str
) -> SupplierInvoice:
    """Mark a received invoice approved or rejected after review, audited."""
    from zweck.sales.document_permissions import SUPPLIER_INVOICE_CHANGE

    actor.require(SUPPLIER_INVOICE_CHANGE)
    if status not in SupplierInvoiceStatus.values:
        raise ValidationError({"status": [_("Choose approved, rejected or to review.")]})
    locked = (
        SupplierInvoice.objects.in_workspace(actor.workspace_id)
        .select_for_update()
        .get(pk=supplier_invoice.pk)
    )
    locked.status = status
    save_scoped(locked, actor=actor, changed=["status"])
    audit_record(actor=actor, action="supplier_invoice.review", instance=locked, changed_fields=["status"])
    return locked


def supplier_invoice_list(*, actor: Actor) -> QuerySet[SupplierInvoice]:
    """The workspace's received invoices, the newest first."""
    from zweck.sales.document_permissions import SUPPLIER_INVOICE_VIEW

    return SupplierInvoice.objects.visible_to(actor, SUPPLIER_INVOICE_VIEW).order_by("-created_at", "-pk")


def supplier_invoice_get(*, actor: Actor, supplier_invoice_id: int) -> SupplierInvoice:
    """One received invoice of the actor's workspace; ``SupplierInvoice.DoesNotExist`` otherwise."""
    return supplier_invoice_list(actor=actor).get(pk=supplier_invoice_id)
