"""The privacy facts a person page shows: why Zweck holds the contact's data and until when.

The keys come from the privacy register's declaration of ``Person``, narrowed to the purposes in
use for the person's group (an "other contact" is only answered); their texts come from the
workspace's own register rows (what its published notice says), or from the shipped defaults
while the workspace has not set its register up yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.utils import translation

from zweck.core.register import register
from zweck.crm.models import Person
from zweck.privacy.defaults import ACTIVITY_PRESETS, RETENTION_PRESETS
from zweck.privacy.labels import RetentionLike, legal_basis_text, retention_text
from zweck.privacy.purposes import applicable_activities, purpose_map
from zweck.privacy.selectors import published_register


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


def _pick(german: bool, english_text: str, german_text: str) -> str:
    return german_text if german else english_text


def person_privacy_facts(person: Person) -> PersonPrivacyFacts:
    """Category and source of ``person``, and the purposes, legal bases and retention of their data."""
    declaration = register.get(Person)
    language = "de" if (translation.get_language() or "").startswith("de") else "en"
    german = language == "de"
    # The register behind the public notices: the same facts the person can read there.
    snapshot = published_register(workspace_slug=person.workspace.slug)
    activities = {activity.key: activity for activity in snapshot.activities}
    rules = {rule.key: rule for rule in snapshot.retention_rules}
    purposes = []
    retention = retention_source = ""
    if declaration is not None:
        purposes_in_use = purpose_map(person.workspace_id)
        for key in applicable_activities(declaration, purposes_in_use, [person.subject_category]):
            activity = activities.get(key) or ACTIVITY_PRESETS[key]
            purposes.append(
                PurposeFact(
                    name=_pick(german, activity.name_en, activity.name_de),
                    purpose=_pick(german, activity.purpose_en, activity.purpose_de),
                    legal_basis=legal_basis_text(activity.legal_basis, language),
                    legitimate_interest=_pick(
                        german, activity.legitimate_interest_en, activity.legitimate_interest_de
                    ),
                )
            )
        if declaration.retention is not None:
            rule = rules.get(declaration.retention) or RETENTION_PRESETS[declaration.retention]
            retention = f"{_pick(german, rule.name_en, rule.name_de)}: {retention_text(cast(RetentionLike, rule), language)}"
            retention_source = _pick(german, rule.legal_source_en, rule.legal_source_de)
    return PersonPrivacyFacts(
        subject_category=person.get_subject_category_display(),
        source=person.get_source_display(),
        source_note=person.source_note,
        purposes=purposes,
        retention=retention,
        retention_source=retention_source,
    )
