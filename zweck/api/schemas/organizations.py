"""Organizations with their addresses and tags."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

from zweck.api.schemas.base import FilterSchema, InputSchema, ObjectId, Text, length, partial, plain_text
from zweck.core import limits
from zweck.crm.choices import AddressKind, RelationshipType
from zweck.crm.models import Organization, OrganizationAddress, Tag

TagName = Annotated[str, Field(min_length=1, max_length=length(Tag, "name")), AfterValidator(plain_text)]


class AddressIn(InputSchema):
    kind: AddressKind = AddressKind.OFFICE
    street: Text = Field(min_length=1, max_length=length(OrganizationAddress, "street"))
    postal_code: Text = Field("", max_length=length(OrganizationAddress, "postal_code"))
    city: Text = Field(min_length=1, max_length=length(OrganizationAddress, "city"))
    country: Text = Field("DE", min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code.")


class AddressOut(Schema):
    kind: str
    street: str
    postal_code: str
    city: str
    country: str


class OrganizationIn(InputSchema):
    """A new organization; ``tags`` and ``addresses`` are the complete lists."""

    name: Text = Field(min_length=1, max_length=length(Organization, "name"))
    legal_form: Text = Field("", max_length=length(Organization, "legal_form"))
    vat_id: Text = Field("", max_length=length(Organization, "vat_id"), description="EU VAT ID, e.g. DE…")
    industry: Text = Field("", max_length=length(Organization, "industry"))
    industry_code: Text = Field(
        "",
        max_length=length(Organization, "industry_code"),
        description="WZ 2008 / NACE Rev. 2 classification: a section (A–U) or a division (01–99).",
    )
    website: Text = Field("", max_length=length(Organization, "website"))
    email: Text = Field("", max_length=length(Organization, "email"))
    phone: Text = Field("", max_length=length(Organization, "phone"))
    relationship_types: list[RelationshipType] = Field(default_factory=list)
    tags: list[TagName] = Field(default_factory=list, max_length=limits.TAGS_PER_ORGANIZATION)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=limits.ADDRESSES_PER_ORGANIZATION)
    owner_id: ObjectId | None = Field(None, description="A member of the workspace.")
    notes: Text = ""


if TYPE_CHECKING:
    OrganizationPatch = OrganizationIn
else:
    OrganizationPatch = partial(
        OrganizationIn,
        "OrganizationPatch",
        "Changes to an organization; lists given replace the stored ones.",
    )


class OrganizationOut(Schema):
    id: int
    name: str
    legal_form: str
    vat_id: str
    industry: str
    industry_code: str
    website: str
    email: str
    phone: str
    relationship_types: list[str]
    tags: list[str]
    addresses: list[AddressOut]
    owner_id: int | None
    notes: str
    relationship_ended_on: date | None = Field(
        description="The day the business relationship ended; null while it continues. Set it "
        "with PUT /organizations/{id}/relationship-end."
    )
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_tags(organization: Organization) -> list[str]:
        return [tag.name for tag in organization.tags.all()]

    @staticmethod
    def resolve_addresses(organization: Organization) -> list[OrganizationAddress]:
        # Addresses have no model ordering; the order they were given in is kept.
        return sorted(organization.addresses.all(), key=lambda address: address.pk)


class OrganizationFilter(FilterSchema):
    query: Text | None = Field(None, alias="q", max_length=200, description="Name or email, any part.")
    relationship_type: RelationshipType | None = None
    tag: Text | None = Field(None, max_length=length(Tag, "name"))
    owner_id: ObjectId | None = None
    industry_code: Text | None = Field(
        None, max_length=2, description='A WZ 2008 division ("62"), or a section ("J") with its divisions.'
    )
    include_archived: bool = False
