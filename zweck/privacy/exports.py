"""The access export (Art. 15 GDPR) and the portability export (Art. 20 GDPR), derived from the
register for every app.

Invariants:
- every row of every contact declaration whose subject path leads to one of the subject's
  person records is in the access export, with every field the register declares as the
  subject's (staff references are the employees' data and left out);
- free-text fields of the workspace that mention the subject for certain (``zweck.privacy.variants``)
  appear as excerpts, with other people's addresses, numbers and names masked; so do possible
  mentions the privacy officer confirmed on the request; dismissed ones do not;
- possible mentions not yet decided are listed (``possible_mentions``) by record, field and
  reason only, without any text: until confirmed they may be about someone else;
- rows shared with other subjects keep their other subjects' identities out: free text is
  passed through ``redact_others`` with the names of the other people on the row;
- each data set carries the Art. 15(1)(a)–(h) facts read from the workspace's register rows,
  naming the purposes in use for the subject's group (``purposes.applicable_activities``);
- data sets the register marks ``derived`` (a search index) are left out: they hold nothing
  that is not already in the export;
- the HTML and PDF documents name records and fields in words (``access_document``); the JSON
  keeps the machine keys;
- the portability export holds only fields declared ``provided`` in data sets processed, for the
  subject's group, on consent or contract.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from zweck.accounts.models import Workspace
from zweck.core import spreadsheet
from zweck.core.register import ModelDeclaration, Personal
from zweck.privacy import labels
from zweck.privacy.access_document import document_context
from zweck.privacy.choices import LegalBasis
from zweck.privacy.mentions import UNDECIDED, decisions_of, excerpt, find_mentions, redact_others, reviewed
from zweck.privacy.models import DataSubjectRequest, ProcessingActivity, RetentionRule
from zweck.privacy.purposes import PurposeMap, applicable_activities, groups_of, purpose_map
from zweck.privacy.request_models import RequestKind
from zweck.privacy.subjects import (
    Identifiers,
    contact_declarations,
    field_records,
    identifiers_of,
    in_workspace,
    is_shared,
    rows_of,
    subject_declaration,
    subject_ids_of_rows,
)

FORMATS = ("json", "html", "pdf", "zip")
PORTABILITY_FORMATS = ("json", "csv")
PORTABLE_BASES = frozenset({LegalBasis.CONSENT, LegalBasis.CONTRACT})
# What the export says of an undecided possible mention: where and why, never its words.
POSSIBLE_MENTION_KEYS = ("data_set", "name", "id", "field", "field_name", "reason", "reason_text")


class ExportError(ValueError):
    """The export cannot be produced as asked (an unknown format)."""


def formats_of(kind: str) -> tuple[str, ...]:
    """The formats a request of ``kind`` is exported in: a portability request gets the
    portability export (Art. 20), every other request the access export (Art. 15)."""
    return PORTABILITY_FORMATS if kind == RequestKind.PORTABILITY else FORMATS


def format_list(formats: tuple[str, ...]) -> str:
    """``JSON, HTML, PDF or ZIP``, in the interface language."""
    return str(get_text_list([name.upper() for name in formats]))


def export_choice_check(*, formats: tuple[str, ...], fmt: str, lang: str = "en") -> None:
    """Refuse a format outside ``formats`` or a language the exports are not written in, naming
    what is offered, before anything is read or logged."""
    errors = {}
    if fmt not in formats:
        errors["format"] = _("This export is offered as %(formats)s.") % {"formats": format_list(formats)}
    if lang not in labels.LANGUAGES:
        errors["lang"] = _("The export is written in %(languages)s.") % {
            "languages": str(get_text_list(list(labels.LANGUAGES)))
        }
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class RegisterRows:
    activities: dict[str, ProcessingActivity]
    retention: dict[str, RetentionRule]
    # Which activities are in use, for which groups of subjects (purpose limitation).
    purposes: PurposeMap


def _register_rows(workspace_id: int) -> RegisterRows:
    activities = (
        ProcessingActivity.objects.filter(workspace_id=workspace_id)
        .select_related("retention")
        .prefetch_related("recipients")
    )
    return RegisterRows(
        activities={activity.key: activity for activity in activities},
        retention={rule.key: rule for rule in RetentionRule.objects.filter(workspace_id=workspace_id)},
        purposes=purpose_map(workspace_id),
    )


def _pick(row: Any, name: str, lang: str) -> str:
    return str(getattr(row, f"{name}_{lang}", "") or getattr(row, f"{name}_en", ""))


def data_set_facts(
    declaration: ModelDeclaration, rows: RegisterRows, lang: str, groups: Iterable[str] = ()
) -> dict[str, Any]:
    """Art. 15(1)(a)–(h) for one data set: purposes, categories, recipients, storage, ... The
    purposes are those that apply to the subject's ``groups`` (``applicable_activities``)."""
    keys = applicable_activities(declaration, rows.purposes, groups)
    activities = [rows.activities[key] for key in keys if key in rows.activities]
    rule = rows.retention.get(declaration.retention or "")
    recipients: dict[str, dict[str, str]] = {}
    for activity in activities:
        for recipient in activity.recipients.all():
            recipients[recipient.name] = {
                "name": recipient.name,
                "role": labels.role_text(recipient.role, lang),
                "country": labels.country_text(recipient.country, lang),
                "safeguard": labels.safeguard_text(recipient.safeguard, lang) if recipient.safeguard else "",
            }
    categories = sorted({personal.category for personal in declaration.subject_fields().values()})
    return {
        "purposes": [
            {
                "name": _pick(activity, "name", lang),
                "purpose": _pick(activity, "purpose", lang),
                "legal_basis": labels.legal_basis_text(activity.legal_basis, lang),
                "legitimate_interest": _pick(activity, "legitimate_interest", lang),
            }
            for activity in activities
        ],
        "categories": [labels.data_category_text(key, lang) for key in categories],
        "recipients": sorted(recipients.values(), key=lambda r: r["name"]),
        "recipient_categories": sorted(
            {_pick(activity, "recipient_categories", lang) for activity in activities} - {""}
        ),
        "retention": labels.retention_text(rule, lang) if rule else "",
        "retention_source": _pick(rule, "legal_source", lang) if rule else "",
    }


