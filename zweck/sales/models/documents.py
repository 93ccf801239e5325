from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zweck.sales.choices import OrderStatus, QuoteStatus
from zweck.sales.models.base import (
    DocumentLine,
    SalesDocument,
    positive_quantity_constraint,
    zero_rate_constraint,
)


class Quote(SalesDocument):
    """An offer to an organization: lines, discount and how long it is valid. Once sent it is a
    business letter (§ 257(1) Nr. 3 HGB) and is kept as sent."""

    deal = models.ForeignKey(
        "crm.Deal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=gettext_lazy("deal"),
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT
    )
    issue_date = models.DateField(gettext_lazy("quote date"), null=True, blank=True)
    valid_until = models.DateField(gettext_lazy("valid until"), null=True, blank=True)
    sent_at = models.DateTimeField(gettext_lazy("sent at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(
        gettext_lazy("accepted or declined at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = gettext_lazy("quote")
        verbose_name_plural = gettext_lazy("quotes")
        ordering = ["-issue_date", "-id"]
        indexes = [
            models.Index(fields=["workspace", "status", "issue_date"], name="quote_workspace_status"),
            models.Index(fields=["workspace", "organization"], name="quote_workspace_org"),
            models.Index(fields=["workspace", "deal"], name="quote_workspace_deal"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "number"], condition=Q(number__isnull=False), name="quote_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Draft quote")

    def clean(self) -> None:
        super().clean()
        if self.issue_date and self.valid_until and self.valid_until < self.issue_date:
            raise ValidationError({"valid_until": _("A quote cannot expire before its date.")})


class QuoteLine(DocumentLine):
    """One line of a quote."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        verbose_name = gettext_lazy("quote line")
        verbose_name_plural = gettext_lazy("quote lines")
        ordering = ["quote", "position", "id"]
        indexes = [models.Index(fields=["workspace", "quote"], name="quoteline_workspace_quote")]
        constraints = [
            zero_rate_constraint("quoteline_zero_rate_has_reason"),
            positive_quantity_constraint("quoteline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quote_id}/{self.position}"


class Order(SalesDocument):
    """A customer's order, usually from an accepted quote, invoiced in one or several invoices
    (partial invoices and a final one). An order confirmation sent is a business letter."""

    # Kept while its order is: the chain from quote to invoice stays whole until each period ends.
    quote = models.OneToOneField(
        Quote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order",
        verbose_name=gettext_lazy("quote"),
    )
    deal = models.ForeignKey(
        "crm.Deal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=gettext_lazy("deal"),
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    order_date = models.DateField(gettext_lazy("order date"))
    # The customer's own order number (EN 16931 BT-13), repeated on every invoice.
    customer_reference = models.CharField(
        gettext_lazy("customer's order reference"), max_length=100, blank=True
    )
    supply_date = models.DateField(gettext_lazy("date of supply"), null=True, blank=True)
    supply_period_start = models.DateField(gettext_lazy("supply period from"), null=True, blank=True)
    supply_period_end = models.DateField(gettext_lazy("supply period to"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("order")
        verbose_name_plural = gettext_lazy("orders")
        ordering = ["-order_date", "-id"]
        indexes = [
            models.Index(fields=["workspace", "status", "order_date"], name="order_workspace_status"),
            models.Index(fields=["workspace", "organization"], name="order_workspace_org"),
            models.Index(fields=["workspace", "deal"], name="order_workspace_deal"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "number"], condition=Q(number__isnull=False), name="order_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(supply_period_start__isnull=True)
                | Q(supply_period_end__isnull=True)
                | Q(supply_period_end__gte=models.F("supply_period_start")),
                name="order_supply_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Order")

    def clean(self) -> None:
        super().clean()
        clean_supply_period(self)


class OrderLine(DocumentLine):
    """One line of an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        verbose_name = gettext_lazy("order line")
        verbose_name_plural = gettext_lazy("order lines")
        ordering = ["order", "position", "id"]
        indexes = [models.Index(fields=["workspace", "order"], name="orderline_workspace_order")]
        constraints = [
            zero_rate_constraint("orderline_zero_rate_has_reason"),
            positive_quantity_constraint("orderline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.position}"


def clean_supply_period(document: Order | models.Model) -> None:
    start = getattr(document, "supply_period_start", None)
    end = getattr(document, "supply_period_end", None)
    if (start is None) != (end is None):
        field = "supply_period_end" if end is None else "supply_period_start"
        raise ValidationError({field: _("A supply period needs both its first and its last day.")})
    if start and end and end < start:
        raise ValidationError({"supply_period_end": _("The supply period cannot end before it starts.")})
