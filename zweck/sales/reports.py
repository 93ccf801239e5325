"""Revenue reports for management: aggregates of finalized invoices, receivables and the pipeline.

What counts (German commercial practice, net of VAT):
- revenue is the net total of every finalized invoice by its invoice date; an invoice cancelled
  later still counts in its month, and its cancellation invoice (negated prices) counts against
  the month it was issued in, so a cancellation never rewrites a closed month;
- by product, the lines are added up; a final invoice's deduction of an earlier partial invoice
  is left out together with that partial invoice's own lines, since the final invoice repeats
  the full supply line by line;
- a receivable is a finalized, not cancelled invoice whose gross total is not yet paid in full;
  its age is counted from its due date on the day the report is made;
- the pipeline is every open deal, weighted by its probability, by its expected close month.

Every figure is one grouped query over rows read through ``visible_to`` with the report
permission; nothing in a report names a contact person.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.crm.choices import DealStatus
from zweck.crm.selectors import deal_list
from zweck.sales.choices import InvoiceStatus
from zweck.sales.models import Invoice, InvoiceLine, Payment

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
# Finalized invoices, and those cancelled since: both were issued and count in their month.
ISSUED = (InvoiceStatus.FINALIZED, InvoiceStatus.CANCELLED)
# Age buckets of open receivables, by days past the due date (``None``: no upper bound).
AGE_BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("not_due", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("over_90", 91, None),
)
TOP = 10


@dataclass(frozen=True)
class Period:
    """The invoice dates a report covers, both days included."""

    start: datetime.date
    end: datetime.date

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches, in order."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


def last_twelve_months(today: datetime.date) -> Period:
    first = today.replace(day=1)
    for _month in range(11):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return Period(first, today)


# The periods offered as one click; any other is given by its first and last day.
PRESETS = ("last_12_months", "this_year", "last_year", "last_5_years")
# The longest period a report covers: monthly bars beyond ten years say nothing.
LONGEST_YEARS = 10


def preset_period(preset: str, today: datetime.date) -> Period:
    if preset == "this_year":
        return Period(today.replace(month=1, day=1), today)
    if preset == "last_year":
        return Period(datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31))
    if preset == "last_5_years":
        return Period(datetime.date(today.year - 4, 1, 1), today)
    return last_twelve_months(today)


def period_from(
    *, start: datetime.date | None, end: datetime.date | None, preset: str | None, today: datetime.date
) -> Period:
    """The period asked for: both days, or a preset, or the last twelve months. A period that
    ends before it starts or spans more than ten years is refused at the field it names."""
    if start is None and end is None:
        return preset_period(preset or "", today)
    period = Period(start or (end or today).replace(month=1, day=1), end or today)
    if period.end < period.start:
        raise ValidationError(
            {"end": _("The period must end on or after its first day.")}, code="period_order"
        )
    if period.end.year - period.start.year > LONGEST_YEARS:
        raise ValidationError(
            {"start": _("A report covers at most %(years)d years.") % {"years": LONGEST_YEARS}},
            code="period_too_long",
        )
    return period


@dataclass(frozen=True)
class Share:
    """A group's revenue: a customer, product or owner (``key`` None for "none" and "others")."""

    key: int | None
    label: str
    net: Decimal
    invoices: int = 0


@dataclass(frozen=True)
class MonthFigures:
    month: datetime.date
    net: Decimal
    invoices: int
    pipeline_weighted: Decimal


@dataclass(frozen=True)
class AgeBucket:
    key: str
    amount: Decimal
    invoices: int


@dataclass
class RevenueReport:
    period: Period
    currency: str
    months: list[MonthFigures] = field(default_factory=list)
    customers: list[Share] = field(default_factory=list)
    products: list[Share] = field(default_factory=list)
    owners: list[Share] = field(default_factory=list)
    receivables: list[AgeBucket] = field(default_factory=list)
    pipeline_total: Decimal = ZERO
    pipeline_weighted: Decimal = ZERO
    pipeline_deals: int = 0
    pipeline_undated_weighted: Decimal = ZERO

    @property
    def booked(self) -> Decimal:
        return sum((month.net for month in self.months), ZERO)

    @property
    def invoices(self) -> int:
        return sum(month.invoices for month in self.months)

    @property
    def receivables_total(self) -> Decimal:
        return sum((bucket.amount for bucket in self.receivables), ZERO)

    @property
    def overdue_total(self) -> Decimal:
        return sum((bucket.amount for bucket in self.receivables if bucket.key != "not_due"), ZERO)


