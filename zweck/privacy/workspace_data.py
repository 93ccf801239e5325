"""Everything a workspace stores, found from the models and the register: the data sets a
workspace download holds and a workspace deletion removes, and the order they are removed in.

Invariants:
- the data sets are derived, never listed by hand: every model with a foreign key to the
  workspace, every model without one that hangs on such a model by a cascading foreign key
  (the many-to-many link tables), the workspace's own row and the accounts of its members;
  a model that refers to workspace data without either is refused (``DataSetError``) until
  someone decides what the end of a tenant does to it, and so is a model the register does
  not declare;
- the deletion order removes every row before the rows it refers to (children before
  parents), read from the foreign keys between the data sets; a cycle is refused rather
  than guessed;
- the download link is signed (``django.core.signing``, its own salt) and names the
  workspace, the owner it was sent to and the day it stops working (the deletion date); it
  works only for that owner, signed in, while they are still an active owner. A bearer token
  alone would hand every contact of the workspace to whoever reads a forwarded or leaked
  email; asking for the session keeps sign-in (and whatever protects it) in force, and the
  signature keeps a link from being widened to another workspace or moved past its date;
- every download is an audit event of the workspace (who, when; never what it held);
- the download reads each data set in primary-key pages of ``PAGE_SIZE`` rows and writes
  them into the ZIP as it goes (one JSON Lines file per data set, a manifest last), so its
  memory stays flat however large the workspace is; fields the register declares as
  credentials (password hashes, token digests) are left out and named in the manifest;
  derived data sets (a search index) are counted but not written.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.apps import apps
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Membership, User, Workspace
from zweck.accounts.selectors import actor_for
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.core.register import ModelDeclaration, Personal, register
from zweck.privacy import labels
from zweck.privacy.exports import _register_rows, data_set_facts

PAGE_SIZE = 2000
# Secrets, not data: a hash of a password or of a token is of no use to anyone but an attacker.
SECRET_CATEGORIES = ("user.authorization.password", "user.authorization.credentials")
EXPORT_FORMAT = "zweck-workspace-export"
EXPORT_VERSION = 1

WORKSPACE_ROW, SCOPED, LINKED, MEMBERS = "workspace", "scoped", "linked", "members"


class DataSetError(RuntimeError):
    """The models do not say how a table belongs to a workspace; a developer must decide."""


@dataclass(frozen=True)
class DataSet:
    """One table of a workspace: how its rows are found, and what the register says of it."""

    model: type[models.Model]
    kind: str
    # For a linked table, its foreign keys into workspace data sets.
    links: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def declaration(self) -> ModelDeclaration:
        declaration = register.get(self.model)
        if declaration is None:
            raise DataSetError(f"{self.label} holds workspace data but the register does not declare it.")
        return declaration

    @property
    def file_name(self) -> str:
        return f"data/{self.model._meta.label_lower}.jsonl"

    def rows(self, workspace_id: int) -> QuerySet[Any]:
        """The rows of this data set that belong to the workspace."""
        manager = self.model._default_manager
        if self.kind == WORKSPACE_ROW:
            return manager.filter(pk=workspace_id)
        if self.kind == SCOPED:
            return manager.in_workspace(workspace_id)  # type: ignore[attr-defined]
        if self.kind == MEMBERS:
            return manager.filter(pk__in=Membership.objects.in_workspace(workspace_id).values("user_id"))
        condition = Q()
        for name in self.links:
            parent = _data_set_of(self.model._meta.get_field(name).related_model)  # type: ignore[arg-type]
            condition |= Q(**{f"{name}__in": parent.rows(workspace_id).values("pk")})
        return manager.filter(condition)

    def exported_fields(self) -> list[models.Field[Any, Any]]:
        fields = self.model._meta.concrete_fields
        return [field for field in fields if not _is_secret(self.declaration.fields.get(field.name))]

    def secret_fields(self) -> list[models.Field[Any, Any]]:
        fields = self.model._meta.concrete_fields
        return [field for field in fields if _is_secret(self.declaration.fields.get(field.name))]


def _is_secret(declared: object) -> bool:
    return isinstance(declared, Personal) and declared.category.startswith(SECRET_CATEGORIES)


def _workspace_key(model: type[models.Model]) -> models.ForeignKey[Any, Any] | None:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is Workspace:
            return field
    return None


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.ForeignKey)]


@cache
def workspace_data_sets() -> tuple[DataSet, ...]:
    """Every data set of a workspace except its members' accounts, children before parents:
    the order a deletion removes them in (the workspace's own row last)."""
    every_model = [model for model in apps.get_models(include_auto_created=True) if model is not Workspace]
    scoped = {model for model in every_model if _workspace_key(model) is not None}
    found = {model: DataSet(model, SCOPED) for model in scoped}
    for model in every_model:
        if model in scoped:
            continue
        into = [field for field in _foreign_keys(model) if field.related_model in scoped]
        if not into:
            continue
        loose = [field.name for field in into if field.remote_field.on_delete is not models.CASCADE]
        if loose:
            raise DataSetError(
                f"{model._meta.label} refers to workspace data ({', '.join(loose)}) without cascading "
                "and has no workspace column: decide what deleting a workspace does to it."
            )
        found[model] = DataSet(model, LINKED, links=tuple(field.name for field in into))
    for data_set in found.values():
        data_set.declaration  # noqa: B018  (refuses an undeclared model now, not half-way)
    return (*_children_first(found), DataSet(Workspace, WORKSPACE_ROW))


def _children_first(found: dict[type[models.Model], DataSet]) -> list[DataSet]:
    # refers[m]: the data sets m points to (its parents); m must go before each of them.
    refers = {
        model: {
            field.related_model
            for field in _foreign_keys(model)
            if field.related_model in found and field.related_model is not model
        }
        for model in found
    }
    # A row may point at another row of its own table only through a nullable link (a
    # withdrawal at its consent): the deletion takes the rows that point first (``_delete_batch``).
    self_referring = [
        model._meta.label
        for model in found
        if any(field.related_model is model and not field.null for field in _foreign_keys(model))
    ]
    if self_referring:
        raise DataSetError(
            f"{', '.join(self_referring)} refer to themselves without a nullable link: no deletion order is derived."
        )
    ordered: list[DataSet] = []
    remaining = set(found)
    while remaining:
        # A model nothing remaining refers to can go now.
        free = sorted(
            (model for model in remaining if not any(model in refers[other] for other in remaining)),
            key=lambda model: model._meta.label,
        )
        if not free:
            labels_left = ", ".join(sorted(model._meta.label for model in remaining))
            raise DataSetError(f"The foreign keys between {labels_left} form a cycle: no deletion order.")
        for model in free:
            ordered.append(found[model])
            remaining.discard(model)
    return ordered


def _data_set_of(model: type[models.Model]) -> DataSet:
    for data_set in workspace_data_sets():
        if data_set.model is model:
            return data_set
    raise DataSetError(f"{model._meta.label} is not a workspace data set.")


def member_accounts() -> DataSet:
    """The accounts of the workspace's members: theirs as much as the workspace's."""
    return DataSet(User, MEMBERS)


def export_data_sets() -> list[DataSet]:
    """What a workspace download holds, by name: the workspace, its data, its members."""
    return sorted((*workspace_data_sets(), member_accounts()), key=lambda data_set: data_set.label)


# ---------------------------------------------------------------- the download


class _Chunks:
    """Where the ZIP writer puts its bytes until the response takes them (no seeking: the
    archive is written as a stream, with a data descriptor after each file)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> Iterator[bytes]:
        parts, self.parts = self.parts, []
        yield from parts


def _pages(data_set: DataSet, workspace_id: int, columns: list[str]) -> Iterator[list[tuple[Any, ...]]]:
    """The data set's rows in primary-key order, ``PAGE_SIZE`` at a time (keyset pages: each
    read starts after the last key, so no page costs more than the first)."""
    rows = data_set.rows(workspace_id).order_by("pk").values_list("pk", *columns)
    last: Any = None
    while True:
        page = list((rows if last is None else rows.filter(pk__gt=last))[:PAGE_SIZE])
        if not page:
            return
        yield [row[1:] for row in page]
        if len(page) < PAGE_SIZE:
            return
        last = page[-1][0]


DERIVED_NOTE = gettext_noop("Derived from the other data sets (a search index); not written.")
SECRET_NOTE = gettext_noop("A secret (password or token hash), not data: left out.")


def _describe(data_set: DataSet, rows: int, lang: str, facts: Any) -> dict[str, Any]:
    declaration = data_set.declaration
    entry: dict[str, Any] = {
        "data_set": data_set.label,
        "name": labels.model_label(data_set.model, lang, plural=True),
        "file": None if declaration.derived else data_set.file_name,
        "rows": rows,
        "about": declaration.subject_kind if declaration.personal_fields() else None,
        "fields": [
            _describe_field(field, declaration.fields.get(field.name), lang)
            for field in data_set.exported_fields()
        ],
        "left_out": [
            {"column": field.attname, "reason": _translated(SECRET_NOTE, lang)}
            for field in data_set.secret_fields()
        ],
        "register": data_set_facts(declaration, facts, lang),
    }
    if declaration.derived:
        entry["note"] = _translated(DERIVED_NOTE, lang)
    return entry


def _translated(message: str, lang: str) -> str:
    with translation.override(lang):
        return translation.gettext(message)


def _describe_field(field: models.Field[Any, Any], declared: object, lang: str) -> dict[str, Any]:
    name = labels.field_label(field, lang)
    described: dict[str, Any] = {"column": field.attname, "name": name[:1].upper() + name[1:]}
    if isinstance(declared, Personal):
        described.update(
            personal=True,
            category=declared.category,
            category_name=labels.data_category_text(declared.category, lang),
            provided=declared.provided,
        )
    else:
        described["personal"] = False
    return described


def workspace_export_chunks(*, workspace: Workspace, lang: str, now: Any = None) -> Iterator[bytes]:
    """The whole workspace as a ZIP, in pieces as it is written: ``data/<data set>.jsonl``
    (one JSON object per row, keyed by column) and ``manifest.json`` (what each file holds,
    with the register's description of the data set and its row count)."""
    lang = labels.language_of(lang)
    moment = now or timezone.now()
    facts = _register_rows(workspace.pk)
    sink = _Chunks()
    described = []
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for data_set in export_data_sets():
            if data_set.declaration.derived:
                described.append(_describe(data_set, data_set.rows(workspace.pk).count(), lang, facts))
                continue
            columns = [field.attname for field in data_set.exported_fields()]
            count = 0
            with archive.open(data_set.file_name, "w", force_zip64=True) as entry:
                for page in _pages(data_set, workspace.pk, columns):
                    for values in page:
                        line = json.dumps(dict(zip(columns, values, strict=True)), cls=DjangoJSONEncoder)
                        entry.write(line.encode() + b"\n")
                    count += len(page)
                    yield from sink.take()
            described.append(_describe(data_set, count, lang, facts))
        manifest = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "created_at": moment.isoformat(),
            "language": lang,
            "workspace": {"id": workspace.pk, "slug": workspace.slug, "name": workspace.name},
            "contract_ends_on": _iso(workspace.contract_ends_on),
            "deletion_due_on": _iso(workspace.deletion_due_on),
            "data_sets": described,
        }
        archive.writestr(
            "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
        )
    yield from sink.take()


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# ---------------------------------------------------------------- the signed link and the service

