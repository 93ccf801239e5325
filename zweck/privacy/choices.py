"""Choices of the register rows: legal bases, special-category conditions, retention events,
recipient roles and transfer safeguards. Labels are the English texts; the generated
documents carry their own German wording (see ``labels``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.TextChoices):
    """Art. 6(1) GDPR, points (a) to (f)."""

    CONSENT = "a", _("Consent (Art. 6(1)(a) GDPR)")
    CONTRACT = "b", _("Contract or pre-contractual steps (Art. 6(1)(b) GDPR)")
    LEGAL_OBLIGATION = "c", _("Legal obligation (Art. 6(1)(c) GDPR)")
    VITAL_INTERESTS = "d", _("Vital interests (Art. 6(1)(d) GDPR)")
    PUBLIC_TASK = "e", _("Public task (Art. 6(1)(e) GDPR)")
    LEGITIMATE_INTERESTS = "f", _("Legitimate interests (Art. 6(1)(f) GDPR)")


class SpecialCategoryCondition(models.TextChoices):
    """Art. 9(2) GDPR: the condition that allows processing special categories of data."""

    NONE = "", _("No special categories")
    EXPLICIT_CONSENT = "a", _("Explicit consent (Art. 9(2)(a) GDPR)")
    EMPLOYMENT = "b", _("Employment and social security law (Art. 9(2)(b) GDPR)")
    VITAL_INTERESTS = "c", _("Vital interests (Art. 9(2)(c) GDPR)")
    NOT_FOR_PROFIT = "d", _("Not-for-profit body (Art. 9(2)(d) GDPR)")
    MADE_PUBLIC = "e", _("Made public by the data subject (Art. 9(2)(e) GDPR)")
    LEGAL_CLAIMS = "f", _("Legal claims (Art. 9(2)(f) GDPR)")
    PUBLIC_INTEREST = "g", _("Substantial public interest (Art. 9(2)(g) GDPR)")
    HEALTH_CARE = "h", _("Health or social care (Art. 9(2)(h) GDPR)")
    PUBLIC_HEALTH = "i", _("Public health (Art. 9(2)(i) GDPR)")
    ARCHIVING_RESEARCH = "j", _("Archiving, research, statistics (Art. 9(2)(j) GDPR)")


class RetentionEvent(models.TextChoices):
    """The event a retention period counts from."""

    RECORD_CREATED = "record_created", _("The record arose")
    RELATIONSHIP_ENDED = "relationship_ended", _("The business relationship or contract ended")
    LAST_CONTACT = "last_contact", _("The last contact")
    CONTRACT_ENDED = "contract_ended", _("The workspace's contract ended")
    WARRANTY_ENDED = "warranty_ended", _("The warranty obligations ended")
    ACCOUNT_CLOSED = "account_closed", _("The staff account was closed")
    SESSION_EXPIRED = "session_expired", _("The session expired")
    LAST_USE = "last_use", _("The data was last used")
    EVENT_ENDED = "event_ended", _("The event ended")
    CASE_CLOSED = "case_closed", _("The ticket or case was closed")


class RecipientRole(models.TextChoices):
    PROCESSOR = "processor", _("Processor (Art. 28 GDPR)")
    SUBPROCESSOR = "subprocessor", _("Sub-processor (Art. 28(4) GDPR)")
    CONTROLLER = "controller", _("Independent controller")
    AUTHORITY = "authority", _("Public authority")


class TransferSafeguard(models.TextChoices):
    """Chapter V GDPR: what makes a transfer outside the EU/EEA lawful."""

    NONE = "", _("No safeguard")
    EEA = "eea", _("Within the EU/EEA (no third-country transfer)")
    ADEQUACY = "adequacy", _("Adequacy decision (Art. 45 GDPR)")
    SCC = "scc", _("Standard contractual clauses (Art. 46(2)(c) GDPR)")


# The EU member states and the other EEA states (Iceland, Liechtenstein, Norway), ISO 3166-1.
EEA_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)
