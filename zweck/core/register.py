"""The privacy register: what every field of every model is, and why it is kept.

It lives in ``core``, below every domain app, so that an app can declare its models without
depending on another domain app. Each app declares its models in ``<app>/privacy.py``; this module holds the declaration
types and the registry they land in. Invariants:

- every concrete field of every installed model is declared — as personal data with a
  fideslang data category, or as not personal (``test_register_complete`` enforces it);
- data categories are keys of the fideslang default taxonomy; unknown keys are refused
  when the declaration is made, naming the model and field;
- every processing activity and retention rule a declaration names is one of the shipped
  defaults (``zweck/privacy/defaults.py``, checked through ``add_reference_check``), so
  every workspace has a row for it;
- exports, erasure, retention and the generated notices read this registry and nothing
  else, so a new field is handled correctly the moment it is declared.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models


class RegisterError(ValueError):
    """A declaration is wrong; the message names the declaration."""


# Where a retention clock reads its date: a field lookup or an expression (see ``ModelDeclaration.clock``).
ClockSource = str | models.Expression | models.Func | models.Aggregate


@cache
def data_category_keys() -> frozenset[str]:
    """The fides keys of the default taxonomy's data categories."""
    from fideslang import DEFAULT_TAXONOMY

    return frozenset(item.fides_key for item in DEFAULT_TAXONOMY.data_category)


@cache
def data_use_keys() -> frozenset[str]:
    """The fides keys of the default taxonomy's data uses that are not deprecated."""
    from fideslang import DEFAULT_TAXONOMY

    return frozenset(item.fides_key for item in DEFAULT_TAXONOMY.data_use if not item.version_deprecated)


# Art. 9(1) GDPR: the taxonomy's branches that hold special categories of personal data.
SPECIAL_CATEGORY_PREFIXES = (
    "user.health_and_medical",
    "user.biometric",
    "user.authorization.biometric",
    "user.demographic.race_ethnicity",
    "user.demographic.religious_belief",
    "user.demographic.political_opinion",
    "user.demographic.sexual_orientation",
)


def is_special_category(category: str) -> bool:
    return any(
        category == prefix or category.startswith(prefix + ".") for prefix in SPECIAL_CATEGORY_PREFIXES
    )


ReferenceCheck = Callable[[str, tuple[str, ...], str | None], list[str]]
_reference_checks: list[ReferenceCheck] = []


def add_reference_check(check: ReferenceCheck) -> None:
    """Let the app that owns the processing activities and retention rules (``privacy``)
    check the keys every declaration names; registered before any ``privacy.py`` is loaded."""
    if check not in _reference_checks:
        _reference_checks.append(check)


def reference_errors(label: str, activities: Iterable[str], retention: str | None) -> list[str]:
    """Why the activity and retention keys of declaration ``label`` are not known."""
    keys = tuple(activities)
    return [error for check in _reference_checks for error in check(label, keys, retention)]


CollectionPolicy = Callable[[int, type[models.Model]], frozenset[str]]
_collection_policies: list[CollectionPolicy] = []


def add_collection_policy(policy: CollectionPolicy) -> None:
    """Let the app that keeps the workspaces' processing activities (``privacy``) say which
    fields of a model a workspace no longer collects, because every purpose they serve is off."""
    if policy not in _collection_policies:
        _collection_policies.append(policy)


def uncollected_fields(workspace_id: int, model: type[models.Model]) -> frozenset[str]:
    """The fields of ``model`` that workspace ``workspace_id`` does not collect: a service
    refuses a value for them, a form leaves them out."""
    names: set[str] = set()
    for policy in _collection_policies:
        names |= policy(workspace_id, model)
    return frozenset(names)


class Mask(enum.StrEnum):
    """How anonymization overwrites a personal field."""

    BLANK = "blank"  # empty string / NULL
    REDACT = "redact"  # a fixed marker text, keeping the field non-empty
    HASH = "hash"  # a keyed hash, keeping equality without the value
    NONE = "none"  # the value is deleted with the row, never masked on its own


class Erasure(enum.StrEnum):
    """What erasing a subject does to a row that belongs to them."""

    DELETE = "delete"
    ANONYMIZE = "anonymize"
    HOLD = "hold"  # kept under a statutory hold (see the retention rule), restricted meanwhile


@dataclass(frozen=True)
class Personal:
    """A field that holds personal data.

    ``provided``: the subject gave us this value (portability exports it, Art. 20).
    ``mask``: what anonymization writes here.
    ``free_text``: may mention other people; searched for mentions, redacted on erasure.
    ``activities``: the processing activities this field serves when they are not the model's
    (a call's recording flag serves only the recording of calls); empty: the model's. A field
    whose every activity a workspace has switched off is not collected there.
    """

    category: str
    provided: bool = False
    mask: Mask = Mask.BLANK
    free_text: bool = False
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class NotPersonal:
    """A field that holds no personal data (ids, flags, amounts, timestamps of the row)."""

    reason: str = ""


