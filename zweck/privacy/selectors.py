"""Reads of the register: the workspace's rows, one snapshot for the generated documents, and
the coverage report the privacy officer's page shows. Scoped to the actor's workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.core.permissions import Permission
from zweck.core.register import register
from zweck.privacy.choices import TransferSafeguard
from zweck.privacy.defaults import NOTICE_SUBJECTS
from zweck.privacy.labels import data_category_text
from zweck.privacy.models import ProcessingActivity, Recipient, RetentionRule, SecurityMeasure
from zweck.privacy.purposes import group_name, purpose_map


def processing_activity_list(*, actor: Actor) -> QuerySet[ProcessingActivity]:
    return (
        ProcessingActivity.objects.visible_to(actor, Permission.PRIVACY_VIEW)
        .select_related("retention")
        .prefetch_related(Prefetch("recipients", queryset=Recipient.objects.order_by("name")))
        .order_by("key")
    )


def retention_rule_list(*, actor: Actor) -> QuerySet[RetentionRule]:
    return RetentionRule.objects.visible_to(actor, Permission.PRIVACY_VIEW).order_by("key")


def recipient_list(*, actor: Actor) -> QuerySet[Recipient]:
    return (
        Recipient.objects.visible_to(actor, Permission.PRIVACY_VIEW)
        .prefetch_related(Prefetch("activities", queryset=ProcessingActivity.objects.order_by("key")))
        .order_by("name")
    )


def processing_activity_get(*, actor: Actor, key: str) -> ProcessingActivity:
    """One activity of the actor's workspace by its key; ``DoesNotExist`` for any other."""
    return processing_activity_list(actor=actor).get(key=key)


def retention_rule_get(*, actor: Actor, key: str) -> RetentionRule:
    """One retention rule of the actor's workspace by its key; ``DoesNotExist`` for any other."""
    return retention_rule_list(actor=actor).get(key=key)


def recipient_get(*, actor: Actor, recipient_id: int) -> Recipient:
    """One recipient of the actor's workspace; ``DoesNotExist`` for another workspace's."""
    return recipient_list(actor=actor).get(pk=recipient_id)


def security_measure_list(*, actor: Actor) -> QuerySet[SecurityMeasure]:
    return SecurityMeasure.objects.visible_to(actor, Permission.PRIVACY_VIEW).order_by("key")


@dataclass(frozen=True)
class RegisterSnapshot:
    """Everything the generated documents are built from: the controller and its register."""

    workspace: Workspace
    activities: list[ProcessingActivity]
    retention_rules: list[RetentionRule]
    recipients: list[Recipient]
    security_measures: list[SecurityMeasure]
    taken_on: date


def snapshot_of(workspace: Workspace) -> RegisterSnapshot:
    """Workspace ``workspace``'s register as the workspace's own machinery reads it (for the
    public notices and their versions; no permission is asked for)."""
    system = Actor.system(workspace)
    return RegisterSnapshot(
        workspace=workspace,
        activities=list(processing_activity_list(actor=system)),
        retention_rules=list(retention_rule_list(actor=system)),
        recipients=list(recipient_list(actor=system)),
        security_measures=list(security_measure_list(actor=system)),
        taken_on=timezone.localdate(),
    )


def register_snapshot(*, actor: Actor) -> RegisterSnapshot:
    """The actor's workspace register, for the records of processing, notices and exports."""
    actor.require(Permission.PRIVACY_VIEW)
    return snapshot_of(actor.workspace)


def workspace_by_slug(*, slug: str | None = None) -> Workspace:
    """The workspace named by ``slug``; without one, the installation's only workspace.
    ``Workspace.DoesNotExist`` when there is no such (single) workspace."""
    if slug:
        return Workspace.objects.get(slug=slug)
    only = list(Workspace.objects.order_by("pk")[:2])
    if len(only) != 1:
        raise Workspace.DoesNotExist("Name the workspace.")
    return only[0]


