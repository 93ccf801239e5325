"""Hot paths of capabilities still being built: a campaign's audience.

They are registered now so the report lists them as "not yet built" with the missing
function's name, and measures them from the first run after it lands.
"""

from __future__ import annotations

from bench.context import Context
from bench.measure import Stats, alternate
from bench.operations import Outcome, call_product, first_product, operation
from bench.operations.privacy import consume

CAMPAIGN_AUDIENCE = (
    ("zweck.marketing.selectors", "campaign_audience"),
    ("zweck.marketing.audience", "campaign_audience"),
)


@operation("marketing.campaign_audience", "Campaign audience (consented, not objected)")
def campaign_audience(context: Context) -> Outcome:
    audience = first_product(*CAMPAIGN_AUDIENCE)
    size: dict[str, int] = {}

    def ours(index: int) -> None:
        size["bytes"] = consume(call_product(audience, actor=context.actor))

    samples = alternate({"ours": ours}, repetitions=context.repetitions, warmup=context.warmup)
    return Outcome(ours=Stats(samples["ours"]), peer_reason="the peer has no consent ledger")
