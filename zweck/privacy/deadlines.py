"""The answer deadline of a data-subject request (Art. 12(3) GDPR).

Sources: Art. 12(3) GDPR gives one month, extendable by two further months. How such a period
ends follows Regulation (EEC, Euratom) No 1182/71 determining the rules applicable to periods,
dates and time limits, which the EDPB applies to Art. 12(3) (Guidelines 01/2022 on the right of
access): a period of months ends on the same day number in the last month (Art. 3(2)(c)), and
where the last day of a period is a public holiday, Sunday or Saturday, the period ends with the
expiry of the last hour of the following working day (Art. 3(4)). Public holidays are those of
the place where the controller acts (Art. 2(1)): the workspace's country and, in Germany, its
federal state, as the ``holidays`` library lists them (``holidays.country_holidays("DE",
subdiv="BY")``). A workspace without a federal state counts the nationwide holidays only.

Invariants (property-tested in ``tests/test_deadlines.py``):
- the unmoved due date is receipt + one calendar month: the same day number in the next month,
  or that month's last day where it has none (31 January → 28/29 February), as
  ``periods.add_months`` computes for every period in Zweck;
- the due date is the unmoved date where that is a working day, otherwise the next working day:
  it is never a Saturday, Sunday or public holiday, never earlier than the unmoved date, and in
  Germany at most ``MAXIMUM_MOVE_DAYS`` later (Good Friday → the Tuesday after Easter Monday;
  Christmas Day on a Thursday → the Monday after);
- the deadline can be extended once by two further months: the extended date is receipt + three
  calendar months, counted from the receipt like the first month (31 January → 30 April), then
  moved to a working day the same way;
- an extension is possible from receipt up to and including the (moved) original due date,
  because the subject must be told of it and its reasons within the first month.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import holidays
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.privacy.periods import PeriodError, add_months

if TYPE_CHECKING:
    from zweck.accounts.models import Workspace

ANSWER_MONTHS = 1
EXTENSION_MONTHS = 2
# The longest run of days off that can follow a period's last day in Germany: Good Friday,
# Saturday, Sunday, Easter Monday.
MAXIMUM_MOVE_DAYS = 4
# Other countries' calendars may hold longer runs; none holds a month of them.
_SEARCH_DAYS = 31
_SATURDAY = 5


@functools.lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str, year: int) -> frozenset[date]:
    """The public holidays of ``country`` (and its ``subdivision``) in ``year``; none for a
    country the ``holidays`` library does not know, so only weekends count there."""
    try:
        found = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:
        return frozenset()
    return frozenset(found)


@dataclass(frozen=True)
class WorkingDays:
    """Which days are working days: Monday to Friday, except the public holidays of ``country``
    (ISO 3166-1) and, where given, of its ``subdivision`` (the federal state in Germany, its ISO
    3166-2:DE code without the ``DE-`` prefix)."""

    country: str = "DE"
    subdivision: str = ""

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < _SATURDAY and day not in public_holidays(
            self.country, self.subdivision, day.year
        )

    def next_working_day(self, day: date) -> date:
        """``day`` where it is a working day, otherwise the first working day after it."""
        for offset in range(_SEARCH_DAYS):
            try:
                candidate = day + timedelta(days=offset)
            except OverflowError as error:
                raise PeriodError(_("The period ends outside the calendar.")) from error
            if self.is_working_day(candidate):
                return candidate
        raise PeriodError(_("The period ends outside the calendar."))


NATIONWIDE = WorkingDays()


def working_days_of(workspace: Workspace) -> WorkingDays:
    """The working days of the place the workspace (the controller) acts from."""
    return WorkingDays(country=workspace.country, subdivision=workspace.federal_state)


def request_due_on(received_on: date, *, working_days: WorkingDays) -> date:
    return working_days.next_working_day(add_months(received_on, ANSWER_MONTHS))


def request_extended_due_on(received_on: date, *, working_days: WorkingDays) -> date:
    return working_days.next_working_day(add_months(received_on, ANSWER_MONTHS + EXTENSION_MONTHS))


def extension_possible(received_on: date, today: date, *, working_days: WorkingDays) -> bool:
    """Whether the deadline may still be extended on ``today``."""
    return received_on <= today <= request_due_on(received_on, working_days=working_days)


def stored_deadlines(
    *, received_at: datetime, extended: bool, working_days: WorkingDays
) -> tuple[date, date | None]:
    """(``due_on``, ``extended_due_on``) of a request received at ``received_at``; the extended
    date only where the deadline was extended."""
    received_on = timezone.localdate(received_at)
    due = request_due_on(received_on, working_days=working_days)
    return due, request_extended_due_on(received_on, working_days=working_days) if extended else None
