from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent, AuditEventSubject
from zweck.core.permissions import Role
from zweck.crm import selectors
from zweck.crm.models import Person
from zweck.crm.services import EmailInput, PhoneInput, person_create, person_delete, person_update
from zweck.crm.tests.factories import make_organization, make_person

pytestmark = pytest.mark.django_db


def test_person_create_normalizes_phone_and_writes_audit(owner: Actor) -> None:
    # when
    person = person_create(
        actor=owner,
        first_name="Jürgen",
        last_name="Weiß",
        emails=[EmailInput("Juergen.Weiss@Example.COM")],
        phones=[PhoneInput("030 1234567"), PhoneInput("+49 (0)171 2345678", label="mobile")],
    )
    # then
    assert list(person.phones.values_list("number", "is_primary")) == [
        ("+49301234567", True),
        ("+491712345678", False),
    ]
    assert list(person.emails.values_list("email", flat=True)) == ["Juergen.Weiss@example.com"]
    event = AuditEvent.objects.get(action="person.create")
    assert (event.workspace_id, event.actor_id, event.object_id) == (
        owner.workspace_id,
        owner.user_id,
        str(person.pk),
    )
    assert list(AuditEventSubject.objects.values_list("subject_id", flat=True)) == [person.pk]
    assert "jürgen weiß" in person.search_text and "301234567" in person.search_text


def test_person_create_refuses_invalid_input_and_writes_nothing(owner: Actor) -> None:
    with pytest.raises(ValidationError) as error:
        person_create(actor=owner, last_name="X", emails=[EmailInput("not-an-address")])
    assert "emails" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        person_create(actor=owner, last_name="X", phones=[PhoneInput("12")])
    assert "phones" in error.value.message_dict
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_person_create_refuses_duplicate_email_in_same_workspace(owner: Actor, stranger: Actor) -> None:
    make_person(owner, email="dup@example.com")
    with pytest.raises(ValidationError, match="already belongs"):
        make_person(owner, email="dup@example.com")
    # another workspace may hold the same address
    make_person(stranger, email="dup@example.com")
    assert Person.objects.count() == 2


def test_person_update_records_changed_field_names_not_values(owner: Actor) -> None:
    person = make_person(owner, first_name="Anna", last_name="Alt")
    person_update(actor=owner, person=person, last_name="Neu", phones=[PhoneInput("+4940123456")])
    event = AuditEvent.objects.get(action="person.update")
    assert event.changed_fields == ["last_name", "phones"]
    assert "Neu" not in str(AuditEvent.objects.values()) and "Alt" not in str(AuditEvent.objects.values())


def test_read_only_member_cannot_create_and_nothing_changes(actor_with_role) -> None:
    reader = actor_with_role(Role.READ_ONLY)
    with pytest.raises(PermissionDenied):
        person_create(actor=reader, last_name="Nope")
    assert Person.objects.count() == 0


def test_other_workspace_objects_are_refused(owner: Actor, stranger: Actor) -> None:
    foreign = make_person(stranger)
    with pytest.raises(ValidationError):
        person_update(actor=owner, person=foreign, last_name="Hijack")
    with pytest.raises(ValidationError):
        person_delete(actor=owner, person=foreign)
    foreign.refresh_from_db()
    assert foreign.last_name.startswith("Muster")
    with pytest.raises(Person.DoesNotExist):
        selectors.person_get(actor=owner, person_id=foreign.pk)


def test_search_finds_by_phone_in_any_format_and_company(owner: Actor) -> None:
    company = make_organization(owner, name="Nordlicht IT GmbH")
    person = make_person(
        owner, first_name="Erika", last_name="Mustermann", phone="+49 30 9876543", organization=company
    )
    make_person(owner, first_name="Otto", last_name="Normal")
    for query in ("030/987 65 43", "+49 30 9876543", "0049309876543", "nordlicht", "erika muster"):
        assert list(selectors.person_list(actor=owner, query=query)) == [person], query


def test_restricted_person_is_hidden_from_ordinary_selectors(owner: Actor) -> None:
    from django.utils import timezone

    person = make_person(owner)
    Person.objects.filter(pk=person.pk).update(restricted_at=timezone.now())
    assert list(selectors.person_list(actor=owner)) == []
    assert list(selectors.person_list(actor=owner, include_restricted=True)) == [person]
