"""The OpenAPI document, the docs page, and a property-based run over the whole schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from zweck.accounts.actors import Actor
from zweck.api.tests.support import PrivacyWorld, build_privacy_world, build_world, token_for

pytestmark = pytest.mark.django_db


def test_openapi_document_is_served_without_a_token() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Zweck API"
    assert document["components"]["securitySchemes"] == {"TokenAuth": {"type": "http", "scheme": "bearer"}}
    for name in ("PersonIn", "PersonPatch", "PersonOut", "PersonFilter", "ErrorOut", "DealCloseIn"):
        assert name in document["components"]["schemas"] or name == "PersonFilter", name
    assert document["paths"]["/api/v1/persons/{person_id}"]["patch"]["requestBody"]["content"][
        "application/json"
    ]["schema"] == {"$ref": "#/components/schemas/PersonPatch"}
    assert "required" not in document["components"]["schemas"]["PersonPatch"]
    assert document["components"]["schemas"]["PersonIn"]["additionalProperties"] is False


def test_docs_page_is_served() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.content


@pytest.fixture
def wsgi_in_test_transaction() -> Iterator[None]:
    # The WSGI handler closes the database connection after each request, which would
    # end the test's transaction; Django's own test client disconnects it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# Every route is run: the privacy routes against a workspace with the register and requests of
# every kind (expensive to build), the others against the CRM's small world.
schema = api_schema.exclude(path_regex="^/api/v1/privacy/")
privacy_schema = api_schema.include(path_regex="^/api/v1/privacy/")

# What every answer must be: never a server error, a status code the operation documents, a
# body its schema allows, and the content type it declares.
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]

examples = settings(
    # The same examples every run: CI judges the code, not the luck of the draw. Explore
    # further by running these tests with a different HYPOTHESIS seed locally.
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture
def owner_headers(owner: Actor) -> dict[str, str]:
    """The owner's token, in a workspace with data, so small generated ids often name real rows.

    Built once per operation, not per generated example: the examples share the data.
    """
    build_world(owner)
    return {"Authorization": f"Bearer {token_for(owner)}"}


@schema.parametrize()
@settings(examples, max_examples=4)
def test_every_answer_of_the_api_conforms_to_its_schema(
    case: schemathesis.Case, owner_headers: dict[str, str], wsgi_in_test_transaction: None
) -> None:
    # whatever the input, the answer is documented and never a server error
    case.call_and_validate(headers=owner_headers, checks=CONFORMANCE)


@pytest.fixture
def privacy_world(owner: Actor) -> tuple[dict[str, str], PrivacyWorld]:
    """The owner's token in a workspace with the register and a request of every kind."""
    return {"Authorization": f"Bearer {token_for(owner)}"}, build_privacy_world(owner)


@privacy_schema.parametrize()
@settings(examples, max_examples=6)
def test_every_answer_of_the_privacy_api_conforms_to_its_schema(
    case: schemathesis.Case,
    privacy_world: tuple[dict[str, str], PrivacyWorld],
    wsgi_in_test_transaction: None,
) -> None:
    headers, privacy = privacy_world
    # A small generated id names a real row (ids are not small on every database): the n-th
    # request, notification or recipient. Larger ids stay, and name nothing.
    for name, value in (case.path_parameters or {}).items():
        real = privacy.ids_of(name)
        if isinstance(value, int) and 1 <= value <= len(real):
            case.path_parameters[name] = real[value - 1]
    # whatever the input, the answer is documented and never a server error
    case.call_and_validate(headers=headers, checks=CONFORMANCE)


def test_the_two_runs_together_cover_every_route() -> None:
    def routes(selection: Any) -> set[tuple[str, str]]:
        return {(result.ok().method, result.ok().path) for result in selection.get_all_operations()}

    everything = routes(api_schema)
    assert len(everything) > 90
    assert routes(schema) | routes(privacy_schema) == everything
    assert routes(schema) & routes(privacy_schema) == set()
