"""/persons/import and /persons/export beyond the permission matrix."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zweck.accounts.actors import Actor
from zweck.api.tests.support import Api
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_import_answers_200_with_the_report(api: Api, owner: Actor) -> None:
    file = SimpleUploadedFile("k.csv", b"Vorname;Nachname;Farbe\nAnna;Schmidt;rot\n")
    response = api.upload("/persons/import", {"file": file, "source": "public"})
    assert response.status_code == 200
    assert response.json() == {
        "rows_read": 1, "created": 1, "skipped_duplicates": 0, "organizations_created": 0,
        "duplicate_rows": [], "unknown_columns": ["Farbe"], "errors": [],
    }  # fmt: skip
    assert Person.objects.get(workspace_id=owner.workspace_id).source == "public"


def test_import_with_row_errors_answers_422_and_writes_nothing(api: Api, owner: Actor) -> None:
    file = SimpleUploadedFile("k.csv", b"Nachname,E-Mail\nGut,gut@example.com\n,kaputt\n")
    response = api.upload("/persons/import", {"file": file})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "The file has errors; nothing was imported.",
        "errors": [
            {"field": "rows.3.Nachname", "message": "This field cannot be blank."},
            {"field": "rows.3.E-Mail", "message": "kaputt is not a valid email address."},
        ],
    }
    assert Person.objects.count() == 0


def test_import_path_is_not_read_as_a_person_id(api: Api) -> None:
    assert api.get("/persons/import").status_code == 405


def test_export_streams_csv(api: Api, owner: Actor, stranger: Actor) -> None:
    person = make_person(owner, first_name="Anna", last_name="Schmidt", email="anna@example.com")
    make_person(stranger, last_name="Fremd")
    response = api.get("/persons/export")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith(f"{person.pk},,,Anna,Schmidt,,anna@example.com,")
