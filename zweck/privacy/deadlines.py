"""The answer deadline of a data-subject request (Art. 12(3) GDPR).

Invariants (property-tested in ``tests/test_deadlines.py``):
- due = receipt + one calendar month: the same day number in the next month, or that month's
  last day where it has none (31 January → 28/29 February), as ``periods.add_months`` computes
  for every period in Zweck (§§ 187, 188(2)–(3) BGB);
- the deadline can be extended once by two further months: the extended date is receipt + three
  calendar months, counted from the receipt like the first month (31 January → 30 April);
- an extension is possible only within the first month, i.e. on or before the original due date,
  because the subject must be told of it and its reasons within that month.
"""

from __future__ import annotations

from datetime import date

from zweck.privacy.periods import add_months

ANSWER_MONTHS = 1
EXTENSION_MONTHS = 2


def request_due_on(received_on: date) -> date:
    return add_months(received_on, ANSWER_MONTHS)


def request_extended_due_on(received_on: date) -> date:
    return add_months(received_on, ANSWER_MONTHS + EXTENSION_MONTHS)


def extension_possible(received_on: date, today: date) -> bool:
    """Whether the deadline may still be extended on ``today``."""
    return received_on <= today <= request_due_on(received_on)
