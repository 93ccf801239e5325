"""Deals and the pipeline stages they move through."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ninja import Field, Schema

from zweck.api.schemas.base import FilterSchema, InputSchema, ObjectId, Text, length, partial
from zweck.core import limits
from zweck.crm.choices import DealStatus
from zweck.crm.models import Deal, PipelineStage


class DealIn(InputSchema):
    """A new deal; without ``stage_id`` it starts in the pipeline's first stage."""

    title: Text = Field(min_length=1, max_length=length(Deal, "title"))
    organization_id: ObjectId
    stage_id: ObjectId | None = None
    amount: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False)
    currency: Text = Field("", max_length=3, description="ISO 4217 code; the workspace's by default.")
    expected_close_on: date | None = None
    probability: int | None = Field(
        None, ge=0, le=100, description="Percent; the stage's default if left out."
    )
    owner_id: ObjectId | None = None
    contact_ids: list[ObjectId] = Field(default_factory=list, max_length=limits.CONTACTS_PER_DEAL)


if TYPE_CHECKING:
    DealPatch = DealIn
else:
    DealPatch = partial(
        DealIn, "DealPatch", "Changes to a deal; a contact list given replaces the stored one."
    )


class DealOut(Schema):
    id: int
    title: str
    organization_id: int
    stage_id: int
    amount: Decimal
    currency: str
    expected_close_on: date | None
    probability: int
    status: str
    close_reason: str
    closed_at: datetime | None
    owner_id: int | None
    contact_ids: list[int]
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_contact_ids(deal: Deal) -> list[int]:
        # The selector prefetches only the contacts the actor may see (not restricted ones).
        return sorted(person.pk for person in deal.contacts.all())


class DealFilter(FilterSchema):
    query: Text | None = Field(None, alias="q", max_length=200, description="Title or organization name.")
    status: DealStatus | None = None
    stage_id: ObjectId | None = None
    organization_id: ObjectId | None = None
    person_id: ObjectId | None = Field(None, description="Deals with this contact person.")
    owner_id: ObjectId | None = None
    include_archived: bool = False


class DealMoveIn(InputSchema):
    stage_id: ObjectId


class DealCloseIn(InputSchema):
    won: bool
    reason: Text = Field("", max_length=length(Deal, "close_reason"))


class StageIn(InputSchema):
    name: Text = Field(min_length=1, max_length=length(PipelineStage, "name"))
    default_probability: int = Field(10, ge=0, le=100)


class StageChange(InputSchema):
    name: Text = Field(min_length=1, max_length=length(PipelineStage, "name"))
    position: int = Field(ge=0, le=32767)
    default_probability: int = Field(ge=0, le=100)
    is_active: bool


if TYPE_CHECKING:
    StagePatch = StageChange
else:
    StagePatch = partial(StageChange, "StagePatch", "Changes to a stage; what is left out stays unchanged.")


class StageOut(Schema):
    id: int
    name: str
    position: int
    default_probability: int
    is_active: bool


class StageFilter(FilterSchema):
    include_inactive: bool = False
