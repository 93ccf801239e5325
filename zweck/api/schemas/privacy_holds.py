"""Legal holds on records, and the request steps that take reasons: lifting a restriction,
deciding an objection. Whether a reason is given, a type known or a date not past is the
services' question; they answer field by field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from zweck.api.schemas.base import FilterSchema, InputSchema, ObjectId, Text
from zweck.privacy.holds import hold_type_name
from zweck.privacy.models import RecordHold


class HoldIn(InputSchema):
    """A legal hold on one record until a day (legal claims, Art. 17(3)(e) GDPR; an open tax
    assessment, § 147(3) AO)."""

    object_type: Text = Field(
        max_length=100, description="What is held: person, activity or deal (or the model label, crm.deal)."
    )
    object_id: ObjectId
    ends_on: date = Field(description="Held until this day (today or later).")
    reason: Text = Field(description="The legal reason for the hold.")


class HoldReleaseIn(InputSchema):
    reason: Text = Field(description="Why the hold ends before its date.")


class HoldOut(Schema):
    id: int
    object_type: str = Field(description="person, activity or deal; the model label for other records.")
    model: str = Field(description="The model label of the held record.")
    object_id: int
    reason: str
    ends_on: date
    erase_on_release: bool = Field(
        description="Whether the record is erased when the hold ends (it was kept despite an erasure)."
    )
    active: bool
    request_id: int | None
    created_at: datetime
    released_at: datetime | None
    release_reason: str

    @staticmethod
    def resolve_object_type(hold: RecordHold) -> str:
        return hold_type_name(hold.object_type)

    @staticmethod
    def resolve_model(hold: RecordHold) -> str:
        return hold.object_type

    @staticmethod
    def resolve_active(hold: RecordHold) -> bool:
        return hold.released_at is None


class HoldFilter(FilterSchema):
    state: Literal["active", "ended"] | None = Field(
        None, description="active: not yet ended; ended: ended by date or early."
    )
    object_type: str | None = Field(None, description="person, activity or deal (or the model label).")
    object_id: ObjectId | None = None


class RestrictionLiftIn(InputSchema):
    reason: Text = Field(description="The reasons; the subject is told before the restriction ends.")


class ObjectionDecisionIn(InputSchema):
    """An objection to processing on legitimate interests (Art. 21(1) GDPR): ``upheld`` when there
    are no compelling grounds (the processing stops, the records stay restricted), ``rejected``
    when compelling grounds override it (the subject is told, the restriction is lifted)."""

    decision: Literal["upheld", "rejected"]
    reason: Text = Field(description="The reasons, and for a rejection the compelling grounds.")
