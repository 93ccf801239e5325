"""Customers with similar needs: from one organization, the others in the same industry, that
bought the same products or carry the same tags, best match first.

Score (higher is closer): the same WZ 2008 division 4, only the same section 2; each product
both bought (finalized invoices) 3; each shared tag 1. Organizations that share nothing are not
listed. One query, over organizations the actor may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.crm import industries
from zweck.crm.models import Organization
from zweck.crm.selectors import organization_list
from zweck.sales.choices import InvoiceStatus
from zweck.sales.models import InvoiceLine

SAME_DIVISION = 4
SAME_SECTION = 2
PER_PRODUCT = 3
PER_TAG = 1
LIMIT = 10


@dataclass(frozen=True)
class Similar:
    organization: Organization
    score: int
    same_industry: str  # "division", "section" or ""
    shared_products: int
    shared_tags: int


def _bought_lines(actor: Actor) -> object:
    return InvoiceLine.objects.visible_to(actor, Permission.SALES_VIEW).filter(
        invoice__status=InvoiceStatus.FINALIZED, product__isnull=False
    )


def similar_organizations(*, actor: Actor, organization: Organization, limit: int = LIMIT) -> list[Similar]:
    """Up to ``limit`` organizations most like ``organization`` (see the module's score)."""
    candidates = organization_list(actor=actor).exclude(pk=organization.pk)
    code = organization.industry_code
    found = industries.industry(code)
    section = industries.section_codes(code) if found is not None else []
    tag_ids = list(organization.tags.values_list("pk", flat=True))
    product_ids: list[int] = []
    if actor.can(Permission.SALES_VIEW):
        product_ids = list(
            _bought_lines(actor)  # type: ignore[attr-defined]
            .filter(invoice__organization_id=organization.pk)
            .values_list("product_id", flat=True)
            .distinct()
        )
    if not (section or tag_ids or product_ids):
        return []
    matches = Q(pk__in=[])
    if section:
        matches |= Q(industry_code__in=section)
    if tag_ids:
        matches |= Q(tags__in=tag_ids)
    shared_products: Any = Value(0)
    if product_ids:
        bought = (
            _bought_lines(actor)  # type: ignore[attr-defined]
            .filter(invoice__organization_id=OuterRef("pk"), product_id__in=product_ids)
            .order_by()
            .values("invoice__organization_id")
            .annotate(count=Count("product_id", distinct=True))
            .values("count")
        )
        shared_products = Coalesce(Subquery(bought, output_field=IntegerField()), Value(0))
        matches |= Q(
            pk__in=_bought_lines(actor)  # type: ignore[attr-defined]
            .filter(product_id__in=product_ids)
            .values("invoice__organization_id")
        )
    industry_score = (
        Case(
            When(
                industry_code=code,
                then=Value(SAME_DIVISION if found and not found.is_section else SAME_SECTION),
            ),
            When(industry_code__in=section, then=Value(SAME_SECTION)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if section
        else Value(0, output_field=IntegerField())
    )
    ranked = (
        candidates.filter(pk__in=organization_list(actor=actor).filter(matches).values("pk"))
        .annotate(
            industry_score=industry_score,
            shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True)
            if tag_ids
            else Value(0, output_field=IntegerField()),
            shared_products=shared_products,
        )
        .annotate(score=F("industry_score") + PER_PRODUCT * F("shared_products") + PER_TAG * F("shared_tags"))
        .order_by("-score", "name", "pk")[:limit]
    )
    return [
        Similar(
            organization=row,
            score=row.score,
            same_industry=(
                "division" if row.industry_score == SAME_DIVISION else "section" if row.industry_score else ""
            ),
            shared_products=row.shared_products,
            shared_tags=row.shared_tags,
        )
        for row in ranked
    ]