_SALT_DOWNLOAD = "zweck.privacy.workspace_data.download"


class DownloadLinkInvalid(Exception):
    """Not a download link of this installation for this signed-in owner."""


class DownloadLinkExpired(DownloadLinkInvalid):
    """The link's day has passed."""


def download_token_create(*, workspace: Workspace, user: User, expires_on: date) -> str:
    """A signed token for ``user`` to download ``workspace`` until the day before ``expires_on``."""
    return signing.dumps(
        {"w": workspace.pk, "u": user.pk, "e": expires_on.isoformat()}, salt=_SALT_DOWNLOAD, compress=True
    )


def download_link_actor(*, token: str, user: User, today: date | None = None) -> Actor:
    """The owner acting through a download link: refused unless ``user`` is the one it was sent
    to and still an active owner of its workspace, and its day has not passed."""
    try:
        payload = signing.loads(token, salt=_SALT_DOWNLOAD)
        workspace_id, user_id = int(payload["w"]), int(payload["u"])
        expires_on = date.fromisoformat(str(payload["e"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise DownloadLinkInvalid from error
    if user_id != user.pk:
        raise DownloadLinkInvalid
    actor = actor_for(user=user, workspace=workspace_id)
    if actor is None or not actor.can(Permission.WORKSPACE_MANAGE):
        raise DownloadLinkInvalid
    if (today or timezone.localdate()) >= expires_on:
        raise DownloadLinkExpired
    return actor


def workspace_export(*, actor: Actor, lang: str) -> Iterator[bytes]:
    """The whole workspace as a ZIP for its owner (``workspace_export_chunks``); the download is
    recorded in the audit trail before the first byte."""
    actor.require(Permission.WORKSPACE_MANAGE)
    workspace = Workspace.objects.get(pk=actor.workspace_id)
    with transaction.atomic():
        audit_record(actor=actor, action="workspace.export", instance=workspace)
    return workspace_export_chunks(workspace=workspace, lang=lang)
