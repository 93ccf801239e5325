"""Every endpoint against the four kinds of caller; refused calls change nothing."""

from __future__ import annotations

import re

import pytest

from zweck.accounts.actors import Actor
from zweck.api.tests.matrix import (
    DETAIL_ENDPOINTS,
    ENDPOINTS,
    Endpoint,
    api_holding,
    by_endpoint,
    without_each,
)
from zweck.api.tests.support import Api, World, api_as, snapshot
from zweck.api.urls import api as zweck_api
from zweck.core.permissions import Permission

pytestmark = pytest.mark.django_db


def _call(api: Api, endpoint: Endpoint, world: World) -> object:
    if endpoint.upload is not None:
        return api.upload(endpoint.url(world), endpoint.upload(world))
    body = endpoint.body(world) if endpoint.body else None
    return api.call(endpoint.method, endpoint.url(world), body)


def test_the_matrix_covers_every_operation_of_the_api() -> None:
    schema = zweck_api.get_openapi_schema()
    operations = {
        (method.upper(), re.sub(r"\{[^}]+\}", "{}", path.removeprefix("/api/v1")))
        for path, methods in schema["paths"].items()
        for method in methods
        # The register's and the requests' routers are tested in the privacy app, the
        # recipient notifications in test_privacy_notifications, the holds in test_privacy_holds,
        # retention in test_privacy_retention, sales in test_sales.
        if not path.startswith(
            (
                "/api/v1/sales/",
                "/api/v1/privacy/register/",
                "/api/v1/privacy/requests",
                "/api/v1/privacy/notifications",
                "/api/v1/privacy/holds",
                "/api/v1/privacy/retention",
                # Sales documents (PDF, e-invoice, sending, received invoices): their own matrix in
                # zweck/sales/tests/test_documents_api.py.
                "/api/v1/sales/supplier-invoices",
                # The consent ledger: its own matrix in zweck/marketing/tests/test_api.py.
                "/api/v1/consents",
                # Tickets: their own matrix in zweck/service/tests/test_api.py.
                "/api/v1/tickets",
            )
        )
        and not (path.startswith("/api/v1/sales/") and path.endswith(("/pdf", "/xrechnung", "/email")))
    }
    covered = {(endpoint.method, re.sub(r"\{[^}]+\}", "{}", endpoint.path)) for endpoint in ENDPOINTS}
    assert covered == operations


@by_endpoint()
def test_anonymous_caller_is_refused_and_nothing_changes(endpoint: Endpoint, world: World) -> None:
    # given
    before = snapshot()
    # when
    response = _call(Api(token=None), endpoint, world)
    # then
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Send a valid API token as “Authorization: Bearer <token>”.",
        "errors": [],
    }
    assert snapshot() == before


@by_endpoint()
def test_member_of_another_workspace_sees_and_changes_nothing_here(
    endpoint: Endpoint, world: World, stranger: Actor
) -> None:
    # given
    api = api_as(stranger)
    before = snapshot(world.owner.workspace)
    # when
    response = _call(api, endpoint, world)
    # then
    assert response.status_code == endpoint.foreign_status, response.content
    if endpoint.foreign_count is not None:
        assert response.json()["count"] == endpoint.foreign_count
    assert snapshot(world.owner.workspace) == before


@without_each()
def test_member_without_a_needed_permission_is_refused_and_nothing_changes(
    endpoint: Endpoint, missing: Permission, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a member holding every permission but the missing one
    api = api_holding(world, frozenset(Permission) - {missing}, monkeypatch)
    before = snapshot()
    # when
    response = _call(api, endpoint, world)
    # then
    assert response.status_code == endpoint.refusals.get(missing, 403), response.content
    assert snapshot() == before


@by_endpoint()
def test_member_with_exactly_the_needed_permissions_succeeds(
    endpoint: Endpoint, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = api_holding(world, endpoint.needs, monkeypatch)
    response = _call(api, endpoint, world)
    assert response.status_code == endpoint.status, response.content


@by_endpoint(DETAIL_ENDPOINTS)
def test_token_of_one_workspace_gets_404_for_every_object_of_another(
    endpoint: Endpoint, world: World, stranger: Actor
) -> None:
    # given world belongs to workspace B; the caller owns workspace A (every permission)
    api = api_as(stranger)
    before = snapshot()
    # when
    response = _call(api, endpoint, world)
    # then
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}
    assert snapshot() == before