def _issued(actor: Actor, period: Period, currency: str) -> QuerySet[Invoice]:
    return Invoice.objects.visible_to(actor, Permission.REPORT_VIEW).filter(
        status__in=ISSUED, issue_date__gte=period.start, issue_date__lte=period.end, currency=currency
    )


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _top(rows: Iterable[dict[str, Any]], *, label_of: Any, others: str, none: str) -> list[Share]:
    """The ``TOP`` largest groups and one "others" row for the rest."""
    ordered = sorted(rows, key=lambda row: (-_money(row["net"]), str(row["key"])))
    shares = [
        Share(row["key"], label_of(row) if row["key"] is not None else none, _money(row["net"]), row["count"])
        for row in ordered[:TOP]
    ]
    rest = ordered[TOP:]
    if rest:
        shares.append(
            Share(
                None, others, sum((_money(row["net"]) for row in rest), ZERO), sum(r["count"] for r in rest)
            )
        )
    return shares


def revenue_by_month(*, actor: Actor, period: Period, currency: str = "EUR") -> QuerySet[Any]:
    """Net revenue and number of invoices per invoice month (months without invoices left out)."""
    rows = (
        _issued(actor, period, currency)
        .annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(net=Sum("net_total"), count=Count("id"))
        .order_by("month")
    )
    return rows


def revenue_by_customer(*, actor: Actor, period: Period, currency: str = "EUR") -> QuerySet[Any]:
    return (
        _issued(actor, period, currency)
        .values(key=F("organization_id"), name=F("organization__name"))
        .annotate(net=Sum("net_total"), count=Count("id"))
        .order_by()
    )


def revenue_by_owner(*, actor: Actor, period: Period, currency: str = "EUR") -> QuerySet[Any]:
    """By the invoice's owner, or the customer's account owner where the invoice names none."""
    return (
        _issued(actor, period, currency)
        .annotate(responsible=Coalesce("owner_id", "organization__owner_id"))
        .values("responsible")
        .annotate(net=Sum("net_total"), count=Count("id"))
        .values("responsible", "net", "count")
        .order_by()
    )


def revenue_by_product(*, actor: Actor, period: Period, currency: str = "EUR") -> QuerySet[Any]:
    """Line net amounts per product; deductions of partial invoices, and the partial invoices a
    final invoice deducted, are left out (the final invoice's lines carry the full supply)."""
    deducted = InvoiceLine.objects.filter(deducts_invoice_id=OuterRef("invoice_id"))
    return (
        InvoiceLine.objects.visible_to(actor, Permission.REPORT_VIEW)
        .filter(
            invoice__status__in=ISSUED,
            invoice__issue_date__gte=period.start,
            invoice__issue_date__lte=period.end,
            invoice__currency=currency,
            deducts_invoice__isnull=True,
        )
        .filter(~Exists(deducted))
        .values(key=F("product_id"), name=F("product__name"))
        .annotate(net=Sum("net_amount"), count=Count("invoice_id", distinct=True))
        .order_by()
    )


