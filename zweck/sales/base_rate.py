"""The base rate of § 247 BGB and the default interest of § 288 BGB computed from it.

The base rate changes on 1 January and 1 July (§ 247(1) BGB); the Deutsche Bundesbank announces
each value in the Bundesanzeiger (§ 247(2) BGB) and lists them on its page "Basiszinssatz"
(www.bundesbank.de, Statistiken › Geld- und Kapitalmärkte › Zinssätze und Renditen). The table
below is that list from 2020 on; a new half-year's value is added here when it is announced.
Until then the last known value is used, as the law keeps it until it changes.

Default interest between businesses is the base rate plus nine percentage points (§ 288(2)
BGB), for consumers plus five (§ 288(1) BGB); it runs per calendar day on the amount overdue,
on a 365-day year (the usual German practice, and what the courts accept).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# First day of the half-year → base rate in percent (Bundesbank announcements, § 247(2) BGB).
BASE_RATES: tuple[tuple[date, Decimal], ...] = (
    (date(2020, 1, 1), Decimal("-0.88")),
    (date(2020, 7, 1), Decimal("-0.88")),
    (date(2021, 1, 1), Decimal("-0.88")),
    (date(2021, 7, 1), Decimal("-0.88")),
    (date(2022, 1, 1), Decimal("-0.88")),
    (date(2022, 7, 1), Decimal("-0.88")),
    (date(2023, 1, 1), Decimal("1.62")),
    (date(2023, 7, 1), Decimal("3.12")),
    (date(2024, 1, 1), Decimal("3.62")),
    (date(2024, 7, 1), Decimal("3.37")),
    (date(2025, 1, 1), Decimal("2.27")),
    (date(2025, 7, 1), Decimal("1.27")),
    (date(2026, 1, 1), Decimal("1.27")),
    # The ECB's main refinancing rate, the reference of § 247(1) BGB, stayed at 2.15 % from
    # 11 June 2025 through the first half of 2026, so the base rate stayed at 1.27 %.
    (date(2026, 7, 1), Decimal("1.27")),
)

BUSINESS_SURCHARGE = Decimal("9")  # § 288(2) BGB
CONSUMER_SURCHARGE = Decimal("5")  # § 288(1) BGB
FLAT_FEE = Decimal("40.00")  # § 288(5) BGB, once per claim, between businesses
DAYS_PER_YEAR = Decimal("365")
CENT = Decimal("0.01")


def base_rate_on(day: date) -> Decimal:
    """The base rate in force on ``day`` (the earliest listed value before the table starts)."""
    rate = BASE_RATES[0][1]
    for start, value in BASE_RATES:
        if start > day:
            break
        rate = value
    return rate


def default_rate_on(day: date, *, business: bool = True) -> Decimal:
    """The default interest rate in percent a year on ``day`` (§ 288(1), (2) BGB)."""
    return base_rate_on(day) + (BUSINESS_SURCHARGE if business else CONSUMER_SURCHARGE)


def default_interest(amount: Decimal, *, first_day: date, last_day: date, business: bool = True) -> Decimal:
    """Interest on ``amount`` for each day from ``first_day`` to ``last_day`` inclusive, at the
    rate of each day (a period over 1 January or 1 July uses both rates), rounded to the cent.
    Nothing when the period is empty or the amount is not positive."""
    if amount <= 0 or last_day < first_day:
        return Decimal("0.00")
    total = Decimal("0")
    day = first_day
    while day <= last_day:
        # The days up to the next change of the rate (or the period's end) share one rate.
        following = [start for start, _rate in BASE_RATES if start > day]
        segment_end = min(last_day, following[0] - timedelta(days=1)) if following else last_day
        days = (segment_end - day).days + 1
        total += amount * default_rate_on(day, business=business) / Decimal(100) * days / DAYS_PER_YEAR
        day = segment_end + timedelta(days=1)
    return max(total, Decimal("0")).quantize(CENT, rounding=ROUND_HALF_UP)
