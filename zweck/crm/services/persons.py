"""Writes for persons (contacts) with their email addresses, phone numbers and organizations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.audit.services import audit_record
from zweck.core import limits
from zweck.core.permissions import Permission
from zweck.core.services import (
    apply_changes,
    refuse_uncollected,
    require_at_most,
    require_same_workspace,
    save_scoped,
)
from zweck.crm import search, search_text
from zweck.crm.choices import ContactLabel
from zweck.crm.models import (
    Organization,
    OrganizationMembership,
    Person,
    PersonEmail,
    PersonPhone,
    SearchPosting,
)
from zweck.crm.services.relationships import relationship_inherit
from zweck.crm.validators import normalize_phone

PERSON_FIELDS = (
    "salutation",
    "title",
    "first_name",
    "last_name",
    "position",
    "language",
    "subject_category",
    "source",
    "source_note",
    "owner",
    "notes",
)


@dataclass(frozen=True)
class EmailInput:
    email: str
    label: str = ContactLabel.WORK
    is_primary: bool = False


@dataclass(frozen=True)
class PhoneInput:
    number: str
    label: str = ContactLabel.WORK
    is_primary: bool = False


@dataclass(frozen=True)
class MembershipInput:
    organization: Organization
    role: str = ""
    is_primary: bool = True


def normalize_email(value: str) -> str:
    """Syntax-checked, with a lower-cased domain; no DNS look-up."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValidationError(
            _("%(value)s is not a valid email address."), params={"value": value}, code="invalid_email"
        ) from error


def _clean_emails(emails: Sequence[EmailInput]) -> list[EmailInput]:
    require_at_most("emails", emails, limits.EMAILS_PER_PERSON)
    cleaned, seen, errors = [], set(), []
    for index, item in enumerate(emails):
        try:
            address = normalize_email(item.email)
        except ValidationError as error:
            errors.append(f"{index}: {error.messages[0]}")
            continue
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        cleaned.append(EmailInput(address, item.label, item.is_primary))
    if errors:
        raise ValidationError({"emails": errors})
    return _with_one_primary(cleaned)


def _clean_phones(phones: Sequence[PhoneInput]) -> list[PhoneInput]:
    require_at_most("phones", phones, limits.PHONES_PER_PERSON)
    cleaned, seen, errors = [], set(), []
    for index, item in enumerate(phones):
        try:
            number = normalize_phone(item.number)
        except ValidationError as error:
            errors.append(f"{index}: {error.messages[0]}")
            continue
        if number in seen:
            continue
        seen.add(number)
        cleaned.append(PhoneInput(number, item.label, item.is_primary))
    if errors:
        raise ValidationError({"phones": errors})
    return _with_one_primary(cleaned)


def _with_one_primary[T: (EmailInput, PhoneInput)](items: list[T]) -> list[T]:
    """Exactly one primary entry when there are any: the first marked one, else the first."""
    if not items:
        return items
    primary = next((i for i, item in enumerate(items) if item.is_primary), 0)
    return [replace(item, is_primary=(i == primary)) for i, item in enumerate(items)]


def _check_duplicate_emails(actor: Actor, emails: Sequence[EmailInput], exclude: Person | None) -> None:
    addresses = [item.email for item in emails]
    if not addresses:
        return
    taken = PersonEmail.objects.in_workspace(actor.workspace_id).filter(email__in=addresses)
    if exclude is not None:
        taken = taken.exclude(person=exclude)
    duplicate = taken.values_list("email", flat=True).first()
    if duplicate:
        raise ValidationError(
            {"emails": _("%(email)s already belongs to another contact.") % {"email": duplicate}},
            code="duplicate",
        )


def person_refresh_search_text(*, person: Person) -> None:
    """Recompute the person's search document and search postings from the stored rows."""
    emails = list(person.emails.values_list("email", flat=True))
    phones = list(person.phones.values_list("number", flat=True))
    organizations = list(
        Organization.objects.filter(memberships__person=person).values_list("name", flat=True)
    )
    text = search_text.compose(
        names=[person.title, person.first_name, person.last_name],
        emails=emails,
        phones=phones,
        extra=[*organizations, person.position],
    )
    if text != person.search_text:
        Person.objects.filter(pk=person.pk).update(search_text=text)
        person.search_text = text
        search.person_index(workspace_id=person.workspace_id, person_id=person.pk, document=text)


