"""The workspace's audit trail, read only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from zweck.api.schemas.base import FilterSchema, Moment, ObjectId, Text


class AuditEventFilter(FilterSchema):
    actor_label: Text | None = Field(
        None, max_length=32, description="Only events of the member with this label."
    )
    action: Text | None = Field(
        None, max_length=64, description="Only events of this action, e.g. person.update."
    )
    object_type: Text | None = Field(
        None, max_length=64, description="Only events about this kind of record."
    )
    object_id: Text | None = Field(None, max_length=64, description="Only events about this record.")
    subject_id: ObjectId | None = Field(None, description="Only events concerning this contact.")
    since: Moment | None = Field(None, description="Only events at or after this moment.")
    until: Moment | None = Field(None, description="Only events before this moment.")


class AuditEventOut(Schema):
    """One event: who (a label that stays when the user is deleted), what, to which record,
    concerning which contacts, when; field names and counts, never values. ``sequence``,
    ``previous_hash`` and ``hash`` place it in the workspace's hash chain."""

    id: int
    occurred_at: datetime
    actor_id: int | None = Field(description="The member, while their account exists.")
    actor_label: str = Field(description="A pseudonym of the member, or system / operator.")
    channel: str = Field(description="web, api or system")
    action: str
    object_type: str
    object_id: str
    changed_fields: list[str]
    details: dict[str, Any] = Field(description="Counts and names, e.g. how many rows a bulk read returned.")
    subject_ids: list[int] = Field(description="The contacts the event concerns.")
    sequence: int | None
    previous_hash: str
    hash: str

    @staticmethod
    def resolve_subject_ids(event: Any) -> list[int]:
        return sorted(subject.subject_id for subject in event.subjects.all())
