from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.sales.choices import Unit, VatRate, ZeroRateReason


class Product(WorkspaceScopedModel):
    """A product or service the workspace sells, with its list price and VAT treatment."""

    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(_("article number"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices, default=Unit.PIECE)
    unit_net_price = models.DecimalField(
        _("net price per unit"), max_digits=14, decimal_places=4, default=Decimal("0")
    )
    vat_rate = models.PositiveSmallIntegerField(
        _("VAT rate"), choices=VatRate.choices, default=VatRate.STANDARD
    )
    zero_rate_reason = models.CharField(
        _("reason for no VAT"), max_length=20, choices=ZeroRateReason.choices, blank=True, default=""
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product or service")
        verbose_name_plural = _("products and services")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["workspace", "is_active", "name"], name="product_workspace_active")]
        constraints = [
            models.CheckConstraint(
                condition=Q(vat_rate=VatRate.ZERO, zero_rate_reason__gt="")
                | (~Q(vat_rate=VatRate.ZERO) & Q(zero_rate_reason="")),
                name="product_zero_rate_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name
