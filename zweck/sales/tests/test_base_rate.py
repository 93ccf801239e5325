from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zweck.sales.base_rate import BASE_RATES, base_rate_on, default_interest, default_rate_on


def test_the_base_rate_changes_on_the_first_of_january_and_july() -> None:
    assert base_rate_on(date(2024, 6, 30)) == Decimal("3.62")
    assert base_rate_on(date(2024, 7, 1)) == Decimal("3.37")
    assert base_rate_on(date(2025, 1, 1)) == Decimal("2.27")
    assert base_rate_on(date(2025, 7, 1)) == Decimal("1.27")


def test_the_table_covers_every_half_year_through_2026() -> None:
    starts = [start for start, _rate in BASE_RATES]
    expected = [date(year, month, 1) for year in range(2020, 2027) for month in (1, 7)]
    assert starts == expected


def test_between_businesses_default_interest_is_nine_points_above_the_base_rate() -> None:
    assert default_rate_on(date(2025, 9, 1)) == Decimal("10.27")
    assert default_rate_on(date(2025, 9, 1), business=False) == Decimal("6.27")


def test_interest_over_a_change_of_the_rate_uses_each_days_rate() -> None:
    # 1,000 € from 1 to 31 December 2024 (31 days at 12.37 %) and 1 to 10 January 2025 (10 days at 11.27 %).
    interest = default_interest(Decimal("1000"), first_day=date(2024, 12, 1), last_day=date(2025, 1, 10))

    expected = Decimal("1000") * (Decimal("12.37") * 31 + Decimal("11.27") * 10) / 100 / 365
    assert interest == expected.quantize(Decimal("0.01"))
    assert interest == Decimal("13.59")


def test_no_interest_for_an_empty_period_or_nothing_owed() -> None:
    assert default_interest(Decimal("100"), first_day=date(2026, 2, 2), last_day=date(2026, 2, 1)) == 0
    assert default_interest(Decimal("0"), first_day=date(2026, 1, 1), last_day=date(2026, 2, 1)) == 0


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(min_value=0, max_value=800),
    st.integers(min_value=0, max_value=800),
)
def test_interest_of_two_adjacent_periods_adds_up_to_the_whole(
    amount: Decimal, start: date, first: int, second: int
) -> None:
    from datetime import timedelta

    middle = start + timedelta(days=first)
    end = middle + timedelta(days=second)
    whole = default_interest(amount, first_day=start, last_day=end)
    parts = default_interest(amount, first_day=start, last_day=middle) + default_interest(
        amount, first_day=middle + timedelta(days=1), last_day=end
    )
    assert abs(whole - parts) <= Decimal("0.01")