def receivables_by_age(*, actor: Actor, today: datetime.date, currency: str = "EUR") -> list[AgeBucket]:
    """Open amounts (gross less payments) of finalized invoices, by days past their due date."""
    paid = (
        Payment.objects.filter(invoice_id=OuterRef("pk"))
        .order_by()
        .values("invoice_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    open_invoices = (
        Invoice.objects.visible_to(actor, Permission.REPORT_VIEW)
        .filter(status=InvoiceStatus.FINALIZED, currency=currency, gross_total__gt=0)
        .annotate(
            open_amount=ExpressionWrapper(
                F("gross_total") - Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO)),
                output_field=MONEY,
            ),
            due=Coalesce("due_date", "issue_date"),
        )
        .filter(open_amount__gt=0)
    )
    aggregates: dict[str, Any] = {}
    for key, low, high in AGE_BUCKETS:
        condition = Q()
        if low is not None:
            condition &= Q(due__lte=today - datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(due__gte=today - datetime.timedelta(days=high))
        aggregates[f"{key}_amount"] = Sum(Case(When(condition, then="open_amount"), output_field=MONEY))
        aggregates[f"{key}_count"] = Count(Case(When(condition, then="pk")))
    figures = open_invoices.aggregate(**aggregates)
    return [
        AgeBucket(key, _money(figures[f"{key}_amount"]), figures[f"{key}_count"] or 0)
        for key, _low, _high in AGE_BUCKETS
    ]


def pipeline_by_month(*, actor: Actor, period: Period, currency: str = "EUR") -> dict[str, Any]:
    """Open deals: their number, total and weighted amount, and the weighted amount per expected
    close month inside the period (deals without a close date are counted apart)."""
    deals = deal_list(actor=actor, status=DealStatus.OPEN).filter(currency=currency).order_by()
    weighted = ExpressionWrapper(F("amount") * F("probability") / Value(Decimal(100)), output_field=MONEY)
    months = (
        deals.filter(expected_close_on__gte=period.start, expected_close_on__lte=period.end)
        .annotate(month=TruncMonth("expected_close_on"))
        .values("month")
        .annotate(weighted=Sum(weighted))
        .order_by()
    )
    totals = deals.aggregate(
        count=Count("id"),
        total=Sum("amount"),
        weighted=Sum(weighted),
        undated=Sum(Case(When(expected_close_on__isnull=True, then=weighted), output_field=MONEY)),
    )
    return {
        "months": {_as_date(row["month"]): _money(row["weighted"]) for row in months},
        "count": totals["count"] or 0,
        "total": _money(totals["total"]),
        "weighted": _money(totals["weighted"]),
        "undated": _money(totals["undated"]),
    }


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def owner_names(*, actor: Actor) -> dict[int, str]:
    """The workspace's members by user id, named as the staff pages name them."""
    from zweck.accounts.selectors import member_list

    return {
        membership.user_id: membership.user.get_full_name() or membership.user.get_short_name()
        for membership in member_list(actor=actor)
    }


def revenue_report(
    *,
    actor: Actor,
    period: Period,
    currency: str = "EUR",
    today: datetime.date | None = None,
    owner_names: dict[int, str] | None = None,
    labels: dict[str, str] | None = None,
) -> RevenueReport:
    """The whole report for ``period``: six grouped queries, one per figure.

    ``owner_names`` names the owners (the caller reads its members); ``labels`` gives the words
    for "others", "no product" and "no owner" in the reader's language.
    """
    actor.require(Permission.REPORT_VIEW)
    today = today or timezone.localdate()
    words = {"others": "Others", "no_product": "Other items", "no_owner": "No owner", **(labels or {})}
    names = owner_names or {}
    report = RevenueReport(period=period, currency=currency)
    booked = {
        _as_date(row["month"]): row for row in revenue_by_month(actor=actor, period=period, currency=currency)
    }
    pipeline: dict[str, Any] = (
        pipeline_by_month(actor=actor, period=period, currency=currency)
        if actor.can(Permission.DEAL_VIEW)
        else {"months": {}, "count": 0, "total": ZERO, "weighted": ZERO, "undated": ZERO}
    )
    report.months = [
        MonthFigures(
            month=month,
            net=_money(booked[month]["net"]) if month in booked else ZERO,
            invoices=booked[month]["count"] if month in booked else 0,
            pipeline_weighted=pipeline["months"].get(month, ZERO),
        )
        for month in period.months()
    ]
    report.pipeline_deals = pipeline["count"]
    report.pipeline_total = pipeline["total"]
    report.pipeline_weighted = pipeline["weighted"]
    report.pipeline_undated_weighted = pipeline["undated"]
    report.customers = _top(
        revenue_by_customer(actor=actor, period=period, currency=currency),
        label_of=lambda row: row["name"],
        others=words["others"],
        none=words["others"],
    )
    report.products = _top(
        revenue_by_product(actor=actor, period=period, currency=currency),
        label_of=lambda row: row["name"],
        others=words["others"],
        none=words["no_product"],
    )
    report.owners = _top(
        (
            {"key": row["responsible"], "net": row["net"], "count": row["count"]}
            for row in revenue_by_owner(actor=actor, period=period, currency=currency)
        ),
        label_of=lambda row: names.get(row["key"], words["no_owner"]),
        others=words["others"],
        none=words["no_owner"],
    )
    report.receivables = receivables_by_age(actor=actor, today=today, currency=currency)
    return report
