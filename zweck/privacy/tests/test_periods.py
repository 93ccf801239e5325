"""Retention date arithmetic: calendar months, leap years, year ends (hypothesis)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zweck.privacy.defaults import RETENTION_PRESETS
from zweck.privacy.periods import Period, PeriodError, add_months, erasure_due_on, period_end

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31))
periods = st.builds(
    Period,
    years=st.integers(0, 30),
    months=st.integers(0, 24),
    days=st.integers(0, 400),
)


@given(start=dates, months=st.integers(0, 1200))
def test_adding_months_lands_in_the_right_month_on_the_same_or_last_day(start: date, months: int) -> None:
    moved = add_months(start, months)
    assert (moved.year * 12 + moved.month) - (start.year * 12 + start.month) == months
    assert moved.day == min(start.day, calendar.monthrange(moved.year, moved.month)[1])


@given(start=dates, period=periods)
def test_a_period_never_ends_before_it_starts(start: date, period: Period) -> None:
    assert period_end(start, period, from_end_of_year=False) >= start
    assert period_end(start, period, from_end_of_year=True) >= date(start.year, 12, 31)


@given(first=dates, second=dates, period=periods, from_end_of_year=st.booleans())
def test_a_later_event_never_ends_earlier(
    first: date, second: date, period: Period, from_end_of_year: bool
) -> None:
    earlier, later = sorted((first, second))
    assert period_end(earlier, period, from_end_of_year=from_end_of_year) <= period_end(
        later, period, from_end_of_year=from_end_of_year
    )


@given(event=dates, years=st.integers(0, 99))
def test_from_the_end_of_the_calendar_year_every_day_of_a_year_ends_on_the_same_31_december(
    event: date, years: int
) -> None:
    end = period_end(event, Period(years=years), from_end_of_year=True)
    assert end == date(event.year + years, 12, 31)
    assert erasure_due_on(event, Period(years=years), from_end_of_year=True) == date(
        event.year + years + 1, 1, 1
    )


@given(event=dates, days=st.integers(0, 10_000))
def test_a_period_of_days_is_plain_day_arithmetic(event: date, days: int) -> None:
    assert period_end(event, Period(days=days), from_end_of_year=False) == event + timedelta(days=days)


@pytest.mark.parametrize(
    ("event", "period", "expected"),
    [
        (date(2024, 2, 29), Period(years=1), date(2025, 2, 28)),  # leap day, non-leap target
        (date(2024, 2, 29), Period(years=4), date(2028, 2, 29)),  # leap day, leap target
        (date(2024, 2, 29), Period(years=1, months=1), date(2025, 3, 29)),  # months added at once
        (date(2025, 1, 31), Period(months=1), date(2025, 2, 28)),  # month end
        (date(2024, 1, 31), Period(months=1), date(2024, 2, 29)),  # month end in a leap year
        (date(2025, 8, 31), Period(months=1), date(2025, 9, 30)),
        (date(2025, 12, 31), Period(days=1), date(2026, 1, 1)),  # year end
        (date(2025, 1, 31), Period(days=30), date(2025, 3, 2)),
    ],
)
def test_calendar_edges(event: date, period: Period, expected: date) -> None:
    assert period_end(event, period, from_end_of_year=False) == expected


@pytest.mark.parametrize(
    ("key", "event", "last_day"),
    [
        # § 257(4)-(5) HGB, § 147(3)-(4) AO: from the end of the year the record arose.
        ("books_and_records", date(2024, 3, 15), date(2034, 12, 31)),
        ("accounting_vouchers", date(2024, 12, 31), date(2032, 12, 31)),
        ("accounting_vouchers", date(2025, 1, 1), date(2033, 12, 31)),
        ("business_letters", date(2024, 2, 29), date(2030, 12, 31)),
        ("service_records", date(2024, 2, 29), date(2031, 2, 28)),
        ("tenant_contract", date(2025, 1, 31), date(2025, 3, 2)),
        ("warranty", date(2024, 2, 29), date(2028, 2, 29)),
        ("business_relationship", date(2025, 6, 30), date(2028, 12, 31)),
        ("session", date(2025, 6, 30), date(2025, 6, 30)),
    ],
)
def test_shipped_presets_compute_the_statutory_dates(key: str, event: date, last_day: date) -> None:
    preset = RETENTION_PRESETS[key]
    period = Period(years=preset.years, months=preset.months, days=preset.days)
    assert period_end(event, period, from_end_of_year=preset.from_end_of_year) == last_day


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (Period(years=-1), "cannot be negative"),
        (Period(years=101), "cannot exceed 100 years"),
    ],
)
def test_a_period_that_cannot_be_computed_is_refused(period: Period, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        period_end(date(2025, 1, 1), period, from_end_of_year=False)


def test_a_period_past_the_calendar_is_refused() -> None:
    with pytest.raises(PeriodError, match="outside the calendar"):
        period_end(date(9990, 1, 1), Period(years=20), from_end_of_year=False)
