"""/persons: contacts with their email addresses, phone numbers and organizations."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from zweck.accounts.actors import Actor
from zweck.api import references
from zweck.api.auth import actor_of
from zweck.api.operations import NO_CONTENT, answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, RelationshipEndIn, page_of
from zweck.api.schemas.persons import PersonFilter, PersonIn, PersonOut, PersonPatch
from zweck.crm import selectors, services
from zweck.crm.models import Person

router = Router(tags=["persons"])


def _arguments(actor: Actor, payload: PersonIn) -> dict[str, Any]:
    """The service's keyword arguments: ids resolved to rows, nested lists to inputs."""
    data = payload.model_dump(exclude_unset=True)
    if "owner_id" in data:
        data["owner"] = references.member(actor, data.pop("owner_id"))
    if "emails" in data:
        data["emails"] = [services.EmailInput(**item) for item in data["emails"]]
    if "phones" in data:
        data["phones"] = [services.PhoneInput(**item) for item in data["phones"]]
    if "organizations" in data:
        items = data["organizations"]
        organizations = references.organizations(
            actor, [item["organization_id"] for item in items], "organizations.{index}.organization_id"
        )
        data["organizations"] = [
            services.MembershipInput(
                organization=organization,
                **{key: value for key, value in item.items() if key != "organization_id"},
            )
            for organization, item in zip(organizations, items, strict=True)
        ]
    return data


def _read(actor: Actor, person_id: int) -> Person:
    return selectors.person_get(actor=actor, person_id=person_id)


@router.get("", response=answers(Page[PersonOut]))
def list_persons(request: HttpRequest, filters: Query[PersonFilter], page: Query[PageQuery]) -> Any:
    """Contacts, by name; `q` searches names, email addresses, phone numbers in any format and companies."""
    actor, arguments = actor_of(request), filters.selector_arguments()
    return page_of(
        selectors.person_list(actor=actor, **arguments), page, reader=actor, filters=filters.model_fields_set
    )


@router.post("", response=answers(PersonOut, 201))
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    """Create a contact. An email address another contact already has is refused."""
    actor = actor_of(request)
    with transaction.atomic():
        person = services.person_create(actor=actor, **_arguments(actor, payload))
        return Status(201, _read(actor, person.pk))


@router.get("/{person_id}", response=answers(PersonOut))
def read_person(request: HttpRequest, person_id: ObjectId) -> Any:
    return _read(actor_of(request), person_id)


@router.patch("/{person_id}", response=answers(PersonOut))
def update_person(request: HttpRequest, person_id: ObjectId, payload: PersonPatch) -> Any:
    """Change a contact; fields left out stay as they are, lists sent replace the stored ones."""
    actor = actor_of(request)
    with transaction.atomic():
        services.person_update(actor=actor, person=_read(actor, person_id), **_arguments(actor, payload))
        return _read(actor, person_id)


@router.delete("/{person_id}", response=NO_CONTENT)
def delete_person(request: HttpRequest, person_id: ObjectId) -> Any:
    actor = actor_of(request)
    services.person_delete(actor=actor, person=_read(actor, person_id))
    return Status(204, None)


def _set_archived(request: HttpRequest, person_id: int, archived: bool) -> Person:
    actor = actor_of(request)
    with transaction.atomic():
        services.person_archive(actor=actor, person=_read(actor, person_id), archived=archived)
        return _read(actor, person_id)


@router.post("/{person_id}/archive", response=answers(PersonOut))
def archive_person(request: HttpRequest, person_id: ObjectId) -> Any:
    """Hide a contact from everyday lists; nothing is deleted."""
    return _set_archived(request, person_id, archived=True)


@router.post("/{person_id}/unarchive", response=answers(PersonOut))
def unarchive_person(request: HttpRequest, person_id: ObjectId) -> Any:
    return _set_archived(request, person_id, archived=False)


@router.put("/{person_id}/relationship-end", response=answers(PersonOut))
def set_person_relationship_end(request: HttpRequest, person_id: ObjectId, payload: RelationshipEndIn) -> Any:
    """Mark the business relationship with the contact ended on a day, or continuing (``null``):
    then the contact takes the end of their organizations again, if each of them has ended.
    An end taken from the organizations is not cleared here: it continues when one of them does."""
    actor = actor_of(request)
    with transaction.atomic():
        services.person_relationship_end(
            actor=actor, person=_read(actor, person_id), ended_on=payload.ended_on
        )
        return _read(actor, person_id)
