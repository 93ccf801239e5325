"""The staff UI's contact import page and CSV export link."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

Members = Callable[[str], tuple[Client, Actor]]


def upload(text: str, **fields: str) -> dict[str, object]:
    return {"file": SimpleUploadedFile("kontakte.csv", text.encode()), "source": "received_from_client",
            "on_duplicate": "skip", **fields}  # fmt: skip


def test_contact_list_links_to_import_and_export(owner: Actor) -> None:
    page = client_for(owner).get("/app/contacts/").content.decode()
    assert 'href="/app/contacts/import/"' in page
    assert 'href="/app/contacts/export.csv"' in page


def test_import_page_imports_and_shows_the_report(member_client: Members) -> None:
    client, actor = member_client(Role.SALES)
    response = client.post("/app/contacts/import/", upload("Vorname;Nachname\nAnna;Schmidt\n"))
    assert response.status_code == 200
    assert "1 contact created" in response.content.decode()
    person = Person.objects.get()
    assert (person.last_name, person.source, person.workspace_id) == (
        "Schmidt",
        "received_from_client",
        actor.workspace_id,
    )


def test_import_page_lists_row_errors_and_writes_nothing(member_client: Members) -> None:
    client, _actor = member_client(Role.SALES)
    response = client.post("/app/contacts/import/", upload("Nachname,E-Mail\n,kaputt\n"))
    page = response.content.decode()
    assert response.status_code == 422
    assert "The file has errors; nothing was imported." in page
    assert "<td>2</td><td>E-Mail</td><td>kaputt is not a valid email address.</td>" in page
    assert Person.objects.count() == 0


def test_import_page_refuses_a_file_without_last_name_column(member_client: Members) -> None:
    client, _actor = member_client(Role.SALES)
    response = client.post("/app/contacts/import/", upload("Vorname\nAnna\n"))
    assert response.status_code == 422
    assert "The file has no last name column" in response.content.decode()


def test_import_page_needs_the_change_permission(member_client: Members) -> None:
    client, _actor = member_client(Role.READ_ONLY)
    assert client.get("/app/contacts/import/").status_code == 403
    assert client.post("/app/contacts/import/", upload("Nachname\nA\n")).status_code == 403
    assert Person.objects.count() == 0


def test_import_page_sends_visitors_to_the_login(db: None) -> None:
    response = Client().get("/app/contacts/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/")


def test_export_streams_the_visible_contacts_of_the_own_workspace(
    member_client: Members, owner: Actor, stranger: Actor
) -> None:
    client, actor = member_client(Role.SALES)  # holds contact.export
    make_person(owner, last_name="Hier", email="hier@example.com")
    make_person(stranger, last_name="Fremd")
    response = client.get("/app/contacts/export.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 2
    assert ",Hier," in lines[1]
    assert AuditEvent.objects.filter(action="person.export", workspace_id=actor.workspace_id).count() == 1
