"""Bar charts drawn on the server as SVG: no script, no inline style (the content security policy
allows neither); colours come from classes in ``zweck.css``. Each chart carries a title and a
description, and the page shows the same figures in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 720
HEIGHT = 260
LEFT = 64  # room for the value axis labels
BOTTOM = 28  # room for the month labels
TOP = 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str
    negative: bool = False
    css: str = "chart-bar"


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class Marker:
    """A point of a second series drawn over the bars (the weighted pipeline)."""

    x: float
    y: float
    value_text: str


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    bars: list[Bar]
    markers: list[Marker]
    ticks: list[Tick]
    baseline: float
    labels: list[tuple[float, str]]


def _nice_ceiling(value: Decimal) -> Decimal:
    """The next "round" number at or above ``value`` (1, 2, 2.5, 5 × a power of ten)."""
    if value <= 0:
        return Decimal(1)
    exponent = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= exponent * step:
            return exponent * Decimal(step)
    return exponent * 10  # pragma: no cover


def column_chart(
    values: Sequence[Decimal],
    labels: Sequence[str],
    value_texts: Sequence[str],
    *,
    tick_text: object,
    overlay: Sequence[Decimal] = (),
    overlay_texts: Sequence[str] = (),
) -> ColumnChart:
    """Vertical bars (one per month), negative values below the baseline; ``overlay`` a second
    series drawn as markers; ``tick_text`` writes an axis value."""
    top = _nice_ceiling(max([*values, *overlay, Decimal(0)]))
    bottom = -_nice_ceiling(-min(values)) if values and min(values) < 0 else Decimal(0)
    span = top - bottom
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - 8

    def y_of(value: Decimal) -> float:
        return round(TOP + float((top - value) / span) * plot_height, 1)

    baseline = y_of(Decimal(0))
    slot = plot_width / max(len(values), 1)
    bar_width = round(slot * 0.62, 1)
    bars, markers, month_labels = [], [], []
    for index, (value, label, text) in enumerate(zip(values, labels, value_texts, strict=True)):
        x = round(LEFT + index * slot + (slot - bar_width) / 2, 1)
        y = y_of(value)
        bars.append(
            Bar(
                x=x,
                y=min(y, baseline),
                width=bar_width,
                height=round(abs(baseline - y), 1),
                label=label,
                value_text=text,
                negative=value < 0,
                css="chart-bar chart-bar-negative" if value < 0 else "chart-bar",
            )
        )
        month_labels.append((round(LEFT + index * slot + slot / 2, 1), label))
    for index, (value, text) in enumerate(zip(overlay, overlay_texts, strict=True)):
        if value:
            markers.append(Marker(round(LEFT + index * slot + slot / 2, 1), y_of(value), text))
    ticks = [
        Tick(y_of(bottom + span * step / 4), str(tick_text(bottom + span * step / 4)))  # type: ignore[operator]
        for step in range(5)
    ]
    return ColumnChart(WIDTH, HEIGHT, bars, markers, ticks, baseline, month_labels)


@dataclass(frozen=True)
class Row:
    label: str
    value_text: str
    width_percent: float
    negative: bool
    css: str


def bar_rows(values: Sequence[Decimal], labels: Sequence[str], value_texts: Sequence[str]) -> list[Row]:
    """Horizontal bars as percentages of the largest value (for a customer or product list)."""
    largest = max([abs(value) for value in values] + [Decimal(0)]) or Decimal(1)
    return [
        Row(
            label,
            text,
            round(float(abs(value) / largest) * 100, 1),
            value < 0,
            "chart-bar chart-bar-negative" if value < 0 else "chart-bar",
        )
        for value, label, text in zip(values, labels, value_texts, strict=True)
    ]
