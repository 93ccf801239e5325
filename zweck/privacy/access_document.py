"""The access export as a document the data subject reads (HTML, and PDF from it).

Built from the machine-readable access data (``exports.access_data``), which stays as it is
for the JSON: records and fields are named by their verbose names, values shown as people
write them (dates and times in the document's language, choices by their text, yes/no,
localized numbers). Invariants:

- the Art. 15 information comes first, merged over all data sets (each purpose, category and
  recipient once; the storage period per kind of data), then the data, record by record;
- a row that only links the subject to another record (a participant of an activity, a
  contact of a deal) is shown with that record; a row of a record's log is counted there;
- entries of the append-only audit trail are counted, not listed (they hold ids only);
- nothing internal is shown: no model or field names, no codes, no record ids.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop as _noop

from zweck.core.register import ModelDeclaration, Personal, register
from zweck.privacy import labels
from zweck.privacy.records import (
    LINK,
    PART,
    named_reference,
    owner_of,
    personal_text,
    reading_order,
    record_title,
    row_title,
)
from zweck.privacy.subjects import subject_model

WORDS: dict[str, tuple[str, str]] = {
    # key: (English message id, German)
    "title": (_noop("Copy of your personal data"), "Kopie Ihrer personenbezogenen Daten"),
    "date": (_noop("Date"), "Datum"),
    "concerning": (_noop("Concerning"), "Betrifft"),
    "information": (
        _noop("Information about the processing of your data (Art. 15 GDPR)"),
        "Informationen über die Verarbeitung Ihrer Daten (Art. 15 DSGVO)",
    ),
    "your_data": (_noop("Your data"), "Ihre Daten"),
    "storage_per_kind": (_noop("Storage period"), "Speicherdauer"),
    "complaint": (_noop("Right to complain"), "Beschwerderecht"),
    "mentions": (_noop("Where other records mention you"), "Wo andere Datensätze Sie erwähnen"),
    "mentions_intro": (
        _noop("Excerpts from records about other matters that name you; other people's details are masked."),
        "Auszüge aus Datensätzen zu anderen Vorgängen, die Sie nennen; Angaben zu anderen Personen sind unkenntlich gemacht.",
    ),
    "audit": (_noop("Audit trail"), "Prüfprotokoll"),
    "audit_entries": (
        _noop("%(name)s: %(count)s (they hold record numbers only, never the content)"),
        "%(name)s: %(count)s (sie enthalten nur Datensatznummern, nie Inhalte)",
    ),
    "page": (_noop("Page"), "Seite"),
    "of": (_noop("of"), "von"),
    "none": (_noop("None"), "Keine"),
}


def word(key: str, lang: str, **values: str) -> str:
    text = labels.localized(*WORDS[key], lang)
    return text % values if values else text


def _declaration(label: str) -> ModelDeclaration:
    found = register.get(apps.get_model(label))
    assert found is not None
    return found


def _label(model_field: Any, lang: str) -> str:
    text = labels.field_label(model_field, lang)
    return text[:1].upper() + text[1:]


def _shown_fields(declaration: ModelDeclaration, names: list[str]) -> list[Any]:
    """The fields a record shows: not the link to the subject or to a staff user."""
    hidden = (subject_model(), get_user_model())
    return [
        model_field
        for name in names
        if not (
            (model_field := declaration.model._meta.get_field(name)).many_to_one
            and model_field.related_model in hidden
        )
    ]


def _reference_names(
    declaration: ModelDeclaration, fields: list[Any], rows: list[dict[str, Any]], lang: str
) -> dict[str, dict[Any, str]]:
    """For each reference by id: id → the name of the row it points at (one query per field)."""
    names: dict[str, dict[Any, str]] = {}
    for model_field in fields:
        if not model_field.many_to_one or isinstance(declaration.fields.get(model_field.name), Personal):
            continue  # a personal reference is already written by name
        ids = {row[model_field.name] for row in rows} - {None}
        related: Any = model_field.related_model
        if not ids:
            continue
        if named_reference(model_field):
            names[model_field.name] = {
                pk: str(row) for pk, row in related._default_manager.in_bulk(ids).items()
            }
        else:
            target = register.get(related)
            if target is None:
                continue
            found = related._default_manager.filter(pk__in=ids)
            names[model_field.name] = {row.pk: row_title(target, row, lang) for row in found}
    return names


def _value(
    declaration: ModelDeclaration,
    model_field: Any,
    row: dict[str, Any],
    references: dict[str, dict[Any, str]],
    lang: str,
) -> str:
    value = row.get(model_field.name)
    if model_field.many_to_one and model_field.name in references:
        return references[model_field.name].get(value, "")
    if (
        isinstance(value, str)
        and isinstance(model_field, (models.CharField, models.TextField))
        and not model_field.choices
    ):
        return personal_text(declaration, model_field.name, value)
    return labels.value_text(model_field, value, lang)


def _append_only(model: type[models.Model]) -> bool:
    from zweck.privacy.erasure import append_only

    return append_only(model)


def _records(data_sets: list[dict[str, Any]], lang: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The data sets as records of (label, value) pairs, and the audit trail's count lines."""
    shown: list[dict[str, Any]] = []
    by_row: dict[tuple[str, Any], dict[str, Any]] = {}
    attached: list[tuple[ModelDeclaration, dict[str, Any], tuple[str, type[models.Model], str]]] = []
    audit_lines: list[str] = []
    for data_set in sorted(data_sets, key=lambda item: reading_order(_declaration(item["data_set"]))):
        declaration = _declaration(data_set["data_set"])
        model = declaration.model
        if _append_only(model):
            name = labels.model_label(model, lang, plural=True)
            audit_lines.append(word("audit_entries", lang, name=name, count=str(len(data_set["rows"]))))
            continue
        owner = owner_of(declaration)
        if owner is not None:
            attached.append((declaration, data_set, owner))
            continue
        fields = _shown_fields(declaration, data_set["fields"])
        references = _reference_names(declaration, fields, data_set["rows"], lang)
        records = []
        for row in data_set["rows"]:
            titles = {name: refs.get(row.get(name), "") for name, refs in references.items()}
            titles |= {
                f.name: row[f.name] for f in fields if f.many_to_one and isinstance(row.get(f.name), str)
            }
            record: dict[str, Any] = {
                "title": record_title(declaration, row, lang, references=titles),
                "fields": [
                    (_label(f, lang), text)
                    for f in fields
                    if (text := _value(declaration, f, row, references, lang))
                ],
            }
            by_row[(model._meta.label, row["id"])] = record
            records.append(record)
        shown.append(
            {"heading": labels.model_label(model, lang, plural=len(records) > 1), "records": records}
        )
    for declaration, data_set, (how, owner_model, owner_field) in attached:
        fields = [
            f
            for f in _shown_fields(declaration, data_set["fields"])
            if not f.many_to_one and f.name not in ("created_at", "updated_at")
        ]
        counts: dict[Any, int] = defaultdict(int)
        loose: list[dict[str, Any]] = []
        for row in data_set["rows"]:
            owner_record = by_row.get((owner_model._meta.label, row.get(owner_field)))
            if owner_record is None:
                loose.append(row)
            elif how == LINK:
                owner_record["fields"] += [
                    (_label(f, lang), text) for f in fields if (text := _value(declaration, f, row, {}, lang))
                ]
            elif how == PART:
                counts[row.get(owner_field)] += 1
        for owner_id, count in counts.items():
            by_row[(owner_model._meta.label, owner_id)]["fields"].append(
                (labels.model_label(declaration.model, lang, plural=True), labels.number_text(count, lang))
            )
        if loose:
            records = [
                {
                    "title": record_title(declaration, row, lang),
                    "fields": [
                        (_label(f, lang), text)
                        for f in fields
                        if (text := _value(declaration, f, row, {}, lang))
                    ],
                }
                for row in loose
            ]
            shown.append(
                {
                    "heading": labels.model_label(declaration.model, lang, plural=len(records) > 1),
                    "records": records,
                }
            )
    return shown, audit_lines


