"""Invoices, their lines and tax totals, and the payments received for them.

Invariants (GoBD, BMF letter of 28 Nov 2019; § 146(4) AO):
- a finalized invoice never changes: its content, lines and tax totals are refused by the
  models' own ``save`` and ``delete`` as well as by the services; the one change it allows is
  its status becoming "cancelled" when a cancellation invoice of its own number cancels it;
- a number is given once, at finalization, from the workspace's ``DocumentCounter`` under a
  row lock, so numbers are unique per workspace and series and without gaps;
- the buyer's and supplier's details are copied onto the invoice at finalization, so a later
  change of the organization or the settings never changes an issued invoice.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zweck.core.models import WorkspaceScopedModel
from zweck.sales.choices import (
    InvoiceKind,
    InvoiceStatus,
    PaymentMethod,
    PaymentSource,
    VatRate,
    ZeroRateReason,
)
from zweck.sales.models.base import (
    ZERO,
    DocumentLine,
    SalesDocument,
    positive_quantity_constraint,
    zero_rate_constraint,
)
from zweck.sales.models.documents import clean_supply_period

# The only fields a finalized invoice may still write: its status, when it is cancelled.
CANCELLATION_FIELDS = frozenset({"status", "updated_at", "updated_by"})


def finalized_refusal() -> ValidationError:
    return ValidationError(
        _(
            "A finalized invoice cannot be changed. Correct it with a cancellation invoice and, "
            "where needed, a new invoice."
        ),
        code="invoice_finalized",
    )


class Invoice(SalesDocument):
    """An invoice, partial invoice, final invoice or cancellation invoice (Storno)."""

    kind = models.CharField(
        gettext_lazy("kind"), max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    order = models.ForeignKey(
        "sales.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=gettext_lazy("order"),
    )
    # The number range (the prefix of the number) and the position in it; both empty while draft.
    series = models.CharField(gettext_lazy("number series"), max_length=12, blank=True)
    sequence = models.PositiveIntegerField(
        gettext_lazy("sequence number"), null=True, blank=True, editable=False
    )
    issue_date = models.DateField(gettext_lazy("invoice date"), null=True, blank=True)
    supply_date = models.DateField(gettext_lazy("date of supply"), null=True, blank=True)
    supply_period_start = models.DateField(gettext_lazy("supply period from"), null=True, blank=True)
    supply_period_end = models.DateField(gettext_lazy("supply period to"), null=True, blank=True)
    payment_terms_days = models.PositiveSmallIntegerField(gettext_lazy("payment terms (days)"), default=14)
    due_date = models.DateField(gettext_lazy("due date"), null=True, blank=True)
    # The buyer's routing or reference (a Leitweg-ID for public buyers, EN 16931 BT-10).
    buyer_reference = models.CharField(gettext_lazy("buyer reference"), max_length=100, blank=True)
    # The customer's order number (EN 16931 BT-13).
    customer_reference = models.CharField(
        gettext_lazy("customer's order reference"), max_length=100, blank=True
    )
    finalized_at = models.DateTimeField(gettext_lazy("finalized at"), null=True, blank=True, editable=False)
    # What the invoice says about the buyer, copied at finalization.
    buyer_name = models.CharField(gettext_lazy("buyer"), max_length=200, blank=True)
    buyer_contact_name = models.CharField(gettext_lazy("buyer's contact person"), max_length=200, blank=True)
    buyer_street = models.CharField(gettext_lazy("buyer's street"), max_length=200, blank=True)
    buyer_postal_code = models.CharField(gettext_lazy("buyer's postal code"), max_length=20, blank=True)
    buyer_city = models.CharField(gettext_lazy("buyer's city"), max_length=120, blank=True)
    buyer_country = models.CharField(gettext_lazy("buyer's country"), max_length=2, blank=True)
    buyer_vat_id = models.CharField(gettext_lazy("buyer's VAT ID"), max_length=20, blank=True)
    buyer_email = models.EmailField(gettext_lazy("buyer's email for invoices"), blank=True)
    # What the invoice says about the supplier (the workspace), copied from ``SalesSettings``.
    supplier_name = models.CharField(gettext_lazy("supplier"), max_length=200, blank=True)
    supplier_street = models.CharField(gettext_lazy("supplier's street"), max_length=200, blank=True)
    supplier_postal_code = models.CharField(gettext_lazy("supplier's postal code"), max_length=20, blank=True)
    supplier_city = models.CharField(gettext_lazy("supplier's city"), max_length=120, blank=True)
    supplier_country = models.CharField(gettext_lazy("supplier's country"), max_length=2, blank=True)
    supplier_tax_number = models.CharField(gettext_lazy("supplier's tax number"), max_length=30, blank=True)
    supplier_vat_id = models.CharField(gettext_lazy("supplier's VAT ID"), max_length=20, blank=True)
    supplier_contact_point = models.CharField(
        gettext_lazy("supplier's contact point"), max_length=100, blank=True
    )
    supplier_email = models.EmailField(gettext_lazy("supplier's email"), blank=True)
    supplier_phone = models.CharField(gettext_lazy("supplier's phone"), max_length=32, blank=True)
    supplier_iban = models.CharField(gettext_lazy("supplier's IBAN"), max_length=34, blank=True)
    supplier_bic = models.CharField(gettext_lazy("supplier's BIC"), max_length=11, blank=True)
    supplier_bank_name = models.CharField(gettext_lazy("supplier's bank"), max_length=100, blank=True)
    supplier_register_court = models.CharField(
        gettext_lazy("supplier's register court"), max_length=100, blank=True
    )
    supplier_register_number = models.CharField(
        gettext_lazy("supplier's register number"), max_length=40, blank=True
    )
    supplier_managing_directors = models.CharField(
        gettext_lazy("supplier's managing directors"), max_length=300, blank=True
    )
    small_business = models.BooleanField(gettext_lazy("small business (§ 19 UStG)"), default=False)

    class Meta:
        verbose_name = gettext_lazy("invoice")
        verbose_name_plural = gettext_lazy("invoices")
        ordering = ["-issue_date", "-sequence", "-id"]
        indexes = [
            models.Index(fields=["workspace", "status", "issue_date"], name="invoice_workspace_status"),
            models.Index(fields=["workspace", "organization", "issue_date"], name="invoice_workspace_org"),
            models.Index(fields=["workspace", "issue_date"], name="invoice_workspace_issued"),
            models.Index(fields=["workspace", "due_date"], name="invoice_workspace_due"),
            models.Index(fields=["workspace", "order"], name="invoice_workspace_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "series", "number"],
                condition=Q(number__isnull=False),
                name="invoice_unique_number",
            ),
            # A draft has no number; a finalized or cancelled invoice has its number and date.
            models.CheckConstraint(
                condition=Q(status=InvoiceStatus.DRAFT, number__isnull=True, finalized_at__isnull=True)
                | (
                    ~Q(status=InvoiceStatus.DRAFT)
                    & Q(number__isnull=False, issue_date__isnull=False, finalized_at__isnull=False)
                ),
                name="invoice_number_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(supply_period_start__isnull=True)
                | Q(supply_period_end__isnull=True)
                | Q(supply_period_end__gte=models.F("supply_period_start")),
                name="invoice_supply_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Draft invoice")

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    def clean(self) -> None:
        super().clean()
        clean_supply_period(self)

    def _stored_status(self) -> str | None:
        if self._state.adding or self.pk is None:
            return None
        return type(self)._default_manager.filter(pk=self.pk).values_list("status", flat=True).first()

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse to change a finalized invoice; only its cancellation may set its status."""
        stored = self._stored_status()
        if stored is not None and stored != InvoiceStatus.DRAFT:
            update_fields = kwargs.get("update_fields")
            cancelling = (
                stored == InvoiceStatus.FINALIZED
                and self.status == InvoiceStatus.CANCELLED
                and update_fields is not None
                and set(update_fields) <= CANCELLATION_FIELDS
            )
            if not cancelling:
                raise finalized_refusal()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Only a draft can be deleted (the retention sweep deletes expired rows set-wise)."""
        stored = self._stored_status()
        if stored is not None and stored != InvoiceStatus.DRAFT:
            raise finalized_refusal()
        return super().delete(*args, **kwargs)


def _refuse_unless_draft(invoice_id: int | None) -> None:
    if invoice_id is None:
        return
    status = Invoice._default_manager.filter(pk=invoice_id).values_list("status", flat=True).first()
    if status is not None and status != InvoiceStatus.DRAFT:
        raise finalized_refusal()


class InvoiceLine(DocumentLine):
    """One line of an invoice. A final invoice deducts each partial invoice in lines of its own
    (one per VAT rate, negative), which name the partial invoice (§ 14(5) UStG)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    # RESTRICT: the partial invoice stays while the final one does, unless both go together.
    deducts_invoice = models.ForeignKey(
        Invoice,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="deducted_by",
        verbose_name=gettext_lazy("deducts partial invoice"),
    )

    class Meta:
        verbose_name = gettext_lazy("invoice line")
        verbose_name_plural = gettext_lazy("invoice lines")
        ordering = ["invoice", "position", "id"]
        indexes = [models.Index(fields=["workspace", "invoice"], name="invoiceline_workspace_invoice")]
        constraints = [
            zero_rate_constraint("invoiceline_zero_rate_has_reason"),
            positive_quantity_constraint("invoiceline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.position}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_unless_draft(self.invoice_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_unless_draft(self.invoice_id)
        return super().delete(*args, **kwargs)


class InvoiceCancellation(WorkspaceScopedModel):
    """Which invoice a cancellation invoice cancels: each invoice at most once, each cancellation
    exactly one. A row of its own rather than a reference from invoice to invoice, so that the
    invoices stay one data set without references to itself; written in the transaction that
    creates the cancellation invoice, never changed."""

    # RESTRICT: the cancelled invoice stays while its cancellation does, unless both go together.
    invoice = models.OneToOneField(
        Invoice,
        on_delete=models.RESTRICT,
        related_name="cancellation_link",
        verbose_name=gettext_lazy("cancelled invoice"),
    )
    cancellation = models.OneToOneField(
        Invoice,
        on_delete=models.CASCADE,
        related_name="cancels_link",
        verbose_name=gettext_lazy("cancellation invoice"),
    )

    class Meta:
        verbose_name = gettext_lazy("cancellation")
        verbose_name_plural = gettext_lazy("cancellations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(invoice=models.F("cancellation")), name="invoicecancellation_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cancellation_id} cancels {self.invoice_id}"


class InvoiceTaxTotal(WorkspaceScopedModel):
    """An invoice's net amount and tax for one VAT rate (and reason for no VAT), as § 14(4)
    Nr. 7–8 UStG requires them and EN 16931 lists them (BG-23)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="tax_totals")
    vat_rate = models.PositiveSmallIntegerField(gettext_lazy("VAT rate"), choices=VatRate.choices)
    zero_rate_reason = models.CharField(
        gettext_lazy("reason for no VAT"),
        max_length=20,
        choices=ZeroRateReason.choices,
        blank=True,
        default="",
    )
    net_amount = models.DecimalField(
        gettext_lazy("net amount"), max_digits=14, decimal_places=2, default=ZERO
    )
    tax_amount = models.DecimalField(
        gettext_lazy("VAT amount"), max_digits=14, decimal_places=2, default=ZERO
    )

    class Meta:
        verbose_name = gettext_lazy("tax total")
        verbose_name_plural = gettext_lazy("tax totals")
        ordering = ["invoice", "-vat_rate", "zero_rate_reason"]
        indexes = [models.Index(fields=["workspace", "invoice"], name="invoicetax_workspace_invoice")]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "vat_rate", "zero_rate_reason"], name="invoicetax_unique_rate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.vat_rate} %"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_unless_draft(self.invoice_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_unless_draft(self.invoice_id)
        return super().delete(*args, **kwargs)


class Payment(WorkspaceScopedModel):
    """Money received for an invoice (negative: paid back), recorded by hand, through the API or
    from a bank statement. The invoice's payment status is computed from these rows."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=gettext_lazy("invoice")
    )
    paid_on = models.DateField(gettext_lazy("date of payment"))
    amount = models.DecimalField(gettext_lazy("amount"), max_digits=14, decimal_places=2)
    method = models.CharField(
        gettext_lazy("method"),
        max_length=15,
        choices=PaymentMethod.choices,
        default=PaymentMethod.BANK_TRANSFER,
    )
    source = models.CharField(
        gettext_lazy("recorded"), max_length=12, choices=PaymentSource.choices, default=PaymentSource.MANUAL
    )
    # The remittance information the payer gave (usually the invoice number).
    reference = models.CharField(gettext_lazy("payment reference"), max_length=300, blank=True)
    payer_name = models.CharField(gettext_lazy("payer"), max_length=200, blank=True)
    payer_iban = models.CharField(gettext_lazy("payer's IBAN"), max_length=34, blank=True)
    # The bank's own id of the transaction (CAMT.053 AcctSvcrRef), so an import never books it twice.
    bank_transaction_id = models.CharField(gettext_lazy("bank transaction id"), max_length=100, blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("payment")
        verbose_name_plural = gettext_lazy("payments")
        ordering = ["-paid_on", "-id"]
        indexes = [
            models.Index(fields=["workspace", "invoice"], name="payment_workspace_invoice"),
            models.Index(fields=["workspace", "paid_on"], name="payment_workspace_paid_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "bank_transaction_id"],
                condition=~Q(bank_transaction_id=""),
                name="payment_unique_bank_transaction",
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="payment_amount_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on}: {self.amount}"

    def clean(self) -> None:
        super().clean()
        if self.amount is not None and self.amount == 0:
            raise ValidationError({"amount": _("Enter an amount other than zero.")})
