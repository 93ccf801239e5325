"""The streaming export of every visible contact, and the round trip export → import."""

from __future__ import annotations

import csv
import io
import types

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import make_actor
from zweck.audit.models import AuditEvent, AuditEventSubject
from zweck.core.permissions import Role
from zweck.crm.exports import HEADER, person_export_stream
from zweck.crm.imports import person_import_csv
from zweck.crm.services import person_archive
from zweck.crm.tests.factories import make_organization, make_person
from zweck.privacy.restriction import person_restrict

pytestmark = pytest.mark.django_db


def exported(actor: Actor) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("".join(person_export_stream(actor=actor)))))


def test_export_has_the_header_and_one_row_per_visible_person(owner: Actor) -> None:
    # given
    organization = make_organization(owner, name="Nordlicht GmbH")
    anna = make_person(
        owner, first_name="Anna", last_name="Schmidt", email="anna@example.com", phone="030 1234567",
        organization=organization, position="CTO", title="Dr.",
    )  # fmt: skip
    # when
    text = "".join(person_export_stream(actor=owner))
    # then
    assert text.splitlines()[0] == ",".join(HEADER)
    rows = exported(owner)
    assert rows == [
        {
            "id": str(anna.pk),
            "salutation": "",
            "academic_title": "Dr.",
            "first_name": "Anna",
            "last_name": "Schmidt",
            "position": "CTO",
            "email": "anna@example.com",
            "phone": "'+49301234567",  # escaped: a leading + would start a formula
            "organization": "Nordlicht GmbH",
            "subject_category": "business_contact",
            "source": "provided_by_subject",
            "created_at": anna.created_at.isoformat(),
            "updated_at": anna.updated_at.isoformat(),
        }
    ]


def test_export_leaves_out_restricted_persons_and_other_workspaces(owner: Actor, stranger: Actor) -> None:
    # given
    visible = make_person(owner, last_name="Sichtbar")
    archived = make_person(owner, last_name="Archiviert")
    person_archive(actor=owner, person=archived)
    restricted = make_person(owner, last_name="Eingeschraenkt")
    person_restrict(actor=owner, person_ids=[restricted.pk])
    make_person(stranger, last_name="Fremd")
    # when
    rows = exported(owner)
    # then
    assert [row["id"] for row in rows] == [str(visible.pk), str(archived.pk)]


def test_export_writes_one_audit_event_without_subjects(owner: Actor) -> None:
    make_person(owner)
    before = AuditEventSubject.objects.count()
    lines = person_export_stream(actor=owner)
    event = AuditEvent.objects.get(action="person.export")
    assert (event.workspace_id, event.actor_id, event.object_type) == (
        owner.workspace_id,
        owner.user_id,
        "crm.person",
    )
    assert len(list(lines)) == 2
    assert AuditEventSubject.objects.count() == before


def test_export_is_a_lazy_stream(owner: Actor) -> None:
    assert isinstance(person_export_stream(actor=owner), types.GeneratorType)


def test_export_needs_the_view_permission(owner: Actor) -> None:
    nobody = Actor(workspace=owner.workspace, user=None, role="none", permissions=frozenset())
    with pytest.raises(PermissionDenied):
        person_export_stream(actor=nobody)
    assert not AuditEvent.objects.filter(action="person.export").exists()


def test_a_reader_may_not_export(actor_with_role: object) -> None:
    # Reading contacts one by one is not taking them all away (the contact.export right).
    reader = actor_with_role(Role.READ_ONLY)  # type: ignore[operator]
    with pytest.raises(PermissionDenied):
        exported(reader)
    assert not AuditEvent.objects.filter(action="person.export").exists()


def test_a_seller_may_export(actor_with_role: object) -> None:
    seller = actor_with_role(Role.SALES)  # type: ignore[operator]
    assert exported(seller) == []


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßéABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ' -", min_size=1, max_size=30).map(str.strip).filter(bool)  # fmt: skip
_person = st.fixed_dictionaries(
    {
        "first_name": st.one_of(st.just(""), _names),
        "last_name": _names,
        "position": st.one_of(st.just(""), _names),
        "phone": st.one_of(st.just(""), st.integers(1000000, 9999999).map(lambda n: f"+49 30 {n}")),
        "organization": st.one_of(
            st.just(""), st.sampled_from(["Nordlicht GmbH", "Sonnenhof KG", "Ärztehaus AG"])
        ),
        "subject_category": st.sampled_from(["business_contact", "client_contact"]),
    }
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(_person, min_size=1, max_size=8))
def test_a_valid_file_round_trips_through_export_and_import(
    owner: Actor, people: list[dict[str, str]]
) -> None:
    # given a file imported into one workspace
    source = io.StringIO()
    writer = csv.DictWriter(source, fieldnames=[*people[0], "email"])
    writer.writeheader()
    for index, person in enumerate(people):
        writer.writerow({**person, "email": f"person{index}@example.com"})
    first = make_actor(Role.OWNER)
    assert person_import_csv(actor=first, file=io.BytesIO(source.getvalue().encode())).errors == []
    # when its export is imported into an empty workspace
    export = "".join(person_export_stream(actor=first)).encode()
    second = make_actor(Role.OWNER)
    report = person_import_csv(actor=second, file=io.BytesIO(export))
    # then the second workspace holds the same persons
    assert (report.errors, report.unknown_columns) == ([], ["id", "created_at", "updated_at"])
    ignored = {"id", "created_at", "updated_at"}

    def persons(actor: Actor) -> list[dict[str, str]]:
        return sorted(
            ({k: v for k, v in row.items() if k not in ignored} for row in exported(actor)),
            key=lambda row: row["email"],
        )

    assert persons(second) == persons(first)
    assert len(persons(second)) == len(people)
