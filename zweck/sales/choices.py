"""Choices of the sales documents: VAT rates and the reasons for a zero rate, document states,
invoice kinds, payment methods, number series."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VatRate(models.IntegerChoices):
    """The German VAT rates (§ 12(1), (2) UStG) and zero for supplies without German VAT."""

    STANDARD = 19, _("19 %")
    REDUCED = 7, _("7 %")
    ZERO = 0, _("0 %")


class ZeroRateReason(models.TextChoices):
    """Why a line carries no VAT: the invoice states the reason instead of the tax
    (§ 14(4) Nr. 8 UStG; § 14a UStG for reverse charge and intra-community supplies)."""

    NONE = "", _("None (taxed)")
    REVERSE_CHARGE = "reverse_charge", _("Reverse charge (§ 13b UStG)")
    INTRA_COMMUNITY = "intra_community", _("Tax-free intra-community supply (§ 4 Nr. 1b, § 6a UStG)")
    SMALL_BUSINESS = "small_business", _("Small business, no VAT charged (§ 19 UStG)")
    EXPORT = "export", _("Tax-free export (§ 4 Nr. 1a, § 6 UStG)")
    EXEMPT = "exempt", _("Tax-exempt supply (§ 4 UStG)")


# The reasons under which the buyer must have a valid VAT ID of another member state or, for
# reverse charge, any valid VAT ID (§ 6a(1) Nr. 2–4, § 14a(1), (3) UStG).
REASONS_NEEDING_BUYER_VAT_ID = frozenset({ZeroRateReason.REVERSE_CHARGE, ZeroRateReason.INTRA_COMMUNITY})


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTIALLY_INVOICED = "partially_invoiced", _("Partially invoiced")
    INVOICED = "invoiced", _("Invoiced")
    CANCELLED = "cancelled", _("Cancelled")


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    PARTIAL = "partial", _("Partial invoice")
    FINAL = "final", _("Final invoice")
    CANCELLATION = "cancellation", _("Cancellation invoice")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINALIZED = "finalized", _("Finalized")
    # Finalized, and cancelled since by a cancellation invoice of its own number.
    CANCELLED = "cancelled", _("Cancelled")


class PaymentStatus(models.TextChoices):
    """Computed from an invoice's payments and due date, never stored."""

    OPEN = "open", _("Open")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    DIRECT_DEBIT = "direct_debit", _("Direct debit")


class PaymentSource(models.TextChoices):
    """How a payment came in: typed by hand, sent through the API, or read from a bank statement."""

    MANUAL = "manual", _("Recorded by hand")
    API = "api", _("Recorded through the API")
    BANK_IMPORT = "bank_import", _("Imported from a bank statement")


class DocumentKind(models.TextChoices):
    """The number ranges a workspace keeps; cancellation invoices share the invoices' range."""

    QUOTE = "quote", _("Quote")
    ORDER = "order", _("Order")
    INVOICE = "invoice", _("Invoice")


class Unit(models.TextChoices):
    """Units of measure as UN/ECE Recommendation 20 codes, which e-invoices (EN 16931, BT-130)
    require; the labels are what people read."""

    HOUR = "HUR", _("hour")
    DAY = "DAY", _("day")
    MONTH = "MON", _("month")
    YEAR = "ANN", _("year")
    PIECE = "C62", _("piece")
    LUMP_SUM = "LS", _("lump sum")
    KILOMETRE = "KMT", _("kilometre")
    MINUTE = "MIN", _("minute")
    LICENCE = "E31", _("licence")
