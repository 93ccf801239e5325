"""Retention date arithmetic: the one place that turns a period and an event date into a date.

Invariants (property-tested in ``tests/test_periods.py``):

- A period is whole years, months and days. Years and months are added together on the
  calendar: the same day number in the target month, or that month's last day where it has
  none (31 January + 1 month = 28/29 February; 29 February + 1 year = 28 February). Days are
  added afterwards. This is how §§ 187, 188(2)–(3) BGB end a period of months or years.
- "From the end of the calendar year" (§ 257(5) HGB, § 147(4) AO) anchors the period at
  31 December of the year in which the event happened; a ten-year period for a 2024 record
  therefore ends on 31 December 2034, whatever day in 2024 the record arose.
- ``period_end`` is the last day the record must be kept; erasure is due from the next day.
- A period that cannot be computed (negative parts, longer than ``MAXIMUM_YEARS``, or past
  the calendar's end) raises ``PeriodError`` instead of returning a wrong date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

MAXIMUM_YEARS = 100


class PeriodError(ValueError):
    """The period cannot be computed."""


@dataclass(frozen=True)
class Period:
    years: int = 0
    months: int = 0
    days: int = 0

    def validate(self) -> None:
        if min(self.years, self.months, self.days) < 0:
            raise PeriodError(_("A retention period cannot be negative."))
        if self.years + self.months / 12 + self.days / 365 > MAXIMUM_YEARS:
            raise PeriodError(
                _("A retention period cannot exceed %(years)d years.") % {"years": MAXIMUM_YEARS}
            )


def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months`` calendar months, clamped to the target month's last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise PeriodError(_("The period ends outside the calendar."))
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def add_period(start: date, period: Period) -> date:
    period.validate()
    moved = add_months(start, period.years * 12 + period.months)
    try:
        return moved + timedelta(days=period.days)
    except OverflowError as error:
        raise PeriodError(_("The period ends outside the calendar.")) from error


def period_start(event_on: date, *, from_end_of_year: bool) -> date:
    """Where the period is counted from: the event, or 31 December of the event's year."""
    return date(event_on.year, 12, 31) if from_end_of_year else event_on


def period_end(event_on: date, period: Period, *, from_end_of_year: bool) -> date:
    """The last day a record whose event happened on ``event_on`` must be kept."""
    return add_period(period_start(event_on, from_end_of_year=from_end_of_year), period)


def erasure_due_on(event_on: date, period: Period, *, from_end_of_year: bool) -> date:
    """The first day the record may (and, without a hold, must) be erased."""
    end = period_end(event_on, period, from_end_of_year=from_end_of_year)
    if end == date.max:
        raise PeriodError(_("The period ends outside the calendar."))
    return end + timedelta(days=1)
