"""Hot paths of capabilities still being built: the retention sweep and a campaign's audience.

They are registered now so the report lists them as "not yet built" with the missing
function's name, and measures them from the first run after it lands.
"""

from __future__ import annotations

import os

from bench.context import Context
from bench.measure import Stats, alternate, peak_rss
from bench.operations import Outcome, Target, call_product, first_product, operation
from bench.operations.privacy import consume

RETENTION_SWEEP = (
    ("zweck.privacy.retention", "retention_sweep"),
    ("zweck.privacy.services", "retention_sweep"),
)
CAMPAIGN_AUDIENCE = (
    ("zweck.marketing.selectors", "campaign_audience"),
    ("zweck.marketing.audience", "campaign_audience"),
)


@operation(
    "retention.sweep",
    "Retention sweep",
    targets=(Target("throughput", 100_000, "retention sweep ≥ 100,000 rows/s"),),
)
def retention_sweep(context: Context) -> Outcome:
    sweep = first_product(*RETENTION_SWEEP)
    # A sweep that found nothing to delete measures nothing: the data set must carry
    # expired rows for this to mean something (see bench/README.md).
    result: dict[str, int] = {}

    def ours(index: int) -> None:
        outcome = call_product(sweep, actor=context.actor, dry_run=True)
        result["rows"] = int(getattr(outcome, "count", 0) or getattr(outcome, "total", 0) or 0)

    with peak_rss([os.getpid()]) as memory:
        samples = alternate({"ours": ours}, repetitions=max(1, min(context.repetitions, 3)), warmup=0)
    return Outcome(
        ours=Stats(
            samples["ours"],
            units_per_sample=max(result.get("rows", 0), 1),
            unit="row",
            peak_rss_bytes=memory.peak_bytes,
            memory_method=memory.method + " of the benchmark process",
        ),
        peer_reason="the peer has no retention rules",
        notes=[
            f"{result.get('rows', 0):,} expired rows found (dry run); floor: a raw DELETE, to be added with the sweep"
        ],
    )


@operation("marketing.campaign_audience", "Campaign audience (consented, not objected)")
def campaign_audience(context: Context) -> Outcome:
    audience = first_product(*CAMPAIGN_AUDIENCE)
    size: dict[str, int] = {}

    def ours(index: int) -> None:
        size["bytes"] = consume(call_product(audience, actor=context.actor))

    samples = alternate({"ours": ours}, repetitions=context.repetitions, warmup=context.warmup)
    return Outcome(ours=Stats(samples["ours"]), peer_reason="the peer has no consent ledger")
