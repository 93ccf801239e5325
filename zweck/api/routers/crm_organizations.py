"""/organizations: companies and institutions, with addresses and tags."""

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
from zweck.api.schemas.organizations import (
    OrganizationFilter,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
)
from zweck.crm import selectors, services
from zweck.crm.models import Organization

router = Router(tags=["organizations"])


def _arguments(actor: Actor, payload: OrganizationIn) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    if "owner_id" in data:
        data["owner"] = references.member(actor, data.pop("owner_id"))
    if "addresses" in data:
        data["addresses"] = [services.AddressInput(**item) for item in data["addresses"]]
    return data


def _read(actor: Actor, organization_id: int) -> Organization:
    return selectors.organization_get(actor=actor, organization_id=organization_id)


@router.get("", response=answers(Page[OrganizationOut]))
def list_organizations(
    request: HttpRequest, filters: Query[OrganizationFilter], page: Query[PageQuery]
) -> Any:
    """Organizations, by name; `q` searches names and general email addresses."""
    return page_of(selectors.organization_list(actor=actor_of(request), **filters.selector_arguments()), page)


@router.post("", response=answers(OrganizationOut, 201))
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Any:
    actor = actor_of(request)
    with transaction.atomic():
        organization = services.organization_create(actor=actor, **_arguments(actor, payload))
        return Status(201, _read(actor, organization.pk))


@router.get("/{organization_id}", response=answers(OrganizationOut))
def read_organization(request: HttpRequest, organization_id: ObjectId) -> Any:
    return _read(actor_of(request), organization_id)


@router.patch("/{organization_id}", response=answers(OrganizationOut))
def update_organization(request: HttpRequest, organization_id: ObjectId, payload: OrganizationPatch) -> Any:
    """Change an organization; fields left out stay as they are, lists sent replace the stored ones."""
    actor = actor_of(request)
    with transaction.atomic():
        services.organization_update(
            actor=actor, organization=_read(actor, organization_id), **_arguments(actor, payload)
        )
        return _read(actor, organization_id)


@router.delete("/{organization_id}", response=NO_CONTENT)
def delete_organization(request: HttpRequest, organization_id: ObjectId) -> Any:
    """Delete an organization; refused while deals refer to it."""
    actor = actor_of(request)
    services.organization_delete(actor=actor, organization=_read(actor, organization_id))
    return Status(204, None)


def _set_archived(request: HttpRequest, organization_id: int, archived: bool) -> Organization:
    actor = actor_of(request)
    with transaction.atomic():
        services.organization_archive(
            actor=actor, organization=_read(actor, organization_id), archived=archived
        )
        return _read(actor, organization_id)


@router.post("/{organization_id}/archive", response=answers(OrganizationOut))
def archive_organization(request: HttpRequest, organization_id: ObjectId) -> Any:
    return _set_archived(request, organization_id, archived=True)


@router.post("/{organization_id}/unarchive", response=answers(OrganizationOut))
def unarchive_organization(request: HttpRequest, organization_id: ObjectId) -> Any:
    return _set_archived(request, organization_id, archived=False)


@router.put("/{organization_id}/relationship-end", response=answers(OrganizationOut))
def set_organization_relationship_end(
    request: HttpRequest, organization_id: ObjectId, payload: RelationshipEndIn
) -> Any:
    """Mark the business relationship with the organization ended on a day, or continuing
    (``null``). Its contacts whose every organization has ended take the day."""
    actor = actor_of(request)
    with transaction.atomic():
        services.organization_relationship_end(
            actor=actor, organization=_read(actor, organization_id), ended_on=payload.ended_on
        )
        return _read(actor, organization_id)
