"""Writes to the register rows: installing the shipped defaults and editing them.

Every write needs ``Permission.PRIVACY_MANAGE``, validates the row (``full_clean``, which
refuses an activity without a legal basis, a period that cannot be computed or a transfer
without a safeguard, naming the row), and records its audit event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.privacy import defaults
from zweck.privacy.models import ProcessingActivity, Recipient, RetentionRule, SecurityMeasure
from zweck.privacy.notice_versions import notice_versions_refresh

# What the privacy officer may change; keys are fixed because declarations refer to them.
_FIXED = frozenset(
    {"id", "pk", "key", "workspace", "workspace_id", "created_at", "created_by", "updated_at", "updated_by"}
)


@dataclass
class DefaultsInstalled:
    """The keys of the rows ``register_defaults_install`` created (empty when all existed)."""

    retention_rules: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    security_measures: list[str] = field(default_factory=list)


def _create[Row: models.Model](actor: Actor, row: Row, action: str) -> Row:
    row.workspace_id = actor.workspace_id  # type: ignore[attr-defined]
    row.created_by_id = row.updated_by_id = actor.user_id  # type: ignore[attr-defined]
    row.full_clean()
    row.save(force_insert=True)
    audit_record(actor=actor, action=action, instance=row)
    return row


def _update[Row: models.Model](actor: Actor, row: Row, changes: dict[str, Any], action: str) -> Row:
    fixed = sorted(set(changes) & _FIXED)
    if fixed:
        raise ValidationError({name: _("This field cannot be changed here.") for name in fixed})
    locked = type(row)._default_manager.select_for_update().get(pk=row.pk, workspace_id=actor.workspace_id)
    concrete = locked._meta.concrete_fields
    before = {model_field.name: getattr(locked, model_field.attname) for model_field in concrete}
    for name, value in changes.items():
        setattr(locked, name, value)
    # clean() may normalise more than was given (a recipient's safeguard follows its country).
    locked.full_clean()
    changed = [f.name for f in concrete if getattr(locked, f.attname) != before[f.name]]
    if changed:
        locked.updated_by_id = actor.user_id  # type: ignore[attr-defined]
        locked.updated_at = timezone.now()  # type: ignore[attr-defined]
        locked.save(update_fields=[*changed, "updated_at", "updated_by"])
        audit_record(actor=actor, action=action, instance=locked, changed_fields=changed)
    return locked


@transaction.atomic
def register_defaults_install(*, actor: Actor) -> DefaultsInstalled:
    """Copy the shipped retention rules, activities and security measures into the actor's
    workspace. Idempotent: rows that exist (edited or not) are left as they are."""
    actor.require(Permission.PRIVACY_MANAGE)
    installed = DefaultsInstalled()
    rules = {rule.key: rule for rule in RetentionRule.objects.in_workspace(actor.workspace_id)}
    for key, rule_preset in defaults.RETENTION_PRESETS.items():
        if key not in rules:
            rules[key] = _create(
                actor,
                RetentionRule(
                    key=key,
                    name_en=rule_preset.name_en,
                    name_de=rule_preset.name_de,
                    years=rule_preset.years,
                    months=rule_preset.months,
                    days=rule_preset.days,
                    counts_from=rule_preset.counts_from,
                    from_end_of_year=rule_preset.from_end_of_year,
                    statutory=rule_preset.statutory,
                    legal_source_en=rule_preset.legal_source_en,
                    legal_source_de=rule_preset.legal_source_de,
                ),
                "retention_rule.create",
            )
            installed.retention_rules.append(key)
    existing = set(ProcessingActivity.objects.in_workspace(actor.workspace_id).values_list("key", flat=True))
    for key, activity_preset in defaults.ACTIVITY_PRESETS.items():
        if key in existing:
            continue
        _create(
            actor,
            ProcessingActivity(
                key=key,
                name_en=activity_preset.name_en,
                name_de=activity_preset.name_de,
                purpose_en=activity_preset.purpose_en,
                purpose_de=activity_preset.purpose_de,
                legal_basis=activity_preset.legal_basis,
                legitimate_interest_en=activity_preset.legitimate_interest_en,
                legitimate_interest_de=activity_preset.legitimate_interest_de,
                special_category_condition=activity_preset.special_category_condition,
                subject_categories=list(activity_preset.subject_categories),
                data_categories=list(activity_preset.data_categories),
                recipient_categories_en=activity_preset.recipient_categories_en,
                recipient_categories_de=activity_preset.recipient_categories_de,
                provision_en=activity_preset.provision_en,
                provision_de=activity_preset.provision_de,
                retention=rules[activity_preset.retention],
                data_use=activity_preset.data_use,
            ),
            "processing_activity.create",
        )
        installed.activities.append(key)
    measures = set(SecurityMeasure.objects.in_workspace(actor.workspace_id).values_list("key", flat=True))
    for key, measure_preset in defaults.SECURITY_MEASURE_PRESETS.items():
        if key in measures:
            continue
        _create(
            actor,
            SecurityMeasure(
                key=key,
                title_en=measure_preset.title_en,
                title_de=measure_preset.title_de,
                description_en=measure_preset.description_en,
                description_de=measure_preset.description_de,
            ),
            "security_measure.create",
        )
        installed.security_measures.append(key)
    notice_versions_refresh(actor=actor)
    return installed


@transaction.atomic
def processing_activity_update(
    *, actor: Actor, activity: ProcessingActivity, **changes: Any
) -> ProcessingActivity:
    """Change an activity's purpose, legal basis, interests, categories, retention, ..."""
    actor.require(Permission.PRIVACY_MANAGE)
    updated = _update(actor, activity, changes, "processing_activity.update")
    notice_versions_refresh(actor=actor)
    return updated


