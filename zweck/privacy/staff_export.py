"""A staff user's own access export (Art. 15 GDPR): their account, and what the workspace keeps
about their work in it (seats, API tokens, the sign-in and security log, the audit trail).

Derived from the register like the contacts' export: every declaration about staff
(``subject_kind="employee"``) whose rows lead to a user — the user model itself, or a reference
to it declared as personal data — is a data set of the export. A model declared later is in the
export the moment its ``privacy.py`` says so. Invariants:

- the workspace that answers is the controller: its own rows are read (``in_workspace``), and
  the account itself, which belongs to no workspace; rows of other workspaces and the
  operator's own records (kept outside every workspace) are not in it;
- secrets are never exported: fields declared as passwords or credentials (a password hash, a
  token's digest) are named under ``withheld`` and their values left out;
- contacts' records that merely name the user as their author or owner are the contacts' data
  and are not in it;
- each data set carries the Art. 15(1)(a)–(h) facts read from the workspace's register rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.audit.services import audit_record
from zweck.core.register import ModelDeclaration, Personal, register
from zweck.core.scoping import WorkspaceQuerySet
from zweck.privacy import labels
from zweck.privacy.defaults import STAFF
from zweck.privacy.documents import subject_group_name
from zweck.privacy.exports import _controller, _register_rows, data_set_facts
from zweck.privacy.subjects import field_records

EMPLOYEE = "employee"
# Categories whose values are secrets: the export names the field but never shows its value.
SECRET_CATEGORIES = ("user.authorization.password", "user.authorization.credentials")


@dataclass(frozen=True)
class StaffDataSet:
    """A declaration about staff, with the fields that lead from its rows to the user."""

    declaration: ModelDeclaration
    # "pk" for the user model itself, else the references to the user declared as personal.
    paths: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.declaration.label


def _is_secret(declared: object) -> bool:
    return isinstance(declared, Personal) and any(
        declared.category == secret or declared.category.startswith(secret + ".")
        for secret in SECRET_CATEGORIES
    )


def _paths(declaration: ModelDeclaration) -> tuple[str, ...]:
    user_model = get_user_model()
    if declaration.model is user_model:
        return ("pk",)
    if not isinstance(declaration.model._default_manager.all(), WorkspaceQuerySet):
        # Rows kept outside every workspace (the operator's own administration log) belong
        # to no workspace's controller.
        return ()
    return tuple(
        model_field.name
        for model_field in declaration.model._meta.concrete_fields
        if model_field.is_relation
        and model_field.related_model is user_model
        and isinstance(declaration.fields.get(model_field.name), Personal)
    )


def staff_data_sets() -> list[StaffDataSet]:
    """Every data set of a staff user's export: the account first, then by label."""
    found = [
        StaffDataSet(declaration=declaration, paths=paths)
        for declaration in register
        if declaration.subject_kind == EMPLOYEE and not declaration.derived
        for paths in [_paths(declaration)]
        if paths
    ]
    return sorted(found, key=lambda data_set: (data_set.paths != ("pk",), data_set.label))


def _fields(declaration: ModelDeclaration) -> tuple[list[str], list[str]]:
    """The fields the export shows, and the secret ones it names without their values."""
    shown: list[str] = []
    withheld: list[str] = []
    for model_field in declaration.model._meta.concrete_fields:
        name = model_field.name
        if name in ("id", "workspace"):
            continue
        (withheld if _is_secret(declaration.fields.get(name)) else shown).append(name)
    return shown, withheld


def _rows(data_set: StaffDataSet, *, workspace_id: int, user_id: int) -> QuerySet[Any]:
    rows = data_set.declaration.model._default_manager.all()
    if isinstance(rows, WorkspaceQuerySet):
        rows = rows.in_workspace(workspace_id)
    belonging = Q()
    for path in data_set.paths:
        belonging |= Q(**{path: user_id})
    return rows.filter(belonging).order_by("pk")


def staff_access_data(*, workspace: Workspace, user_id: int, lang: str = "en") -> dict[str, Any]:
    """The machine-readable access export of staff user ``user_id`` in ``workspace``."""
    register_rows = _register_rows(workspace.pk)
    data_sets = []
    for data_set in staff_data_sets():
        declaration = data_set.declaration
        shown, withheld = _fields(declaration)
        rows = field_records(declaration, _rows(data_set, workspace_id=workspace.pk, user_id=user_id), shown)
        if not rows:
            continue
        data_sets.append(
            {
                "data_set": declaration.label,
                "name": labels.model_label(declaration.model, lang, plural=True),
                "facts": data_set_facts(declaration, register_rows, lang),
                "fields": shown,
                "withheld": withheld,
                "rows": rows,
            }
        )
    with translation.override(lang):
        rights = [labels.text(key, lang) for key in labels.RIGHTS]
    return {
        "generated_at": timezone.now().isoformat(),
        "language": lang,
        "controller": _controller(workspace),
        "subject_group": subject_group_name(STAFF, lang),
        "user_id": user_id,
        "automated_decision_making": "Keine" if lang == "de" else "None",
        "rights": rights,
        "data_sets": data_sets,
    }


def staff_data_summary(*, actor: Actor) -> list[tuple[str, int]]:
    """For the acting user's "my data" page: each data set of their export with its row count."""
    assert actor.user is not None
    summary = []
    for data_set in staff_data_sets():
        count = _rows(data_set, workspace_id=actor.workspace_id, user_id=actor.user.pk).count()
        if count:
            summary.append((labels.model_label(data_set.declaration.model, _language(), plural=True), count))
    return summary


def _language() -> str:
    return "de" if (translation.get_language() or "").startswith("de") else "en"


@transaction.atomic
def staff_access_export(*, actor: Actor, lang: str = "en") -> bytes:
    """The acting staff user's own access export as JSON; the download is in the audit trail."""
    if actor.user is None:
        raise ValueError("The system actor is nobody's data subject.")
    if lang not in labels.LANGUAGES:
        lang = "en"
    data = staff_access_data(workspace=actor.workspace, user_id=actor.user.pk, lang=lang)
    audit_record(
        actor=actor, action="staff.access_export", object_type="accounts.user", object_id=actor.user.pk
    )
    return json.dumps(data, ensure_ascii=False, indent=2).encode()
