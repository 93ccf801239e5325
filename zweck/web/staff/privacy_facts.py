"""The privacy facts a person page shows: why Zweck holds the contact's data and until when.

The keys come from the privacy register's declaration of ``Person``; their texts are the
shipped defaults of the register, in the interface language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zweck.crm.models import Person
from zweck.privacy.choices import LegalBasis, RetentionEvent
from zweck.privacy.defaults import ACTIVITY_PRESETS, RETENTION_PRESETS, RetentionPreset
from zweck.privacy.register import register


@dataclass(frozen=True)
class PurposeFact:
    name: str
    purpose: str
    legal_basis: str
    legitimate_interest: str


@dataclass(frozen=True)
class PersonPrivacyFacts:
    subject_category: str
    source: str
    source_note: str
    purposes: list[PurposeFact]
    retention: str
    retention_source: str


def _german() -> bool:
    return (translation.get_language() or "").startswith("de")


def describe_period(preset: RetentionPreset) -> str:
    parts = [
        ngettext("%(count)d year", "%(count)d years", preset.years) % {"count": preset.years}
        if preset.years
        else "",
        ngettext("%(count)d month", "%(count)d months", preset.months) % {"count": preset.months}
        if preset.months
        else "",
        ngettext("%(count)d day", "%(count)d days", preset.days) % {"count": preset.days}
        if preset.days
        else "",
    ]
    length = ", ".join(part for part in parts if part)
    event = RetentionEvent(preset.counts_from).label
    if not length:
        return _("Until: %(event)s") % {"event": event}
    if preset.from_end_of_year:
        return _("%(length)s from the end of the calendar year in which: %(event)s") % {
            "length": length,
            "event": event,
        }
    return _("%(length)s after: %(event)s") % {"length": length, "event": event}


def person_privacy_facts(person: Person) -> PersonPrivacyFacts:
    declaration = register.get(Person)
    german = _german()
    purposes = []
    retention = retention_source = ""
    if declaration is not None:
        for key in declaration.activities:
            preset = ACTIVITY_PRESETS[key]
            purposes.append(
                PurposeFact(
                    name=preset.name_de if german else preset.name_en,
                    purpose=preset.purpose_de if german else preset.purpose_en,
                    legal_basis=str(LegalBasis(preset.legal_basis).label),
                    legitimate_interest=preset.legitimate_interest_de
                    if german
                    else preset.legitimate_interest_en,
                )
            )
        if declaration.retention is not None:
            rule = RETENTION_PRESETS[declaration.retention]
            retention = f"{rule.name_de if german else rule.name_en}: {describe_period(rule)}"
            retention_source = rule.legal_source_de if german else rule.legal_source_en
    return PersonPrivacyFacts(
        subject_category=person.get_subject_category_display(),
        source=person.get_source_display(),
        source_note=person.source_note,
        purposes=purposes,
        retention=retention,
        retention_source=retention_source,
    )