def _other_names(
    declaration: ModelDeclaration, workspace_id: int, row_ids: list[int], own: set[int]
) -> dict[int, list[str]]:
    """For shared rows, the names of the other subjects on each row (to mask them in free text)."""
    if not is_shared(declaration) or not declaration.free_text_fields():
        return {}
    subjects = subject_ids_of_rows(declaration, workspace_id=workspace_id, row_ids=row_ids)
    others = {pk for ids in subjects.values() for pk in ids} - own
    if not others:
        return {}
    people = {p.pk: str(p) for p in in_workspace(subject_declaration(), workspace_id).filter(pk__in=others)}
    return {row_id: [people[pk] for pk in ids - own if pk in people] for row_id, ids in subjects.items()}


def _redacted(
    record: dict[str, Any], free_text: list[str], identifiers: Identifiers, other_names: list[str]
) -> dict[str, Any]:
    """``record`` with other people's addresses, numbers and names masked in its free text."""
    for name in free_text:
        value = record.get(name)
        if isinstance(value, str) and value:
            record[name] = redact_others(value, identifiers=identifiers, other_names=other_names)
    return record


def _visible_fields(declaration: ModelDeclaration) -> list[str]:
    """The fields an export shows: the subject's personal fields and the row's plain facts
    (dates, amounts, states), but no staff references and no internal search documents."""
    subject_fields = declaration.subject_fields()
    names = []
    for model_field in declaration.model._meta.concrete_fields:
        name = model_field.name
        declared = declaration.fields.get(name)
        if name in ("id", "workspace"):
            continue
        if isinstance(declared, Personal):
            if name in subject_fields and not name.endswith("search_text"):
                names.append(name)
        else:
            names.append(name)
    return names


