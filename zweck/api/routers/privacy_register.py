"""/privacy/register: the records of processing, privacy notices, coverage and Fides export,
generated from the workspace's register, for members with ``privacy.view``; and the register's
rows the privacy officer configures (recipients, processing activities, retention rules),
read with ``privacy.view`` and changed with ``privacy.manage``."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from zweck.accounts.actors import Actor
from zweck.api.auth import actor_of
from zweck.api.operations import NO_CONTENT, answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.api.schemas.privacy_register import (
    NoticeVersionOut,
    ProcessingActivityIn,
    ProcessingActivityOut,
    ProcessingActivityPatch,
    RecipientIn,
    RecipientOut,
    RecipientPatch,
    RegisterKey,
    RetentionRuleOut,
    RetentionRulePatch,
)
from zweck.privacy import selectors, services
from zweck.privacy.documents import media_type, ropa_document
from zweck.privacy.fides import fides_yaml
from zweck.privacy.models import RetentionRule
from zweck.privacy.notice_versions import notice_versions_of, published_notice, unified_diff
from zweck.privacy.selectors import register_coverage, register_snapshot
from zweck.privacy.services import register_defaults_install

router = Router(tags=["privacy register"])

Language = Literal["de", "en"]
Format = Literal["html", "md", "pdf"]
Subject = Literal["business_contact", "client_contact", "client_data_subject", "other_contact"]


class CategoryFieldsOut(Schema):
    category: str
    name: str
    fields: list[str]


class CoverageOut(Schema):
    is_complete: bool
    fields_by_category: list[CategoryFieldsOut]
    undeclared_fields: list[str]
    processing_without_legal_basis: list[str]
    personal_data_without_retention: list[str]
    transfers_without_safeguard: list[str]


class DefaultsInstalledOut(Schema):
    retention_rules: list[str]
    activities: list[str]
    security_measures: list[str]


def _document(body: str | bytes, fmt: str) -> HttpResponse:
    return HttpResponse(body, content_type=media_type(fmt))


@router.get("/ropa", response=answers(None))
def read_records_of_processing(request: HttpRequest, lang: Language = "de", format: Format = "html") -> Any:
    """The records of processing activities (Art. 30(1) GDPR)."""
    return _document(ropa_document(register_snapshot(actor=actor_of(request)), lang=lang, fmt=format), format)


@router.get("/notices/{subject}", response=answers(None))
def read_privacy_notice(
    request: HttpRequest, subject: Subject, lang: Language = "de", format: Format = "html"
) -> Any:
    """The privacy notice for one group of data subjects (Art. 13 and 14 GDPR)."""
    snapshot = register_snapshot(actor=actor_of(request))
    return _document(published_notice(snapshot, subject=subject, lang=lang, fmt=format), format)


@router.get("/notices/{subject}/versions", response=answers(list[NoticeVersionOut]))
def list_privacy_notice_versions(request: HttpRequest, subject: Subject, lang: Language = "de") -> Any:
    """Every published version of one notice, the newest first, each with its changes."""
    versions = notice_versions_of(actor=actor_of(request), subject=subject, lang=lang)
    return [
        {
            "subject": version.subject,
            "language": version.language,
            "number": version.number,
            "created_at": version.created_at,
            "digest": version.digest,
            "text": version.text,
            "changes": unified_diff(versions[index + 1] if index + 1 < len(versions) else None, version),
        }
        for index, version in enumerate(versions)
    ]


@router.get("/coverage", response=answers(CoverageOut))
def read_register_coverage(request: HttpRequest) -> Any:
    """What the register covers; every list but the first should be empty."""
    coverage = register_coverage(actor=actor_of(request))
    return {
        "is_complete": coverage.is_complete,
        "fields_by_category": [
            {"category": c.category, "name": c.name, "fields": list(c.fields)}
            for c in coverage.fields_by_category
        ],
        "undeclared_fields": coverage.undeclared_fields,
        "processing_without_legal_basis": coverage.processing_without_legal_basis,
        "personal_data_without_retention": coverage.personal_data_without_retention,
        "transfers_without_safeguard": coverage.transfers_without_safeguard,
    }


@router.get("/fides", response=answers(None))
def read_fides_manifest(request: HttpRequest) -> Any:
    """The register as a Fides dataset and system manifest (YAML)."""
    return HttpResponse(
        fides_yaml(register_snapshot(actor=actor_of(request))), content_type="application/yaml; charset=utf-8"
    )


@router.post("/install-defaults", response=answers(DefaultsInstalledOut))
def install_register_defaults(request: HttpRequest) -> Any:
    """Copy the shipped retention rules, activities and security measures into the workspace."""
    return register_defaults_install(actor=actor_of(request))


@router.get("/recipients", response=answers(Page[RecipientOut]))
def list_recipients(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """Everyone the workspace discloses personal data to, by name."""
    return page_of(selectors.recipient_list(actor=actor_of(request)), page)


@router.post("/recipients", response=answers(RecipientOut, 201))
def create_recipient(request: HttpRequest, payload: RecipientIn) -> Any:
    """Add a recipient; outside the EU/EEA only with a dated safeguard (Art. 44–46 GDPR)."""
    actor = actor_of(request)
    data = payload.model_dump()
    with transaction.atomic():
        recipient = services.recipient_create(actor=actor, activity_keys=data.pop("activities"), **data)
        return Status(201, selectors.recipient_get(actor=actor, recipient_id=recipient.pk))


@router.get("/recipients/{recipient_id}", response=answers(RecipientOut))
def read_recipient(request: HttpRequest, recipient_id: ObjectId) -> Any:
    return selectors.recipient_get(actor=actor_of(request), recipient_id=recipient_id)


@router.patch("/recipients/{recipient_id}", response=answers(RecipientOut))
def update_recipient(request: HttpRequest, recipient_id: ObjectId, payload: RecipientPatch) -> Any:
    """Change a recipient; fields left out stay as they are, an activity list replaces the stored one."""
    actor = actor_of(request)
    data = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        services.recipient_update(
            actor=actor,
            recipient=selectors.recipient_get(actor=actor, recipient_id=recipient_id),
            activity_keys=data.pop("activities", None),
            **data,
        )
        return selectors.recipient_get(actor=actor, recipient_id=recipient_id)


@router.delete("/recipients/{recipient_id}", response=NO_CONTENT)
def delete_recipient(request: HttpRequest, recipient_id: ObjectId) -> Any:
    """Remove a recipient that no longer receives data."""
    actor = actor_of(request)
    services.recipient_delete(
        actor=actor, recipient=selectors.recipient_get(actor=actor, recipient_id=recipient_id)
    )
    return Status(204, None)


@router.get("/activities", response=answers(Page[ProcessingActivityOut]))
def list_processing_activities(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """The workspace's processing activities, by key."""
    return page_of(selectors.processing_activity_list(actor=actor_of(request)), page)


