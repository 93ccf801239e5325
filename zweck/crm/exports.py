"""Exporting every visible contact of a workspace as a stream, in flat memory.

Rows come from the ``person_list`` selector, so restricted persons (Art. 18) and other
workspaces never appear. The selector's rows are read ``BATCH_SIZE`` at a time (a
server-side cursor on PostgreSQL), each chunk with its emails, phones and organizations
prefetched, and turned into CSV lines as they are read: memory holds one chunk, not the
workspace.

One audit event ``person.export`` is written when the export is asked for. It names no
subjects: an export of every contact would add a link row per person to the trail on
every run, and "everyone visible at that time" is already what the event means.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core import spreadsheet
from zweck.core.permissions import Permission
from zweck.crm import selectors
from zweck.crm.models import OrganizationMembership, PersonEmail, PersonPhone

BATCH_SIZE = 2000

HEADER = (
    "id",
    "salutation",
    "academic_title",
    "first_name",
    "last_name",
    "position",
    "email",
    "phone",
    "organization",
    "subject_category",
    "source",
    "created_at",
    "updated_at",
)
"""Column names the importer reads back (``id``, ``created_at``, ``updated_at`` it reports as unknown)."""

ORGANIZATION_SEPARATOR = "; "

ExportFormat = Literal["csv"]


PERSON_COLUMNS = (
    "pk",
    "salutation",
    "title",
    "first_name",
    "last_name",
    "position",
    "subject_category",
    "source",
    "created_at",
    "updated_at",
)


def _chunks(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= BATCH_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _primary(
    model: type[PersonEmail] | type[PersonPhone], column: str, person_ids: list[int]
) -> dict[int, str]:
    rows = model.objects.filter(person_id__in=person_ids, is_primary=True).values_list("person_id", column)
    return dict(rows)


def _organizations(person_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    memberships = (
        OrganizationMembership.objects.filter(person_id__in=person_ids)
        .order_by("-is_primary", "organization__name", "id")
        .values_list("person_id", "organization__name")
    )
    for person_id, name in memberships:
        names.setdefault(person_id, []).append(name)
    return names


def _csv_lines(actor: Actor) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def lines(rows: Iterable[Sequence[object]]) -> str:
        writer.writerows(spreadsheet.row(values) for values in rows)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield lines([HEADER])
    # The selector decides who is visible; its per-row prefetches give way to one query per
    # chunk and related table, reading plain values rather than building model instances.
    persons = (
        selectors.person_list(actor=actor, include_archived=True)
        .prefetch_related(None)
        .order_by("pk")
        .values_list(*PERSON_COLUMNS)
    )
    for chunk in _chunks(persons.iterator(chunk_size=BATCH_SIZE)):
        ids = [row[0] for row in chunk]
        emails = _primary(PersonEmail, "email", ids)
        phones = _primary(PersonPhone, "number", ids)
        organizations = _organizations(ids)
        yield lines(
            (
                *row[:6],
                emails.get(row[0], ""),
                phones.get(row[0], ""),
                ORGANIZATION_SEPARATOR.join(organizations.get(row[0], ())),
                row[6],
                row[7],
                row[8].isoformat(),
                row[9].isoformat(),
            )
            for row in chunk
        )


def person_export_stream(*, actor: Actor, fmt: ExportFormat = "csv") -> Iterator[str]:
    """Every visible contact of the actor's workspace (archived ones too) as CSV, header first, a chunk of lines at a time.

    Permission and format are checked, and the audit event written, when this is called;
    rows are read only as the returned iterator is consumed.
    """
    # Reading contacts one by one is not taking them all away: a bulk export needs its own right.
    actor.require(Permission.CRM_VIEW, Permission.CONTACT_EXPORT)
    if fmt != "csv":
        raise ValidationError({"fmt": _("Choose one of: %(choices)s.") % {"choices": "csv"}})
    with transaction.atomic():
        # How many contacts the file holds (the values stay out of the trail).
        count = selectors.person_list(actor=actor, include_archived=True).order_by().count()
        audit_record(
            actor=actor,
            action="person.export",
            object_type="crm.person",
            details={"count": count, "format": fmt},
        )
    return _csv_lines(actor)
