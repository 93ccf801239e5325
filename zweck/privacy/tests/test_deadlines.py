"""Art. 12(3) GDPR: one calendar month to answer, one extension by two months within the first."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from zweck.accounts.actors import Actor
from zweck.privacy.deadlines import extension_possible, request_due_on, request_extended_due_on
from zweck.privacy.dsr import RequestStateError, dsr_extend, dsr_open
from zweck.privacy.request_models import RequestChannel, RequestKind

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 9, 30))


@given(dates)
def test_due_is_the_same_day_next_month_or_that_months_last_day(received: date) -> None:
    due = request_due_on(received)
    next_month = (received.replace(day=1) + timedelta(days=32)).replace(day=1)
    assert (due.year, due.month) == (next_month.year, next_month.month)
    assert due.day == min(received.day, calendar.monthrange(due.year, due.month)[1])


@given(dates)
def test_extension_adds_two_months_counted_from_receipt(received: date) -> None:
    extended = request_extended_due_on(received)
    assert extended > request_due_on(received)
    months = (extended.year - received.year) * 12 + extended.month - received.month
    assert months == 3
    assert extended.day == min(received.day, calendar.monthrange(extended.year, extended.month)[1])


@given(dates, st.integers(min_value=-5, max_value=70))
def test_extension_only_within_the_first_month(received: date, days_later: int) -> None:
    today = received + timedelta(days=days_later)
    assert extension_possible(received, today) is (received <= today <= request_due_on(received))


@pytest.mark.parametrize(
    ("received", "due", "extended"),
    [
        (date(2024, 1, 31), date(2024, 2, 29), date(2024, 4, 30)),
        (date(2023, 1, 31), date(2023, 2, 28), date(2023, 4, 30)),
        (date(2024, 12, 15), date(2025, 1, 15), date(2025, 3, 15)),
        (date(2024, 3, 31), date(2024, 4, 30), date(2024, 6, 30)),
    ],
)
def test_month_ends_and_leap_years(received: date, due: date, extended: date) -> None:
    assert (request_due_on(received), request_extended_due_on(received)) == (due, extended)


def test_extension_is_refused_after_the_first_month_and_the_second_time(installed: Actor) -> None:
    request = dsr_open(actor=installed, kind=RequestKind.ACCESS, channel=RequestChannel.LETTER)
    received = timezone.localdate(request.received_at)
    with pytest.raises(RequestStateError):
        dsr_extend(
            actor=installed, request=request, reason="Many requests", today=request.due_on + timedelta(days=1)
        )
    dsr_extend(actor=installed, request=request, reason="Many requests", today=received)
    request.refresh_from_db()
    assert request.extended_due_on == request_extended_due_on(received)
    assert request.deadline == request.extended_due_on
    with pytest.raises(RequestStateError):
        dsr_extend(actor=installed, request=request, reason="Again", today=received)
    assert [a.action for a in request.actions.all()] == ["request.received", "dsr.extend"]
