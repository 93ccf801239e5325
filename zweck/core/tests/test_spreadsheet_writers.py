"""Every module that writes CSV or XLSX passes its cells through ``zweck.core.spreadsheet``:
a new writer that forgets it fails here, before a formula reaches anyone's spreadsheet."""

from __future__ import annotations

import re
from pathlib import Path

import zweck

ESCAPES = re.compile(r"spreadsheet\.(row|cell)\(")


def _product_modules() -> list[Path]:
    root = Path(zweck.__file__).parent
    return [
        path for path in root.rglob("*.py") if "tests" not in path.parts and "migrations" not in path.parts
    ]


def test_every_csv_or_xlsx_writer_escapes_its_cells() -> None:
    writers = [
        path
        for path in _product_modules()
        if re.search(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(", path.read_text())
    ]
    # the contact export and the portability export today; more may come, none may forget
    assert {path.name for path in writers} >= {"exports.py"}
    unescaped = [str(path) for path in writers if not ESCAPES.search(path.read_text())]
    assert unescaped == []
