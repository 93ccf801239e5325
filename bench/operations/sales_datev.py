"""Sales: the tax adviser's DATEV export of one year of invoices and payments.

The floor is the SQL the export cannot do without: the year's finalized invoices with their
amounts per VAT rate, and the year's payments with their invoices' numbers, read raw.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.utils import timezone

from bench.context import Context
from bench.measure import Stats, alternate
from bench.operations import Outcome, operation, product

FLOOR_SQL = (
    "SELECT i.id, i.number, i.issue_date, i.buyer_name, t.vat_rate, t.zero_rate_reason, t.net_amount + t.tax_amount "
    "FROM sales_invoice i LEFT JOIN sales_invoicetaxtotal t ON t.invoice_id = i.id "
    "WHERE i.workspace_id = %s AND i.status <> 'draft' AND i.issue_date BETWEEN %s AND %s "
    "ORDER BY i.issue_date, i.id",
    "SELECT p.id, p.paid_on, p.amount, i.number, i.buyer_name FROM sales_payment p "
    "JOIN sales_invoice i ON i.id = p.invoice_id "
    "WHERE p.workspace_id = %s AND i.status <> 'draft' AND p.paid_on BETWEEN %s AND %s ORDER BY p.paid_on, p.id",
)


@operation("sales.datev_export", "DATEV export of a year (invoices and payments)")
def datev_export(context: Context) -> Outcome:
    export = product("zweck.sales.datev", "datev_export")
    year = timezone.localdate().year - 1
    first, last = date(year, 1, 1), date(year, 12, 31)
    sizes: dict[str, int] = {}

    def ours(index: int) -> None:
        sizes["ours"] = len(export(actor=context.actor, first_day=first, last_day=last))

    def floor(index: int) -> None:
        rows = 0
        with connection.cursor() as cursor:
            for sql in FLOOR_SQL:
                cursor.execute(sql, [context.workspace_id, first, last])
                rows += len(cursor.fetchall())
        sizes["floor"] = rows

    samples = alternate(
        {"ours": ours, "floor": floor}, repetitions=context.repetitions, warmup=context.warmup
    )
    return Outcome(
        ours=Stats(samples["ours"]),
        floor=Stats(samples["floor"]),
        floor_sql="the year's invoices with their amounts per VAT rate and the year's payments with their "
        "invoices' numbers, raw",
        peer_reason="the peer has no invoices",
        notes=[f"last export: {sizes.get('ours', 0):,} bytes; floor rows: {sizes.get('floor', 0):,}"],
    )
