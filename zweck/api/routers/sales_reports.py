"""/reports: revenue figures for management (aggregates only)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import FilterSchema
from zweck.sales import reports

router = Router(tags=["reports"])


class RevenueQuery(FilterSchema):
    start: datetime.date | None = Field(None, description="First invoice date (inclusive).")
    end: datetime.date | None = Field(None, description="Last invoice date (inclusive); today if left out.")
    preset: str | None = Field(
        None,
        pattern="^(last_12_months|this_year|last_year|last_5_years)$",
        description="A period by name, used when neither start nor end is given.",
    )
    currency: str = Field("EUR", pattern="^[A-Z]{3}$")


class PeriodOut(Schema):
    start: datetime.date
    end: datetime.date


class MonthOut(Schema):
    month: datetime.date
    net: Decimal
    invoices: int
    pipeline_weighted: Decimal


class ShareOut(Schema):
    id: int | None = Field(description="The customer, product or owner; null for the rest and for none.")
    label: str
    net: Decimal
    invoices: int


class AgeBucketOut(Schema):
    age: str = Field(description="not_due, 1_30, 31_60, 61_90 or over_90 (days past due).")
    amount: Decimal
    invoices: int


class PipelineOut(Schema):
    open_deals: int
    total: Decimal
    weighted: Decimal
    weighted_without_close_date: Decimal


class RevenueReportOut(Schema):
    period: PeriodOut
    currency: str
    booked: Decimal
    invoices: int
    months: list[MonthOut]
    customers: list[ShareOut]
    products: list[ShareOut]
    owners: list[ShareOut]
    receivables: list[AgeBucketOut]
    receivables_total: Decimal
    pipeline: PipelineOut


def _shares(shares: list[reports.Share]) -> list[dict[str, Any]]:
    return [{"id": s.key, "label": s.label, "net": s.net, "invoices": s.invoices} for s in shares]


@router.get("/revenue", response=answers(RevenueReportOut))
def revenue_report(request: HttpRequest, filters: Query[RevenueQuery]) -> Any:
    """Net revenue of finalized invoices by month, customer, product and owner (top 10 and the
    rest), open receivables by age, and the open pipeline; last 12 months unless a period is given."""
    actor = actor_of(request)
    period = reports.period_from(
        start=filters.start, end=filters.end, preset=filters.preset, today=timezone.localdate()
    )
    report = reports.revenue_report(
        actor=actor, period=period, currency=filters.currency, owner_names=reports.owner_names(actor=actor)
    )
    return {
        "period": {"start": period.start, "end": period.end},
        "currency": report.currency,
        "booked": report.booked,
        "invoices": report.invoices,
        "months": [vars(month) for month in report.months],
        "customers": _shares(report.customers),
        "products": _shares(report.products),
        "owners": _shares(report.owners),
        "receivables": [
            {"age": b.key, "amount": b.amount, "invoices": b.invoices} for b in report.receivables
        ],
        "receivables_total": report.receivables_total,
        "pipeline": {
            "open_deals": report.pipeline_deals,
            "total": report.pipeline_total,
            "weighted": report.pipeline_weighted,
            "weighted_without_close_date": report.pipeline_undated_weighted,
        },
    }
