"""The service desk's settings per workspace: where its mail arrives, how tickets are numbered,
its business hours, and the response and resolution targets per priority."""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.service.choices import TicketPriority

# A target may be up to a year of business minutes away.
MAX_TARGET_MINUTES = 366 * 24 * 60


class ServiceSettings(WorkspaceScopedModel):
    """One row per workspace. ``inbound_address`` chooses the workspace of an incoming mail
    (``zweck mail-in``): the mail belongs to the workspace whose address is among its
    recipients. Business hours are local times of the installation's time zone on the
    workspace's working days (weekends and its public holidays excluded)."""

    inbound_address = models.EmailField(
        _("support address"),
        blank=True,
        help_text=_("Mail to this address opens or continues tickets; replies are sent from it."),
    )
    ticket_prefix = models.CharField(
        _("ticket reference prefix"),
        max_length=8,
        default="T",
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{0,7}$", _("Use capital letters and digits."))],
    )
    next_ticket_number = models.PositiveIntegerField(default=1, editable=False)
    business_day_start = models.TimeField(_("business day starts"), default=time(8, 0))
    business_day_end = models.TimeField(_("business day ends"), default=time(17, 0))
    acknowledge_new_tickets = models.BooleanField(
        _("confirm new tickets by email"),
        default=True,
        help_text=_("The requester gets the ticket's reference and a link to follow it."),
    )

    class Meta:
        verbose_name = _("service settings")
        verbose_name_plural = _("service settings")
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="servicesettings_one_per_workspace"),
            models.UniqueConstraint(
                fields=["inbound_address"],
                condition=~Q(inbound_address=""),
                name="servicesettings_inbound_address_unique",
            ),
        ]

    def __str__(self) -> str:
        return str(_("service settings"))

    def clean(self) -> None:
        if self.business_day_start >= self.business_day_end:
            raise ValidationError({"business_day_end": _("The business day must end after it starts.")})
        self.inbound_address = self.inbound_address.strip().lower()


class SlaTarget(WorkspaceScopedModel):
    """How fast a ticket of one priority must be answered and resolved, in business minutes.

    A row without an organization is the workspace's default; a row with one overrides it for
    that customer (their contract). Where neither exists the shipped defaults apply
    (``zweck.service.sla.DEFAULT_TARGETS``)."""

    organization = models.ForeignKey(
        "crm.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    priority = models.CharField(_("priority"), max_length=8, choices=TicketPriority.choices)
    response_minutes = models.PositiveIntegerField(
        _("first response within (business minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET_MINUTES)],
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution within (business minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET_MINUTES)],
    )

    class Meta:
        verbose_name = _("service level target")
        verbose_name_plural = _("service level targets")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "organization", "priority"], name="slatarget_unique_per_organization"
            ),
            models.UniqueConstraint(
                fields=["workspace", "priority"],
                condition=Q(organization__isnull=True),
                name="slatarget_unique_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority}: {self.response_minutes}/{self.resolution_minutes}"

    def clean(self) -> None:
        if (
            self.response_minutes is not None
            and self.resolution_minutes is not None
            and self.resolution_minutes < self.response_minutes
        ):
            raise ValidationError(
                {"resolution_minutes": _("Resolution cannot be due before the first response.")}
            )
