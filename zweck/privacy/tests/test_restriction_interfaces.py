"""A restricted person, their rows and the rows a hold keeps stay out of every list, filter,
search and export of the API and the staff pages, in the same world the generated register
tests use; the other workspace's rows never appear. The free person's rows stay."""

from __future__ import annotations

import pytest

from zweck.api.tests.support import Api, token_for
from zweck.privacy.tests.test_scoping_generated import World, build_world
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    build_world("Andere GmbH")  # a second workspace whose rows must never appear
    return build_world("Erste GmbH")


@pytest.fixture
def api(world: World) -> Api:
    return Api(token_for(world.owner))


def subjects(items: list[dict]) -> list[str]:
    return sorted(item["subject"] for item in items)


def test_api_lists_leave_the_restricted_person_and_their_rows_out(api: Api, world: World) -> None:
    persons = api.get("/persons").json()
    assert [p["id"] for p in persons["items"]] == [world.free.pk]
    assert subjects(api.get("/activities").json()["items"]) == ["Frank, kept", "Rita and Frank"]
    deals = api.get("/deals").json()["items"]
    assert len(deals) == 1
    assert deals[0]["contact_ids"] == [world.free.pk]


def test_api_filters_by_a_restricted_person_answer_as_if_they_were_not_there(api: Api, world: World) -> None:
    rita = world.restricted.pk
    assert api.get(f"/persons/{rita}").status_code == 404
    assert api.get("/activities", person_id=rita).json()["count"] == 0
    assert api.get("/deals", person_id=rita).json()["count"] == 0
    # the same filters by the free person find the shared rows
    assert subjects(api.get("/activities", person_id=world.free.pk).json()["items"]) == [
        "Frank, kept",
        "Rita and Frank",
    ]
    assert api.get("/deals", person_id=world.free.pk).json()["count"] == 1


def test_search_and_export_do_not_find_the_restricted_person(api: Api, world: World) -> None:
    assert api.get("/persons", q="Rita").json()["count"] == 0
    assert api.get("/persons", q="Frank").json()["count"] == 1
    exported = b"".join(api.get("/persons/export").streaming_content).decode()
    assert "Frank" in exported
    assert "Rita" not in exported
    assert world.restricted.last_name not in exported


def test_staff_pages_leave_the_restricted_person_and_their_rows_out(world: World) -> None:
    client = client_for(world.owner)
    contacts = client.get("/app/contacts/").content.decode()
    assert world.free.last_name in contacts
    assert world.restricted.last_name not in contacts
    assert world.restricted.last_name not in client.get("/app/contacts/", {"q": "Rita"}).content.decode()
    assert client.get(f"/app/contacts/{world.restricted.pk}/").status_code == 404
    timeline = client.get(f"/app/contacts/{world.free.pk}/").content.decode()
    assert "Rita and Frank" in timeline
    assert "Frank, kept" in timeline  # a legal hold on a live record keeps it in use
    export = b"".join(client.get("/app/contacts/export.csv").streaming_content).decode()
    assert world.restricted.last_name not in export
    assert world.free.last_name in export


def test_the_privacy_officer_sees_the_restricted_person_for_storage(world: World) -> None:
    from zweck.accounts.tests.factories import make_actor
    from zweck.core.permissions import Role
    from zweck.crm.selectors import person_list

    officer = make_actor(Role.PRIVACY_OFFICER, world.owner.workspace)
    stored = person_list(actor=officer, include_restricted=True)
    from zweck.crm.models import Person

    # every person of the workspace (the other domains' test rows add contacts of their own),
    # the restricted one among them
    everyone = set(Person.objects.in_workspace(world.owner.workspace_id).values_list("pk", flat=True))
    assert {p.pk for p in stored} == everyone
    assert {world.restricted.pk, world.free.pk} <= everyone


def _list_paths() -> list[tuple[str, set[str]]]:
    """Every GET operation of the API without a path parameter, with its query parameters."""
    from django.test import Client

    document = Client().get("/api/v1/openapi.json").json()
    found = []
    for path, operations in sorted(document["paths"].items()):
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        parameters = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
        found.append((path.removeprefix("/api/v1"), parameters))
    return found


def test_no_api_list_shows_the_restricted_person_to_a_member_who_uses_the_data(world: World) -> None:
    # given: a sales member (uses the data; not the privacy officer, who reads it as stored)
    from zweck.accounts.tests.factories import make_actor
    from zweck.core.permissions import Role

    sales = Api(token_for(make_actor(Role.SALES, world.owner.workspace)))
    email = world.restricted.emails.get().email
    read = []
    for path, parameters in _list_paths():
        # when: every list, and every list filtered by the restricted person where it can be
        queries: list[dict[str, object]] = [{}]
        if "person_id" in parameters:
            queries.append({"person_id": world.restricted.pk})
        for query in queries:
            response = sales.get(path, **query)
            if response.status_code != 200:
                continue
            body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
            read.append(path)
            # then
            assert world.restricted.last_name not in body, (path, query)
            assert email not in body, (path, query)
            if query:
                assert response.json()["count"] == 0, (path, query)
    assert {"/persons", "/activities", "/deals", "/organizations", "/persons/export"} <= set(read)
