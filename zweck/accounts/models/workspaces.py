from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zweck.core.permissions import Role
from zweck.core.scoping import WorkspaceManager

# Days between the end of a hosting contract and the deletion of the workspace (seed notice 001
# promises deletion 30 days after the contract ends); the operator may agree another period.
DEFAULT_DELETION_GRACE_DAYS = 30
MAXIMUM_DELETION_GRACE_DAYS = 365
# Sessions of the staff pages end after this many minutes without a request, and this many hours
# after signing in, whatever happens in between (OWASP ASVS 4.0 V3.3). The installation's cookie
# lifetime (SESSION_COOKIE_AGE, 24 hours) is the ceiling of both.
DEFAULT_SESSION_IDLE_MINUTES = 30
DEFAULT_SESSION_LIFETIME_HOURS = 8


class ContractStatus(models.TextChoices):
    TRIAL = "trial", _("Trial")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class FederalState(models.TextChoices):
    """The German federal states (ISO 3166-2:DE): whose public holidays end a period a day later."""

    NONE = "", _("None (nationwide public holidays only)")
    BW = "BW", _("Baden-Württemberg")
    BY = "BY", _("Bavaria")
    BE = "BE", _("Berlin")
    BB = "BB", _("Brandenburg")
    HB = "HB", _("Bremen")
    HH = "HH", _("Hamburg")
    HE = "HE", _("Hesse")
    MV = "MV", _("Mecklenburg-Western Pomerania")
    NI = "NI", _("Lower Saxony")
    NW = "NW", _("North Rhine-Westphalia")
    RP = "RP", _("Rhineland-Palatinate")
    SL = "SL", _("Saarland")
    SN = "SN", _("Saxony")
    ST = "ST", _("Saxony-Anhalt")
    SH = "SH", _("Schleswig-Holstein")
    TH = "TH", _("Thuringia")


class Workspace(models.Model):
    """A tenant: one company using Zweck, and the controller of the data it holds (Art. 4(7) GDPR).

    The controller's identity, its data-protection officer and its supervisory authority
    are what every generated notice and record of processing names. Its federal state decides
    which public holidays move the end of a data-subject request's deadline.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("Use lower-case letters, digits and dashes."))],
    )
    legal_name = models.CharField(_("legal name"), max_length=300, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, default="DE")
    federal_state = models.CharField(
        _("federal state"),
        max_length=2,
        choices=FederalState.choices,
        blank=True,
        default=FederalState.NONE,
        help_text=_("Its public holidays count, besides weekends, when a deadline ends."),
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    representative = models.TextField(
        _("representative in the Union"),
        blank=True,
        help_text=_(
            "Only for a controller established outside the EU (Art. 27 GDPR): the representative's "
            "name and address."
        ),
    )
    privacy_portal_url = models.URLField(
        _("privacy portal address"),
        blank=True,
        help_text=_(
            "Where contacts make requests about their data; every privacy notice names it. Empty: "
            "the installation's own portal."
        ),
    )
    dpo_name = models.CharField(_("data-protection officer"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("data-protection officer's email"), blank=True)
    dpo_phone = models.CharField(_("data-protection officer's phone"), max_length=40, blank=True)
    supervisory_authority = models.CharField(_("supervisory authority"), max_length=300, blank=True)
    supervisory_authority_url = models.URLField(_("supervisory authority's website"), blank=True)
    default_currency = models.CharField(_("default currency"), max_length=3, default="EUR")
    contract_status = models.CharField(
        _("contract status"),
        max_length=12,
        choices=ContractStatus.choices,
        default=ContractStatus.ACTIVE,
    )
    contract_ends_on = models.DateField(_("contract ends on"), null=True, blank=True)
    deletion_grace_days = models.PositiveSmallIntegerField(
        _("days until deletion"),
        default=DEFAULT_DELETION_GRACE_DAYS,
        validators=[MaxValueValidator(MAXIMUM_DELETION_GRACE_DAYS)],
        help_text=_("After the contract ends, the workspace is deleted when this many days have passed."),
    )
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("sign out after inactivity (minutes)"),
        default=DEFAULT_SESSION_IDLE_MINUTES,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
        help_text=_("A member who makes no request for this long must sign in again (5 to 1440)."),
    )
    session_lifetime_hours = models.PositiveSmallIntegerField(
        _("sign out after (hours)"),
        default=DEFAULT_SESSION_LIFETIME_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Every sign-in ends after this many hours, active or not (1 to 24)."),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_(
            "Members who have not set up an authenticator app are asked to do so right after "
            "signing in, before they can open anything else."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def deletion_due_on(self) -> date | None:
        """The day the workspace is deleted: the contract's end plus the grace period; ``None``
        while the contract has no end."""
        if self.contract_ends_on is None:
            return None
        return self.contract_ends_on + timedelta(days=self.deletion_grace_days)

    def clean(self) -> None:
        if (
            self.session_idle_minutes is not None
            and self.session_lifetime_hours is not None
            and self.session_idle_minutes > self.session_lifetime_hours * 60
        ):
            raise ValidationError(
                {
                    "session_idle_minutes": _(
                        "The time without activity cannot be longer than the whole session."
                    )
                }
            )
        if self.federal_state and self.country != "DE":
            raise ValidationError(
                {"federal_state": _("A federal state can only be chosen for a workspace in Germany.")}
            )


class Membership(models.Model):
    """A user's seat in a workspace, with the one role that decides what they may do there."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = WorkspaceManager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.workspace_id}:{self.role}"