def _replace_emails(actor: Actor, person: Person, emails: list[EmailInput]) -> None:
    person.emails.all().delete()
    PersonEmail.objects.bulk_create(
        [
            save_scoped_unsaved(
                PersonEmail(person=person, email=e.email, label=e.label, is_primary=e.is_primary), actor
            )
            for e in emails
        ]
    )


def _replace_phones(actor: Actor, person: Person, phones: list[PhoneInput]) -> None:
    person.phones.all().delete()
    PersonPhone.objects.bulk_create(
        [
            save_scoped_unsaved(
                PersonPhone(person=person, number=p.number, label=p.label, is_primary=p.is_primary), actor
            )
            for p in phones
        ]
    )


def _replace_memberships(actor: Actor, person: Person, memberships: Sequence[MembershipInput]) -> None:
    require_at_most("organizations", memberships, limits.ORGANIZATIONS_PER_PERSON)
    require_same_workspace(actor, **{f"organizations.{i}": m.organization for i, m in enumerate(memberships)})
    person.memberships.all().delete()
    seen: set[int] = set()
    rows = []
    for item in memberships:
        if item.organization.pk in seen:
            continue
        seen.add(item.organization.pk)
        rows.append(
            save_scoped_unsaved(
                OrganizationMembership(
                    person=person, organization=item.organization, role=item.role, is_primary=item.is_primary
                ),
                actor,
            )
        )
    OrganizationMembership.objects.bulk_create(rows)
    if relationship_inherit(actor=actor, person_ids=[person.pk]):
        person.refresh_from_db(fields=["relationship_ended_on", "relationship_end_inherited"])


def save_scoped_unsaved[M: (PersonEmail, PersonPhone, OrganizationMembership)](row: M, actor: Actor) -> M:
    """Stamp and validate a child row for bulk insertion (uniqueness is left to the database)."""
    now = timezone.now()
    row.workspace_id = actor.workspace_id
    row.created_by_id = row.updated_by_id = actor.user_id
    row.created_at = row.updated_at = now
    row.full_clean(exclude=["person"], validate_unique=False, validate_constraints=False)
    refuse_uncollected(row, workspace_id=actor.workspace_id, written=None)
    return row


def _check_owner(actor: Actor, owner: User | None) -> None:
    if owner is not None and not owner.memberships.filter(workspace_id=actor.workspace_id).exists():
        raise ValidationError({"owner": _("The owner must be a member of this workspace.")})


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    last_name: str,
    first_name: str = "",
    emails: Sequence[EmailInput] = (),
    phones: Sequence[PhoneInput] = (),
    organizations: Sequence[MembershipInput] = (),
    allow_duplicate: bool = False,
    **details: object,
) -> Person:
    """Create a contact with their addresses, numbers and organizations.

    An email address that already belongs to another contact of the workspace is refused
    unless ``allow_duplicate`` (imports that merge later pass it).
    """
    actor.require(Permission.CRM_CHANGE)
    person = Person(first_name=first_name, last_name=last_name)
    apply_changes(person, details, allowed=PERSON_FIELDS)
    _check_owner(actor, person.owner)
    clean_emails, clean_phones = _clean_emails(emails), _clean_phones(phones)
    if not allow_duplicate:
        _check_duplicate_emails(actor, clean_emails, exclude=None)
    save_scoped(person, actor=actor)
    _replace_emails(actor, person, clean_emails)
    _replace_phones(actor, person, clean_phones)
    _replace_memberships(actor, person, organizations)
    person_refresh_search_text(person=person)
    audit_record(actor=actor, action="person.create", instance=person, subject_ids=[person.pk])
    return person


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    emails: Sequence[EmailInput] | None = None,
    phones: Sequence[PhoneInput] | None = None,
    organizations: Sequence[MembershipInput] | None = None,
    **changes: object,
) -> Person:
    """Change a contact; lists given replace the stored ones, lists omitted stay as they are.

    The audit event records the names of changed fields, never their values.
    """
    person_change(
        actor=actor, person=person, emails=emails, phones=phones, organizations=organizations, **changes
    )
    return person


