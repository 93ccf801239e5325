"""The retention forecast and the sweep reports. Each line names its rule, data set and action
by key (stable, for programs) and in words (in the request's language, for people)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from zweck.privacy.retention_models import RetentionSweep
from zweck.privacy.retention_words import ForecastRow

# The forecast looks ahead at most ten years: a longer period counts the same rows again.
MAX_FORECAST_DAYS = 3650


class ForecastQuery(Schema):
    days: int = Field(90, ge=1, le=MAX_FORECAST_DAYS, description="How many days ahead to look (1 to 3650).")


class ForecastDayOut(Schema):
    day: date
    count: int = Field(description="Records that fall due after the previous day and by this one.")


class ForecastLineOut(Schema):
    rule: str = Field(description="The retention rule's key.")
    rule_name: str
    data_set: str = Field(description="The data set's model label, e.g. crm.person.")
    data_set_name: str
    action: str = Field(
        description="erase (the person, as on an erasure request), delete, anonymize, "
        "with_subjects (goes with the persons it belongs to) or never (no date is stored for "
        "the rule's event)."
    )
    action_text: str
    due_now: int = Field(description="Records the sweep handles today.")
    due_by: list[ForecastDayOut] = Field(description="Each week ahead, and the last day.")
    total: int = Field(description="Records due now and within the period.")

    @staticmethod
    def resolve_due_by(row: ForecastRow) -> list[dict[str, Any]]:
        return [{"day": day, "count": count} for day, count in row.upcoming]


class ForecastOut(Schema):
    today: date
    days: int
    lines: list[ForecastLineOut]


class SweepResultOut(Schema):
    rule: str
    rule_name: str
    data_set: str
    data_set_name: str
    action: str = Field(
        description="delete, anonymize, kept (other records still refer to them); for rows of an "
        "erased person also redact_mentions (only their link removed) and keep (kept under a "
        "hold until a longer statutory period ends)."
    )
    action_text: str
    count: int


class SweepOut(Schema):
    id: int
    trigger: str = Field(description="nightly or manual.")
    state: str = Field(description="running, done or failed.")
    swept_for: date = Field(description="Records whose retention period ended before this day.")
    started_at: datetime = Field(alias="created_at")
    finished_at: datetime | None
    failure: str = Field(description="The kind of error that stopped a failed sweep.")
    total: int
    results: list[SweepResultOut]

    @staticmethod
    def resolve_results(sweep: RetentionSweep) -> list[Any]:
        return list(getattr(sweep, "result_rows", []))
