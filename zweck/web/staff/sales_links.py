"""The sales documents an organization's or a deal's page lists beside its own details."""

from __future__ import annotations

from typing import Any

from zweck.core.permissions import Permission
from zweck.crm.choices import DealStatus
from zweck.crm.models import Deal, Organization
from zweck.sales import selectors
from zweck.sales.choices import QuoteStatus
from zweck.sales.web_support import invoice_search, quote_search
from zweck.web.staff.access import StaffRequest

# How many of each kind a record page lists; the sales lists show the rest.
LIMIT = 10


def sales_panel_context(
    request: StaffRequest, *, organization: Organization | None = None, deal: Deal | None = None
) -> dict[str, Any]:
    """``sales_quotes`` and ``sales_invoices`` of the organization or the deal, when the actor may
    see sales documents; empty otherwise (the page then shows no sales section)."""
    actor = request.actor
    if not actor.can(Permission.SALES_VIEW):
        return {"sales_visible": False}
    filters: dict[str, Any] = {}
    if organization is not None:
        filters["organization_id"] = organization.pk
    if deal is not None:
        filters["deal_id"] = deal.pk
    return {
        "sales_visible": True,
        # The organization's page offers a new quote here; a deal's page has it among its actions.
        "sales_new_quote_query": f"organization={organization.pk}" if organization is not None else "",
        "sales_quotes": list(quote_search(actor=actor, **filters)[:LIMIT]),
        "sales_invoices": list(invoice_search(actor=actor, **filters)[:LIMIT]),
        # A won deal with an accepted quote that has no order yet offers to make the order.
        "sales_deal_orderable": deal is not None
        and deal.status == DealStatus.WON
        and actor.can(Permission.SALES_CHANGE)
        and selectors.quote_list(actor=actor, status=QuoteStatus.ACCEPTED)
        .filter(deal_id=deal.pk, order__isnull=True)
        .exists(),
    }
