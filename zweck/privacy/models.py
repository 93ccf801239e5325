"""The register's per-workspace rows: retention rules, processing activities, recipients and
security measures. Shipped defaults (``defaults.py``) are copied in; the privacy officer edits
them afterwards. The declarations in every app's ``privacy.py`` name rows by ``key``.

Every row validates itself in ``clean()`` so that a bad entry is refused where it is made,
with a message that names the row: an activity without a legal basis (or without the
legitimate interest a point (f) basis needs, or without an Art. 9(2) condition for special
categories), a retention period that cannot be computed, a transfer without a safeguard.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.core.register import data_category_keys, data_use_keys, is_special_category
from zweck.privacy.choices import (
    EEA_COUNTRIES,
    LegalBasis,
    RecipientRole,
    RetentionEvent,
    SpecialCategoryCondition,
    TransferSafeguard,
)
from zweck.privacy.periods import Period, PeriodError, erasure_due_on, period_end

_KEY_HELP = _("Fixed identifier the register declarations refer to.")


class RetentionRule(WorkspaceScopedModel):
    """How long a kind of record is kept: a period counted from an event."""

    key = models.SlugField(_("key"), max_length=60, help_text=_KEY_HELP)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_de = models.CharField(_("name (German)"), max_length=200)
    years = models.PositiveSmallIntegerField(_("years"), default=0)
    months = models.PositiveSmallIntegerField(_("months"), default=0)
    days = models.PositiveSmallIntegerField(_("days"), default=0)
    counts_from = models.CharField(_("counts from"), max_length=24, choices=RetentionEvent.choices)
    from_end_of_year = models.BooleanField(
        _("from the end of the calendar year"),
        default=False,
        help_text=_(
            "The period starts at the end of the calendar year of the event (§ 257(5) HGB, § 147(4) AO)."
        ),
    )
    statutory = models.BooleanField(_("required by law"), default=False)
    legal_source_en = models.CharField(_("legal source (English)"), max_length=600, blank=True)
    legal_source_de = models.CharField(_("legal source (German)"), max_length=600, blank=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="retention_rule_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def period(self) -> Period:
        return Period(years=self.years, months=self.months, days=self.days)

    def stranded(self, event: str) -> set[str]:
        """The data sets kept under this rule that store no date for ``event``: under it their
        rows would never expire. Rows about persons without a date of their own go with them."""
        from zweck.core.register import register

        return {
            str(declaration.model._meta.verbose_name_plural)
            for declaration in register
            if declaration.retention == self.key
            and declaration.swept
            and declaration.clock(event) is None
            and (declaration.subject in (None, "self") or declaration.subject_kind != "contact")
        }

    def _check_clocks(self) -> None:
        """Refuse a change of event that strands a data set the rule's stored event does not."""
        stored = type(self).objects.filter(pk=self.pk).values_list("counts_from", flat=True).first()
        if self.pk is None or stored is None:
            return
        stranded = self.stranded(self.counts_from) - self.stranded(stored)
        if stranded:
            raise ValidationError(
                {
                    "counts_from": _(
                        "Retention rule %(key)s: %(data)s store no date for this event, so they would never "
                        "be deleted. Choose another event."
                    )
                    % {"key": self.key, "data": ", ".join(sorted(stranded))}
                }
            )

    def ends_on(self, event_on: date) -> date:
        """The last day a record whose event happened on ``event_on`` is kept."""
        return period_end(event_on, self.period, from_end_of_year=self.from_end_of_year)

    def erasure_due_on(self, event_on: date) -> date:
        """The first day the record must be erased: the day after ``ends_on``."""
        return erasure_due_on(event_on, self.period, from_end_of_year=self.from_end_of_year)

    def clean(self) -> None:
        self._check_clocks()
        try:
            self.period.validate()
            # The latest plausible event must still give a date on the calendar.
            self.ends_on(date(2999, 12, 31))
        except PeriodError as error:
            raise ValidationError(
                {"years": _("Retention rule %(key)s: %(error)s") % {"key": self.key, "error": error}}
            ) from error


