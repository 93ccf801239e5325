from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.crm.validators import validate_vat_id
from zweck.sales.choices import DocumentKind
from zweck.sales.validators import validate_bic, validate_iban


class SalesSettings(WorkspaceScopedModel):
    """The workspace's own business details as every invoice must name them (§ 14(4) Nr. 1–2
    UStG), its bank account, and how its documents are numbered. One row per workspace."""

    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, default="DE")
    tax_number = models.CharField(_("tax number"), max_length=30, blank=True)
    vat_id = models.CharField(_("VAT ID"), max_length=20, blank=True, validators=[validate_vat_id])
    # The seller's contact point on e-invoices (EN 16931 BG-6): a department, not a person.
    contact_point = models.CharField(_("contact point"), max_length=100, blank=True)
    email = models.EmailField(_("email for invoices"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    register_court = models.CharField(_("register court"), max_length=100, blank=True)
    register_number = models.CharField(_("commercial register number"), max_length=40, blank=True)
    managing_directors = models.CharField(_("managing directors"), max_length=300, blank=True)
    invoice_prefix = models.CharField(_("invoice number prefix"), max_length=12, default="RE-")
    quote_prefix = models.CharField(_("quote number prefix"), max_length=12, default="AN-")
    order_prefix = models.CharField(_("order number prefix"), max_length=12, default="AB-")
    default_payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=14, validators=[MaxValueValidator(365)]
    )
    quote_validity_days = models.PositiveSmallIntegerField(
        _("quotes valid for (days)"), default=30, validators=[MaxValueValidator(365)]
    )
    # § 19 UStG: a small business charges no VAT and says so on every invoice.
    small_business = models.BooleanField(_("small business (§ 19 UStG)"), default=False)

    class Meta:
        verbose_name = _("sales settings")
        verbose_name_plural = _("sales settings")
        constraints = [models.UniqueConstraint(fields=["workspace"], name="salessettings_one_per_workspace")]

    def __str__(self) -> str:
        return self.legal_name or str(_("sales settings"))

    def prefix_for(self, kind: str) -> str:
        return {
            DocumentKind.QUOTE: self.quote_prefix,
            DocumentKind.ORDER: self.order_prefix,
            DocumentKind.INVOICE: self.invoice_prefix,
        }[DocumentKind(kind)]


class DocumentCounter(WorkspaceScopedModel):
    """The next number of one number range: a workspace's quotes, orders or invoices of one
    series and year. Read and advanced only under ``select_for_update`` in the transaction
    that assigns the number, so numbers are unique and without gaps (§ 14(4) Nr. 4 UStG)."""

    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    series = models.CharField(_("series"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year"))
    next_number = models.PositiveIntegerField(_("next number"), default=1)

    class Meta:
        verbose_name = _("number range")
        verbose_name_plural = _("number ranges")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "series", "year"], name="documentcounter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.series}{self.year}: {self.next_number}"
