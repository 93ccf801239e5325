"""Importing contacts from CSV and XLSX: columns, encodings, validation, duplicates, all or nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent, AuditEventSubject
from zweck.core.permissions import Role
from zweck.crm import search_text, selectors
from zweck.crm.imports import ImportReport, RowError, import_normalize_email, person_import, person_import_csv
from zweck.crm.models import Organization, OrganizationMembership, Person, PersonEmail, PersonPhone
from zweck.crm.services.persons import normalize_email, person_refresh_search_text
from zweck.crm.tests.factories import make_organization, make_person

pytestmark = pytest.mark.django_db


def csv_file(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def run(actor: Actor, text: str, **options: object) -> ImportReport:
    return person_import_csv(actor=actor, file=csv_file(text), file_name="kontakte.csv", **options)  # type: ignore[arg-type]


def persons_of(actor: Actor) -> list[tuple[str, str]]:
    return list(
        Person.objects.filter(workspace_id=actor.workspace_id)
        .order_by("id")
        .values_list("first_name", "last_name")
    )


def test_english_headers_create_persons_with_email_phone_organization_and_stamps(owner: Actor) -> None:
    # when
    report = run(
        owner,
        "first_name,last_name,email,phone,mobile,organization,title,salutation,academic title,language,notes\n"
        "Anna,Schmidt,Anna.Schmidt@EXAMPLE.com,030 1234567,0151 23456789,Nordlicht GmbH,CTO,Frau,Dr.,de,Met at fair\n",
    )
    # then
    assert (report.rows_read, report.created, report.errors, report.unknown_columns) == (1, 1, [], [])
    person = Person.objects.get(workspace_id=owner.workspace_id)
    assert (person.first_name, person.last_name, person.position, person.salutation, person.title) == (
        "Anna", "Schmidt", "CTO", "Frau", "Dr.",
    )  # fmt: skip
    assert (person.language, person.notes, person.source, person.source_note) == (
        "de", "Met at fair", "other", "Imported from kontakte.csv",
    )  # fmt: skip
    assert (person.created_by_id, person.updated_by_id) == (owner.user_id, owner.user_id)
    assert list(person.emails.values_list("email", "label", "is_primary")) == [
        ("Anna.Schmidt@example.com", "work", True)
    ]
    assert list(person.phones.values_list("number", "label", "is_primary")) == [
        ("+49301234567", "work", True),
        ("+4915123456789", "mobile", False),
    ]
    assert [m.organization.name for m in person.memberships.all()] == ["Nordlicht GmbH"]
    # the search document is exactly what the service would compute from the stored rows
    stored = person.search_text
    person_refresh_search_text(person=person)
    assert person.search_text == stored


def test_german_headers_semicolons_and_latin_1(owner: Actor) -> None:
    text = "Anrede;Titel;Vorname;Nachname;E-Mail;Telefon;Firma;Position\nHerr;Prof.;Jürgen;Weiß;jw@example.com;+49 40 1234567;Müller & Söhne KG;Einkauf\n"
    report = person_import_csv(actor=owner, file=csv_file(text, "latin-1"))
    assert report.errors == []
    person = Person.objects.get(workspace_id=owner.workspace_id)
    assert (person.salutation, person.title, person.first_name, person.last_name, person.position) == (
        "Herr", "Prof.", "Jürgen", "Weiß", "Einkauf",
    )  # fmt: skip
    assert Organization.objects.get(workspace_id=owner.workspace_id).name == "Müller & Söhne KG"


def test_utf8_with_bom_and_windows_1252(owner: Actor) -> None:
    bom = "\ufeffNachname,E-Mail\nBöhm,boehm@example.com\n".encode("utf-8-sig")
    assert person_import_csv(actor=owner, file=io.BytesIO(bom)).created == 1
    cp1252 = "Nachname;Notizen\nDvořák;Rechnung über 100 €\n"
    with pytest.raises(UnicodeEncodeError):
        cp1252.encode("latin-1")  # the euro sign exists in Windows-1252 only
    report = person_import_csv(actor=owner, file=csv_file(cp1252.replace("ř", "r"), "cp1252"))
    assert report.created == 1
    assert Person.objects.get(last_name="Dvorák").notes == "Rechnung über 100 €"


def test_xlsx_workbook(owner: Actor) -> None:
    # given
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Vorname", "Nachname", "E-Mail", "Telefon", "Firma"])
    sheet.append(["Lena", "Koch", "lena.koch@example.com", "+49 89 1234567", "Alpenblick AG"])
    sheet.append([None, None, None, None, None])
    sheet.append(["Tim", "Berg", None, 12.0, None])
    content = io.BytesIO()
    workbook.save(content)
    content.seek(0)
    # when
    report = person_import(actor=owner, file=content, file_name="kontakte.xlsx")
    # then
    assert (report.rows_read, report.created, report.errors) == (2, 0, [RowError(4, "Telefon", "12 is not a phone number.")])  # fmt: skip
    assert persons_of(owner) == []  # all or nothing
    content.seek(0)
    assert person_import(actor=owner, file=content, partial=True).created == 1
    assert persons_of(owner) == [("Lena", "Koch")]
    assert PersonPhone.objects.get().number == "+49891234567"


def test_every_validation_error_is_listed_with_row_and_column_and_nothing_is_written(owner: Actor) -> None:
    report = run(
        owner,
        "Vorname,Nachname,E-Mail,Telefon,Anrede,subject_category,source,Firma\n"
        "Ok,Fine,ok@example.com,,,,,\n"
        ",,,,,,,\n"
        f"Anna,,anna@example,12,{'x' * 21},nobody,,{'F' * 201}\n"
        f"{'B' * 101},Busch,,,,client_contact,gossip,\n",
    )
    assert report.created == 0
    assert report.rows_read == 3
    assert report.errors == [
        RowError(4, "Anrede", "Ensure this value has at most 20 characters (it has 21)."),
        RowError(4, "Nachname", "This field cannot be blank."),
        RowError(4, "subject_category", "Choose one of: business_contact, client_contact, client_data_subject, other_contact."),
        RowError(4, "E-Mail", "anna@example is not a valid email address."),
        RowError(4, "Telefon", "12 is not a phone number."),
        RowError(4, "Firma", "Ensure this value has at most 200 characters (it has 201)."),
        RowError(5, "Vorname", "Ensure this value has at most 100 characters (it has 101)."),
        RowError(5, "source", "Choose one of: provided_by_subject, public, received_from_client, other."),
    ]  # fmt: skip
    assert persons_of(owner) == []
    assert not AuditEvent.objects.filter(action="person.import").exists()


def test_errors_after_the_first_batch_roll_back_what_earlier_batches_wrote(owner: Actor) -> None:
    rows = "".join(f"P{n},p{n}@example.com\n" for n in range(2100))
    report = run(owner, "Nachname,E-Mail\n" + rows + ",broken\n")
    assert report.rows_read == 2101
    assert [e.row for e in report.errors] == [2102, 2102]
    assert (report.created, Person.objects.filter(workspace_id=owner.workspace_id).count()) == (0, 0)
    assert PersonEmail.objects.count() == 0


def test_partial_writes_the_valid_rows_and_reports_the_others(owner: Actor) -> None:
    report = run(
        owner,
        "Nachname,E-Mail\nGut,gut@example.com\n,leer@example.com\nAuch,auch@example.com\n",
        partial=True,
    )
    assert report.created == 2
    assert report.errors == [RowError(3, "Nachname", "This field cannot be blank.")]
    assert persons_of(owner) == [("", "Gut"), ("", "Auch")]


def test_missing_last_name_column_is_refused(owner: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        run(owner, "Vorname,E-Mail\nAnna,anna@example.com\n")
    assert refused.value.messages == ["The file has no last name column (“last_name” or “Nachname”)."]
    assert persons_of(owner) == []


def test_unknown_columns_are_reported_not_imported(owner: Actor) -> None:
    report = run(owner, "Nachname,Lieblingsfarbe,id\nRot,blau,7\n")
    assert (report.created, report.unknown_columns) == (1, ["Lieblingsfarbe", "id"])


def test_duplicates_in_the_workspace_and_in_the_file_are_skipped_and_reported(owner: Actor) -> None:
    # given
    make_person(owner, last_name="Alt", email="alt@example.com")
    # when
    report = run(
        owner,
        "Nachname,E-Mail\nNeu,neu@example.com\nDoppelt,alt@example.com\nNochmal,NEU@example.com\nOhne,\n",
    )
    # then
    assert (report.created, report.skipped_duplicates, report.duplicate_rows, report.errors) == (
        2,
        2,
        [3, 4],
        [],
    )
    assert persons_of(owner)[1:] == [("", "Neu"), ("", "Ohne")]


def test_duplicates_as_errors_write_nothing(owner: Actor) -> None:
    make_person(owner, last_name="Alt", email="alt@example.com")
    report = run(
        owner,
        "Nachname,E-Mail\nDoppelt,alt@example.com\nA,a@example.com\nB,A@example.com\n",
        on_duplicate="error",
    )
    assert report.errors == [
        RowError(2, "E-Mail", "alt@example.com already belongs to another contact."),
        RowError(4, "E-Mail", "A@example.com is in row 3 already."),
    ]
    assert report.created == 0
    assert len(persons_of(owner)) == 1


def test_organizations_are_reused_by_name_in_any_case_and_created_once(owner: Actor) -> None:
    # given
    existing = make_organization(owner, name="Ärztehaus Nord GmbH")
    # when
    report = run(
        owner,
        "Nachname,Firma\nA,ärztehaus nord gmbh\nB,Neue Firma AG\nC,NEUE FIRMA AG\nD,\n",
    )
    # then
    assert (report.created, report.organizations_created) == (4, 1)
    memberships = OrganizationMembership.objects.filter(workspace_id=owner.workspace_id).order_by(
        "person__last_name"
    )
    assert [(m.person.last_name, m.organization.name) for m in memberships] == [
        ("A", "Ärztehaus Nord GmbH"),
        ("B", "Neue Firma AG"),
        ("C", "Neue Firma AG"),
    ]
    assert memberships[0].organization_id == existing.pk
    new = Organization.objects.get(name="Neue Firma AG")
    assert new.search_text == search_text.compose(names=["Neue Firma AG"])


def test_one_audit_event_with_every_new_person_as_subject(owner: Actor) -> None:
    report = run(owner, "Nachname\nA\nB\nC\n")
    event = AuditEvent.objects.get(action="person.import")
    assert (event.workspace_id, event.actor_id, event.object_type) == (
        owner.workspace_id,
        owner.user_id,
        "crm.person",
    )
    assert sorted(
        AuditEventSubject.objects.filter(event=event).values_list("subject_id", flat=True)
    ) == sorted(report.person_ids)
    assert len(report.person_ids) == 3


def test_source_and_category_default_to_the_chosen_ones_and_rows_may_name_their_own(owner: Actor) -> None:
    run(
        owner,
        "Nachname,source,subject_category\nA,,\nB,Publicly available sources,Contact at a client company\n",
        data_source="received_from_client",
        subject_category="other_contact",
    )
    assert list(Person.objects.order_by("last_name").values_list("source", "subject_category")) == [
        ("received_from_client", "other_contact"),
        ("public", "client_contact"),
    ]


def test_another_workspace_is_never_touched(owner: Actor, stranger: Actor) -> None:
    # given the other workspace has the same email and organization name
    make_person(
        stranger,
        last_name="Fremd",
        email="same@example.com",
        organization=make_organization(stranger, name="Gemeinsam GmbH"),
    )
    # when
    report = run(owner, "Nachname,E-Mail,Firma\nHier,same@example.com,Gemeinsam GmbH\n")
    # then the email is no duplicate here, and a new organization is made here
    assert (report.created, report.skipped_duplicates, report.organizations_created) == (1, 0, 1)
    assert Person.objects.filter(workspace_id=stranger.workspace_id).count() == 1
    assert Organization.objects.filter(workspace_id=stranger.workspace_id).count() == 1


def test_import_needs_the_change_permission(actor_with_role: object) -> None:
    reader = actor_with_role(Role.READ_ONLY)  # type: ignore[operator]
    with pytest.raises(PermissionDenied):
        run(reader, "Nachname\nA\n")
    assert Person.objects.count() == 0


def test_an_imported_person_is_found_by_search(owner: Actor) -> None:
    run(owner, "Vorname,Nachname,E-Mail,Firma\nKlara,Zimmermann,klara@example.com,Sonnenhof KG\n")
    assert [p.last_name for p in selectors.person_list(actor=owner, query="zimmerman")] == ["Zimmermann"]
    assert [p.last_name for p in selectors.person_list(actor=owner, query="sonnenhof")] == ["Zimmermann"]


@pytest.mark.parametrize("address", ["WWW@example.com", "Postmaster@Example.com", "ABUSE@example.com"])
def test_role_mailboxes_are_lower_cased_as_the_validator_does(address: str) -> None:
    assert import_normalize_email(address) == normalize_email(address) == address.lower()


@settings(max_examples=200, deadline=None)
@given(
    local=st.from_regex(r"[A-Za-z0-9._%+\-!#$&'*/=?^`{|}~]{1,70}", fullmatch=True),
    domain=st.sampled_from(
        [
            "example.com",
            "EXAMPLE.com",
            "mail.Example.org",
            "example",
            "ex_ample.com",
            "xn--mller-kva.example.com",
            "münchen.example.com",
            "-bad.example.com",
        ]
    ),
    padding=st.sampled_from(["", " ", "\t"]),
)
def test_the_fast_email_check_answers_exactly_as_normalize_email(
    local: str, domain: str, padding: str
) -> None:
    address = f"{padding}{local}@{domain}{padding}"
    try:
        expected: str | Exception = normalize_email(address)
    except ValidationError as error:
        expected = error
    if isinstance(expected, str):
        assert import_normalize_email(address) == expected
    else:
        with pytest.raises(ValidationError) as refused:
            import_normalize_email(address)
        assert refused.value.messages == expected.messages


def test_phones_in_one_row_are_deduplicated_like_the_service_does(owner: Actor) -> None:
    run(owner, "Nachname,Telefon,Mobil\nA,030 1234567,+49 30 1234567\n")
    assert list(PersonPhone.objects.values_list("number", "label", "is_primary")) == [
        ("+49301234567", "work", True)
    ]
