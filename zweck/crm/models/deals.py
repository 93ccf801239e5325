from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.crm.choices import DealStatus


class PipelineStage(WorkspaceScopedModel):
    """A step of the workspace's sales pipeline; the order and names are the workspace's own."""

    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    default_probability = models.PositiveSmallIntegerField(
        _("default probability (%)"), default=10, validators=[MaxValueValidator(100)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pipeline stage")
        verbose_name_plural = _("pipeline stages")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="stage_unique_name")]

    def __str__(self) -> str:
        return self.name


class Deal(WorkspaceScopedModel):
    """A sales opportunity with an organization."""

    title = models.CharField(_("title"), max_length=200)
    organization = models.ForeignKey(
        "crm.Organization",
        on_delete=models.PROTECT,
        related_name="deals",
        verbose_name=_("organization"),
    )
    stage = models.ForeignKey(
        PipelineStage, on_delete=models.PROTECT, related_name="deals", verbose_name=_("stage")
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    expected_close_on = models.DateField(_("expected close date"), null=True, blank=True)
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), default=10, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=6, choices=DealStatus.choices, default=DealStatus.OPEN)
    close_reason = models.CharField(_("reason won or lost"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    contacts = models.ManyToManyField(
        "crm.Person",
        through="crm.DealContact",
        related_name="deals",
        verbose_name=_("contact persons"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "status", "stage"], name="deal_workspace_status_stage"),
            models.Index(fields=["workspace", "organization"], name="deal_workspace_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DealStatus.OPEN, closed_at__isnull=True)
                | (~Q(status=DealStatus.OPEN) & Q(closed_at__isnull=False)),
                name="deal_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DealContact(WorkspaceScopedModel):
    """A person involved in a deal on the customer's side."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="contact_links")
    person = models.ForeignKey("crm.Person", on_delete=models.CASCADE, related_name="deal_links")
    role = models.CharField(_("role in the deal"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("deal contact")
        verbose_name_plural = _("deal contacts")
        indexes = [models.Index(fields=["workspace", "person"], name="dealcontact_workspace_person")]
        constraints = [models.UniqueConstraint(fields=["deal", "person"], name="dealcontact_unique")]

    def __str__(self) -> str:
        return f"{self.person_id}→{self.deal_id}"
