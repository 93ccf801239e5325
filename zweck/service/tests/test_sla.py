"""Business-hours arithmetic of the service level targets: properties and known dates."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from zweck.privacy.deadlines import WorkingDays
from zweck.service.sla import BusinessHours

BERLIN = ZoneInfo("Europe/Berlin")
HOURS = BusinessHours(working_days=WorkingDays(country="DE", subdivision="BY"), zone="Europe/Berlin")

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
minutes = st.integers(min_value=0, max_value=60 * 9 * 30)


def test_a_target_within_the_day_ends_the_same_day() -> None:
    start = datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN)  # Wednesday
    assert HOURS.add_minutes(start, 120) == datetime(2026, 12, 2, 11, 0, tzinfo=BERLIN)


def test_a_target_runs_over_the_night_and_the_weekend() -> None:
    start = datetime(2026, 12, 4, 16, 0, tzinfo=BERLIN)  # Friday, one business hour left
    assert HOURS.add_minutes(start, 120) == datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)


def test_public_holidays_of_the_federal_state_do_not_count() -> None:
    # 6 January (Epiphany) is a holiday in Bavaria, not in Berlin.
    start = datetime(2027, 1, 5, 16, 0, tzinfo=BERLIN)  # Tuesday
    assert HOURS.add_minutes(start, 120) == datetime(2027, 1, 7, 9, 0, tzinfo=BERLIN)
    berlin = BusinessHours(working_days=WorkingDays(country="DE", subdivision="BE"), zone="Europe/Berlin")
    assert berlin.add_minutes(start, 120) == datetime(2027, 1, 6, 9, 0, tzinfo=BERLIN)


def test_a_ticket_opened_at_night_counts_from_the_next_morning() -> None:
    start = datetime(2026, 12, 24, 22, 0, tzinfo=BERLIN)  # Christmas Eve; 25th, 26th are holidays
    assert HOURS.add_minutes(start, 60) == datetime(2026, 12, 28, 9, 0, tzinfo=BERLIN)


def test_a_target_ending_at_closing_time_is_due_then() -> None:
    start = datetime(2026, 12, 2, 8, 0, tzinfo=BERLIN)
    assert HOURS.add_minutes(start, 9 * 60) == datetime(2026, 12, 2, 17, 0, tzinfo=BERLIN)


def test_minutes_between_counts_only_business_time() -> None:
    start = datetime(2026, 12, 4, 16, 0, tzinfo=BERLIN)
    assert HOURS.minutes_between(start, datetime(2026, 12, 7, 9, 30, tzinfo=BERLIN)) == 150
    assert HOURS.minutes_between(start, start - timedelta(hours=1)) == 0


@given(moments, minutes)
def test_the_due_moment_lies_in_business_hours(start: datetime, count: int) -> None:
    due = HOURS.add_minutes(start, count).astimezone(BERLIN)
    assert HOURS.working_days.is_working_day(due.date())
    assert time(8, 0) <= due.time() <= time(17, 0)
    assert due >= start


@given(moments, minutes)
def test_counting_back_gives_the_minutes_added(start: datetime, count: int) -> None:
    assert HOURS.minutes_between(start, HOURS.add_minutes(start, count)) == count


@given(moments, minutes, minutes)
def test_more_minutes_never_end_earlier(start: datetime, first: int, second: int) -> None:
    low, high = sorted((first, second))
    assert HOURS.add_minutes(start, low) <= HOURS.add_minutes(start, high)
