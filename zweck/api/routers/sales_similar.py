"""/organizations/{id}/similar: customers with similar needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import ObjectId
from zweck.crm import selectors
from zweck.sales.similar import similar_organizations

router = Router(tags=["organizations"])


class SimilarOrganizationOut(Schema):
    id: int
    name: str
    industry_code: str
    score: int = Field(
        description="Higher is closer: same division 4, same section 2, 3 per product, 1 per tag."
    )
    same_industry: str = Field(description='"division", "section" or "" (none).')
    shared_products: int
    shared_tags: int


@router.get("/{organization_id}/similar", response=answers(list[SimilarOrganizationOut]))
def similar_to_organization(request: HttpRequest, organization_id: ObjectId) -> Any:
    """Up to ten organizations with similar needs: the same industry, products both bought,
    shared tags; best match first."""
    actor = actor_of(request)
    organization = selectors.organization_get(actor=actor, organization_id=organization_id)
    return [
        {
            "id": item.organization.pk,
            "name": item.organization.name,
            "industry_code": item.organization.industry_code,
            "score": item.score,
            "same_industry": item.same_industry,
            "shared_products": item.shared_products,
            "shared_tags": item.shared_tags,
        }
        for item in similar_organizations(actor=actor, organization=organization)
    ]
