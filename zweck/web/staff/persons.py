"""Contact pages: list with typo-tolerant search, detail with timeline and privacy facts, vCard."""

from __future__ import annotations

import vobject
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zweck.core.permissions import Permission
from zweck.crm import selectors
from zweck.crm.choices import SubjectCategory
from zweck.crm.models import Person
from zweck.crm.services import person_archive, person_delete
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.activities import activity_panel_context
from zweck.web.staff.forms import PersonForm
from zweck.web.staff.listing import list_template, paginate, sort_by
from zweck.web.staff.pages import archive_toggle, delete_page, form_page
from zweck.web.staff.privacy_facts import person_privacy_facts

SORTS = {
    "name": "last_name",
    "-name": "-last_name",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@staff_view(Permission.CRM_VIEW)
def person_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    organization_id = _int_or_none(request.GET.get("organization"))
    include_archived = request.GET.get("archived") == "1"
    persons = selectors.person_list(
        actor=request.actor,
        query=query or None,
        subject_category=category if category in SubjectCategory.values else None,
        organization_id=organization_id,
        include_archived=include_archived,
    )
    page = paginate(request, sort_by(request, persons, SORTS))
    return render_page(
        request,
        list_template(request, "staff/persons/list.html"),
        {
            "heading": _("Contacts"),
            "search_hint": _("Name, email, phone or company"),
            "page": page,
            "query": query,
            "category": category,
            "category_choices": SubjectCategory.choices,
            "include_archived": include_archived,
            "sort": request.GET.get("sort", ""),
        },
    )


@staff_view(Permission.CRM_VIEW)
def person_detail(request: StaffRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=request.actor, person_id=person_id)
    return render_page(
        request,
        "staff/persons/detail.html",
        {
            "person": person,
            "privacy": person_privacy_facts(person),
            **activity_panel_context(request, person=person),
        },
    )


def _detail_url(person: Person) -> str:
    return reverse("staff:person_detail", args=[person.pk])


@staff_view(Permission.CRM_CHANGE)
def person_create(request: StaffRequest) -> HttpResponse:
    initial = {}
    if organization_id := _int_or_none(request.GET.get("organization")):
        initial["organization"] = organization_id
    return form_page(
        request,
        PersonForm(request.POST or None, actor=request.actor, initial=initial),
        heading=_("New contact"),
        done=lambda created: (
            _("Contact %(name)s created.") % {"name": created.full_name},
            _detail_url(created),
        ),
    )


@staff_view(Permission.CRM_CHANGE)
def person_edit(request: StaffRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=request.actor, person_id=person_id)
    return form_page(
        request,
        PersonForm(request.POST or None, actor=request.actor, person=person),
        heading=_("Edit %(name)s") % {"name": person.full_name},
        done=lambda saved: (_("Changes saved."), _detail_url(saved)),
        cancel_url=_detail_url(person),
    )


@require_POST
@staff_view(Permission.CRM_CHANGE)
def person_archive_toggle(request: StaffRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=request.actor, person_id=person_id)
    return archive_toggle(
        request,
        archived=person.archived_at is not None,
        archive=lambda archived: person_archive(actor=request.actor, person=person, archived=archived),
        messages_for=(_("Contact archived."), _("Contact restored.")),
        url=_detail_url(person),
    )


@staff_view(Permission.CRM_DELETE)
def person_delete_confirm(request: StaffRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=request.actor, person_id=person_id)
    return delete_page(
        request,
        delete=lambda: person_delete(actor=request.actor, person=person),
        heading=_("Delete contact %(name)s?") % {"name": person.full_name},
        explanation=_(
            "The contact with their email addresses, phone numbers and memberships is deleted. "
            "Activities and deals they took part in stay, without them. "
            "An erasure request of the person is handled by the privacy officer instead."
        ),
        cancel_url=_detail_url(person),
        deleted_message=_("Contact deleted."),
        deleted_url=reverse("staff:person_list"),
    )


@staff_view(Permission.CRM_VIEW)
def person_vcard(request: StaffRequest, person_id: int) -> HttpResponse:
    """The contact as a vCard 3.0 file for the user's address book."""
    person = selectors.person_get(actor=request.actor, person_id=person_id)
    card = vobject.vCard()
    card.add("fn").value = person.full_name
    card.add("n").value = vobject.vcard.Name(
        family=person.last_name, given=person.first_name, prefix=person.title
    )
    for email in person.emails.all():
        entry = card.add("email")
        entry.value = email.email
        entry.type_param = "INTERNET"
    for phone in person.phones.all():
        entry = card.add("tel")
        entry.value = phone.number
        entry.type_param = "CELL" if phone.label == "mobile" else "WORK"
    primary = next((m for m in person.memberships.all() if m.is_primary), None)
    if primary is not None:
        card.add("org").value = [primary.organization.name]
    if person.position:
        card.add("title").value = person.position
    response = HttpResponse(card.serialize(), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contact-{person.pk}.vcf"'
    return response
