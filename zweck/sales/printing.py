"""Quotes and invoices as PDF documents for the customer, in the document's language.

What an invoice prints is what § 14(4) UStG requires of it: the supplier's and the buyer's full
names and addresses, the supplier's tax number or VAT ID, the date of issue, the unique number,
quantity and kind of each supply, the date or period of supply, the net amount per tax rate
with any reduction, the rate and the tax, or instead the reason why no tax is charged (§ 13b,
§ 19 UStG, intra-community supply; § 14a UStG). A finalized invoice prints from the details it
copied at finalization, never from today's settings or organization; a draft prints from the
current ones, with a "draft" mark and no number. Payment terms, bank details and an EPC QR code
("GiroCode", EPC069-12) for a SEPA transfer of the amount due follow.

The layout follows DIN 5008 form B: the address field in the window of a DL envelope, the
information block beside it, the subject line, the company's details in the footer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext as _

from zweck.crm.choices import AddressKind
from zweck.sales.choices import InvoiceKind, InvoiceStatus, Unit, ZeroRateReason
from zweck.sales.models import Invoice, Quote, SalesSettings
from zweck.sales.totals import LineFigures, document_totals

LANGUAGES = ("de", "en")
_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£"}


def document_language(document: Invoice | Quote) -> str:
    """The language a document is written in: its own (the customer's), else German."""
    language = (document.language or "").split("-")[0].lower()
    return language if language in LANGUAGES else "de"


def money_text(amount: Decimal | None, currency: str, language: str) -> str:
    """An amount as the language writes money: 1.234,56 € or €1,234.56."""
    if amount is None:
        return ""
    with translation.override(language):
        number = formats.number_format(Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    sign = _SIGNS.get(currency, currency)
    if language == "de":
        return f"{number}\N{NO-BREAK SPACE}{sign}"
    return f"{sign}{'' if currency in _SIGNS else chr(0xA0)}{number}"


def number_text(value: Decimal, language: str) -> str:
    """A quantity or percentage without trailing zeros (2, 1,5), grouped by the language."""
    normalized = Decimal(value).normalize()
    exponent = normalized.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    with translation.override(language):
        return formats.number_format(normalized, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def price_text(amount: Decimal, currency: str, language: str) -> str:
    """A unit price: two decimals, more only where the price has them (0,125 €)."""
    normalized = Decimal(amount).normalize()
    exponent = normalized.as_tuple().exponent
    decimals = max(2, -exponent) if isinstance(exponent, int) else 2
    with translation.override(language):
        number = formats.number_format(
            Decimal(amount), decimal_pos=decimals, use_l10n=True, force_grouping=True
        )
    sign = _SIGNS.get(currency, currency)
    return f"{number}\N{NO-BREAK SPACE}{sign}" if language == "de" else f"{sign}{number}"


def date_text(value: date | datetime | None, language: str) -> str:
    """02.12.2026 in German, 2 Dec 2026 in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    with translation.override(language):
        return dateformat.format(value, "d.m.Y" if language == "de" else "j M Y")


def country_name(code: str, language: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    if language == "de":
        import gettext

        try:
            german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
            return german.gettext(country.name).upper()
        except OSError:
            pass
    return str(country.name).upper()


@dataclass(frozen=True)
class Party:
    """A name and postal address as a document prints them."""

    name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "DE"
    contact_name: str = ""

    def lines(self, language: str, home_country: str = "DE") -> list[str]:
        lines = [self.name]
        if self.contact_name:
            lines.append(self.contact_name)
        if self.street:
            lines.append(self.street)
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        if place:
            lines.append(place)
        if self.country and self.country != home_country:
            lines.append(country_name(self.country, language))
        return lines

    def one_line(self) -> str:
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        return " · ".join(part for part in (self.name, self.street, place) if part)


@dataclass(frozen=True)
class Supplier:
    """The workspace as the document's issuer: as copied onto a finalized invoice, or as the
    sales settings say today."""

    party: Party
    tax_number: str = ""
    vat_id: str = ""
    email: str = ""
    phone: str = ""
    contact_point: str = ""
    iban: str = ""
    bic: str = ""
    bank_name: str = ""
    register_court: str = ""
    register_number: str = ""
    managing_directors: str = ""
    small_business: bool = False


@dataclass(frozen=True)
class Buyer:
    party: Party
    vat_id: str = ""
    email: str = ""


@dataclass(frozen=True)
class PrintedLine:
    position: int
    description: str
    quantity: str
    unit: str
    unit_price: str
    discount: str
    vat_rate: str
    net_amount: str


@dataclass(frozen=True)
class PrintedTax:
    label: str
    net_amount: str
    tax_amount: str


@dataclass
class PrintedDocument:
    """Everything the pages show, already in words of the document's language."""

    language: str
    title: str
    is_draft: bool
    supplier: Party
    sender_line: str
    letterhead_lines: list[str]
    buyer_lines: list[str]
    facts: list[tuple[str, str]]
    introduction: str
    lines: list[PrintedLine]
    has_line_discounts: bool
    lines_net_total: str
    discount_label: str
    discount: str
    taxes: list[PrintedTax]
    gross_label: str
    gross_total: str
    notes: list[str]
    payment: list[str]
    closing: str
    qr_code: str = ""
    footer_columns: list[list[str]] = field(default_factory=list)


# --- where the parties come from ---------------------------------------------------------


def sales_settings_of(workspace_id: int) -> SalesSettings:
    """The workspace's sales settings, or empty ones where none are saved yet."""
    settings = SalesSettings.objects.in_workspace(workspace_id).first()
    return settings or SalesSettings(workspace_id=workspace_id)


def supplier_of(document: Invoice | Quote) -> Supplier:
    if isinstance(document, Invoice) and document.status != InvoiceStatus.DRAFT:
        return Supplier(
            party=Party(
                name=document.supplier_name,
                street=document.supplier_street,
                postal_code=document.supplier_postal_code,
                city=document.supplier_city,
                country=document.supplier_country or "DE",
            ),
            tax_number=document.supplier_tax_number,
            vat_id=document.supplier_vat_id,
            email=document.supplier_email,
            phone=document.supplier_phone,
            contact_point=document.supplier_contact_point,
            iban=document.supplier_iban,
            bic=document.supplier_bic,
            bank_name=document.supplier_bank_name,
            register_court=document.supplier_register_court,
            register_number=document.supplier_register_number,
            managing_directors=document.supplier_managing_directors,
            small_business=document.small_business,
        )
    settings = sales_settings_of(document.workspace_id)
    return Supplier(
        party=Party(
            name=settings.legal_name,
            street=settings.street,
            postal_code=settings.postal_code,
            city=settings.city,
            country=settings.country or "DE",
        ),
        tax_number=settings.tax_number,
        vat_id=settings.vat_id,
        email=settings.email,
        phone=settings.phone,
        contact_point=settings.contact_point,
        iban=settings.iban,
        bic=settings.bic,
        bank_name=settings.bank_name,
        register_court=settings.register_court,
        register_number=settings.register_number,
        managing_directors=settings.managing_directors,
        small_business=settings.small_business,
    )


def person_name(person: object | None) -> str:
    if person is None:
        return ""
    parts = (
        getattr(person, "title", ""),
        getattr(person, "first_name", ""),
        getattr(person, "last_name", ""),
    )
    return " ".join(part for part in parts if part)


def buyer_of(document: Invoice | Quote) -> Buyer:
    if isinstance(document, Invoice) and document.status != InvoiceStatus.DRAFT:
        return Buyer(
            party=Party(
                name=document.buyer_name,
                street=document.buyer_street,
                postal_code=document.buyer_postal_code,
                city=document.buyer_city,
                country=document.buyer_country or "DE",
                contact_name=document.buyer_contact_name,
            ),
            vat_id=document.buyer_vat_id,
            email=document.buyer_email,
        )
    organization = document.organization
    addresses = sorted(
        organization.addresses.all(),
        key=lambda address: (
            address.kind != AddressKind.BILLING,
            address.kind != AddressKind.OFFICE,
            address.pk,
        ),
    )
    address = addresses[0] if addresses else None
    return Buyer(
        party=Party(
            name=organization.name,
            street=address.street if address else "",
            postal_code=address.postal_code if address else "",
            city=address.city if address else "",
            country=address.country if address else "DE",
            contact_name=person_name(document.contact),
        ),
        vat_id=organization.vat_id,
        email=organization.email,
    )


# --- words -------------------------------------------------------------------------------


def unit_label(code: str, quantity: Decimal) -> str:
    labels: dict[str, tuple[str, str]] = {
        Unit.HOUR: (_("hour"), _("hours")),
        Unit.DAY: (_("day"), _("days")),
        Unit.MONTH: (_("month"), _("months")),
        Unit.YEAR: (_("year"), _("years")),
        Unit.PIECE: (_("piece"), _("pieces")),
        Unit.LUMP_SUM: (_("lump sum"), _("lump sum")),
        Unit.KILOMETRE: (_("km"), _("km")),
        Unit.MINUTE: (_("minute"), _("minutes")),
        Unit.LICENCE: (_("licence"), _("licences")),
    }
    singular, plural = labels.get(code, (code, code))
    return singular if quantity == 1 else plural


def exemption_note(reason: str) -> str:
    """The sentence an invoice prints instead of the tax (§ 14(4) Nr. 8, § 14a UStG)."""
    notes = {
        ZeroRateReason.REVERSE_CHARGE: _(
            "Reverse charge: the recipient of the service is liable for the VAT "
            "(Steuerschuldnerschaft des Leistungsempfängers, § 13b UStG)."
        ),
        ZeroRateReason.INTRA_COMMUNITY: _("Tax-free intra-community supply (§ 4 Nr. 1 b, § 6a UStG)."),
        ZeroRateReason.SMALL_BUSINESS: _(
            "No VAT is charged: the supplier is a small business under § 19 UStG."
        ),
        ZeroRateReason.EXPORT: _("Tax-free export delivery (§ 4 Nr. 1 a, § 6 UStG)."),
        ZeroRateReason.EXEMPT: _("Tax-exempt supply under § 4 UStG."),
    }
    return str(notes.get(reason, ""))  # type: ignore[call-overload]


def short_reason(reason: str) -> str:
    labels = {
        ZeroRateReason.REVERSE_CHARGE: _("reverse charge"),
        ZeroRateReason.INTRA_COMMUNITY: _("intra-community supply"),
        ZeroRateReason.SMALL_BUSINESS: _("small business"),
        ZeroRateReason.EXPORT: _("export"),
        ZeroRateReason.EXEMPT: _("tax-exempt"),
    }
    return str(labels.get(reason, reason))  # type: ignore[call-overload]


def rate_label(rate: int, reason: str) -> str:
    if rate:
        return _("VAT %(rate)s %%") % {"rate": rate}
    return _("VAT 0 %% (%(reason)s)") % {"reason": short_reason(reason)}


def document_title(document: Invoice | Quote) -> str:
    if isinstance(document, Quote):
        return _("Quote %(number)s") % {"number": document.number} if document.number else _("Quote (draft)")
    kind = {
        InvoiceKind.INVOICE: _("Invoice"),
        InvoiceKind.PARTIAL: _("Partial invoice"),
        InvoiceKind.FINAL: _("Final invoice"),
        InvoiceKind.CANCELLATION: _("Cancellation invoice"),
    }.get(document.kind, _("Invoice"))  # type: ignore[call-overload]
    if document.number:
        return f"{kind} {document.number}"
    return _("%(kind)s (draft)") % {"kind": kind}


# --- the document --------------------------------------------------------------------------


def printed_document(document: Invoice | Quote) -> PrintedDocument:
    """What the pages of ``document`` show, in its language. Call inside
    ``translation.override(document_language(document))``."""
    language = document_language(document)
    currency = document.currency or "EUR"
    supplier = supplier_of(document)
    buyer = buyer_of(document)
    lines = list(document.lines.all())
    is_invoice = isinstance(document, Invoice)
    is_draft = (document.status == InvoiceStatus.DRAFT) if is_invoice else not document.number

    totals = document_totals(
        [
            LineFigures(
                quantity=line.quantity,
                unit_net_price=line.unit_net_price,
                vat_rate=line.vat_rate,
                zero_rate_reason=line.zero_rate_reason,
                discount_percent=line.discount_percent,
            )
            for line in lines
        ],
        document.discount_percent,
    )
    groups = [(g.vat_rate, g.zero_rate_reason, g.net_amount, g.tax_amount) for g in totals.groups]
    gross_total = totals.gross_total
    if isinstance(document, Invoice) and not is_draft:
        # What was finalized stands, even if the arithmetic were ever to change.
        stored = list(document.tax_totals.all())
        if stored:
            groups = [(t.vat_rate, t.zero_rate_reason, t.net_amount, t.tax_amount) for t in stored]
        gross_total = document.gross_total

    printed_lines = [
        PrintedLine(
            position=index,
            description=line.description,
            quantity=number_text(line.quantity, language),
            unit=unit_label(line.unit, line.quantity),
            unit_price=price_text(line.unit_net_price, currency, language),
            discount=f"{number_text(line.discount_percent, language)} %" if line.discount_percent else "",
            vat_rate=f"{line.vat_rate} %",
            net_amount=money_text(amount, currency, language),
        )
        for index, (line, amount) in enumerate(zip(lines, totals.line_amounts, strict=True), start=1)
    ]

    facts = _facts(document, buyer, supplier, language)
    notes = [exemption_note(reason) for rate, reason, _net, _tax in groups if not rate and reason]
    if buyer.vat_id and any(not rate and reason for rate, reason, _net, _tax in groups):
        notes.append(_("VAT ID of the recipient: %(vat_id)s") % {"vat_id": buyer.vat_id})
    if isinstance(document, Invoice) and document.kind == InvoiceKind.CANCELLATION:
        cancelled = getattr(getattr(document, "cancels_link", None), "invoice", None)
        if cancelled is not None:
            notes.insert(
                0,
                _("This invoice cancels invoice %(number)s of %(date)s.")
                % {"number": cancelled.number, "date": date_text(cancelled.issue_date, language)},
            )
    for line in lines:
        deducted = getattr(line, "deducts_invoice", None)
        if deducted is not None and deducted.number:
            note = _("Deducted: partial invoice %(number)s of %(date)s.") % {
                "number": deducted.number,
                "date": date_text(deducted.issue_date, language),
            }
            if note not in notes:
                notes.append(note)

    payment: list[str] = []
    qr_code = ""
    if isinstance(document, Invoice):
        payment, qr_code = _payment(document, supplier, gross_total, currency, language)
    if isinstance(document, Quote) and document.valid_until:
        payment = [
            _("This quote is valid until %(date)s.") % {"date": date_text(document.valid_until, language)}
        ]

    discount = totals.discount_amount
    return PrintedDocument(
        language=language,
        title=document_title(document),
        is_draft=is_draft,
        supplier=supplier.party,
        sender_line=supplier.party.one_line(),
        letterhead_lines=_letterhead(supplier),
        buyer_lines=buyer.party.lines(language, supplier.party.country or "DE"),
        facts=facts,
        introduction=document.header_text,
        lines=printed_lines,
        has_line_discounts=any(line.discount_percent for line in lines),
        lines_net_total=money_text(totals.lines_net_total, currency, language),
        discount_label=_("Discount %(percent)s %%")
        % {"percent": number_text(document.discount_percent, language)},
        discount=money_text(-discount, currency, language) if discount else "",
        taxes=[
            PrintedTax(
                label=rate_label(rate, reason),
                net_amount=money_text(net, currency, language),
                tax_amount=money_text(tax, currency, language),
            )
            for rate, reason, net, tax in groups
        ],
        gross_label=_("Total amount") if is_invoice else _("Total"),
        gross_total=money_text(gross_total, currency, language),
        notes=notes,
        payment=payment,
        closing=document.footer_text,
        qr_code=qr_code,
        footer_columns=_footer(supplier),
    )


def _facts(
    document: Invoice | Quote, buyer: Buyer, supplier: Supplier, language: str
) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    if isinstance(document, Invoice):
        facts.append((_("Invoice number"), document.number or _("not yet assigned")))
        facts.append((_("Invoice date"), date_text(document.issue_date, language) or "–"))
        if document.supply_period_start and document.supply_period_end:
            facts.append(
                (
                    _("Period of supply"),
                    f"{date_text(document.supply_period_start, language)} – "
                    f"{date_text(document.supply_period_end, language)}",
                )
            )
        elif document.supply_date:
            facts.append((_("Date of supply"), date_text(document.supply_date, language)))
        else:
            # § 14(4) Nr. 6 UStG: the date of supply may be the invoice date; the invoice says so.
            facts.append((_("Date of supply"), _("as invoice date")))
        if document.customer_reference:
            facts.append((_("Your order"), document.customer_reference))
        if document.buyer_reference:
            facts.append((_("Buyer reference"), document.buyer_reference))
        order = document.order
        if order is not None and order.number:
            facts.append((_("Our order number"), order.number))
    else:
        facts.append((_("Quote number"), document.number or _("not yet assigned")))
        facts.append((_("Quote date"), date_text(document.issue_date, language) or "–"))
        if document.valid_until:
            facts.append((_("Valid until"), date_text(document.valid_until, language)))
    if buyer.vat_id:
        facts.append((_("Your VAT ID"), buyer.vat_id))
    if supplier.vat_id:
        facts.append((_("Our VAT ID"), supplier.vat_id))
    if supplier.tax_number:
        facts.append((_("Tax number"), supplier.tax_number))
    if supplier.contact_point:
        facts.append((_("Contact"), supplier.contact_point))
    if supplier.email:
        facts.append((_("Email"), supplier.email))
    if supplier.phone:
        facts.append((_("Phone"), supplier.phone))
    return facts


def _payment(
    invoice: Invoice, supplier: Supplier, gross_total: Decimal, currency: str, language: str
) -> tuple[list[str], str]:
    if invoice.kind == InvoiceKind.CANCELLATION or gross_total <= 0:
        return [
            _("This document asks for no payment.")
        ] if invoice.kind == InvoiceKind.CANCELLATION else [], ""
    lines = []
    amount = money_text(gross_total, currency, language)
    if invoice.due_date:
        lines.append(
            _("Please pay %(amount)s by %(date)s without deduction.")
            % {"amount": amount, "date": date_text(invoice.due_date, language)}
        )
    else:
        lines.append(
            _("Please pay %(amount)s within %(days)s days of the invoice date without deduction.")
            % {"amount": amount, "days": invoice.payment_terms_days}
        )
    qr_code = ""
    if supplier.iban:
        lines.append(_("Account holder: %(name)s") % {"name": supplier.party.name})
        lines.append(
            f"IBAN: {iban_text(supplier.iban)}" + (f" · BIC: {supplier.bic}" if supplier.bic else "")
        )
        if supplier.bank_name:
            lines.append(_("Bank: %(bank)s") % {"bank": supplier.bank_name})
        if invoice.number:
            lines.append(_("Payment reference: %(number)s") % {"number": invoice.number})
            if currency == "EUR":
                qr_code = girocode_data_uri(
                    name=supplier.party.name,
                    iban=supplier.iban,
                    bic=supplier.bic,
                    amount=gross_total,
                    reference=invoice.number,
                )
    return lines, qr_code


def iban_text(iban: str) -> str:
    compact = iban.replace(" ", "")
    return " ".join(compact[index : index + 4] for index in range(0, len(compact), 4))


def girocode_payload(*, name: str, iban: str, bic: str, amount: Decimal, reference: str) -> Any:
    """The EPC069-12 QR code ("GiroCode") of a SEPA credit transfer, UTF-8 (a ``segno.QRCode``)."""
    import segno
    from segno import helpers

    code = helpers.make_epc_qr(
        name=name[:70],
        iban=iban.replace(" ", ""),
        amount=Decimal(amount),
        text=reference[:140],
        bic=bic or None,
        encoding="utf-8",
    )
    assert isinstance(code, segno.QRCode)
    return code


def girocode_data_uri(*, name: str, iban: str, bic: str, amount: Decimal, reference: str) -> str:
    code = girocode_payload(name=name, iban=iban, bic=bic, amount=amount, reference=reference)
    return code.svg_data_uri(scale=4, border=0)


def _letterhead(supplier: Supplier) -> list[str]:
    party = supplier.party
    place = " ".join(part for part in (party.postal_code, party.city) if part)
    return [line for line in (party.street, place, supplier.email, supplier.phone) if line]


def _footer(supplier: Supplier) -> list[list[str]]:
    party = supplier.party
    place = " ".join(part for part in (party.postal_code, party.city) if part)
    first = [line for line in (party.name, party.street, place) if line]
    second = []
    if supplier.managing_directors:
        second.append(_("Managing directors: %(names)s") % {"names": supplier.managing_directors})
    if supplier.register_court or supplier.register_number:
        second.append(" ".join(part for part in (supplier.register_court, supplier.register_number) if part))
    third = []
    if supplier.vat_id:
        third.append(_("VAT ID: %(vat_id)s") % {"vat_id": supplier.vat_id})
    if supplier.tax_number:
        third.append(_("Tax number: %(number)s") % {"number": supplier.tax_number})
    fourth = []
    if supplier.bank_name:
        fourth.append(supplier.bank_name)
    if supplier.iban:
        fourth.append(f"IBAN {iban_text(supplier.iban)}")
    if supplier.bic:
        fourth.append(f"BIC {supplier.bic}")
    return [column for column in (first, second, third, fourth) if column]


def document_html(document: Invoice | Quote) -> str:
    """The document as HTML (the PDF is rendered from it)."""
    language = document_language(document)
    with translation.override(language):
        printed = printed_document(document)
        return render_to_string("sales/document.html", {"doc": printed})


def document_pdf(document: Invoice | Quote, *, archival: bool = False) -> bytes:
    """The document as PDF; ``archival`` renders PDF/A-3b, the base of a ZUGFeRD/Factur-X invoice."""
    from weasyprint import HTML

    html = document_html(document)
    if archival:
        return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/a-3b"))
    return bytes(HTML(string=html).write_pdf())


def document_file_name(document: Invoice | Quote) -> str:
    language = document_language(document)
    with translation.override(language):
        if isinstance(document, Quote):
            stem = _("quote")
        elif document.kind == InvoiceKind.CANCELLATION:
            stem = _("cancellation-invoice")
        else:
            stem = _("invoice")
    number = (document.number or f"draft-{document.pk}").replace("/", "-")
    return f"{stem}-{number}.pdf"
