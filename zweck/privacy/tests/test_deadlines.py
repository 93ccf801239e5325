"""Art. 12(3) GDPR: one calendar month to answer, one extension by two further months up to the
original due date; a period ending on a weekend or public holiday ends on the next working day
(Art. 3(4) Regulation (EEC, Euratom) No 1182/71)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from zweck.accounts.actors import Actor
from zweck.accounts.models import FederalState
from zweck.privacy.deadlines import (
    MAXIMUM_MOVE_DAYS,
    NATIONWIDE,
    WorkingDays,
    extension_possible,
    public_holidays,
    request_due_on,
    request_extended_due_on,
    working_days_of,
)
from zweck.privacy.dsr import RequestStateError, dsr_extend, dsr_open
from zweck.privacy.periods import add_months
from zweck.privacy.request_models import RequestChannel, RequestKind

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 9, 30))
calendars = st.builds(WorkingDays, subdivision=st.sampled_from(FederalState.values))
BAVARIA = WorkingDays(subdivision="BY")
BERLIN = WorkingDays(subdivision="BE")


def _is_day_off(day: date, working_days: WorkingDays) -> bool:
    return day.weekday() >= 5 or day in public_holidays("DE", working_days.subdivision, day.year)


@given(dates, calendars)
def test_due_is_the_same_day_next_month_or_that_months_last_day_unless_a_day_off(
    received: date, working_days: WorkingDays
) -> None:
    next_month = (received.replace(day=1) + timedelta(days=32)).replace(day=1)
    calendar_date = add_months(received, 1)
    assert (calendar_date.year, calendar_date.month) == (next_month.year, next_month.month)
    assert calendar_date.day == min(received.day, calendar.monthrange(next_month.year, next_month.month)[1])
    due = request_due_on(received, working_days=working_days)
    assert due == calendar_date or _is_day_off(calendar_date, working_days)


@given(dates, calendars)
def test_due_never_falls_on_a_weekend_or_public_holiday(received: date, working_days: WorkingDays) -> None:
    for due in (
        request_due_on(received, working_days=working_days),
        request_extended_due_on(received, working_days=working_days),
    ):
        assert due.weekday() < 5
        assert due not in public_holidays("DE", working_days.subdivision, due.year)
        assert working_days.is_working_day(due)


@given(dates, calendars)
def test_due_is_the_first_working_day_from_the_calendar_date_and_at_most_four_days_later(
    received: date, working_days: WorkingDays
) -> None:
    for months, due in (
        (1, request_due_on(received, working_days=working_days)),
        (3, request_extended_due_on(received, working_days=working_days)),
    ):
        calendar_date = add_months(received, months)
        assert calendar_date <= due <= calendar_date + timedelta(days=MAXIMUM_MOVE_DAYS)
        # every day skipped is a day off
        skipped = [calendar_date + timedelta(days=n) for n in range((due - calendar_date).days)]
        assert all(_is_day_off(day, working_days) for day in skipped)


@given(dates, calendars)
def test_a_federal_state_only_adds_days_off_to_the_nationwide_ones(
    received: date, working_days: WorkingDays
) -> None:
    # the nationwide holidays are holidays in every state, so a state's due date is never earlier
    assert request_due_on(received, working_days=working_days) >= request_due_on(
        received, working_days=NATIONWIDE
    )


@given(dates, calendars)
def test_extension_adds_two_months_counted_from_receipt(received: date, working_days: WorkingDays) -> None:
    extended = request_extended_due_on(received, working_days=working_days)
    assert extended > request_due_on(received, working_days=working_days)
    calendar_date = add_months(received, 3)
    months = (calendar_date.year - received.year) * 12 + calendar_date.month - received.month
    assert months == 3
    assert calendar_date.day == min(
        received.day, calendar.monthrange(calendar_date.year, calendar_date.month)[1]
    )
    # counted from receipt, not from the moved first due date
    assert extended == working_days.next_working_day(calendar_date)


@given(dates, calendars, st.integers(min_value=-5, max_value=70))
def test_extension_up_to_and_including_the_moved_due_date(
    received: date, working_days: WorkingDays, days_later: int
) -> None:
    today = received + timedelta(days=days_later)
    due = request_due_on(received, working_days=working_days)
    assert extension_possible(received, today, working_days=working_days) is (received <= today <= due)


@pytest.mark.parametrize(
    ("received", "working_days", "due", "extended"),
    [
        # the calendar dates are working days: nothing moves
        (date(2024, 1, 31), NATIONWIDE, date(2024, 2, 29), date(2024, 4, 30)),
        (date(2024, 12, 16), NATIONWIDE, date(2025, 1, 16), date(2025, 3, 17)),
        # 28 February 2023 is a Tuesday; 30 April 2023 a Sunday, 1 May Labour Day
        (date(2023, 1, 31), NATIONWIDE, date(2023, 2, 28), date(2023, 5, 2)),
        # 18 April 2025 is Good Friday, 21 April Easter Monday
        (date(2025, 3, 18), NATIONWIDE, date(2025, 4, 22), date(2025, 6, 18)),
        (date(2025, 1, 18), BAVARIA, date(2025, 2, 18), date(2025, 4, 22)),
        # 6 January is Epiphany in Bavaria, not in Berlin
        (date(2024, 12, 6), BAVARIA, date(2025, 1, 7), date(2025, 3, 6)),
        (date(2024, 12, 6), BERLIN, date(2025, 1, 6), date(2025, 3, 6)),
        # 19 June 2025 is Corpus Christi in Bavaria; 8 March is Women's Day in Berlin
        (date(2025, 5, 19), BAVARIA, date(2025, 6, 20), date(2025, 8, 19)),
        (date(2025, 5, 19), BERLIN, date(2025, 6, 19), date(2025, 8, 19)),
        (date(2024, 2, 8), BERLIN, date(2024, 3, 11), date(2024, 5, 8)),
        # 1 November 2025 is a Saturday (and All Saints' Day in Bavaria)
        (date(2025, 10, 1), BAVARIA, date(2025, 11, 3), date(2026, 1, 2)),
        # 25 December 2025 is a Thursday: Christmas, Boxing Day, the weekend
        (date(2025, 11, 25), NATIONWIDE, date(2025, 12, 29), date(2026, 2, 25)),
    ],
)
def test_known_dates(received: date, working_days: WorkingDays, due: date, extended: date) -> None:
    assert (
        request_due_on(received, working_days=working_days),
        request_extended_due_on(received, working_days=working_days),
    ) == (due, extended)


def test_an_extension_may_be_declared_on_the_moved_due_date_but_not_after() -> None:
    received = date(2025, 3, 18)  # one month later is Good Friday; due the Tuesday after Easter
    assert extension_possible(received, date(2025, 4, 19), working_days=NATIONWIDE)
    assert extension_possible(received, date(2025, 4, 22), working_days=NATIONWIDE)
    assert not extension_possible(received, date(2025, 4, 23), working_days=NATIONWIDE)


def test_a_country_without_known_holidays_moves_weekends_only() -> None:
    assert public_holidays("ZZ", "", 2025) == frozenset()
    # 18 April 2025 is a Friday: a working day where Good Friday is no holiday
    assert request_due_on(date(2025, 3, 18), working_days=WorkingDays(country="ZZ")) == date(2025, 4, 18)


def test_the_request_takes_its_workspace_s_federal_state(installed: Actor) -> None:
    installed.workspace.federal_state = "BY"
    installed.workspace.save(update_fields=["federal_state"])
    received_at = datetime(2025, 5, 19, 9, 0, tzinfo=UTC)
    request = dsr_open(
        actor=installed, kind=RequestKind.ACCESS, channel=RequestChannel.LETTER, received_at=received_at
    )
    assert request.due_on == date(2025, 6, 20)
    dsr_extend(actor=installed, request=request, reason="Many requests", today=date(2025, 6, 20))
    request.refresh_from_db()
    assert request.extended_due_on == date(2025, 8, 19)


def test_extension_is_refused_after_the_due_date_and_the_second_time(installed: Actor) -> None:
    request = dsr_open(actor=installed, kind=RequestKind.ACCESS, channel=RequestChannel.LETTER)
    received = timezone.localdate(request.received_at)
    with pytest.raises(RequestStateError) as refused:
        dsr_extend(
            actor=installed, request=request, reason="Many requests", today=request.due_on + timedelta(days=1)
        )
    assert refused.value.messages == [
        "The deadline can only be extended up to and including the original due date, "
        f"{request.due_on.isoformat()}."
    ]
    dsr_extend(actor=installed, request=request, reason="Many requests", today=received)
    request.refresh_from_db()
    assert request.extended_due_on == request_extended_due_on(
        received, working_days=working_days_of(installed.workspace)
    )
    assert request.deadline == request.extended_due_on
    with pytest.raises(RequestStateError):
        dsr_extend(actor=installed, request=request, reason="Again", today=received)
    assert [a.action for a in request.actions.all()] == ["request.received", "dsr.extend"]
