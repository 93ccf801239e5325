"""PUT /persons/{id}/relationship-end and /organizations/{id}/relationship-end: the day is read
back on the contact and the organization (and carried to the contacts), bad days are refused
field by field with nothing written. Who may call them: the permission matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.api.tests.support import Api, World, api_as, snapshot
from zweck.crm.services.relationships import latest_end

pytestmark = pytest.mark.django_db


def test_an_organization_ended_is_read_back_and_carried_to_its_contacts(api: Api, world: World) -> None:
    # when
    response = api.call(
        "PUT", f"/organizations/{world.organization.pk}/relationship-end", {"ended_on": "2025-06-30"}
    )
    # then
    assert response.status_code == 200
    assert response.json()["relationship_ended_on"] == "2025-06-30"
    person = api.get(f"/persons/{world.person.pk}").json()
    assert (person["relationship_ended_on"], person["relationship_end_inherited"]) == ("2025-06-30", True)
    listed = {item["id"]: item for item in api.get("/organizations").json()["items"]}
    assert listed[world.organization.pk]["relationship_ended_on"] == "2025-06-30"
    assert listed[world.spare_organization.pk]["relationship_ended_on"] is None


def test_a_contact_is_marked_ended_and_continuing(api: Api, world: World) -> None:
    path = f"/persons/{world.person.pk}/relationship-end"

    ended = api.call("PUT", path, {"ended_on": "2024-12-31"})
    listed = api.get("/persons").json()["items"]
    continuing = api.call("PUT", path, {"ended_on": None})

    assert ended.status_code == 200
    assert (ended.json()["relationship_ended_on"], ended.json()["relationship_end_inherited"]) == (
        "2024-12-31",
        False,
    )
    assert [(item["id"], item["relationship_ended_on"]) for item in listed] == [
        (world.person.pk, "2024-12-31")
    ]
    assert continuing.status_code == 200
    assert continuing.json()["relationship_ended_on"] is None


def test_the_fields_are_read_only_on_patch(api: Api, world: World) -> None:
    response = api.patch(f"/persons/{world.person.pk}", {"relationship_ended_on": "2024-12-31"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "relationship_ended_on", "message": "Unknown field."}]


def _refused(api: Api, path: str, body: Any, raw: str | None = None) -> list[dict[str, Any]]:
    before = snapshot()
    response = api.call("PUT", path, body, raw=raw)
    assert response.status_code == 422, response.content
    assert snapshot() == before
    assert response.json()["detail"] == "The input is not valid."
    return response.json()["errors"]


@pytest.mark.parametrize("kind", ["persons", "organizations"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "This field is required."),
        ({"ended_on": "30.06.2025"}, "Enter a date (YYYY-MM-DD)."),
        ({"ended_on": "2025-02-30"}, "Enter a date (YYYY-MM-DD)."),
        ({"ended_on": "soon"}, "Enter a date (YYYY-MM-DD)."),
        ({"ended_on": "2025-06-30T10:00:00+02:00"}, "Enter a date (YYYY-MM-DD)."),
        ({"ended_on": "1899-12-31"}, "Enter a day in 1900 or later."),
        ({"ended_on": "0001-01-01"}, "Enter a day in 1900 or later."),
    ],
)
def test_bad_days_are_refused_at_the_field(
    api: Api, world: World, kind: str, body: Any, message: str
) -> None:
    target = world.person.pk if kind == "persons" else world.organization.pk
    assert _refused(api, f"/{kind}/{target}/relationship-end", body) == [
        {"field": "ended_on", "message": message}
    ]


@pytest.mark.parametrize("kind", ["persons", "organizations"])
def test_a_day_more_than_a_year_ahead_is_refused(api: Api, world: World, kind: str) -> None:
    target = world.person.pk if kind == "persons" else world.organization.pk
    too_late = latest_end(timezone.localdate()) + timedelta(days=1)
    assert _refused(api, f"/{kind}/{target}/relationship-end", {"ended_on": too_late.isoformat()}) == [
        {"field": "ended_on", "message": "Enter a day no later than a year from today."}
    ]
    # the last day allowed is taken
    allowed = latest_end(timezone.localdate()).isoformat()
    response = api.call("PUT", f"/{kind}/{target}/relationship-end", {"ended_on": allowed})
    assert response.json()["relationship_ended_on"] == allowed


def test_unknown_fields_and_bodies_that_are_not_objects_are_refused(api: Api, world: World) -> None:
    path = f"/persons/{world.person.pk}/relationship-end"
    assert _refused(api, path, {"ended_on": None, "inherited": False}) == [
        {"field": "inherited", "message": "Unknown field."}
    ]
    assert _refused(api, path, ["2025-06-30"]) == [{"field": None, "message": "Enter an object."}]


def test_an_end_taken_from_the_organizations_is_not_cleared_on_the_contact(api: Api, world: World) -> None:
    api.call("PUT", f"/organizations/{world.organization.pk}/relationship-end", {"ended_on": "2025-06-30"})
    errors = _refused(api, f"/persons/{world.person.pk}/relationship-end", {"ended_on": None})
    assert [error["field"] for error in errors] == ["ended_on"]
    assert api.get(f"/persons/{world.person.pk}").json()["relationship_ended_on"] == "2025-06-30"


def test_another_workspace_gets_404_for_both(world: World, stranger: Actor) -> None:
    api = api_as(stranger)
    before = snapshot()
    for path in (
        f"/persons/{world.person.pk}/relationship-end",
        f"/organizations/{world.organization.pk}/relationship-end",
    ):
        response = api.call("PUT", path, {"ended_on": "2025-06-30"})
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "errors": []}
    assert snapshot() == before