def published_register(*, workspace_slug: str | None = None) -> RegisterSnapshot:
    """The register behind a workspace's public privacy notices. Art. 12(1), 13 and 14 GDPR
    make the notices public, so no permission is asked for."""
    return snapshot_of(workspace_by_slug(slug=workspace_slug))


@dataclass(frozen=True)
class CategoryFields:
    category: str
    name: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class RegisterCoverage:
    """The privacy officer's completeness check; every list but the first should be empty."""

    fields_by_category: list[CategoryFields]
    undeclared_fields: list[str]
    processing_without_legal_basis: list[str]
    personal_data_without_retention: list[str]
    transfers_without_safeguard: list[str]

    @property
    def is_complete(self) -> bool:
        return not (
            self.undeclared_fields
            or self.processing_without_legal_basis
            or self.personal_data_without_retention
            or self.transfers_without_safeguard
        )


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def register_coverage(*, actor: Actor) -> RegisterCoverage:
    """What the register covers for the actor's workspace, and every gap in it."""
    snapshot = register_snapshot(actor=actor)
    activity_keys = {activity.key for activity in snapshot.activities}
    rule_keys = {rule.key for rule in snapshot.retention_rules}

    by_category: dict[str, list[str]] = {}
    without_basis: list[str] = []
    without_retention: list[str] = []
    for declaration in register:
        for name, personal in declaration.personal_fields().items():
            by_category.setdefault(personal.category, []).append(f"{declaration.label}.{name}")
        if not declaration.subject_fields():
            continue
        if not declaration.activities:
            without_basis.append(
                _("%(model)s holds personal data but names no processing activity.")
                % {"model": declaration.label}
            )
        without_basis.extend(
            _("%(model)s: processing activity %(key)s is not set up in this workspace.")
            % {"model": declaration.label, "key": key}
            for key in declaration.activity_keys()
            if key not in activity_keys
        )
        if declaration.retention is None:
            without_retention.append(
                _("%(model)s holds personal data but names no retention rule.") % {"model": declaration.label}
            )
        elif declaration.retention not in rule_keys:
            without_retention.append(
                _("%(model)s: retention rule %(key)s is not set up in this workspace.")
                % {"model": declaration.label, "key": declaration.retention}
            )
    # Purpose limitation: every group of contacts the register's person records can belong to
    # needs a purpose in use for it, or their data is held for nothing.
    subject = next((d for d in register if d.subject == "self"), None)
    if subject is not None:
        purposes = purpose_map(actor.workspace_id)
        language = actor.user.language if actor.user is not None else "en"
        without_basis.extend(
            _("%(model)s: no processing activity in use applies to the group “%(group)s”.")
            % {"model": subject.label, "group": group_name(group, language)}
            for group in NOTICE_SUBJECTS
            if not purposes.for_groups(subject.activity_keys(), [group])
        )
    for activity in snapshot.activities:
        try:
            activity.clean()
        except ValidationError as error:
            without_basis.extend(_messages(error))
    for rule in snapshot.retention_rules:
        try:
            rule.clean()
        except ValidationError as error:
            without_retention.extend(_messages(error))
    without_safeguard = []
    for recipient in snapshot.recipients:
        if recipient.in_eea:
            continue
        if (
            recipient.safeguard in (TransferSafeguard.NONE, TransferSafeguard.EEA)
            or not recipient.safeguard_date
        ):
            without_safeguard.append(
                _("Recipient %(name)s (%(country)s) is outside the EU/EEA without a dated safeguard.")
                % {"name": recipient.name, "country": recipient.country}
            )

    language = actor.user.language if actor.user is not None else "en"
    return RegisterCoverage(
        fields_by_category=[
            CategoryFields(category=key, name=data_category_text(key, language), fields=tuple(sorted(fields)))
            for key, fields in sorted(by_category.items())
        ],
        undeclared_fields=register.undeclared_fields(apps.get_models(include_auto_created=True)),
        processing_without_legal_basis=without_basis,
        personal_data_without_retention=without_retention,
        transfers_without_safeguard=without_safeguard,
    )