class ProcessingActivity(WorkspaceScopedModel):
    """One purpose of processing with its legal basis: a line of the records of processing."""

    key = models.SlugField(_("key"), max_length=60, help_text=_KEY_HELP)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_de = models.CharField(_("name (German)"), max_length=200)
    purpose_en = models.TextField(_("purpose (English)"))
    purpose_de = models.TextField(_("purpose (German)"))
    legal_basis = models.CharField(_("legal basis"), max_length=1, choices=LegalBasis.choices)
    legitimate_interest_en = models.TextField(_("legitimate interest pursued (English)"), blank=True)
    legitimate_interest_de = models.TextField(_("legitimate interest pursued (German)"), blank=True)
    special_category_condition = models.CharField(
        _("condition for special categories (Art. 9(2) GDPR)"),
        max_length=1,
        choices=SpecialCategoryCondition.choices,
        blank=True,
        default=SpecialCategoryCondition.NONE,
    )
    subject_categories = models.JSONField(_("data-subject categories"), default=list)
    data_categories = models.JSONField(
        _("data categories"),
        default=list,
        blank=True,
        help_text=_("fideslang keys, in addition to what the declared fields of this activity hold."),
    )
    recipient_categories_en = models.TextField(_("categories of recipients (English)"), blank=True)
    recipient_categories_de = models.TextField(_("categories of recipients (German)"), blank=True)
    provision_en = models.TextField(_("whether providing the data is required (English)"), blank=True)
    provision_de = models.TextField(_("whether providing the data is required (German)"), blank=True)
    retention = models.ForeignKey(
        RetentionRule, on_delete=models.PROTECT, related_name="activities", verbose_name=_("retention rule")
    )
    data_use = models.CharField(_("fideslang data use"), max_length=100)
    enabled = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_(
            "Switched off, the activity leaves the privacy notices and the records of processing, "
            "and fields that serve no other activity are no longer collected."
        ),
    )

    class Meta:
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="processing_activity_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        from zweck.privacy.defaults import SUBJECT_GROUPS

        label = _("Processing activity %(key)s") % {"key": self.key}
        errors: dict[str, str] = {}
        if self.legal_basis not in LegalBasis.values:
            errors["legal_basis"] = _("%(label)s has no legal basis under Art. 6(1) GDPR.") % {"label": label}
        elif self.legal_basis == LegalBasis.LEGITIMATE_INTERESTS and not (
            self.legitimate_interest_en.strip() and self.legitimate_interest_de.strip()
        ):
            errors["legitimate_interest_en"] = _(
                "%(label)s relies on legitimate interests and must name them in English and German."
            ) % {"label": label}
        unknown = [key for key in self.data_categories if key not in data_category_keys()]
        if unknown:
            errors["data_categories"] = _("%(label)s: %(keys)s are not fideslang data categories.") % {
                "label": label,
                "keys": ", ".join(unknown),
            }
        elif (
            any(is_special_category(key) for key in self.data_categories)
            and not self.special_category_condition
        ):
            errors["special_category_condition"] = _(
                "%(label)s processes special categories of data and needs an Art. 9(2) GDPR condition."
            ) % {"label": label}
        if not self.subject_categories or any(key not in SUBJECT_GROUPS for key in self.subject_categories):
            errors["subject_categories"] = _("%(label)s: choose data-subject categories among %(keys)s.") % {
                "label": label,
                "keys": ", ".join(SUBJECT_GROUPS),
            }
        # Empty is refused as a blank field; anything else must be a use of the taxonomy.
        if self.data_use and self.data_use not in data_use_keys():
            errors["data_use"] = _("%(label)s: %(key)s is not a fideslang data use.") % {
                "label": label,
                "key": self.data_use,
            }
        if errors:
            raise ValidationError(errors)


class Recipient(WorkspaceScopedModel):
    """Someone the workspace discloses personal data to: a processor, an independent
    controller or an authority, with where they are and what makes a transfer lawful."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=16, choices=RecipientRole.choices)
    service_en = models.CharField(_("service provided (English)"), max_length=300)
    service_de = models.CharField(_("service provided (German)"), max_length=300)
    country = models.CharField(_("country (ISO 3166-1)"), max_length=2)
    safeguard = models.CharField(
        _("transfer safeguard"), max_length=12, choices=TransferSafeguard.choices, blank=True
    )
    safeguard_date = models.DateField(
        _("safeguard dated"),
        null=True,
        blank=True,
        help_text=_("The date of the standard contractual clauses or of the adequacy decision."),
    )
    activities = models.ManyToManyField(
        ProcessingActivity, related_name="recipients", blank=True, verbose_name=_("processing activities")
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="recipient_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def in_eea(self) -> bool:
        return self.country.upper() in EEA_COUNTRIES

    def clean(self) -> None:
        self.country = self.country.upper()
        if self.in_eea:
            self.safeguard = TransferSafeguard.EEA
            return
        label = _("Recipient %(name)s (%(country)s)") % {"name": self.name, "country": self.country}
        if self.safeguard in (TransferSafeguard.NONE, TransferSafeguard.EEA):
            raise ValidationError(
                {
                    "safeguard": _(
                        "%(label)s is outside the EU/EEA: name the transfer safeguard (Art. 44–46 GDPR)."
                    )
                    % {"label": label}
                }
            )
        if self.safeguard_date is None:
            raise ValidationError(
                {"safeguard_date": _("%(label)s: give the date of the safeguard.") % {"label": label}}
            )


class SecurityMeasure(WorkspaceScopedModel):
    """A technical or organisational measure (Art. 32 GDPR), described in the records of processing."""

    key = models.SlugField(_("key"), max_length=60)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_de = models.CharField(_("title (German)"), max_length=200)
    description_en = models.TextField(_("description (English)"))
    description_de = models.TextField(_("description (German)"))

    class Meta:
        verbose_name = _("security measure")
        verbose_name_plural = _("security measures")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="security_measure_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key


from zweck.privacy.disclosure_models import Disclosure  # noqa: E402  (data passed to recipients)
from zweck.privacy.notice_models import NoticeVersion  # noqa: E402  (published notices)
from zweck.privacy.offboarding_models import (  # noqa: E402  (models of a tenant's end)
    DeletionWarning,
    WorkspaceTombstone,
)
from zweck.privacy.request_models import (  # noqa: E402  (models of the request engine)
    DataSubjectRequest,
    ErasureTombstone,
    MarketingSuppression,
    MentionDecision,
    RecipientNotification,
    RecordHold,
    RequestAction,
)
from zweck.privacy.retention_models import NightlyRun, RetentionSweep  # noqa: E402

__all__ = [
    "DataSubjectRequest",
    "DeletionWarning",
    "Disclosure",
    "ErasureTombstone",
    "MarketingSuppression",
    "MentionDecision",
    "NightlyRun",
    "NoticeVersion",
    "ProcessingActivity",
    "Recipient",
    "RecipientNotification",
    "RecordHold",
    "RequestAction",
    "RetentionRule",
    "RetentionSweep",
    "SecurityMeasure",
    "WorkspaceTombstone",
]
