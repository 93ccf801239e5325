"""Invoices received from suppliers as e-invoices (XRechnung, ZUGFeRD/Factur-X), read for review.

Since 1 January 2025 every German business must be able to receive EN 16931 invoices
(§ 14(1) UStG as amended by the Wachstumschancengesetz). What the structured XML says is the
invoice (GoBD: the structured part of a hybrid invoice is the original), so the XML is kept as
received, beside the values read from it for the review list. Sending a document is recorded
in ``DocumentSending``: an issued invoice never changes, so when and to whom it went is a row of
its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel


class SupplierInvoiceFormat(models.TextChoices):
    XRECHNUNG_CII = "xrechnung_cii", _("XRechnung (CII)")
    XRECHNUNG_UBL = "xrechnung_ubl", _("XRechnung (UBL)")
    ZUGFERD = "zugferd", _("ZUGFeRD / Factur-X (PDF)")
    CII = "cii", _("EN 16931 (CII XML)")


class SupplierInvoiceStatus(models.TextChoices):
    TO_REVIEW = "to_review", _("To review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SupplierInvoice(WorkspaceScopedModel):
    """An incoming invoice, as read from its e-invoice file, waiting for accounting's review."""

    source_format = models.CharField(_("format"), max_length=20, choices=SupplierInvoiceFormat.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    # SHA-256 of the uploaded file: the same file is not read in twice.
    file_sha256 = models.CharField(_("file checksum"), max_length=64, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SupplierInvoiceStatus.choices,
        default=SupplierInvoiceStatus.TO_REVIEW,
    )
    profile = models.CharField(_("profile"), max_length=200, blank=True)
    type_code = models.CharField(_("document type code"), max_length=4, blank=True)
    number = models.CharField(_("invoice number"), max_length=100)
    issue_date = models.DateField(_("invoice date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    supply_date = models.DateField(_("date of supply"), null=True, blank=True)
    supplier_name = models.CharField(_("supplier"), max_length=200)
    supplier_vat_id = models.CharField(_("supplier's VAT ID"), max_length=30, blank=True)
    supplier_tax_number = models.CharField(_("supplier's tax number"), max_length=30, blank=True)
    supplier_address = models.TextField(_("supplier's address"), blank=True)
    supplier_iban = models.CharField(_("supplier's IBAN"), max_length=34, blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=200, blank=True)
    buyer_reference = models.CharField(_("buyer reference"), max_length=100, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    net_total = models.DecimalField(_("net total"), max_digits=14, decimal_places=2, null=True, blank=True)
    tax_total = models.DecimalField(_("VAT total"), max_digits=14, decimal_places=2, null=True, blank=True)
    gross_total = models.DecimalField(
        _("gross total"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    due_amount = models.DecimalField(_("amount due"), max_digits=14, decimal_places=2, null=True, blank=True)
    # [{"position", "name", "quantity", "unit", "unit_price", "net_amount", "vat_rate", "vat_category"}]
    lines = models.JSONField(_("lines"), default=list, blank=True)
    # The structured invoice as received (the original of an e-invoice).
    xml = models.TextField(_("e-invoice XML"), editable=False)

    class Meta:
        verbose_name = _("supplier invoice")
        verbose_name_plural = _("supplier invoices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "status", "created_at"], name="supplierinv_workspace_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "file_sha256"], name="supplierinvoice_unique_file"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_name} {self.number}"


class DocumentSending(WorkspaceScopedModel):
    """One quote or invoice sent by email to a contact person: what went, when, to whom."""

    quote = models.ForeignKey(
        "sales.Quote", on_delete=models.CASCADE, null=True, blank=True, related_name="sendings"
    )
    invoice = models.ForeignKey(
        "sales.Invoice", on_delete=models.CASCADE, null=True, blank=True, related_name="sendings"
    )
    # The person it went to; the address as used then is kept, as on a copy of a letter sent.
    recipient = models.ForeignKey(
        "crm.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_email = models.EmailField(_("sent to"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    attachment_name = models.CharField(_("attachment"), max_length=255)

    class Meta:
        verbose_name = _("document sent")
        verbose_name_plural = _("documents sent")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "invoice"], name="docsending_workspace_invoice"),
            models.Index(fields=["workspace", "quote"], name="docsending_workspace_quote"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quote__isnull=False, invoice__isnull=True)
                | Q(quote__isnull=True, invoice__isnull=False),
                name="documentsending_one_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d}: {self.attachment_name}"
