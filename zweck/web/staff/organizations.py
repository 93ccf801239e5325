"""Organization pages: list with search and filters, detail with timeline, forms, archive, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zweck.core.permissions import Permission
from zweck.crm import industries, selectors
from zweck.crm.choices import RelationshipType
from zweck.crm.models import Organization
from zweck.crm.services import organization_archive, organization_delete
from zweck.sales.similar import similar_organizations
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.activities import activity_panel_context
from zweck.web.staff.forms import OrganizationForm
from zweck.web.staff.listing import list_template, paginate, sort_by
from zweck.web.staff.pages import archive_toggle, delete_page, form_page
from zweck.web.staff.relationship_forms import RelationshipEndForm, relationship_state
from zweck.web.staff.sales_links import sales_panel_context
from zweck.web.templatetags.staff import day

SORTS = {"name": "name", "-name": "-name", "updated": "updated_at", "-updated": "-updated_at"}


@staff_view(Permission.CRM_VIEW)
def organization_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    relationship = request.GET.get("relationship", "")
    industry_code = request.GET.get("industry", "").strip().upper()
    if industries.industry(industry_code) is None:
        industry_code = ""
    include_archived = request.GET.get("archived") == "1"
    organizations = selectors.organization_list(
        actor=request.actor,
        query=query or None,
        relationship_type=relationship if relationship in RelationshipType.values else None,
        industry_code=industry_code or None,
        include_archived=include_archived,
    )
    page = paginate(request, sort_by(request, organizations, SORTS))
    return render_page(
        request,
        list_template(request, "staff/organizations/list.html"),
        {
            "heading": _("Organizations"),
            "search_hint": _("Name or email"),
            "page": page,
            "query": query,
            "relationship": relationship,
            "relationship_choices": RelationshipType.choices,
            "industry": industry_code,
            "industry_choices": industries.industry_choices(),
            "include_archived": include_archived,
            "sort": request.GET.get("sort", ""),
        },
    )


def _detail_page(
    request: StaffRequest, organization: Organization, relationship_form: RelationshipEndForm | None = None
) -> HttpResponse:
    actor = request.actor
    if relationship_form is None and actor.can(Permission.CRM_CHANGE):
        relationship_form = RelationshipEndForm(actor=actor, record=organization)
    return render_page(
        request,
        "staff/organizations/detail.html",
        {
            "organization": organization,
            "persons": selectors.person_list(actor=actor, organization_id=organization.pk)[:50],
            "deals": selectors.deal_list(actor=actor, organization_id=organization.pk)[:50]
            if actor.can(Permission.DEAL_VIEW)
            else [],
            "similar": similar_organizations(actor=actor, organization=organization),
            "relationship": relationship_state(organization),
            "relationship_form": relationship_form,
            "relationship_url": reverse("staff:organization_relationship_end", args=[organization.pk]),
            **activity_panel_context(request, organization=organization),
            **sales_panel_context(request, organization=organization),
        },
    )


@staff_view(Permission.CRM_VIEW)
def organization_detail(request: StaffRequest, organization_id: int) -> HttpResponse:
    organization = selectors.organization_get(actor=request.actor, organization_id=organization_id)
    return _detail_page(request, organization)


@require_POST
@staff_view(Permission.CRM_CHANGE)
def organization_relationship_end(request: StaffRequest, organization_id: int) -> HttpResponse:
    """Mark the relationship with the organization ended on a day, or continuing; its contacts
    whose every organization has ended inherit the day."""
    actor = request.actor
    organization = selectors.organization_get(actor=actor, organization_id=organization_id)
    form = RelationshipEndForm(request.POST, actor=actor, record=organization)
    saved = form.submit() if form.is_valid() else None
    if saved is None:
        fresh = selectors.organization_get(actor=actor, organization_id=organization_id)
        return _detail_page(request, fresh, form)
    if saved.relationship_ended_on is None:
        messages.success(
            request, _("The relationship with %(name)s continues.") % {"name": organization.name}
        )
    else:
        messages.success(
            request,
            _("The relationship with %(name)s is marked ended on %(date)s.")
            % {"name": organization.name, "date": day(saved.relationship_ended_on)},
        )
    return HttpResponseRedirect(_detail_url(organization))


def _detail_url(organization: Organization) -> str:
    return reverse("staff:organization_detail", args=[organization.pk])


@staff_view(Permission.CRM_CHANGE)
def organization_create(request: StaffRequest) -> HttpResponse:
    return form_page(
        request,
        OrganizationForm(request.POST or None, actor=request.actor),
        heading=_("New organization"),
        done=lambda created: (
            _("Organization %(name)s created.") % {"name": created.name},
            _detail_url(created),
        ),
    )


@staff_view(Permission.CRM_CHANGE)
def organization_edit(request: StaffRequest, organization_id: int) -> HttpResponse:
    organization = selectors.organization_get(actor=request.actor, organization_id=organization_id)
    return form_page(
        request,
        OrganizationForm(request.POST or None, actor=request.actor, organization=organization),
        heading=_("Edit %(name)s") % {"name": organization.name},
        done=lambda saved: (_("Changes saved."), _detail_url(saved)),
        cancel_url=_detail_url(organization),
    )


@require_POST
@staff_view(Permission.CRM_CHANGE)
def organization_archive_toggle(request: StaffRequest, organization_id: int) -> HttpResponse:
    organization = selectors.organization_get(actor=request.actor, organization_id=organization_id)
    return archive_toggle(
        request,
        archived=organization.archived_at is not None,
        archive=lambda archived: organization_archive(
            actor=request.actor, organization=organization, archived=archived
        ),
        messages_for=(_("Organization archived."), _("Organization restored.")),
        url=_detail_url(organization),
    )


@staff_view(Permission.CRM_DELETE)
def organization_delete_confirm(request: StaffRequest, organization_id: int) -> HttpResponse:
    organization = selectors.organization_get(actor=request.actor, organization_id=organization_id)
    return delete_page(
        request,
        delete=lambda: organization_delete(actor=request.actor, organization=organization),
        heading=_("Delete organization %(name)s?") % {"name": organization.name},
        explanation=_(
            "The organization, its addresses and its contacts' memberships are deleted. "
            "The contacts themselves and the logged activities stay."
        ),
        cancel_url=_detail_url(organization),
        deleted_message=_("Organization deleted."),
        deleted_url=reverse("staff:organization_list"),
    )
