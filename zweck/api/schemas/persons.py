"""Persons (contacts) with their email addresses, phone numbers and organizations."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from ninja import Field, Schema

from zweck.api.schemas.base import FilterSchema, InputSchema, Moment, ObjectId, Text, length, partial
from zweck.core import limits
from zweck.crm.choices import ContactLabel, DataSource, SubjectCategory
from zweck.crm.models import OrganizationMembership, Person, PersonEmail, PersonPhone


class EmailIn(InputSchema):
    email: Text = Field(min_length=1, max_length=length(PersonEmail, "email"))
    label: ContactLabel = ContactLabel.WORK
    is_primary: bool = False


class PhoneIn(InputSchema):
    # Longer than the stored E.164 form: "+49 (0)30 1234 5678-90" is a fine way to type one.
    number: Text = Field(min_length=1, max_length=40, description="Any format; stored as E.164.")
    label: ContactLabel = ContactLabel.WORK
    is_primary: bool = False


class MembershipIn(InputSchema):
    organization_id: ObjectId
    role: Text = Field("", max_length=length(OrganizationMembership, "role"))
    is_primary: bool = True


class EmailOut(Schema):
    email: str
    label: str
    is_primary: bool


class PhoneOut(Schema):
    number: str
    label: str
    is_primary: bool


class MembershipOut(Schema):
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    role: str
    is_primary: bool


class PersonIn(InputSchema):
    """A new contact; ``emails``, ``phones`` and ``organizations`` are the complete lists."""

    salutation: Text = Field("", max_length=length(Person, "salutation"))
    title: Text = Field("", max_length=length(Person, "title"))
    first_name: Text = Field("", max_length=length(Person, "first_name"))
    last_name: Text = Field(min_length=1, max_length=length(Person, "last_name"))
    position: Text = Field("", max_length=length(Person, "position"))
    language: Text = Field("", max_length=length(Person, "language"))
    subject_category: SubjectCategory = SubjectCategory.BUSINESS_CONTACT
    source: DataSource = DataSource.PROVIDED_BY_SUBJECT
    source_note: Text = Field("", max_length=length(Person, "source_note"))
    owner_id: ObjectId | None = Field(None, description="A member of the workspace.")
    notes: Text = ""
    emails: list[EmailIn] = Field(default_factory=list, max_length=limits.EMAILS_PER_PERSON)
    phones: list[PhoneIn] = Field(default_factory=list, max_length=limits.PHONES_PER_PERSON)
    organizations: list[MembershipIn] = Field(
        default_factory=list, max_length=limits.ORGANIZATIONS_PER_PERSON
    )


if TYPE_CHECKING:
    PersonPatch = PersonIn
else:
    PersonPatch = partial(
        PersonIn, "PersonPatch", "Changes to a contact; lists given replace the stored ones."
    )


class PersonOut(Schema):
    id: int
    salutation: str
    title: str
    first_name: str
    last_name: str
    full_name: str
    position: str
    language: str
    subject_category: str
    source: str
    source_note: str
    owner_id: int | None
    notes: str
    emails: list[EmailOut]
    phones: list[PhoneOut]
    organizations: list[MembershipOut]
    relationship_ended_on: date | None = Field(
        description="The day the business relationship ended (its own, or taken from the "
        "organizations); null while it continues. Set it with PUT /persons/{id}/relationship-end."
    )
    relationship_end_inherited: bool = Field(
        description="Whether the day came from the person's organizations: each of them has ended "
        "its relationship, and the person has no day of their own."
    )
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_emails(person: Person) -> list[PersonEmail]:
        return list(person.emails.all())

    @staticmethod
    def resolve_phones(person: Person) -> list[PersonPhone]:
        return list(person.phones.all())

    @staticmethod
    def resolve_organizations(person: Person) -> list[OrganizationMembership]:
        return sorted(person.memberships.all(), key=lambda membership: membership.pk)


class PersonFilter(FilterSchema):
    query: Text | None = Field(
        None, alias="q", max_length=200, description="Name, email, phone (any format) or company."
    )
    organization_id: ObjectId | None = None
    subject_category: SubjectCategory | None = None
    owner_id: ObjectId | None = None
    include_archived: bool = False
    updated_since: Moment | None = None
