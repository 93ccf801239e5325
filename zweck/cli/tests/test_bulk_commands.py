"""``zweck import-persons`` and ``zweck export-persons`` against the test database."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zweck.accounts.actors import Actor
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_import_persons_reads_the_file_and_reports(owner: Actor, tmp_path: Path) -> None:
    # given
    file = tmp_path / "kontakte.csv"
    file.write_text(
        "Vorname;Nachname;E-Mail;Farbe\nAnna;Schmidt;anna@example.com;rot\nBen;Berg;anna@example.com;blau\n"
    )
    out = StringIO()
    # when
    call_command(
        "import-persons", str(file), "--workspace", owner.workspace.slug, "--source", "public", stdout=out
    )
    # then
    assert out.getvalue().splitlines() == [
        "Columns not imported: Farbe",
        "2 rows read, 1 contacts created, 1 duplicates skipped, 0 organizations created.",
    ]
    person = Person.objects.get()
    assert (person.last_name, person.source, person.source_note) == (
        "Schmidt",
        "public",
        "Imported from kontakte.csv",
    )


def test_import_persons_with_errors_writes_nothing_unless_partial(owner: Actor, tmp_path: Path) -> None:
    file = tmp_path / "kontakte.csv"
    file.write_text("Nachname,E-Mail\nGut,gut@example.com\n,kaputt\n")
    errors = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-persons", str(file), stdout=StringIO(), stderr=errors)
    assert errors.getvalue().splitlines() == [
        "Row 3, Nachname: This field cannot be blank.",
        "Row 3, E-Mail: kaputt is not a valid email address.",
    ]
    assert Person.objects.count() == 0
    call_command("import-persons", str(file), "--partial", stdout=StringIO(), stderr=StringIO())
    assert list(Person.objects.values_list("last_name", flat=True)) == ["Gut"]


def test_import_persons_without_last_name_column_fails(owner: Actor, tmp_path: Path) -> None:
    file = tmp_path / "kontakte.csv"
    file.write_text("Vorname\nAnna\n")
    with pytest.raises(CommandError, match="no last name column"):
        call_command("import-persons", str(file), stdout=StringIO())


def test_export_persons_writes_csv_to_stdout_and_to_a_file(owner: Actor, tmp_path: Path) -> None:
    anna = make_person(owner, first_name="Anna", last_name="Schmidt", email="anna@example.com")
    out = StringIO()
    call_command("export-persons", "--workspace", owner.workspace.slug, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id,salutation,academic_title,first_name,last_name,")
    assert lines[1].startswith(f"{anna.pk},,,Anna,Schmidt,,anna@example.com,")
    target = tmp_path / "out.csv"
    call_command("export-persons", "--out", str(target))
    assert target.read_text(encoding="utf-8").splitlines() == lines


def test_export_persons_needs_a_workspace_when_there_are_several(owner: Actor, stranger: Actor) -> None:
    with pytest.raises(CommandError, match="No such workspace"):
        call_command("export-persons", stdout=StringIO())
