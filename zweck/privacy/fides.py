"""The register as Fides manifests: a dataset (every table and column with its data categories)
and a system (one privacy declaration per processing activity), in YAML that fideslang parses.
"""

from __future__ import annotations

from typing import Any

import yaml
from fideslang.models import LegalBasisForProcessingEnum, SpecialCategoryLegalBasisEnum

from zweck.core.register import Personal, register
from zweck.privacy.choices import LegalBasis, TransferSafeguard
from zweck.privacy.defaults import SUBJECT_GROUP_PRESETS
from zweck.privacy.labels import retention_text
from zweck.privacy.selectors import RegisterSnapshot

# Not-personal columns are tagged as Fides tags its own operational data.
NOT_PERSONAL_CATEGORY = "system.operations"

_LEGAL_BASES = {
    LegalBasis.CONSENT: LegalBasisForProcessingEnum.CONSENT,
    LegalBasis.CONTRACT: LegalBasisForProcessingEnum.CONTRACT,
    LegalBasis.LEGAL_OBLIGATION: LegalBasisForProcessingEnum.LEGAL_OBLIGATION,
    LegalBasis.VITAL_INTERESTS: LegalBasisForProcessingEnum.VITAL_INTEREST,
    LegalBasis.PUBLIC_TASK: LegalBasisForProcessingEnum.PUBLIC_INTEREST,
    LegalBasis.LEGITIMATE_INTERESTS: LegalBasisForProcessingEnum.LEGITIMATE_INTEREST,
}
# Art. 9(2)(a)–(j) in the order fideslang lists them.
_SPECIAL_BASES = dict(zip("abcdefghij", SpecialCategoryLegalBasisEnum, strict=True))
_TRANSFER_BASES: dict[str, str] = {
    TransferSafeguard.ADEQUACY: "Adequacy Decision",
    TransferSafeguard.SCC: "SCCs",
}


def _fides_key(text: str) -> str:
    return "".join(character if character.isalnum() or character in "_.-" else "_" for character in text)


def dataset_key(snapshot: RegisterSnapshot) -> str:
    return _fides_key(f"zweck_{snapshot.workspace.slug}")


def dataset_manifest(snapshot: RegisterSnapshot) -> dict[str, Any]:
    collections = []
    for declaration in sorted(register, key=lambda item: item.model._meta.db_table):
        meta = declaration.model._meta
        fields = []
        for model_field in meta.concrete_fields:
            field_declaration = declaration.fields.get(model_field.name)
            personal = isinstance(field_declaration, Personal)
            entry: dict[str, Any] = {
                "name": model_field.column,
                "data_categories": [field_declaration.category if personal else NOT_PERSONAL_CATEGORY],  # type: ignore[union-attr]
            }
            if model_field.primary_key:
                entry["fides_meta"] = {"primary_key": True}
            fields.append(entry)
        collections.append({"name": meta.db_table, "description": declaration.label, "fields": fields})
    return {
        "fides_key": dataset_key(snapshot),
        "name": f"Zweck – {snapshot.workspace.name}",
        "description": "Every table and column of the CRM with its data categories, from the privacy register.",
        "collections": collections,
    }


def system_manifest(snapshot: RegisterSnapshot) -> dict[str, Any]:
    declared = register.categories_by_activity()
    transfer_bases = sorted(
        {_TRANSFER_BASES[r.safeguard] for r in snapshot.recipients if r.safeguard in _TRANSFER_BASES}
    )
    declarations = []
    for activity in snapshot.activities:
        if not activity.enabled:
            continue  # switched off: not a processing the system performs
        categories = sorted({*activity.data_categories, *declared.get(activity.key, ())})
        recipients = [recipient.name for recipient in activity.recipients.all()]
        declaration: dict[str, Any] = {
            "name": activity.name_en,
            "data_use": activity.data_use,
            "data_categories": categories,
            "data_subjects": sorted(
                {SUBJECT_GROUP_PRESETS[key].fides_subject for key in activity.subject_categories}
            ),
            "legal_basis_for_processing": _LEGAL_BASES[LegalBasis(activity.legal_basis)].value,
            "retention_period": retention_text(activity.retention, "en"),
            "dataset_references": [dataset_key(snapshot)],
            "data_shared_with_third_parties": bool(recipients),
        }
        if recipients:
            declaration["third_parties"] = ", ".join(recipients)
        if activity.special_category_condition:
            declaration["processes_special_category_data"] = True
            declaration["special_category_legal_basis"] = _SPECIAL_BASES[
                activity.special_category_condition
            ].value
        declarations.append(declaration)
    workspace = snapshot.workspace
    return {
        "fides_key": _fides_key(f"zweck_crm_{workspace.slug}"),
        "name": f"Zweck CRM – {workspace.name}",
        "description": "Customer-relationship management, with its processing activities from the privacy register.",
        "system_type": "Service",
        "legal_name": workspace.legal_name or workspace.name,
        "dpo": workspace.dpo_email or workspace.dpo_name or None,
        "responsibility": ["Controller"],
        "does_international_transfers": bool(transfer_bases),
        "legal_basis_for_transfers": transfer_bases,
        "dataset_references": [dataset_key(snapshot)],
        "privacy_declarations": declarations,
    }


def fides_manifest(snapshot: RegisterSnapshot) -> dict[str, list[dict[str, Any]]]:
    """The manifests as one document, the shape Fides reads from ``.fides/*.yml``."""
    return {"dataset": [dataset_manifest(snapshot)], "system": [system_manifest(snapshot)]}


def fides_yaml(snapshot: RegisterSnapshot) -> str:
    return yaml.safe_dump(fides_manifest(snapshot), allow_unicode=True, sort_keys=False)
