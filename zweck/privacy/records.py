"""How a person names a record: "Call: Offer follow-up, 02.12.2026, 14:30".

Read from the register and the model's fields, never from a model's ``str()`` (which may be a
code or an id): a record reads as its kind (the display text of its first choice field), its
title (its first personal text, or the name of the record a reference points at) and its date
(its first date the user set). The subject's own record reads as their name. Used by the
erasure plan (values read from the row) and the access export (values as the export writes
them, with other people's details already masked).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from zweck.core.models import BASE_FIELDS
from zweck.core.register import ModelDeclaration, Personal, register
from zweck.privacy import labels
from zweck.privacy.subjects import is_shared, subject_declaration, subject_model

PHONE_CATEGORY = "user.contact.phone_number"
NAME_CATEGORY = "user.name"
TITLE_LENGTH = 80


def is_contact_data(model: Any) -> bool:
    """Whether ``model``'s rows belong to contacts (they read through their own words)."""
    declaration = register.get(model)
    return (
        declaration is not None and declaration.subject is not None and declaration.subject_kind == "contact"
    )


def named_reference(model_field: Any) -> bool:
    """A reference shown by the name of the row it points at: not a staff user, not a contact's
    record (those read through ``record_title``)."""
    return bool(model_field.many_to_one) and not (
        model_field.related_model is get_user_model() or is_contact_data(model_field.related_model)
    )


def personal_text(declaration: ModelDeclaration, name: str, value: str) -> str:
    declared = declaration.fields.get(name)
    if isinstance(declared, Personal) and declared.category == PHONE_CATEGORY:
        return labels.phone_text(value)
    return value


def record_title(
    declaration: ModelDeclaration,
    values: Mapping[str, Any],
    lang: str,
    *,
    references: Mapping[str, str] | None = None,
) -> str:
    """The record's name for people. ``values``: field name → value (as the row holds it or as
    an export writes it); ``references``: field name → the name of the row a reference points at."""
    model_fields = [f for f in declaration.model._meta.concrete_fields if f.name not in BASE_FIELDS]
    if declaration.subject == "self":
        parts = [
            str(values[f.name])
            for f in model_fields
            if isinstance(declaration.fields.get(f.name), Personal)
            and declaration.fields[f.name].category.startswith(NAME_CATEGORY)  # type: ignore[union-attr]
            and values.get(f.name)
        ]
        return " ".join(parts) or labels.model_label(declaration.model, lang)
    kind = title = when = ""
    kind_first = False
    for model_field in model_fields:
        value = values.get(model_field.name)
        if value is None or value == "":
            continue
        if model_field.choices and not kind:
            kind = labels.value_text(model_field, value, lang)
            kind_first = not title
        elif not title and model_field.many_to_one:
            title = (references or {}).get(model_field.name, "")
        elif (
            not title
            and isinstance(declaration.fields.get(model_field.name), Personal)
            and isinstance(value, str)
        ):
            shown = personal_text(declaration, model_field.name, value)
            title = shown if len(shown) <= TITLE_LENGTH else shown[: TITLE_LENGTH - 1] + "…"
        elif not when and isinstance(model_field, models.DateField) and model_field.editable:
            when = labels.value_text(model_field, value, lang)
    if kind and title:
        named = f"{kind}: {title}" if kind_first else f"{title} ({kind})"
    else:
        named = kind or title or labels.model_label(declaration.model, lang)
    return f"{named}, {when}" if when else named


def row_title(declaration: ModelDeclaration, row: models.Model, lang: str) -> str:
    """``record_title`` of a row read from the database (its references selected with it)."""
    fields = declaration.model._meta.concrete_fields
    values = {f.name: getattr(row, f.attname) for f in fields}
    references = {
        f.name: str(getattr(row, f.name)) for f in fields if named_reference(f) and values[f.name] is not None
    }
    return record_title(declaration, values, lang, references=references)


LINK, PART = "link", "part"


def _is_contact_data(model: type[models.Model]) -> bool:
    declaration = register.get(model)
    return (
        declaration is not None and declaration.subject is not None and declaration.subject_kind == "contact"
    )


def owner_of(declaration: ModelDeclaration) -> tuple[str, type[models.Model], str] | None:
    """For rows that belong to another record (``LINK``: the link of an activity to one of its
    participants; ``PART``: an entry of a request's log): how, that record's model, and the
    field pointing at it."""
    if declaration.subject is None or declaration.subject == "self":
        return None
    for other in register:
        if other.subject is None or other.subject == "self" or other is declaration or not is_shared(other):
            continue
        first: Any = other.model._meta.get_field(other.subject.split("__")[0])
        through = getattr(first.remote_field, "through", None) if first.many_to_many else None
        if through is declaration.model:
            return LINK, other.model, first.m2m_field_name()
    path = declaration.subject.split("__")
    if len(path) > 1:
        step: Any = declaration.model._meta.get_field(path[0])
        target = step.related_model if step.many_to_one else None
        if target is not None and target is not subject_model() and register.get(target):
            return PART, target, step.name
    return None


def reading_order(declaration: ModelDeclaration) -> tuple[int, str]:
    """The subject first, then the data sets that belong to them alone, then shared ones."""
    if declaration is subject_declaration():
        return (0, "")
    return (
        1 if not is_shared(declaration) and "__" not in (declaration.subject or "") else 2,
        declaration.label,
    )
