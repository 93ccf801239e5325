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
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.core.register import register
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
    for key in defaults.RETENTION_PRESETS:
        if key not in rules:
            rules[key] = _create(actor, defaults.preset_rule(key), "retention_rule.create")
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


def shipped_activity_keys() -> frozenset[str]:
    """The keys of the activities Zweck ships: the defaults, which the register's declarations
    name. A workspace may add activities of its own beside them, but never under these keys."""
    declared = {key for declaration in register for key in declaration.activity_keys()}
    return frozenset({*defaults.ACTIVITY_PRESETS, *declared})


def _workspace_rule(actor: Actor, retention: RetentionRule | str) -> RetentionRule | None:
    """The retention rule ``retention`` (a row or its key) names in the actor's workspace."""
    key = retention.key if isinstance(retention, RetentionRule) else retention
    rule = RetentionRule.objects.in_workspace(actor.workspace_id).filter(key=key).first()
    if rule is None or (isinstance(retention, RetentionRule) and retention.pk != rule.pk):
        return None
    return rule


@transaction.atomic
def processing_activity_create(
    *,
    actor: Actor,
    key: str,
    name_en: str,
    name_de: str,
    purpose_en: str,
    purpose_de: str,
    legal_basis: str,
    subject_categories: Iterable[str],
    data_categories: Iterable[str],
    retention: RetentionRule | str,
    data_use: str,
    legitimate_interest_en: str = "",
    legitimate_interest_de: str = "",
    special_category_condition: str = "",
    recipient_categories_en: str = "",
    recipient_categories_de: str = "",
    provision_en: str = "",
    provision_de: str = "",
    enabled: bool = True,
) -> ProcessingActivity:
    """Add a processing activity of the workspace's own (a purpose none of the shipped ones
    covers): it appears in the records of processing and in the notices of its groups.

    ``key`` is a new slug in the workspace and none of the shipped keys; ``retention`` a rule of
    the workspace (the row or its key). No declared field serves the activity, so it names the
    data categories it processes itself. The row validates as every activity does: a legal
    basis, the legitimate interests a point (f) basis needs, fideslang categories and use."""
    actor.require(Permission.PRIVACY_MANAGE)
    rule = _workspace_rule(actor, retention)
    activity = ProcessingActivity(
        workspace_id=actor.workspace_id,
        key=key,
        name_en=name_en,
        name_de=name_de,
        purpose_en=purpose_en,
        purpose_de=purpose_de,
        legal_basis=legal_basis,
        legitimate_interest_en=legitimate_interest_en,
        legitimate_interest_de=legitimate_interest_de,
        special_category_condition=special_category_condition,
        subject_categories=list(dict.fromkeys(subject_categories)),
        data_categories=list(dict.fromkeys(data_categories)),
        recipient_categories_en=recipient_categories_en,
        recipient_categories_de=recipient_categories_de,
        provision_en=provision_en,
        provision_de=provision_de,
        retention=rule,
        data_use=data_use,
        enabled=enabled,
    )
    # Every problem at once, each at its field: the row's own validation and what only a new
    # activity must meet. The unique key is checked here, with a message that says so.
    errors: dict[str, list[str]] = {}
    try:
        activity.full_clean(exclude=["retention"] if rule is None else None, validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if "key" not in errors:
        if ProcessingActivity.objects.in_workspace(actor.workspace_id).filter(key=key).exists():
            errors["key"] = [
                _("This workspace already has a processing activity with the key %(key)s.") % {"key": key}
            ]
        elif key in shipped_activity_keys():
            errors["key"] = [
                _(
                    "%(key)s is the key of a processing activity Zweck ships; install the shipped "
                    "defaults to get it, or choose another key."
                )
                % {"key": key}
            ]
    if not activity.data_categories and "data_categories" not in errors:
        # No declared field serves an activity of the workspace's own: it names its data itself.
        errors["data_categories"] = [_("Name the categories of personal data the activity processes.")]
    if rule is None:
        errors["retention"] = [_("There is no retention rule with this key.")]
    if errors:
        raise ValidationError(errors)
    try:
        # A concurrent request may have taken the key since the check above.
        with transaction.atomic():
            created = _create(actor, activity, "processing_activity.create")
    except IntegrityError as error:
        raise ValidationError(
            {
                "key": _("This workspace already has a processing activity with the key %(key)s.")
                % {"key": key}
            }
        ) from error
    notice_versions_refresh(actor=actor)
    return created


@transaction.atomic
def processing_activity_delete(*, actor: Actor, activity: ProcessingActivity) -> None:
    """Remove an activity the workspace added itself; it leaves the documents and the recipients
    that received data for it. A shipped activity is refused: the register's declarations refer
    to it, so it is switched off instead."""
    actor.require(Permission.PRIVACY_MANAGE)
    if activity.key in shipped_activity_keys():
        raise ValidationError(
            _(
                "%(name)s is shipped with Zweck and the register's declarations refer to it, so it "
                "cannot be deleted. Switch it off instead."
            )
            % {"name": activity.name_de if _german() else activity.name_en}
        )
    locked = ProcessingActivity.objects.select_for_update().get(
        pk=activity.pk, workspace_id=actor.workspace_id
    )
    recipients = list(locked.recipients.order_by("pk"))
    audit_record(actor=actor, action="processing_activity.delete", instance=locked)
    locked.delete()
    for recipient in recipients:
        audit_record(
            actor=actor, action="recipient.update", instance=recipient, changed_fields=["activities"]
        )
    notice_versions_refresh(actor=actor)


def _german() -> bool:
    return (get_language() or "").startswith("de")


@transaction.atomic
def processing_activity_update(
    *, actor: Actor, activity: ProcessingActivity, **changes: Any
) -> ProcessingActivity:
    """Change an activity's purpose, legal basis, interests, categories, retention, ..."""
    actor.require(Permission.PRIVACY_MANAGE)
    if (
        "data_categories" in changes
        and not changes["data_categories"]
        and activity.key not in shipped_activity_keys()
    ):
        # Only the shipped activities have declared fields that name their data.
        raise ValidationError(
            {"data_categories": _("Name the categories of personal data the activity processes.")}
        )
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