def _controller(workspace: Workspace) -> dict[str, str]:
    return {
        "name": workspace.legal_name or workspace.name,
        "address": ", ".join(
            p for p in (workspace.street, f"{workspace.postal_code} {workspace.city}".strip()) if p
        ),
        "email": workspace.email,
        "dpo_name": workspace.dpo_name,
        "dpo_email": workspace.dpo_email,
        "supervisory_authority": workspace.supervisory_authority,
        "supervisory_authority_url": getattr(workspace, "supervisory_authority_url", "") or "",
    }


def access_data(
    *,
    workspace: Workspace,
    person_ids: list[int],
    lang: str = "en",
    request: DataSubjectRequest | None = None,
) -> dict[str, Any]:
    """The machine-readable access export of the subjects ``person_ids`` (several records of one
    person where the register holds duplicates), with the decisions on possible mentions taken
    on ``request``."""
    workspace_id = workspace.pk
    own = set(person_ids)
    identifiers = identifiers_of(workspace_id=workspace_id, person_ids=own)
    register_rows = _register_rows(workspace_id)
    groups = groups_of(workspace_id, own)
    data_sets = []
    seen: set[tuple[str, int]] = set()
    for declaration in contact_declarations():
        if declaration.derived:
            continue  # computed from the data listed here (a search index): nothing of its own
        names = _visible_fields(declaration)
        rows = field_records(
            declaration, rows_of(declaration, workspace_id=workspace_id, person_ids=own), names
        )
        if not rows:
            continue
        others = _other_names(declaration, workspace_id, [row["id"] for row in rows], own)
        free_text = [name for name in declaration.free_text_fields() if name in names]
        records = []
        for row in rows:
            seen.add((declaration.label, row["id"]))
            records.append(_redacted(row, free_text, identifiers, others.get(row["id"], [])))
        data_sets.append(
            {
                "data_set": declaration.label,
                "name": str(declaration.model._meta.verbose_name_plural),
                "facts": data_set_facts(declaration, register_rows, lang, groups),
                "fields": names,
                "rows": records,
            }
        )
    found = find_mentions(workspace_id=workspace_id, identifiers=identifiers, include_held=False)
    mentions = [
        {
            "data_set": mention.declaration.label,
            "name": str(mention.declaration.model._meta.verbose_name),
            "id": mention.row_id,
            "field": mention.field,
            "excerpt": excerpt(mention.text, identifiers=identifiers),
        }
        for mention in found.certain
        if (mention.declaration.label, mention.row_id) not in seen
    ]
    listed = {(mention["data_set"], mention["id"], mention["field"]) for mention in mentions}
    possible_mentions = []
    unexported = [m for m in found.possible if (m.declaration.label, m.row_id) not in seen]
    for reviewed_mention in reviewed(unexported, identifiers=identifiers, decisions=decisions_of(request)):
        mention = reviewed_mention.mention
        where = (mention.declaration.label, mention.row_id, mention.field)
        if reviewed_mention.confirmed and where not in listed:
            listed.add(where)
            mentions.append(
                {
                    "data_set": where[0],
                    "name": str(mention.declaration.model._meta.verbose_name),
                    "id": mention.row_id,
                    "field": mention.field,
                    "excerpt": reviewed_mention.excerpt,
                }
            )
        elif reviewed_mention.decision == UNDECIDED:
            with translation.override(lang):
                described = {**reviewed_mention.as_dict(), "data_set": where[0]}
            possible_mentions.append({key: described[key] for key in POSSIBLE_MENTION_KEYS})
    own_model = subject_declaration().model
    disclosures = _disclosures(workspace_id, own, lang)
    with translation.override(lang):
        sources = sorted(
            {
                str(person.get_source_display()) if hasattr(person, "get_source_display") else ""
                for person in in_workspace(subject_declaration(), workspace_id).filter(pk__in=own)
            }
            - {""}
        )
    with translation.override(lang):
        rights = [labels.text(key, lang) for key in labels.RIGHTS]
    return {
        "generated_at": timezone.now().isoformat(),
        "language": lang,
        "controller": _controller(workspace),
        "subject_records": sorted(own),
        "subject_model": own_model._meta.label,
        "sources": sources,
        # Art. 15(1)(h): Zweck makes no automated decisions about anyone.
        "automated_decision_making": "Keine" if lang == "de" else "None",
        "rights": rights,
        "data_sets": data_sets,
        "mentions": mentions,
        "possible_mentions": possible_mentions,
        # Art. 15(1)(c): the recipients the data was actually disclosed to, when and why.
        "disclosures": disclosures,
    }


