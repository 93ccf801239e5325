"""What quotes, orders and invoices share: the customer, texts, discount and stored totals;
and what their lines share: product, quantity, price, discount and VAT treatment."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zweck.core.models import WorkspaceScopedModel
from zweck.sales.choices import Unit, VatRate, ZeroRateReason
from zweck.sales.validators import validate_percent, validate_positive

ZERO = Decimal("0")


class SalesDocument(WorkspaceScopedModel):
    """A quote, order or invoice addressed to an organization."""

    organization = models.ForeignKey(
        "crm.Organization",
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=gettext_lazy("customer"),
    )
    # The person at the customer the document is addressed to. The document keeps the person:
    # an erasure holds both (see ``zweck/sales/privacy.py``), a plain delete is refused.
    contact = models.ForeignKey(
        "crm.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=gettext_lazy("contact person"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("owner"),
    )
    # NULL, not empty, while a document has no number yet: the unique constraints skip NULLs.
    number = models.CharField(gettext_lazy("number"), max_length=40, null=True, blank=True)  # noqa: DJ001
    currency = models.CharField(gettext_lazy("currency"), max_length=3, default="EUR")
    # The language the document is written in for the customer (its PDF and email).
    language = models.CharField(
        gettext_lazy("language"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    header_text = models.TextField(gettext_lazy("introduction"), blank=True)
    footer_text = models.TextField(gettext_lazy("closing text"), blank=True)
    discount_percent = models.DecimalField(
        gettext_lazy("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[validate_percent],
    )
    # Computed by ``zweck.sales.totals`` whenever the lines change; an invoice's are final once
    # it is finalized.
    net_total = models.DecimalField(gettext_lazy("net total"), max_digits=14, decimal_places=2, default=ZERO)
    tax_total = models.DecimalField(gettext_lazy("VAT total"), max_digits=14, decimal_places=2, default=ZERO)
    gross_total = models.DecimalField(
        gettext_lazy("gross total"), max_digits=14, decimal_places=2, default=ZERO
    )

    class Meta:
        abstract = True


class DocumentLine(WorkspaceScopedModel):
    """One line of a quote, order or invoice."""

    position = models.PositiveIntegerField(gettext_lazy("position"), default=0)
    # A product once used stays (deactivate it instead): an issued document never changes.
    product = models.ForeignKey(
        "sales.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("product or service"),
    )
    description = models.TextField(gettext_lazy("description"))
    quantity = models.DecimalField(
        gettext_lazy("quantity"), max_digits=12, decimal_places=3, validators=[validate_positive]
    )
    unit = models.CharField(gettext_lazy("unit"), max_length=3, choices=Unit.choices, default=Unit.PIECE)
    # May be negative: a discount line, a deducted partial invoice, a cancellation.
    unit_net_price = models.DecimalField(gettext_lazy("net price per unit"), max_digits=14, decimal_places=4)
    discount_percent = models.DecimalField(
        gettext_lazy("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[validate_percent],
    )
    vat_rate = models.PositiveSmallIntegerField(gettext_lazy("VAT rate"), choices=VatRate.choices)
    zero_rate_reason = models.CharField(
        gettext_lazy("reason for no VAT"),
        max_length=20,
        choices=ZeroRateReason.choices,
        blank=True,
        default="",
    )
    # quantity × price less the line's discount, rounded to the cent (``zweck.sales.totals``).
    net_amount = models.DecimalField(
        gettext_lazy("net amount"), max_digits=14, decimal_places=2, default=ZERO
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.vat_rate == VatRate.ZERO and not self.zero_rate_reason:
            raise ValidationError(
                {"zero_rate_reason": _("A line without VAT needs the reason, which the invoice states.")}
            )
        if self.vat_rate != VatRate.ZERO and self.zero_rate_reason:
            raise ValidationError(
                {"zero_rate_reason": _("Only a line with a VAT rate of 0 % has a reason for no VAT.")}
            )


def zero_rate_constraint(name: str) -> models.CheckConstraint:
    """The database's own guard of ``DocumentLine.clean``'s rule: a reason exactly for 0 %."""
    return models.CheckConstraint(
        condition=models.Q(vat_rate=VatRate.ZERO, zero_rate_reason__gt="")
        | (~models.Q(vat_rate=VatRate.ZERO) & models.Q(zero_rate_reason="")),
        name=name,
    )


def positive_quantity_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(quantity__gt=0), name=name)