def _information(data: dict[str, Any]) -> dict[str, Any]:
    """The Art. 15(1) facts over all data sets: each purpose, category and recipient once."""
    lang = data["language"]
    purposes: dict[str, dict[str, str]] = {}
    categories: set[str] = set()
    recipients: dict[str, dict[str, str]] = {}
    recipient_categories: set[str] = set()
    storage: dict[tuple[str, str], list[str]] = defaultdict(list)
    for data_set in data["data_sets"]:
        facts = data_set["facts"]
        for purpose in facts["purposes"]:
            purposes.setdefault(purpose["name"], purpose)
        categories.update(facts["categories"])
        recipients.update({recipient["name"]: recipient for recipient in facts["recipients"]})
        recipient_categories.update(facts["recipient_categories"])
        model = _declaration(data_set["data_set"]).model
        if (
            facts["retention"]
            and not _append_only(model)
            and owner_of(_declaration(data_set["data_set"])) is None
        ):
            storage[(facts["retention"], facts["retention_source"])].append(
                labels.model_label(model, lang, plural=True)
            )
    for disclosure in data.get("disclosures", []):
        # Art. 15(1)(c): a recipient the data was disclosed to is a recipient, whatever the data set.
        recipients.setdefault(
            disclosure["recipient"],
            {
                "name": disclosure["recipient"],
                "role": disclosure["role"],
                "country": disclosure["country"],
                "safeguard": "",
            },
        )
    return {
        "purposes": list(purposes.values()),
        "categories": sorted(categories),
        "recipients": sorted(recipients.values(), key=lambda recipient: recipient["name"]),
        "recipient_categories": sorted(recipient_categories),
        "storage": [
            {"kinds": ", ".join(kinds), "period": period, "source": source}
            for (period, source), kinds in storage.items()
        ],
    }


def document_context(data: dict[str, Any]) -> dict[str, Any]:
    """The template context of the access document for ``data`` (``exports.access_data``)."""
    lang = labels.language_of(data["language"])
    records, audit_lines = _records(data["data_sets"], lang)
    mentions = []
    for mention in data["mentions"]:
        model = apps.get_model(mention["data_set"])
        mentions.append(
            {
                "record": labels.model_label(model, lang),
                "field": labels.field_label(model._meta.get_field(mention["field"]), lang),
                "excerpt": mention["excerpt"],
            }
        )
    subject = records[0]["records"][0]["title"] if records and records[0]["records"] else ""
    return {
        "data": data,
        "lang": lang,
        "t": labels.texts(lang) | {key: word(key, lang) for key in WORDS if "%(" not in WORDS[key][0]},
        "date": labels.date_text(timezone.localdate(datetime.fromisoformat(data["generated_at"])), lang),
        "subject": subject,
        "information": _information(data),
        "records": records,
        "audit_lines": audit_lines,
        "mentions": mentions,
        "disclosures": [
            {**disclosure, "date": labels.date_text(date.fromisoformat(disclosure["disclosed_on"]), lang)}
            for disclosure in data.get("disclosures", [])
        ],
    }
