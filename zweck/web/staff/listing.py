"""What every list page shares: sorting by a whitelisted key, pagination, the htmx fragment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def sort_by[M: Model](request: HttpRequest, items: QuerySet[M], sorts: Mapping[str, str]) -> QuerySet[M]:
    """Order by the ``sort`` parameter when it names a known key; else keep the selector's order
    (which puts the best matches first while searching)."""
    key = request.GET.get("sort", "")
    if key in sorts:
        return items.order_by(sorts[key], "pk")
    return items


def paginate(request: HttpRequest, items: QuerySet[Any], size: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(items, size).get_page(request.GET.get("page"))


def list_template(request: HttpRequest, template: str) -> str:
    """The whole page, or only its results when htmx asks for them (search as you type)."""
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "results":
        return f"{template}#results"
    return template