NOT_PERSONAL = NotPersonal()


FieldDeclaration = Personal | NotPersonal


@dataclass(frozen=True)
class ModelDeclaration:
    """How one model relates to data subjects, and what happens to its rows."""

    model: type[models.Model]
    fields: Mapping[str, FieldDeclaration]
    # How a row leads to the person it is about: "self" for the person row itself, a
    # lookup path such as "person" or "participants" for rows about persons, or None for
    # rows that are not about a data subject (with only not-personal fields, or holding
    # personal data of staff users, see ``subject_kind``).
    subject: str | None = None
    subject_kind: str = "contact"
    activities: tuple[str, ...] = ()
    retention: str | None = None
    erasure: Erasure = Erasure.DELETE
    hold_reason: str = ""
    # Rows computed from other rows (a search index): erased with their source, summarized
    # rather than listed in an erasure plan, left out of the access export.
    derived: bool = False
    # Where the events a retention rule can count from are stored for a row: event key (see
    # ``zweck.privacy.choices.RetentionEvent``) to a lookup of a date or date-time field, or
    # an expression giving one (an aggregate such as the latest activity). "record_created"
    # defaults to the row's ``created_at``. A row about persons without a clock of its own for
    # its rule's event is erased with its persons (``zweck.privacy.retention``).
    clocks: Mapping[str, ClockSource] = field(default_factory=dict)

    def clock(self, event: str) -> ClockSource | None:
        """Where this model stores the date of ``event``, or None when it does not."""
        if event in self.clocks:
            return self.clocks[event]
        if event == "record_created" and any(
            f.name == "created_at" for f in self.model._meta.concrete_fields
        ):
            return "created_at"
        return None

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def swept(self) -> bool:
        """Whether the retention sweep handles this declaration's rows: rows of a workspace with
        a retention rule; derived rows go with their source, operator-level rows (the workspace,
        staff accounts, sessions) with the end of the tenant or the account."""
        return (
            self.retention is not None
            and not self.derived
            and any(f.name == "workspace" for f in self.model._meta.concrete_fields)
        )

    def personal_fields(self) -> dict[str, Personal]:
        return {name: d for name, d in self.fields.items() if isinstance(d, Personal)}

    def provided_fields(self) -> list[str]:
        return [name for name, d in self.personal_fields().items() if d.provided]

    def free_text_fields(self) -> list[str]:
        return [name for name, d in self.personal_fields().items() if d.free_text]

    def subject_fields(self) -> dict[str, Personal]:
        """The personal fields about the row's data subject.

        In a row about contacts, a reference to a staff user (author, owner) is an employee's
        identifier, not the contact's data: it is left out here, so that notices and
        activities list only what they hold about the people they address.
        """
        if self.subject_kind == "employee":
            return self.personal_fields()
        user_model = get_user_model()
        staff_references = {
            model_field.name
            for model_field in self.model._meta.concrete_fields
            if model_field.is_relation and model_field.related_model is user_model
        }
        return {name: d for name, d in self.personal_fields().items() if name not in staff_references}

    def field_activities(self, name: str) -> tuple[str, ...]:
        """The activities field ``name`` serves: its own where it names them, else the model's."""
        declared = self.fields.get(name)
        if isinstance(declared, Personal) and declared.activities:
            return declared.activities
        return self.activities

    def activity_keys(self) -> tuple[str, ...]:
        """Every activity the declaration names, the model's first, then its fields' own."""
        keys = dict.fromkeys(self.activities)
        for personal in self.personal_fields().values():
            keys.update(dict.fromkeys(personal.activities))
        return tuple(keys)

    def reference_errors(self) -> list[str]:
        return reference_errors(self.label, self.activity_keys(), self.retention)


def clock_field(model: type[models.Model], lookup: str) -> models.Field[object, object]:
    """The date or date-time field at the end of ``lookup`` from ``model``; RegisterError otherwise."""
    current: type[models.Model] = model
    parts = lookup.split("__")
    for index, part in enumerate(parts):
        try:
            model_field = current._meta.get_field(part)
        except FieldDoesNotExist as error:
            raise RegisterError(f"{model._meta.label}: clock {lookup!r} names no field {part!r}.") from error
        if index < len(parts) - 1:
            if not model_field.is_relation or model_field.related_model is None:
                raise RegisterError(f"{model._meta.label}: clock {lookup!r} passes through {part!r}.")
            current = model_field.related_model
            continue
        if not isinstance(model_field, models.DateField):
            raise RegisterError(f"{model._meta.label}: clock {lookup!r} is not a date.")
        return model_field
    raise RegisterError(f"{model._meta.label}: empty clock.")


ErasureFinisher = Callable[[], None]
ErasureHook = Callable[[int, list[int]], ErasureFinisher | None]


