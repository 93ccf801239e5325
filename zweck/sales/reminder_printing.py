"""A reminder or dunning notice as a letter (PDF), in the layout of the invoices it reminds of:
the same letterhead, address window, information block and footer (``sales/_page_style.html``).

The letter is printed from the stored ``Reminder`` (amounts, dates, rate as sent) and the
finalized invoice's copy of both parties, so a copy printed later shows what was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from zweck.sales.models import Reminder
from zweck.sales.models.receivables import ReminderLevel
from zweck.sales.printing import (
    _footer,
    _letterhead,
    buyer_of,
    date_text,
    document_language,
    girocode_data_uri,
    iban_text,
    money_text,
    number_text,
    supplier_of,
)


@dataclass
class PrintedReminder:
    """What the reminder's page shows, already in words of its language."""

    language: str
    title: str
    supplier_name: str
    sender_line: str
    letterhead_lines: list[str]
    buyer_lines: list[str]
    facts: list[tuple[str, str]]
    salutation: str
    introduction: str
    claims: list[tuple[str, str]]
    total_label: str
    total: str
    payment: list[str]
    closing: list[str]
    qr_code: str = ""
    footer_columns: list[list[str]] = field(default_factory=list)


def _introduction(reminder: Reminder, number: str, due: str) -> str:
    if reminder.level == ReminderLevel.REMINDER:
        return _(
            "Our invoice %(number)s was due for payment on %(due)s. We have not yet received your "
            "payment in full; perhaps it was simply overlooked. Please pay the open amount."
        ) % {"number": number, "due": due}
    return _(
        "Our invoice %(number)s was due for payment on %(due)s, and we have not yet received your "
        "payment in full despite our reminder. You are in default of payment; we therefore also "
        "claim the costs and interest listed below."
    ) % {"number": number, "due": due}


def printed_reminder(reminder: Reminder) -> PrintedReminder:
    """What the letter of ``reminder`` shows. Call inside ``translation.override`` of the
    invoice's language."""
    invoice = reminder.invoice
    language = document_language(invoice)
    currency = invoice.currency or "EUR"
    supplier = supplier_of(invoice)
    buyer = buyer_of(invoice)
    number = invoice.number or ""

    def money(amount: object) -> str:
        return money_text(amount, currency, language)  # type: ignore[arg-type]

    claims = [(_("Open amount of invoice %(number)s") % {"number": number}, money(reminder.open_amount))]
    if reminder.fee:
        claims.append((_("Dunning fee"), money(reminder.fee)))
    if reminder.flat_fee:
        claims.append((_("Flat fee for default (§ 288(5) BGB)"), money(reminder.flat_fee)))
    if reminder.interest:
        claims.append(
            (
                _("Default interest at %(rate)s %% a year for %(days)s days (§ 288(2) BGB)")
                % {
                    "rate": number_text(reminder.interest_rate, language),
                    "days": reminder.days_overdue,
                },
                money(reminder.interest),
            )
        )
    facts = [
        (_("Date"), date_text(reminder.sent_on, language)),
        (_("Invoice number"), number),
        (_("Invoice date"), date_text(invoice.issue_date, language)),
        (_("Due on"), date_text(invoice.due_date, language)),
        (_("Days overdue"), str(reminder.days_overdue)),
    ]
    if supplier.contact_point:
        facts.append((_("Contact"), supplier.contact_point))
    if supplier.email:
        facts.append((_("Email"), supplier.email))
    if supplier.phone:
        facts.append((_("Phone"), supplier.phone))
    payment = [
        _("Please transfer %(amount)s by %(date)s, quoting the invoice number.")
        % {"amount": money(reminder.total), "date": date_text(reminder.pay_by, language)}
    ]
    qr_code = ""
    if supplier.iban:
        payment.append(_("Account holder: %(name)s") % {"name": supplier.party.name})
        payment.append(
            f"IBAN: {iban_text(supplier.iban)}" + (f" · BIC: {supplier.bic}" if supplier.bic else "")
        )
        payment.append(_("Payment reference: %(number)s") % {"number": number})
        if currency == "EUR" and reminder.total > 0:
            qr_code = girocode_data_uri(
                name=supplier.party.name,
                iban=supplier.iban,
                bic=supplier.bic,
                amount=reminder.total,
                reference=number,
            )
    return PrintedReminder(
        language=language,
        title=f"{ReminderLevel(reminder.level).label} – {number}",
        supplier_name=supplier.party.name,
        sender_line=supplier.party.one_line(),
        letterhead_lines=_letterhead(supplier),
        buyer_lines=buyer.party.lines(language, supplier.party.country or "DE"),
        facts=facts,
        salutation=_("Dear Sir or Madam,"),
        introduction=_introduction(reminder, number, date_text(invoice.due_date, language)),
        claims=claims,
        total_label=_("Total now due"),
        total=money(reminder.total),
        payment=payment,
        closing=[
            _("If you have paid in the meantime, please disregard this letter."),
            _("Kind regards"),
            supplier.party.name,
        ],
        qr_code=qr_code,
        footer_columns=_footer(supplier),
    )


def reminder_html(reminder: Reminder) -> str:
    with translation.override(document_language(reminder.invoice)):
        return render_to_string("sales/reminder.html", {"doc": printed_reminder(reminder)})


def reminder_pdf(reminder: Reminder) -> bytes:
    """The reminder as a PDF letter."""
    from weasyprint import HTML

    return bytes(HTML(string=reminder_html(reminder)).write_pdf())


def reminder_file_name(reminder: Reminder) -> str:
    with translation.override(document_language(reminder.invoice)):
        stem = {
            ReminderLevel.REMINDER: _("payment-reminder"),
            ReminderLevel.FIRST_NOTICE: _("dunning-notice-1"),
            ReminderLevel.SECOND_NOTICE: _("dunning-notice-2"),
        }.get(ReminderLevel(reminder.level), _("payment-reminder"))
    number = (reminder.invoice.number or str(reminder.invoice_id)).replace("/", "-")
    return f"{stem}-{number}.pdf"
