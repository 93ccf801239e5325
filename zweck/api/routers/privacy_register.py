"""/privacy/register: the records of processing, privacy notices, coverage and Fides export,
generated from the workspace's register, for members with ``privacy.view``."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from zweck.api.auth import actor_of
from zweck.privacy.documents import media_type, notice_document, ropa_document
from zweck.privacy.fides import fides_yaml
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


@router.get("/ropa", response={200: None})
def read_records_of_processing(request: HttpRequest, lang: Language = "de", format: Format = "html") -> Any:
    """The records of processing activities (Art. 30(1) GDPR)."""
    return _document(ropa_document(register_snapshot(actor=actor_of(request)), lang=lang, fmt=format), format)


@router.get("/notices/{subject}", response={200: None})
def read_privacy_notice(
    request: HttpRequest, subject: Subject, lang: Language = "de", format: Format = "html"
) -> Any:
    """The privacy notice for one group of data subjects (Art. 13 and 14 GDPR)."""
    snapshot = register_snapshot(actor=actor_of(request))
    return _document(notice_document(snapshot, subject=subject, lang=lang, fmt=format), format)


@router.get("/coverage", response=CoverageOut)
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


@router.get("/fides", response={200: None})
def read_fides_manifest(request: HttpRequest) -> Any:
    """The register as a Fides dataset and system manifest (YAML)."""
    return HttpResponse(
        fides_yaml(register_snapshot(actor=actor_of(request))), content_type="application/yaml; charset=utf-8"
    )


@router.post("/install-defaults", response=DefaultsInstalledOut)
def install_register_defaults(request: HttpRequest) -> Any:
    """Copy the shipped retention rules, activities and security measures into the workspace."""
    return register_defaults_install(actor=actor_of(request))
