"""Service level targets counted in business hours.

A target of ``n`` business minutes from a moment ends after ``n`` minutes of the business day
(``ServiceSettings.business_day_start`` to ``business_day_end``, local time of the
installation's time zone) on working days: Monday to Friday except the public holidays of the
workspace's country and federal state (``zweck.privacy.deadlines.WorkingDays``, the same
calendar that ends a data-subject request's deadline).

Invariants (property-tested in ``tests/test_sla.py``):
- a moment outside business hours counts from the next business day's start;
- the due moment always lies within business hours (a target ending at a day's end is due at
  that end, not at the next day's start);
- ``business_minutes_between(start, add_business_minutes(start, n)) == n``;
- adding minutes never moves backwards, and adding more never ends earlier.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from zweck.privacy.deadlines import WorkingDays
from zweck.service.choices import TicketPriority

# Shipped targets per priority in business minutes: (first response, resolution). A workspace
# sets its own (``SlaTarget`` without organization), a customer's contract may override them.
DEFAULT_TARGETS: dict[str, tuple[int, int]] = {
    TicketPriority.URGENT: (60, 4 * 60),
    TicketPriority.HIGH: (4 * 60, 2 * 9 * 60),
    TicketPriority.NORMAL: (9 * 60, 5 * 9 * 60),
    TicketPriority.LOW: (2 * 9 * 60, 10 * 9 * 60),
}
# A ticket's next target is "due soon" within this much wall-clock time.
DUE_SOON = timedelta(hours=2)
# No target reaches further than this many calendar days (a year of business minutes on short
# days with many holidays stays well within it).
_SEARCH_DAYS = 4000


@dataclass(frozen=True)
class BusinessHours:
    """The business day on the working days of one place."""

    working_days: WorkingDays
    start: time = time(8, 0)
    end: time = time(17, 0)
    zone: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone or settings.TIME_ZONE)

    def _window(self, day: date) -> tuple[datetime, datetime]:
        tz = self.tz
        return datetime.combine(day, self.start, tz), datetime.combine(day, self.end, tz)

    def _windows_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The business windows from ``moment`` on: (start, end), the first cut at ``moment``."""
        local = moment.astimezone(self.tz)
        day = local.date()
        for _offset in range(_SEARCH_DAYS):
            if self.working_days.is_working_day(day):
                opens, closes = self._window(day)
                if closes > local:
                    yield max(opens, local), closes
            day += timedelta(days=1)
        raise OverflowError("no business hours within reach")

    def add_minutes(self, moment: datetime, minutes: int) -> datetime:
        """The moment ``minutes`` business minutes after ``moment``."""
        remaining = timedelta(minutes=minutes)
        for opens, closes in self._windows_from(moment):
            if remaining <= closes - opens:
                return opens + remaining
            remaining -= closes - opens
        raise OverflowError("no business hours within reach")  # pragma: no cover

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole business minutes from ``start`` to ``end`` (0 when ``end`` is not later)."""
        if end <= start:
            return 0
        total = timedelta()
        for opens, closes in self._windows_from(start):
            if opens >= end:
                break
            total += min(closes, end) - opens
        return int(total.total_seconds() // 60)


def target_for(
    priority: str, *, workspace_default: tuple[int, int] | None, organization_override: tuple[int, int] | None
) -> tuple[int, int]:
    """(response, resolution) minutes: the customer's override, the workspace's, the shipped."""
    return organization_override or workspace_default or DEFAULT_TARGETS[priority]
