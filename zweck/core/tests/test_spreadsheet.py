import csv
import io

import pytest

from zweck.core import spreadsheet


@pytest.mark.parametrize(
    "text", ["=1+1", "+49 30 1234", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_a_cell_that_would_run_as_a_formula_is_escaped_and_restored(text):
    escaped = spreadsheet.cell(text)
    assert escaped == "'" + text
    assert spreadsheet.restore(escaped) == text


@pytest.mark.parametrize("value", ["Anna", "", "'quoted", 42, -3.5, None])
def test_other_cells_stay_as_they_are(value):
    assert spreadsheet.cell(value) == value
    assert spreadsheet.restore(value) == value


def test_a_row_passes_every_cell():
    buffer = io.StringIO()
    csv.writer(buffer).writerow(spreadsheet.row(["=cmd|' /C calc'!A0", -1, "ok"]))
    assert buffer.getvalue() == "'=cmd|' /C calc'!A0,-1,ok\r\n"