@dataclass
class Register:
    declarations: dict[type[models.Model], ModelDeclaration] = field(default_factory=dict)
    # Derived data that has no link to a person once the person is gone (a search
    # dictionary, a cache) cannot be found by the subject path; the app that owns it
    # registers a hook. Each hook runs before the erasure with (workspace id, person ids)
    # and may return a finisher that runs after the rows are gone, in the same transaction.
    erasure_hooks: list[ErasureHook] = field(default_factory=list)

    def on_erasure(self, hook: ErasureHook) -> ErasureHook:
        """Register ``hook`` (usable as a decorator) to clean up derived data on erasure."""
        self.erasure_hooks.append(hook)
        return hook

    def erasure_prepare(self, workspace_id: int, person_ids: list[int]) -> list[ErasureFinisher]:
        """Run every erasure hook's first half; the finishers to call once rows are erased."""
        finishers = [hook(workspace_id, person_ids) for hook in self.erasure_hooks]
        return [finisher for finisher in finishers if finisher is not None]

    def declare(
        self,
        model: type[models.Model],
        *,
        fields: Mapping[str, FieldDeclaration],
        subject: str | None = None,
        subject_kind: str = "contact",
        activities: Iterable[str] = (),
        retention: str | None = None,
        erasure: Erasure = Erasure.DELETE,
        hold_reason: str = "",
        derived: bool = False,
        clocks: Mapping[str, ClockSource] | None = None,
    ) -> ModelDeclaration:
        label = model._meta.label
        if model in self.declarations:
            raise RegisterError(f"{label} is declared twice.")
        known = {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)}
        for name, declaration in fields.items():
            if name not in known:
                raise RegisterError(f"{label}.{name} is declared but the model has no such field.")
            if isinstance(declaration, Personal) and declaration.category not in data_category_keys():
                raise RegisterError(
                    f"{label}.{name}: {declaration.category!r} is not a fideslang data category."
                )
        activity_keys = tuple(activities)
        field_keys = tuple(key for d in fields.values() if isinstance(d, Personal) for key in d.activities)
        errors = reference_errors(label, tuple(dict.fromkeys((*activity_keys, *field_keys))), retention)
        if errors:
            raise RegisterError(" ".join(errors))
        if erasure is Erasure.HOLD and not hold_reason:
            raise RegisterError(f"{label}: a hold needs its legal reason (hold_reason).")
        for source in (clocks or {}).values():
            if isinstance(source, str):
                clock_field(model, source)
        model_declaration = ModelDeclaration(
            model=model,
            fields=dict(fields),
            subject=subject,
            subject_kind=subject_kind,
            activities=activity_keys,
            retention=retention,
            erasure=erasure,
            hold_reason=hold_reason,
            derived=derived,
            clocks=dict(clocks or {}),
        )
        self.declarations[model] = model_declaration
        return model_declaration

    def get(self, model: type[models.Model]) -> ModelDeclaration | None:
        return self.declarations.get(model)

    def __iter__(self) -> Iterator[ModelDeclaration]:
        return iter(self.declarations.values())

    def categories_by_activity(self, *, subject_kind: str | None = None) -> dict[str, set[str]]:
        """For each activity key, the data categories of the subject fields declared for it
        (only from declarations about ``subject_kind`` when given: "contact", "employee")."""
        categories: dict[str, set[str]] = {}
        for declaration in self:
            if subject_kind is not None and declaration.subject_kind != subject_kind:
                continue
            for name, personal in declaration.subject_fields().items():
                for key in declaration.field_activities(name):
                    categories.setdefault(key, set()).add(personal.category)
        return categories

    def undeclared_fields(self, all_models: Iterable[type[models.Model]]) -> list[str]:
        """``app_label.Model.field (declare it in <file>)`` for every concrete field not declared."""
        missing: list[str] = []
        for model in all_models:
            declaration = self.declarations.get(model)
            declared = declaration.fields if declaration else {}
            for model_field in model._meta.concrete_fields:
                if model_field.name not in declared:
                    missing.append(
                        f"{model._meta.label}.{model_field.name} (declare it in {declaration_file(model)})"
                    )
        return missing


def declaration_file(model: type[models.Model]) -> str:
    module = model._meta.app_config.module if model._meta.app_config else None
    name = module.__name__ if module else model.__module__.rsplit(".", 2)[0]
    if name.startswith("zweck."):
        return name.replace(".", "/") + "/privacy.py"
    # Models of Django and third-party apps are declared by the app that uses them.
    return f"zweck/core/privacy.py (third-party app {model._meta.app_label})"


register = Register()


def base_fields(**overrides: FieldDeclaration) -> dict[str, FieldDeclaration]:
    """Declarations for the fields every ``WorkspaceScopedModel`` has."""
    declared: dict[str, FieldDeclaration] = {
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        # The staff user who made the change: an employee's identifier, not the subject's data.
        "created_by": Personal("user.unique_id", mask=Mask.NONE),
        "updated_by": Personal("user.unique_id", mask=Mask.NONE),
    }
    declared.update(overrides)
    return declared
