"""The arithmetic of sales documents: cents, per-rate tax, discounts, cancellations."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zweck.sales.totals import LineFigures, cents, document_totals, line_net_amount

D = Decimal


def test_a_line_is_rounded_to_the_cent_half_away_from_zero() -> None:
    assert line_net_amount(D("3"), D("0.3350")) == D("1.01")  # 1.005
    assert line_net_amount(D("3"), D("-0.3350")) == D("-1.01")
    assert line_net_amount(D("1.5"), D("99.99"), D("10")) == D("134.99")  # 134.9865


def test_tax_is_computed_once_per_rate_on_the_rates_net_amount() -> None:
    # seven lines of 0.03 at 19 %: 0.21 net and 0.04 tax for the rate; rounded per line it would be 0.07
    lines = [LineFigures(D("1"), D("0.03"), 19) for _ in range(7)]
    totals = document_totals(lines)
    assert (totals.net_total, totals.tax_total, totals.gross_total) == (D("0.21"), D("0.04"), D("0.25"))


def test_rates_and_reasons_are_grouped_highest_rate_first() -> None:
    lines = [
        LineFigures(D("10"), D("120"), 19),
        LineFigures(D("2"), D("15.50"), 7),
        LineFigures(D("1"), D("500"), 0, "reverse_charge"),
        LineFigures(D("1"), D("80"), 19, discount_percent=D("25")),
    ]
    totals = document_totals(lines, discount_percent=D("10"))
    assert [
        (g.vat_rate, g.zero_rate_reason, g.lines_net_amount, g.net_amount, g.tax_amount)
        for g in totals.groups
    ] == [
        (19, "", D("1260.00"), D("1134.00"), D("215.46")),
        (7, "", D("31.00"), D("27.90"), D("1.95")),
        (0, "reverse_charge", D("500.00"), D("450.00"), D("0.00")),
    ]
    assert totals.line_amounts == (D("1200.00"), D("31.00"), D("500.00"), D("60.00"))
    assert totals.discount_amount == D("179.10")
    assert (totals.net_total, totals.tax_total, totals.gross_total) == (
        D("1611.90"),
        D("217.41"),
        D("1829.31"),
    )


prices = st.decimals(min_value=D("-100000"), max_value=D("100000"), places=4)
quantities = st.decimals(min_value=D("0.001"), max_value=D("10000"), places=3)
percents = st.decimals(min_value=D("0"), max_value=D("100"), places=2)
lines = st.lists(
    st.builds(LineFigures, quantities, prices, st.sampled_from([19, 7]), st.just(""), percents), max_size=8
)


@given(lines, percents)
def test_a_cancellation_comes_to_exactly_the_negated_totals(
    figures: list[LineFigures], discount: Decimal
) -> None:
    original = document_totals(figures, discount)
    negated = [
        LineFigures(f.quantity, -f.unit_net_price, f.vat_rate, f.zero_rate_reason, f.discount_percent)
        for f in figures
    ]
    cancellation = document_totals(negated, discount)
    assert cancellation.net_total == -original.net_total
    assert cancellation.tax_total == -original.tax_total
    assert cancellation.gross_total == -original.gross_total


@given(lines, percents)
def test_totals_are_whole_cents_and_add_up(figures: list[LineFigures], discount: Decimal) -> None:
    totals = document_totals(figures, discount)
    for group in totals.groups:
        assert group.net_amount == cents(group.net_amount)
        assert group.tax_amount == cents(group.net_amount * group.vat_rate / 100)
    assert totals.gross_total == totals.net_total + totals.tax_total
    assert totals.lines_net_total == sum(totals.line_amounts, D("0"))
