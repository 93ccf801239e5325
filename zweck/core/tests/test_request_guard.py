"""Hostile input answers a clear 4xx in the staff pages, the portal and the API, on SQLite and
PostgreSQL alike, and writes nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.api.tests.support import snapshot, token_for
from zweck.core import limits
from zweck.core.request_guard import body_limit
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_organization, make_person
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

TEN_MEGABYTES = 10 * 1024 * 1024


def _api(owner: Actor) -> tuple[Client, dict[str, str]]:
    return Client(), {"Authorization": f"Bearer {token_for(owner)}"}


@pytest.mark.parametrize(
    "url",
    [
        "/app/contacts/?q=a%00b",
        "/app/organizations/?sort=%00",
        "/app/deals/?page=1%00",
        "/privacy/?workspace=a%00",
    ],
)
def test_a_nul_character_in_a_query_parameter_of_a_page_is_400(owner: Actor, url: str) -> None:
    response = client_for(owner).get(url)
    assert response.status_code == 400
    assert response.content.decode() == "The input is not valid."


def test_a_nul_character_in_a_query_parameter_of_the_api_names_the_field(owner: Actor) -> None:
    client, headers = _api(owner)
    response = client.get("/api/v1/activities?q=x%00y&kind=call", headers=headers)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "The input is not valid.",
        "errors": [{"field": "q", "message": "Text may not contain the NUL character."}],
    }


def test_a_nul_character_in_a_form_field_is_refused_and_nothing_is_written(owner: Actor) -> None:
    client = client_for(owner)
    before = snapshot()
    response = client.post("/app/contacts/new/", {"first_name": "Erika", "last_name": "Mus\x00ter"})
    assert response.status_code == 400
    assert snapshot() == before
    assert not Person.objects.filter(last_name__startswith="Mus").exists()
    # a NUL in a field's name is refused the same way
    response = client.post("/app/contacts/new/", {"last_name": "Muster", "x\x00": "1"})
    assert response.status_code == 400
    assert snapshot() == before


def test_a_nul_character_in_a_portal_form_is_refused(owner: Actor) -> None:
    response = Client().post("/privacy/request/", {"email": "a\x00@example.com", "kind": "access"})
    assert response.status_code == 400


def test_a_nul_character_in_a_json_body_is_a_field_error(owner: Actor) -> None:
    client, headers = _api(owner)
    before = snapshot()
    response = client.post(
        "/api/v1/organizations", {"name": "Nord\x00licht"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "name", "message": "Text may not contain the NUL character."}
    ]
    assert snapshot() == before


@pytest.mark.parametrize("url", ["/app/contacts/new/", "/app/login/", "/privacy/request/", "/api/v1/persons"])
def test_a_ten_megabyte_body_is_413_before_anything_reads_it(owner: Actor, url: str) -> None:
    client = client_for(owner)
    before = snapshot()
    response = client.post(url, {"last_name": "x" * TEN_MEGABYTES})
    assert response.status_code == 413
    assert snapshot() == before
    if url.startswith("/api/"):
        assert response.json() == {"detail": "The request is too large: send at most 2 MB.", "errors": []}
    else:
        assert response.content.decode() == "The request is too large: send at most 2 MB."


def test_a_ten_megabyte_json_body_is_413_in_the_api(owner: Actor) -> None:
    client, headers = _api(owner)
    body = json.dumps({"last_name": "x" * TEN_MEGABYTES})
    response = client.post("/api/v1/persons", body, content_type="application/json", headers=headers)
    assert response.status_code == 413


def test_imports_take_larger_files_than_other_routes() -> None:
    assert body_limit("/app/contacts/import/") == limits.UPLOAD_BODY_MAX_BYTES
    assert body_limit("/api/v1/persons/import") == limits.UPLOAD_BODY_MAX_BYTES
    assert body_limit("/app/contacts/new/") == limits.REQUEST_BODY_MAX_BYTES
    assert limits.UPLOAD_BODY_MAX_BYTES > TEN_MEGABYTES > limits.REQUEST_BODY_MAX_BYTES


def test_an_upload_above_the_upload_limit_is_413(owner: Actor) -> None:
    client = client_for(owner)
    response = client.post(
        "/app/contacts/import/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(limits.UPLOAD_BODY_MAX_BYTES + 1),
    )
    assert response.status_code == 413


def test_malformed_json_is_400_in_the_api(owner: Actor) -> None:
    client, headers = _api(owner)
    response = client.post(
        "/api/v1/persons", '{"last_name": ', content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON.", "errors": []}


@pytest.mark.parametrize(
    "query",
    ["organization_id=abc", "organization_id=1.5", "organization_id=99999999999999999999", "limit=%F0%9F"],
)
def test_non_numeric_ids_in_api_query_strings_are_422(owner: Actor, query: str) -> None:
    client, headers = _api(owner)
    response = client.get(f"/api/v1/persons?{query}", headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == "The input is not valid."


@pytest.mark.parametrize(
    "url",
    [
        "/app/contacts/new/?organization=abc",
        "/app/contacts/?page=abc",
        "/app/organizations/?page=-1",
        "/app/privacy/holds/new/?id=abc&type=person",
        "/app/privacy/retention/?days=abc",
    ],
)
def test_non_numeric_ids_in_page_query_strings_are_no_error(owner: Actor, url: str) -> None:
    # the page shows itself as without the parameter
    make_person(owner, organization=make_organization(owner))
    assert client_for(owner).get(url).status_code == 200
