"""Formatting helpers for the sales pages: quantities and percentages in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def quantity(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 2, 1,5 or 0,125 in German (2, 1.5, 0.125 in English)."""
    if value is None:
        return ""
    normalized = Decimal(value).normalize()
    exponent = normalized.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number_format(normalized, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def percent(value: Decimal | None) -> str:
    """A percentage as the reader writes it: 2,5 % or 2.5 %."""
    if value is None:
        return ""
    return f"{quantity(value)}\N{NO-BREAK SPACE}%"
