"""The global search in the top bar (Ctrl+K): contacts, organizations and deals in one list.

Each kind comes from its own selector, so the actor's workspace, permissions and the
register's filters (restricted persons, held rows) apply exactly as on the lists; a kind the
role may not read is not searched. The drop-down shows a few best matches per kind; without
JavaScript (or with "Show all results") the same search is a page of its own. It reads a
handful of rows per kind and no more, which is not a bulk read: the lists' own search, which
pages through every match, is where a large read is recorded in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zweck.core.permissions import Permission
from zweck.crm import selectors
from zweck.crm.models import Deal, Organization, Person
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.templatetags.staff import money

# Matches per kind in the drop-down and on the results page.
DROPDOWN_MATCHES = 5
PAGE_MATCHES = 25
# Longer input is cut: nobody types more into a search box, and every term costs a lookup.
QUERY_MAX_LENGTH = 100


@dataclass
class Hit:
    title: str
    detail: str
    url: str


@dataclass
class Group:
    label: Promise | str
    icon: str
    hits: list[Hit] = field(default_factory=list)


def _person_hit(person: Person) -> Hit:
    emails = list(person.emails.all())
    organizations = [membership.organization.name for membership in person.memberships.all()]
    detail = " · ".join(
        part for part in (", ".join(organizations[:1]), emails[0].email if emails else "") if part
    )
    return Hit(person.full_name, detail, reverse("staff:person_detail", args=[person.pk]))


def _organization_hit(organization: Organization) -> Hit:
    cities = sorted({address.city for address in organization.addresses.all() if address.city})
    return Hit(
        organization.name, ", ".join(cities[:2]), reverse("staff:organization_detail", args=[organization.pk])
    )


def _deal_hit(deal: Deal) -> Hit:
    parts = [deal.organization.name if deal.organization else "", money(deal.amount, deal.currency)]
    return Hit(
        deal.title, " · ".join(part for part in parts if part), reverse("staff:deal_detail", args=[deal.pk])
    )


def search_groups(request: StaffRequest, query: str, limit: int) -> list[Group]:
    """The matches for ``query`` the actor may see, by kind, best first; kinds without a match left out."""
    actor = request.actor
    groups: list[Group] = []
    if actor.can(Permission.CRM_VIEW):
        persons = selectors.person_list(actor=actor, query=query)[:limit]
        groups.append(Group(_("Contacts"), "users", [_person_hit(person) for person in persons]))
        organizations = selectors.organization_list(actor=actor, query=query)[:limit]
        groups.append(Group(_("Organizations"), "building-2", [_organization_hit(o) for o in organizations]))
    if actor.can(Permission.DEAL_VIEW):
        deals = selectors.deal_list(actor=actor, query=query).order_by("-updated_at", "pk")[:limit]
        groups.append(Group(_("Deals"), "handshake", [_deal_hit(deal) for deal in deals]))
    return [group for group in groups if group.hits]


@staff_view()
def search(request: StaffRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:QUERY_MAX_LENGTH]
    dropdown = bool(request.htmx)
    groups = search_groups(request, query, DROPDOWN_MATCHES if dropdown else PAGE_MATCHES) if query else []
    context = {
        "query": query,
        "groups": groups,
        "count": sum(len(group.hits) for group in groups),
    }
    template = "staff/search/_results.html" if dropdown else "staff/search/page.html"
    return render_page(request, template, context)
