"""Activities: meetings, calls, emails, tasks, notes and events, with their participants."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ninja import Field, Schema

from zweck.api.schemas.base import FilterSchema, InputSchema, Moment, ObjectId, Text, length, partial
from zweck.core import limits
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Activity


class ActivityIn(InputSchema):
    """A new activity; ``participant_ids`` are persons of the workspace."""

    kind: ActivityKind
    subject: Text = Field(min_length=1, max_length=length(Activity, "subject"))
    body: Text = ""
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    due_at: Moment | None = None
    done_at: Moment | None = None
    location: Text = Field("", max_length=length(Activity, "location"))
    is_recorded: bool = Field(False, description="Calls only: the call was recorded, with consent.")
    owner_id: ObjectId | None = None
    organization_id: ObjectId | None = None
    deal_id: ObjectId | None = None
    participant_ids: list[ObjectId] = Field(default_factory=list, max_length=limits.PARTICIPANTS_PER_ACTIVITY)


if TYPE_CHECKING:
    ActivityPatch = ActivityIn
else:
    ActivityPatch = partial(
        ActivityIn,
        "ActivityPatch",
        "Changes to an activity; a participant list given replaces the stored one.",
    )


class ActivityOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    starts_at: datetime | None
    ends_at: datetime | None
    due_at: datetime | None
    done_at: datetime | None
    location: str
    is_recorded: bool
    owner_id: int | None
    organization_id: int | None
    deal_id: int | None
    participant_ids: list[int]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_participant_ids(activity: Activity) -> list[int]:
        # The selector prefetches only the participants the actor may see (not restricted ones).
        return sorted(person.pk for person in activity.participants.all())


class ActivityFilter(FilterSchema):
    query: Text | None = Field(None, alias="q", max_length=200, description="Any part of the subject.")
    kind: ActivityKind | None = None
    person_id: ObjectId | None = None
    organization_id: ObjectId | None = None
    deal_id: ObjectId | None = None
    owner_id: ObjectId | None = None
    open_only: bool = False
    starts_after: Moment | None = None
    starts_before: Moment | None = None
    due_before: Moment | None = None
