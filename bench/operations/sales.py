"""Revenue report for management over five years of invoices (the seeder writes finalized
invoices with lines and payments for three in ten organizations).

Zweck's side is ``revenue_report`` for the last twelve months as the staff page and the API
call it: six grouped queries (month, customer, product, owner, receivables by age, pipeline).
The floor runs the same six statements, compiled from the product's querysets, raw on the
driver's cursor: what is left between the two is the ORM and the Python around them.
"""

from __future__ import annotations

import importlib

from django.utils import timezone

from bench.context import Context
from bench.measure import Stats, alternate
from bench.operations import Outcome, Target, operation, product

REPORT_TARGET = Target("p50_ms", 200, "revenue report p50 ≤ 200 ms")


@operation("sales.revenue_report", "Revenue report, last 12 months", targets=(REPORT_TARGET,))
def revenue_report(context: Context) -> Outcome:
    product("zweck.sales.reports", "revenue_report")
    reports = importlib.import_module("zweck.sales.reports")
    period = reports.last_twelve_months(timezone.localdate())
    actor = context.actor
    statements = [
        selector(actor=actor, period=period).query.sql_with_params()
        for selector in (
            reports.revenue_by_month,
            reports.revenue_by_customer,
            reports.revenue_by_owner,
            reports.revenue_by_product,
        )
    ]
    figures: dict[str, object] = {}

    def ours(index: int) -> None:
        report = reports.revenue_report(actor=actor, period=period)
        if index >= 0:
            figures["booked"] = report.booked

    def floor(index: int) -> None:
        for sql, params in statements:
            context.fetch(sql, params)

    samples = alternate(
        {"ours": ours, "floor": floor}, repetitions=context.repetitions, warmup=context.warmup
    )
    return Outcome(
        ours=Stats(samples["ours"]),
        floor=Stats(samples["floor"]),
        peer_reason="the peer has no invoices",
        floor_sql=statements[0][0],
        notes=[f"booked in the period: {figures.get('booked')}"],
    )
