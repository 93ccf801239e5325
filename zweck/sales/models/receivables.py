"""Collecting what invoices are owed: bank statements read in and their credits, reminders and
dunning notices sent, claims handed to a debt collector, and the workspace's settings for
dunning and for the DATEV export to its tax adviser.

Invariants:
- a bank statement is read in once per account and statement id; a credit is stored once per
  bank reference (``BankTransaction.key``), so reading a file again books nothing twice;
- a credit is either matched (payments recorded for it), waiting for review, assigned by staff
  (payments recorded), or dismissed; never two of these;
- a reminder is a copy of the letter sent (§ 257(1) Nr. 3 HGB): it is written once and not
  changed afterwards;
- a claim is handed to one debt collector once; the handover names the register's recipient and
  the disclosure recorded with it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel

ACCOUNT_NUMBER = RegexValidator(r"^\d{4,9}$", _("Enter an account number of 4 to 9 digits."))
NOT_NEGATIVE = MinValueValidator(Decimal("0"), _("Enter an amount of zero or more."))


class ReminderLevel(models.TextChoices):
    """The steps of collection, in order."""

    REMINDER = "reminder", _("Payment reminder")
    FIRST_NOTICE = "first_notice", _("First dunning notice")
    SECOND_NOTICE = "second_notice", _("Second dunning notice")


LEVEL_ORDER = (ReminderLevel.REMINDER, ReminderLevel.FIRST_NOTICE, ReminderLevel.SECOND_NOTICE)


class TransactionState(models.TextChoices):
    MATCHED = "matched", _("Matched")
    REVIEW = "review", _("To review")
    ASSIGNED = "assigned", _("Assigned by hand")
    DISMISSED = "dismissed", _("Dismissed")


class ReceivablesSettings(WorkspaceScopedModel):
    """How a workspace dunns (days after the due date, fees, interest) and books (the accounts of
    its DATEV export, SKR03 by default). One row per workspace, created with the defaults."""

    reminder_days = models.PositiveSmallIntegerField(
        _("payment reminder, days after the due date"), default=7, validators=[MaxValueValidator(365)]
    )
    first_notice_days = models.PositiveSmallIntegerField(
        _("first dunning notice, days after the due date"), default=21, validators=[MaxValueValidator(365)]
    )
    second_notice_days = models.PositiveSmallIntegerField(
        _("second dunning notice, days after the due date"), default=35, validators=[MaxValueValidator(365)]
    )
    reminder_fee = models.DecimalField(
        _("fee for a payment reminder"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[NOT_NEGATIVE],
    )
    first_notice_fee = models.DecimalField(
        _("fee for the first dunning notice"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[NOT_NEGATIVE],
    )
    second_notice_fee = models.DecimalField(
        _("fee for the second dunning notice"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[NOT_NEGATIVE],
    )
    payment_days = models.PositiveSmallIntegerField(
        _("days to pay after a notice"), default=10, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    # § 288(2) and (5) BGB apply between businesses; every customer of Zweck is a business.
    charge_interest = models.BooleanField(_("charge default interest (§ 288(2) BGB)"), default=True)
    charge_flat_fee = models.BooleanField(_("charge the flat fee of €40 (§ 288(5) BGB)"), default=True)
    # DATEV (SKR03 defaults): Beraternummer and Mandantennummer come from the tax adviser.
    consultant_number = models.PositiveIntegerField(
        _("DATEV consultant number"),
        default=1001,
        validators=[MinValueValidator(1001), MaxValueValidator(9999999)],
    )
    client_number = models.PositiveIntegerField(
        _("DATEV client number"), default=1, validators=[MinValueValidator(1), MaxValueValidator(99999)]
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    account_length = models.PositiveSmallIntegerField(
        _("length of general ledger accounts"),
        default=4,
        validators=[MinValueValidator(4), MaxValueValidator(8)],
    )
    debtor_account = models.CharField(
        _("debtor account"), max_length=9, default="10000", validators=[ACCOUNT_NUMBER]
    )
    bank_account = models.CharField(
        _("bank account"), max_length=9, default="1200", validators=[ACCOUNT_NUMBER]
    )
    revenue_standard_account = models.CharField(
        _("revenue account, 19 % VAT"), max_length=9, default="8400", validators=[ACCOUNT_NUMBER]
    )
    revenue_reduced_account = models.CharField(
        _("revenue account, 7 % VAT"), max_length=9, default="8300", validators=[ACCOUNT_NUMBER]
    )
    revenue_reverse_charge_account = models.CharField(
        _("revenue account, reverse charge (§ 13b UStG)"),
        max_length=9,
        default="8337",
        validators=[ACCOUNT_NUMBER],
    )
    revenue_intra_community_account = models.CharField(
        _("revenue account, intra-community supply"),
        max_length=9,
        default="8125",
        validators=[ACCOUNT_NUMBER],
    )
    revenue_small_business_account = models.CharField(
        _("revenue account, small business (§ 19 UStG)"),
        max_length=9,
        default="8195",
        validators=[ACCOUNT_NUMBER],
    )
    revenue_export_account = models.CharField(
        _("revenue account, export"), max_length=9, default="8120", validators=[ACCOUNT_NUMBER]
    )
    revenue_exempt_account = models.CharField(
        _("revenue account, tax-exempt"), max_length=9, default="8100", validators=[ACCOUNT_NUMBER]
    )

    class Meta:
        verbose_name = _("receivables settings")
        verbose_name_plural = _("receivables settings")
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="receivablessettings_one_per_workspace"),
            models.CheckConstraint(
                condition=Q(reminder_fee__gte=0, first_notice_fee__gte=0, second_notice_fee__gte=0),
                name="receivablessettings_fees_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(_("receivables settings"))

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if not self.reminder_days < self.first_notice_days < self.second_notice_days:
            raise ValidationError(
                {
                    "first_notice_days": _(
                        "The first dunning notice comes after the payment reminder and before the second notice."
                    )
                }
            )

    def days_for(self, level: str) -> int:
        return {
            ReminderLevel.REMINDER: self.reminder_days,
            ReminderLevel.FIRST_NOTICE: self.first_notice_days,
            ReminderLevel.SECOND_NOTICE: self.second_notice_days,
        }[ReminderLevel(level)]

    def fee_for(self, level: str) -> Decimal:
        return {
            ReminderLevel.REMINDER: self.reminder_fee,
            ReminderLevel.FIRST_NOTICE: self.first_notice_fee,
            ReminderLevel.SECOND_NOTICE: self.second_notice_fee,
        }[ReminderLevel(level)]


class BankStatement(WorkspaceScopedModel):
    """A camt.053 account statement read in: which account, which statement, and what came of it."""

    identifier = models.CharField(_("statement id"), max_length=100)
    account_iban = models.CharField(_("account"), max_length=34, blank=True)
    version = models.CharField(_("camt.053 version"), max_length=2)
    statement_created_at = models.DateTimeField(_("created by the bank"), null=True, blank=True)
    from_date = models.DateField(_("from"), null=True, blank=True)
    to_date = models.DateField(_("to"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    credit_count = models.PositiveIntegerField(_("credits"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    review_count = models.PositiveIntegerField(_("to review"), default=0)
    known_count = models.PositiveIntegerField(_("already read"), default=0)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "account_iban", "identifier"], name="bankstatement_unique_statement"
            ),
        ]

    def __str__(self) -> str:
        return self.identifier


class BankTransaction(WorkspaceScopedModel):
    """A credit on the workspace's account, from a bank statement: matched to invoices, waiting for
    review, assigned by hand or dismissed."""

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="transactions")
    # The bank's reference (or the statement's id and the entry's place): one row per credit ever.
    key = models.CharField(_("bank reference"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    booking_date = models.DateField(_("booking date"), null=True, blank=True)
    value_date = models.DateField(_("value date"), null=True, blank=True)
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    payer_iban = models.CharField(_("payer's IBAN"), max_length=34, blank=True)
    remittance = models.CharField(_("payment reference"), max_length=1000, blank=True)
    end_to_end_id = models.CharField(_("end-to-end reference"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=TransactionState.choices)
    # Why it waits for review, in the words of ``zweck.sales.receivables.REVIEW_REASONS``.
    review_reason = models.CharField(_("why it needs review"), max_length=30, blank=True)
    payments = models.ManyToManyField("sales.Payment", blank=True, related_name="bank_transactions")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bank transaction")
        verbose_name_plural = _("bank transactions")
        ordering = ["-booking_date", "-id"]
        indexes = [models.Index(fields=["workspace", "state", "booking_date"], name="banktx_workspace_state")]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="banktransaction_unique_key"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="banktransaction_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.key


class Reminder(WorkspaceScopedModel):
    """A payment reminder or dunning notice sent for an invoice: the copy of the letter, with the
    amounts it claimed."""

    invoice = models.ForeignKey("sales.Invoice", on_delete=models.PROTECT, related_name="reminders")
    level = models.CharField(_("level"), max_length=15, choices=ReminderLevel.choices)
    sent_on = models.DateField(_("sent on"))
    pay_by = models.DateField(_("to be paid by"))
    days_overdue = models.PositiveIntegerField(_("days overdue"))
    open_amount = models.DecimalField(_("open amount"), max_digits=14, decimal_places=2)
    fee = models.DecimalField(_("fee"), max_digits=8, decimal_places=2, default=Decimal("0"))
    flat_fee = models.DecimalField(
        _("flat fee (§ 288(5) BGB)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    interest_rate = models.DecimalField(
        _("default interest rate"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    interest = models.DecimalField(
        _("default interest"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    total = models.DecimalField(_("total claimed"), max_digits=14, decimal_places=2)
    email = models.EmailField(_("sent to"))
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["invoice", "sent_on", "id"]
        indexes = [models.Index(fields=["workspace", "invoice"], name="reminder_workspace_invoice")]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "level"], name="reminder_one_per_level"),
            models.CheckConstraint(
                condition=Q(fee__gte=0, flat_fee__gte=0, interest__gte=0),
                name="reminder_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.level}"


class CollectionHandover(WorkspaceScopedModel):
    """A claim handed to a debt collector: a disclosure of the debtor's data to a recipient of the
    register (Art. 6(1)(f) GDPR: the legitimate interest in collecting the claim)."""

    invoice = models.OneToOneField(
        "sales.Invoice", on_delete=models.PROTECT, related_name="collection_handover"
    )
    recipient = models.ForeignKey(
        "privacy.Recipient", on_delete=models.PROTECT, related_name="+", verbose_name=_("debt collector")
    )
    # Empty when the invoice names no contact person: a company's data is no personal data,
    # so nothing is disclosed in the sense of the GDPR.
    disclosure = models.OneToOneField(
        "privacy.Disclosure", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    handed_over_on = models.DateField(_("handed over on"))
    amount = models.DecimalField(_("amount claimed"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("handover to a debt collector")
        verbose_name_plural = _("handovers to debt collectors")
        ordering = ["-handed_over_on", "-id"]

    def __str__(self) -> str:
        return f"{self.invoice_id} → {self.recipient_id}"
