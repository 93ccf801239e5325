"""Cells that a spreadsheet program will not run as formulas.

Every CSV and XLSX file the product writes passes its cells through ``cell`` (or ``row``).
A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
read as a formula by Excel, LibreOffice or Google Sheets; it gets a leading apostrophe, as the
OWASP guidance on CSV injection recommends. Numbers, dates and booleans stay as they are, so
a negative amount is still a number. ``restore`` undoes the escaping for a file read back in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def cell(value: Any) -> Any:
    """The value as it may go into a spreadsheet cell."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    """Every cell of one row through ``cell``."""
    return [cell(value) for value in values]


def restore(value: Any) -> Any:
    """The original text of a cell that ``cell`` escaped."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
