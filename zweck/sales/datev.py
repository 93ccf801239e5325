"""The tax adviser's export: the invoices issued and the payments received in a period as a DATEV
Buchungsstapel (``zweck.sales.datev_format``), booked on the workspace's accounts (SKR03 by
default, ``ReceivablesSettings``).

Bookings (Sollversteuerung, the revenue accounts are DATEV automatic accounts that post the VAT
themselves, so no BU-Schlüssel is needed):
- an invoice, per VAT rate: its gross amount on the debtor account against the revenue account of
  that rate or reason for no VAT; a cancellation invoice's negative amounts book the other way;
- a payment: its amount on the bank account against the debtor account, with the invoice's
  number in Belegfeld 1 so the adviser's open-item list clears it.

Only the workspace's own rows are read; an invoice is exported once it is finalized (its content
never changes afterwards, GoBD), drafts never.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.sales.choices import InvoiceKind, InvoiceStatus, VatRate, ZeroRateReason
from zweck.sales.datev_format import Booking, Header, render
from zweck.sales.models import Invoice, InvoiceTaxTotal, Payment, ReceivablesSettings

# A year and a little: DATEV batches cover at most one fiscal year.
MAX_DAYS = 366


def receivables_settings_of(workspace_id: int) -> ReceivablesSettings:
    """The workspace's settings, or the shipped defaults when it has not saved any."""
    found = ReceivablesSettings.objects.in_workspace(workspace_id).first()
    return found or ReceivablesSettings(workspace_id=workspace_id)


def period_check(first_day: date | None, last_day: date | None) -> tuple[date, date]:
    """The period, or ``ValidationError`` naming the field that is wrong."""
    if first_day is None:
        raise ValidationError({"from": _("Enter the first day of the period.")})
    if last_day is None:
        raise ValidationError({"to": _("Enter the last day of the period.")})
    if last_day < first_day:
        raise ValidationError({"to": _("The period cannot end before it starts.")})
    if (last_day - first_day).days >= MAX_DAYS:
        raise ValidationError({"to": _("A DATEV batch covers one fiscal year at most.")})
    return first_day, last_day


def revenue_account(settings: ReceivablesSettings, vat_rate: int, reason: str) -> str:
    if vat_rate == VatRate.STANDARD:
        return settings.revenue_standard_account
    if vat_rate == VatRate.REDUCED:
        return settings.revenue_reduced_account
    accounts: dict[str, str] = {
        ZeroRateReason.REVERSE_CHARGE: settings.revenue_reverse_charge_account,
        ZeroRateReason.INTRA_COMMUNITY: settings.revenue_intra_community_account,
        ZeroRateReason.SMALL_BUSINESS: settings.revenue_small_business_account,
        ZeroRateReason.EXPORT: settings.revenue_export_account,
        ZeroRateReason.EXEMPT: settings.revenue_exempt_account,
    }
    return accounts.get(reason, settings.revenue_exempt_account)


def _invoice_text(invoice: Invoice) -> str:
    # DATEV and the tax adviser work in German: the booking texts are German whatever the reader's language.
    word = "Storno" if invoice.kind == InvoiceKind.CANCELLATION else "Rechnung"
    return f"{word} {invoice.number} {invoice.buyer_name}".strip()