@transaction.atomic
def retention_rule_update(*, actor: Actor, rule: RetentionRule, **changes: Any) -> RetentionRule:
    """Change a retention rule's period, event or source (for example a longer contractual period)."""
    actor.require(Permission.PRIVACY_MANAGE)
    updated = _update(actor, rule, changes, "retention_rule.update")
    notice_versions_refresh(actor=actor)
    return updated


@transaction.atomic
def security_measure_update(*, actor: Actor, measure: SecurityMeasure, **changes: Any) -> SecurityMeasure:
    """Change the description of a technical or organisational measure."""
    actor.require(Permission.PRIVACY_MANAGE)
    return _update(actor, measure, changes, "security_measure.update")


def _activities_by_key(actor: Actor, keys: Iterable[str]) -> list[ProcessingActivity]:
    wanted = sorted(set(keys))
    found = list(ProcessingActivity.objects.in_workspace(actor.workspace_id).filter(key__in=wanted))
    missing = sorted(set(wanted) - {activity.key for activity in found})
    if missing:
        raise ValidationError({"activities": f"Unknown processing activities: {', '.join(missing)}."})
    return found


@transaction.atomic
def recipient_create(
    *,
    actor: Actor,
    name: str,
    role: str,
    service_en: str,
    service_de: str,
    country: str,
    safeguard: str = "",
    safeguard_date: date | None = None,
    activity_keys: Iterable[str] = (),
) -> Recipient:
    """Add a recipient (processor, sub-processor, controller, authority) and the activities
    that send data to it. A recipient outside the EU/EEA needs a dated safeguard."""
    actor.require(Permission.PRIVACY_MANAGE)
    activities = _activities_by_key(actor, activity_keys)
    recipient = _create(
        actor,
        Recipient(
            name=name,
            role=role,
            service_en=service_en,
            service_de=service_de,
            country=country,
            safeguard=safeguard,
            safeguard_date=safeguard_date,
        ),
        "recipient.create",
    )
    recipient.activities.set(activities)
    notice_versions_refresh(actor=actor)
    return recipient


@transaction.atomic
def recipient_update(
    *, actor: Actor, recipient: Recipient, activity_keys: Iterable[str] | None = None, **changes: Any
) -> Recipient:
    """Change a recipient's details and, when ``activity_keys`` is given, its activities."""
    actor.require(Permission.PRIVACY_MANAGE)
    updated = _update(actor, recipient, changes, "recipient.update")
    if activity_keys is not None:
        updated.activities.set(_activities_by_key(actor, activity_keys))
        audit_record(actor=actor, action="recipient.update", instance=updated, changed_fields=["activities"])
    notice_versions_refresh(actor=actor)
    return updated


@transaction.atomic
def recipient_delete(*, actor: Actor, recipient: Recipient) -> None:
    """Remove a recipient that no longer receives data."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = Recipient.objects.select_for_update().get(pk=recipient.pk, workspace_id=actor.workspace_id)
    audit_record(actor=actor, action="recipient.delete", instance=locked)
    locked.delete()
    notice_versions_refresh(actor=actor)
