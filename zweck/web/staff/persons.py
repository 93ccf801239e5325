"""Contact pages: list with typo-tolerant search, detail with timeline and privacy facts, vCard."""

from __future__ import annotations

import vobject
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zweck.audit.services import audit_bulk_read
from zweck.core.permissions import Permission
from zweck.crm import selectors
from zweck.crm.choices import SubjectCategory
from zweck.crm.models import Person
from zweck.crm.services import person_archive, person_delete
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.activities import activity_panel_context
from zweck.web.staff.consents import consents_of
from zweck.web.staff.forms import PersonForm
from zweck.web.staff.listing import list_template, paginate, sort_by
from zweck.web.staff.pages import archive_toggle, delete_page, form_page
from zweck.web.staff.privacy_facts import person_privacy_facts
from zweck.web.staff.relationship_forms import RelationshipEndForm, relationship_state
from zweck.web.templatetags.staff import day

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
    if query:
        used = [
            name for name in ("q", "category", "organization", "archived", "sort") if request.GET.get(name)
        ]
        audit_bulk_read(
            actor=request.actor,
            action="person.search",
            object_type="crm.person",
            count=page.paginator.count,
            returned=len(page.object_list),
            filters=used,
        )
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


def _detail_page(
    request: StaffRequest, person: Person, relationship_form: RelationshipEndForm | None = None
) -> HttpResponse:
    if relationship_form is None and request.actor.can(Permission.CRM_CHANGE):
        relationship_form = RelationshipEndForm(actor=request.actor, record=person)
    return render_page(
        request,
        "staff/persons/detail.html",
        {
            "person": person,
            "privacy": person_privacy_facts(person),
            "relationship": relationship_state(person),
            "relationship_form": relationship_form,
            "relationship_url": reverse("staff:person_relationship_end", args=[person.pk]),
            "consents": consents_of(request.actor, person),
            **activity_panel_context(request, person=person),
        },
    )


@staff_view(Permission.CRM_VIEW)
def person_detail(request: StaffRequest, person_id: int) -> HttpResponse:
    return _detail_page(request, selectors.person_get(actor=request.actor, person_id=person_id))


@require_POST
@staff_view(Permission.CRM_CHANGE)
def person_relationship_end(request: StaffRequest, person_id: int) -> HttpResponse:
    """Mark the relationship with the contact ended on a day, or continuing; errors at the field
    on the contact's page."""
    person = selectors.person_get(actor=request.actor, person_id=person_id)
    form = RelationshipEndForm(request.POST, actor=request.actor, record=person)
    saved = form.submit() if form.is_valid() else None
    if saved is None:
        return _detail_page(request, selectors.person_get(actor=request.actor, person_id=person_id), form)
    state = relationship_state(saved)
    if state.ended_on is None:
        messages.success(request, _("The relationship with %(name)s continues.") % {"name": person.full_name})
    else:
        messages.success(
            request,
            _("The relationship with %(name)s is marked ended on %(date)s.")
            % {"name": person.full_name, "date": day(state.ended_on)},
        )
    return HttpResponseRedirect(_detail_url(person))


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