def _disclosures(workspace_id: int, person_ids: set[int], lang: str) -> list[dict[str, str]]:
    from zweck.privacy.disclosures import disclosures_of

    with translation.override(lang):
        return [
            {
                "recipient": disclosure.recipient.name,
                "role": labels.role_text(disclosure.recipient.role, lang),
                "country": labels.country_text(disclosure.recipient.country, lang),
                "disclosed_on": disclosure.disclosed_on.isoformat(),
                "purpose": str(disclosure.get_purpose_display()),
                "categories": ", ".join(
                    labels.data_category_text(key, lang) for key in disclosure.categories
                ),
            }
            for disclosure in disclosures_of(workspace_id=workspace_id, person_ids=person_ids)
        ]


def access_export(
    *,
    workspace: Workspace,
    person_ids: list[int],
    fmt: str = "json",
    lang: str = "en",
    request: DataSubjectRequest | None = None,
) -> bytes:
    """The access export as bytes: ``json``, a readable ``html`` or ``pdf`` report, or a ``zip``
    with the JSON and the PDF."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format {fmt!r}; use {', '.join(FORMATS)}.")
    data = access_data(workspace=workspace, person_ids=person_ids, lang=lang, request=request)
    return render_access(data, fmt)


def render_access(data: dict[str, Any], fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2).encode()
    with translation.override(data["language"]):
        html = render_to_string("privacy/access_export.html", document_context(data))
    if fmt == "html":
        return html.encode()
    from weasyprint import HTML

    pdf = bytes(HTML(string=html).write_pdf())
    if fmt == "pdf":
        return pdf
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("access-export.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("access-export.html", html)
        archive.writestr("access-export.pdf", pdf)
    return buffer.getvalue()


def portable(declaration: ModelDeclaration, register_rows: RegisterRows, groups: Iterable[str] = ()) -> bool:
    """Art. 20(1)(a): the data set is processed, for the subject's ``groups``, on consent or on a
    contract."""
    bases = {
        register_rows.activities[key].legal_basis
        for key in applicable_activities(declaration, register_rows.purposes, groups)
        if key in register_rows.activities
    }
    return bool(bases) and bool(bases & PORTABLE_BASES)


def portability_data(*, workspace: Workspace, person_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """What the subject provided, in data sets processed on consent or contract (Art. 20 GDPR)."""
    register_rows = _register_rows(workspace.pk)
    groups = groups_of(workspace.pk, person_ids)
    result: dict[str, list[dict[str, Any]]] = {}
    for declaration in contact_declarations():
        provided = declaration.provided_fields()
        if not provided or not portable(declaration, register_rows, groups):
            continue
        rows = rows_of(declaration, workspace_id=workspace.pk, person_ids=person_ids)
        records = [
            {name: record[name] for name in provided} for record in field_records(declaration, rows, provided)
        ]
        if records:
            result[declaration.label] = records
    return result


def portability_export(*, workspace: Workspace, person_ids: list[int], fmt: str = "json") -> bytes:
    """The portability export: one JSON document, or a CSV of (data set, row, field, value)."""
    if fmt not in PORTABILITY_FORMATS:
        raise ExportError(f"Unknown format {fmt!r}; use json or csv.")
    data = portability_data(workspace=workspace, person_ids=person_ids)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2).encode()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["data_set", "row", "field", "value"])
    for label, records in data.items():
        for index, record in enumerate(records, start=1):
            for name, value in record.items():
                writer.writerow(spreadsheet.row([label, index, name, "" if value is None else value]))
    return buffer.getvalue().encode()


def media_type(fmt: str) -> str:
    return {
        "json": "application/json",
        "html": "text/html; charset=utf-8",
        "pdf": "application/pdf",
        "zip": "application/zip",
        "csv": "text/csv; charset=utf-8",
    }[fmt]
