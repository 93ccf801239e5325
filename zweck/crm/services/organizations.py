"""Writes for organizations, their addresses and tags."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core import limits
from zweck.core.permissions import Permission
from zweck.core.services import apply_changes, require_at_most, require_same_workspace, save_scoped
from zweck.crm import search_text
from zweck.crm.choices import AddressKind
from zweck.crm.models import Organization, OrganizationAddress, Person, Tag
from zweck.crm.services.persons import _check_owner, person_refresh_search_text
from zweck.crm.validators import normalize_phone, normalize_vat_id

ORGANIZATION_FIELDS = (
    "name",
    "legal_form",
    "vat_id",
    "industry",
    "industry_code",
    "website",
    "email",
    "phone",
    "relationship_types",
    "owner",
    "notes",
)


@dataclass(frozen=True)
class AddressInput:
    street: str
    city: str
    postal_code: str = ""
    country: str = "DE"
    kind: str = AddressKind.OFFICE


def _normalize(details: dict[str, object]) -> dict[str, object]:
    normalized = dict(details)
    if isinstance(normalized.get("vat_id"), str):
        normalized["vat_id"] = normalize_vat_id(str(normalized["vat_id"]))
    if normalized.get("phone"):
        try:
            normalized["phone"] = normalize_phone(str(normalized["phone"]))
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from error
    if isinstance(normalized.get("industry_code"), str):
        normalized["industry_code"] = str(normalized["industry_code"]).strip().upper()
    types = normalized.get("relationship_types")
    if isinstance(types, list | tuple):
        normalized["relationship_types"] = sorted({str(item) for item in types})
    return normalized


def _refresh_search_text(organization: Organization) -> None:
    text = search_text.compose(
        names=[organization.name],
        emails=[organization.email],
        phones=[organization.phone] if organization.phone else [],
    )
    if text != organization.search_text:
        Organization.objects.filter(pk=organization.pk).update(search_text=text)
        organization.search_text = text


def _set_tags(actor: Actor, organization: Organization, names: Sequence[str]) -> None:
    wanted = sorted({name.strip() for name in names if name.strip()})
    require_at_most("tags", wanted, limits.TAGS_PER_ORGANIZATION)
    existing = {tag.name: tag for tag in Tag.objects.in_workspace(actor.workspace_id).filter(name__in=wanted)}
    tags = [existing.get(name) or save_scoped(Tag(name=name), actor=actor) for name in wanted]
    organization.tags.set(tags)


def _set_addresses(actor: Actor, organization: Organization, addresses: Sequence[AddressInput]) -> None:
    require_at_most("addresses", addresses, limits.ADDRESSES_PER_ORGANIZATION)
    organization.addresses.all().delete()
    for item in addresses:
        save_scoped(
            OrganizationAddress(
                organization=organization,
                kind=item.kind,
                street=item.street,
                postal_code=item.postal_code,
                city=item.city,
                country=item.country.upper(),
            ),
            actor=actor,
        )


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    name: str,
    tags: Sequence[str] = (),
    addresses: Sequence[AddressInput] = (),
    **details: object,
) -> Organization:
    """Create an organization with its tags and addresses."""
    actor.require(Permission.CRM_CHANGE)
    organization = Organization(name=name)
    apply_changes(organization, _normalize(details), allowed=ORGANIZATION_FIELDS)
    _check_owner(actor, organization.owner)
    save_scoped(organization, actor=actor)
    _set_tags(actor, organization, tags)
    _set_addresses(actor, organization, addresses)
    _refresh_search_text(organization)
    audit_record(actor=actor, action="organization.create", instance=organization)
    return organization


@transaction.atomic
def organization_update(
    *,
    actor: Actor,
    organization: Organization,
    tags: Sequence[str] | None = None,
    addresses: Sequence[AddressInput] | None = None,
    **changes: object,
) -> Organization:
    """Change an organization; a new name is carried into its members' search documents."""
    actor.require(Permission.CRM_CHANGE)
    require_same_workspace(actor, organization=organization)
    changed = apply_changes(organization, _normalize(changes), allowed=ORGANIZATION_FIELDS)
    if "owner" in changed:
        _check_owner(actor, organization.owner)
    if tags is not None:
        before = sorted(organization.tags.values_list("name", flat=True))
        _set_tags(actor, organization, tags)
        if before != sorted(organization.tags.values_list("name", flat=True)):
            changed.append("tags")
    if addresses is not None:
        _set_addresses(actor, organization, addresses)
        changed.append("addresses")
    if not changed:
        return organization
    save_scoped(organization, actor=actor, changed=[name for name in changed if name in ORGANIZATION_FIELDS])
    _refresh_search_text(organization)
    if "name" in changed:
        for person in Person.objects.filter(memberships__organization=organization):
            person_refresh_search_text(person=person)
    audit_record(actor=actor, action="organization.update", instance=organization, changed_fields=changed)
    return organization


@transaction.atomic
def organization_archive(*, actor: Actor, organization: Organization, archived: bool = True) -> Organization:
    """Archive or bring back an organization."""
    actor.require(Permission.CRM_CHANGE)
    require_same_workspace(actor, organization=organization)
    if (organization.archived_at is not None) == archived:
        return organization
    organization.archived_at = timezone.now() if archived else None
    save_scoped(organization, actor=actor, changed=["archived_at"])
    audit_record(
        actor=actor,
        action="organization.archive" if archived else "organization.unarchive",
        instance=organization,
        changed_fields=["archived_at"],
    )
    return organization


@transaction.atomic
def organization_delete(*, actor: Actor, organization: Organization) -> None:
    """Delete an organization. Refused while deals refer to it (delete or move them first)."""
    actor.require(Permission.CRM_DELETE)
    require_same_workspace(actor, organization=organization)
    if organization.deals.exists():
        raise ValidationError(_("This organization still has deals; delete or reassign them first."))
    organization_id = organization.pk
    member_ids = list(
        Person.objects.filter(memberships__organization=organization).values_list("pk", flat=True)
    )
    try:
        with transaction.atomic():
            organization.delete()
    except ProtectedError as error:
        # Quotes, orders and invoices keep the organization they are addressed to.
        raise ValidationError(
            _("This organization has quotes, orders or invoices, which must be kept; it cannot be deleted.")
        ) from error
    for person in Person.objects.filter(pk__in=member_ids):
        person_refresh_search_text(person=person)
    audit_record(
        actor=actor, action="organization.delete", object_type="crm.organization", object_id=organization_id
    )