@router.post("/activities", response=answers(ProcessingActivityOut, 201))
def create_processing_activity(request: HttpRequest, payload: ProcessingActivityIn) -> Any:
    """Add a processing activity of the workspace's own; the notices of its groups name it."""
    actor = actor_of(request)
    with transaction.atomic():
        activity = services.processing_activity_create(actor=actor, **payload.model_dump())
        return Status(201, selectors.processing_activity_get(actor=actor, key=activity.key))


@router.get("/activities/{key}", response=answers(ProcessingActivityOut))
def read_processing_activity(request: HttpRequest, key: RegisterKey) -> Any:
    return selectors.processing_activity_get(actor=actor_of(request), key=key)


def _retention_rule(actor: Actor, key: str) -> RetentionRule:
    try:
        return selectors.retention_rule_get(actor=actor, key=key)
    except RetentionRule.DoesNotExist as error:
        raise ValidationError({"retention": _("There is no retention rule with this key.")}) from error


@router.patch("/activities/{key}", response=answers(ProcessingActivityOut))
def update_processing_activity(
    request: HttpRequest, key: RegisterKey, payload: ProcessingActivityPatch
) -> Any:
    """Change an activity's texts, legal basis, categories or retention rule; the key stays."""
    actor = actor_of(request)
    data = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        activity = selectors.processing_activity_get(actor=actor, key=key)
        if "retention" in data:
            data["retention"] = _retention_rule(actor, data["retention"])
        services.processing_activity_update(actor=actor, activity=activity, **data)
        return selectors.processing_activity_get(actor=actor, key=key)


@router.delete("/activities/{key}", response=NO_CONTENT)
def delete_processing_activity(request: HttpRequest, key: RegisterKey) -> Any:
    """Remove an activity the workspace added; a shipped one is refused (switch it off instead)."""
    actor = actor_of(request)
    services.processing_activity_delete(
        actor=actor, activity=selectors.processing_activity_get(actor=actor, key=key)
    )
    return Status(204, None)


@router.get("/retention-rules", response=answers(Page[RetentionRuleOut]))
def list_retention_rules(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """The workspace's retention rules, by key."""
    return page_of(selectors.retention_rule_list(actor=actor_of(request)), page)


@router.get("/retention-rules/{key}", response=answers(RetentionRuleOut))
def read_retention_rule(request: HttpRequest, key: RegisterKey) -> Any:
    return selectors.retention_rule_get(actor=actor_of(request), key=key)


@router.patch("/retention-rules/{key}", response=answers(RetentionRuleOut))
def update_retention_rule(request: HttpRequest, key: RegisterKey, payload: RetentionRulePatch) -> Any:
    """Change a rule's period, the event it counts from, or its source; the key stays."""
    actor = actor_of(request)
    with transaction.atomic():
        services.retention_rule_update(
            actor=actor,
            rule=selectors.retention_rule_get(actor=actor, key=key),
            **payload.model_dump(exclude_unset=True),
        )
        return selectors.retention_rule_get(actor=actor, key=key)
