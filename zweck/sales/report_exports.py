"""The revenue report as tables for people: CSV and XLSX downloads (cells through
``zweck.core.spreadsheet``), in the reader's language, amounts as numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from zweck.core import spreadsheet
from zweck.sales.reports import RevenueReport


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Any]]


def age_label(key: str) -> str:
    return {
        "not_due": _("Not yet due"),
        "1_30": _("1–30 days overdue"),
        "31_60": _("31–60 days overdue"),
        "61_90": _("61–90 days overdue"),
        "over_90": _("More than 90 days overdue"),
    }[key]


def report_tables(report: RevenueReport) -> list[Table]:
    """Every figure of ``report`` as a titled table."""
    net = _("Net revenue (%(currency)s)") % {"currency": report.currency}
    invoices = _("Invoices")
    return [
        Table(
            _("Revenue by month"),
            [
                _("Month"),
                net,
                invoices,
                _("Weighted pipeline (%(currency)s)") % {"currency": report.currency},
            ],
            [[m.month.strftime("%Y-%m"), m.net, m.invoices, m.pipeline_weighted] for m in report.months],
        ),
        Table(
            _("Revenue by customer"),
            [_("Customer"), net, invoices],
            [[s.label, s.net, s.invoices] for s in report.customers],
        ),
        Table(
            _("Revenue by product"),
            [_("Product or service"), net, invoices],
            [[s.label, s.net, s.invoices] for s in report.products],
        ),
        Table(
            _("Revenue by owner"),
            [_("Owner"), net, invoices],
            [[s.label, s.net, s.invoices] for s in report.owners],
        ),
        Table(
            _("Open receivables by age"),
            [_("Age"), _("Open amount (%(currency)s)") % {"currency": report.currency}, invoices],
            [[age_label(b.key), b.amount, b.invoices] for b in report.receivables],
        ),
        Table(
            _("Pipeline and booked revenue"),
            [_("Figure"), _("Amount (%(currency)s)") % {"currency": report.currency}],
            [
                [_("Booked in the period"), report.booked],
                [_("Open deals, total"), report.pipeline_total],
                [_("Open deals, weighted"), report.pipeline_weighted],
            ],
        ),
    ]


def _csv_value(value: Any) -> Any:
    return f"{value:.2f}" if isinstance(value, Decimal) else value


def report_csv(report: RevenueReport) -> Iterator[str]:
    """One CSV document: each table under its title, a blank line between tables."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, table in enumerate(report_tables(report)):
        if index:
            writer.writerow([])
        writer.writerow(spreadsheet.row([table.title]))
        writer.writerow(spreadsheet.row(table.header))
        for values in table.rows:
            writer.writerow([_csv_value(value) for value in spreadsheet.row(values)])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def report_xlsx(report: RevenueReport) -> bytes:
    """One worksheet per table, amounts as numbers with two decimals."""
    import openpyxl  # imported here: only downloads pay for loading it
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for table in report_tables(report):
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.append(spreadsheet.row(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in table.rows:
            sheet.append(
                spreadsheet.row(float(value) if isinstance(value, Decimal) else value for value in values)
            )
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0.00"
        sheet.column_dimensions["A"].width = 34
        for letter in "BCD":
            sheet.column_dimensions[letter].width = 20
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