@transaction.atomic
def person_change(
    *,
    actor: Actor,
    person: Person,
    emails: Sequence[EmailInput] | None = None,
    phones: Sequence[PhoneInput] | None = None,
    organizations: Sequence[MembershipInput] | None = None,
    **changes: object,
) -> list[str]:
    """``person_update`` for callers that need to know what changed: the names of the fields
    (``emails``, ``phones`` and ``organizations`` for the lists) that took a new value."""
    actor.require(Permission.CRM_CHANGE)
    require_same_workspace(actor, person=person)
    changed = apply_changes(person, changes, allowed=PERSON_FIELDS)
    if "owner" in changed:
        _check_owner(actor, person.owner)
    if emails is not None:
        clean_emails = _clean_emails(emails)
        _check_duplicate_emails(actor, clean_emails, exclude=person)
        before = list(person.emails.values_list("email", "label", "is_primary"))
        if before != [(e.email, e.label, e.is_primary) for e in clean_emails]:
            _replace_emails(actor, person, clean_emails)
            changed.append("emails")
    if phones is not None:
        clean_phones = _clean_phones(phones)
        before = list(person.phones.values_list("number", "label", "is_primary"))
        if before != [(p.number, p.label, p.is_primary) for p in clean_phones]:
            _replace_phones(actor, person, clean_phones)
            changed.append("phones")
    if organizations is not None:
        before_orgs = list(person.memberships.values_list("organization_id", "role", "is_primary"))
        if before_orgs != [(m.organization.pk, m.role, m.is_primary) for m in organizations]:
            _replace_memberships(actor, person, organizations)
            changed.append("organizations")
    if not changed:
        return []
    save_scoped(person, actor=actor, changed=[name for name in changed if name in PERSON_FIELDS])
    person_refresh_search_text(person=person)
    audit_record(
        actor=actor, action="person.update", instance=person, subject_ids=[person.pk], changed_fields=changed
    )
    return changed


@transaction.atomic
def person_archive(*, actor: Actor, person: Person, archived: bool = True) -> Person:
    """Archive (hide from everyday lists) or bring back a contact; nothing is deleted."""
    actor.require(Permission.CRM_CHANGE)
    require_same_workspace(actor, person=person)
    if (person.archived_at is not None) == archived:
        return person
    person.archived_at = timezone.now() if archived else None
    save_scoped(person, actor=actor, changed=["archived_at"])
    audit_record(
        actor=actor,
        action="person.archive" if archived else "person.unarchive",
        instance=person,
        subject_ids=[person.pk],
        changed_fields=["archived_at"],
    )
    return person


@transaction.atomic
def person_delete(*, actor: Actor, person: Person) -> None:
    """Delete a contact with their addresses, numbers, memberships and participations.

    Activities and deals they took part in stay (they belong to other people too); the
    person's links to them go. Erasure on request is the privacy engine's job, which also
    handles free-text mentions and statutory holds.
    """
    actor.require(Permission.CRM_DELETE)
    require_same_workspace(actor, person=person)
    person_id = person.pk
    words = list(SearchPosting.objects.filter(person_id=person_id).values_list("word", flat=True))
    try:
        with transaction.atomic():
            person.delete()
    except ProtectedError as error:
        # Quotes, orders and invoices keep the person they are addressed to, the consent ledger
        # the person whose consent it proves.
        raise ValidationError(
            _(
                "This contact is named on records that must be kept (quotes, orders, invoices or proof "
                "of consent); it cannot be deleted."
            )
        ) from error
    # The postings went with the person; dictionary words nobody else is found by go too.
    search.search_words_prune(workspace_id=actor.workspace_id, words=words)
    audit_record(
        actor=actor,
        action="person.delete",
        object_type="crm.person",
        object_id=person_id,
        subject_ids=[person_id],
    )