def bookings(*, actor: Actor, first_day: date, last_day: date) -> Iterator[Booking]:
    """The period's bookings in date order: invoices by their date, payments by theirs."""
    settings = receivables_settings_of(actor.workspace_id)
    # Read as stored: the books are kept whatever a contact person's restriction (Art. 18(2)),
    # by whoever manages invoices (a storage read through ``visible_to`` would also ask for
    # ``privacy.view``, which accounting does not hold); as ``receivables.open_invoices`` reads.
    actor.require(Permission.INVOICE_MANAGE)
    invoices = (
        Invoice.objects.in_workspace(actor.workspace_id)
        .exclude(status=InvoiceStatus.DRAFT)
        .filter(issue_date__gte=first_day, issue_date__lte=last_day)
        .only("pk", "number", "kind", "issue_date", "buyer_name", "gross_total", "currency")
        .prefetch_related(
            Prefetch(
                "tax_totals",
                queryset=InvoiceTaxTotal.objects.only(
                    "invoice_id", "vat_rate", "zero_rate_reason", "net_amount", "tax_amount"
                ).order_by("-vat_rate", "zero_rate_reason"),
            )
        )
        .order_by("issue_date", "sequence", "pk")
    )
    payments = (
        Payment.objects.in_workspace(actor.workspace_id)
        .exclude(invoice__status=InvoiceStatus.DRAFT)
        .filter(paid_on__gte=first_day, paid_on__lte=last_day)
        .select_related("invoice")
        .only("pk", "paid_on", "amount", "invoice__number", "invoice__buyer_name", "invoice__currency")
        .order_by("paid_on", "pk")
    )
    rows: list[tuple[date, int, Booking]] = []
    for invoice in invoices.iterator(chunk_size=2000):
        assert invoice.issue_date is not None  # a finalized invoice has its date
        totals = list(invoice.tax_totals.all())
        lines = [(t.vat_rate, t.zero_rate_reason, t.net_amount + t.tax_amount) for t in totals] or [
            (VatRate.STANDARD, "", invoice.gross_total)
        ]
        for vat_rate, reason, gross in lines:
            if gross == 0:
                continue
            rows.append(
                (
                    invoice.issue_date,
                    0,
                    Booking(
                        amount=gross,
                        account=settings.debtor_account,
                        contra_account=revenue_account(settings, vat_rate, reason),
                        document_date=invoice.issue_date,
                        document_number=invoice.number or "",
                        text=_invoice_text(invoice),
                        currency=invoice.currency,
                    ),
                )
            )
    for payment in payments.iterator(chunk_size=2000):
        rows.append(
            (
                payment.paid_on,
                1,
                Booking(
                    amount=payment.amount,
                    account=settings.bank_account,
                    contra_account=settings.debtor_account,
                    document_date=payment.paid_on,
                    document_number=payment.invoice.number or "",
                    text=f"Zahlung {payment.invoice.number} {payment.invoice.buyer_name}".strip(),
                    currency=payment.invoice.currency,
                ),
            )
        )
    rows.sort(key=lambda row: (row[0], row[1]))
    for _day, _kind, booking in rows:
        yield booking


def datev_export(*, actor: Actor, first_day: date | None, last_day: date | None) -> bytes:
    """The period's Buchungsstapel as the bytes of an EXTF file; ``ValidationError`` for a period
    the wrong way round or longer than a year. The export is audited (period and count only)."""
    actor.require(Permission.INVOICE_MANAGE)
    first, last = period_check(first_day, last_day)
    settings = receivables_settings_of(actor.workspace_id)
    fiscal_year = first.year if first.month >= settings.fiscal_year_start_month else first.year - 1
    header = Header(
        consultant_number=settings.consultant_number,
        client_number=settings.client_number,
        fiscal_year_start=date(fiscal_year, settings.fiscal_year_start_month, 1),
        account_length=settings.account_length,
        first_day=first,
        last_day=last,
        label=f"Zweck {first.isoformat()}–{last.isoformat()}",
        created_at=timezone.localtime(),
        exported_by="Zweck",
    )
    found = list(bookings(actor=actor, first_day=first, last_day=last))
    audit_record(
        actor=actor,
        action="sales.datev_export",
        object_type="sales.datev_export",
        object_id=f"{first.isoformat()}..{last.isoformat()}",
        changed_fields=[f"bookings={len(found)}"],
    )
    return render(header, found)


def total_of(found: list[Booking]) -> Decimal:
    return sum((booking.amount for booking in found), Decimal("0"))
