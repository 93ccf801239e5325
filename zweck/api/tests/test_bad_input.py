"""Bad input of every kind gets the common error body, a 4xx status and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from zweck.accounts.actors import Actor
from zweck.api.tests.support import Api, World, api_as, snapshot
from zweck.crm.tests.factories import make_organization, make_person

pytestmark = pytest.mark.django_db


def _refused(api: Api, method: str, path: str, body: Any = None, *, raw: str | None = None) -> dict[str, Any]:
    """Call, check the call was refused without a trace, return the error body."""
    before = snapshot()
    response = api.call(method, path, body, raw=raw)
    assert 400 <= response.status_code < 500, response.content
    assert snapshot() == before
    body = response.json()
    assert set(body) == {"detail", "errors"}
    return {"status": response.status_code, **body}


def _fields(error: dict[str, Any]) -> dict[str | None, str]:
    return {item["field"]: item["message"] for item in error["errors"]}


def test_malformed_json_is_a_400(api: Api) -> None:
    error = _refused(api, "POST", "/persons", raw='{"last_name": "Muster"')
    assert error == {"status": 400, "detail": "The request body is not valid JSON.", "errors": []}


def test_a_body_that_is_not_an_object_is_refused(api: Api) -> None:
    error = _refused(api, "POST", "/persons", ["Muster"])
    assert error["status"] == 422
    assert _fields(error) == {None: "Enter an object."}


def test_missing_body_reports_the_required_fields(api: Api) -> None:
    error = _refused(api, "POST", "/deals", {})
    assert _fields(error) == {
        "title": "This field is required.",
        "organization_id": "This field is required.",
    }


def test_wrong_types_are_reported_per_field(api: Api) -> None:
    error = _refused(
        api,
        "POST",
        "/activities",
        {"kind": "visit", "subject": 5, "participant_ids": ["one"], "is_recorded": "maybe"},
    )
    assert error["status"] == 422
    assert error["detail"] == "The input is not valid."
    assert _fields(error) == {
        "kind": "Choose one of: 'meeting', 'call', 'email', 'task', 'note' or 'event'.",
        "subject": "Enter text.",
        "participant_ids.0": "Enter a whole number.",
        "is_recorded": "Enter true or false.",
    }


def test_unknown_fields_are_refused_at_any_depth(api: Api) -> None:
    error = _refused(
        api,
        "POST",
        "/persons",
        {"last_name": "Muster", "nickname": "M", "emails": [{"email": "m@example.com", "x": 1}]},
    )
    assert _fields(error) == {"nickname": "Unknown field.", "emails.0.x": "Unknown field."}


def test_invalid_email_and_phone_are_reported_on_their_list_entries(api: Api) -> None:
    error = _refused(
        api,
        "POST",
        "/persons",
        {"last_name": "Muster", "emails": [{"email": "ok@example.com"}, {"email": "not-an-address"}]},
    )
    assert _fields(error) == {"emails.1": "not-an-address is not a valid email address."}
    error = _refused(api, "POST", "/persons", {"last_name": "Muster", "phones": [{"number": "12"}]})
    assert _fields(error) == {"phones.0": "12 is not a phone number."}


def test_invalid_organization_details_are_reported_per_field(api: Api) -> None:
    assert _fields(_refused(api, "POST", "/organizations", {"name": "X", "vat_id": "DE123456789"})) == {
        "vat_id": "DE123456789 is not a valid EU VAT ID."
    }
    assert _fields(_refused(api, "POST", "/organizations", {"name": "X", "vat_id": "XX12"})) == {
        "vat_id": "XX12 is not a valid EU VAT ID."
    }
    assert _fields(_refused(api, "POST", "/organizations", {"name": "X", "phone": "0"})) == {
        "phone": "0 is not a phone number."
    }
    assert _fields(
        _refused(
            api, "POST", "/organizations", {"name": "X", "email": "info(at)example.com", "website": "nope"}
        )
    ) == {"email": "Enter a valid email address.", "website": "Enter a valid URL."}


def test_oversized_strings_are_refused_with_the_models_limits(api: Api) -> None:
    error = _refused(
        api, "POST", "/persons", {"last_name": "x" * 101, "emails": [{"email": "a" * 250 + "@example.com"}]}
    )
    assert _fields(error) == {
        "last_name": "Enter at most 100 characters.",
        "emails.0.email": "Enter at most 254 characters.",
    }
    error = _refused(api, "POST", "/organizations", {"name": "X", "tags": ["t" * 61]})
    assert _fields(error) == {"tags.0": "Enter at most 60 characters."}


def test_text_that_no_database_can_store_is_refused(api: Api) -> None:
    assert _fields(_refused(api, "POST", "/persons", {"last_name": "Mus\x00ter"})) == {
        "last_name": "Text may not contain the NUL character."
    }
    error = _refused(api, "POST", "/persons", raw='{"last_name": "Muster\\ud800"}')
    assert _fields(error) == {"last_name": "Text must be valid Unicode."}
    error = _refused(api, "GET", "/persons?q=a%00b")
    assert _fields(error) == {"q": "Text may not contain the NUL character."}


def test_ids_of_nothing_and_of_another_workspace_are_unknown(world: World, stranger: Actor) -> None:
    # given rows of another workspace
    foreign_organization = make_organization(stranger)
    foreign_person = make_person(stranger)
    api = api_as(world.owner)
    # when a body names them
    error = _refused(
        api,
        "POST",
        "/persons",
        {"last_name": "Muster", "organizations": [{"organization_id": foreign_organization.pk}]},
    )
    # then they are unknown, on the field that carried them
    assert _fields(error) == {"organizations.0.organization_id": f"Unknown id {foreign_organization.pk}."}
    error = _refused(
        api,
        "POST",
        "/activities",
        {"kind": "note", "subject": "Notiz", "participant_ids": [world.person.pk, foreign_person.pk, 999999]},
    )
    assert _fields(error) == {
        "participant_ids.1": f"Unknown id {foreign_person.pk}.",
        "participant_ids.2": "Unknown id 999999.",
    }
    error = _refused(
        api,
        "POST",
        "/deals",
        {"title": "D", "organization_id": world.organization.pk, "contact_ids": [foreign_person.pk]},
    )
    assert _fields(error) == {"contact_ids.0": f"Unknown id {foreign_person.pk}."}
    error = _refused(api, "POST", "/deals", {"title": "D", "organization_id": foreign_organization.pk})
    assert _fields(error) == {"organization_id": f"Unknown id {foreign_organization.pk}."}
    error = _refused(api, "POST", f"/deals/{world.deal.pk}/move", {"stage_id": 999999})
    assert _fields(error) == {"stage_id": "Unknown id 999999."}
    error = _refused(api, "PATCH", f"/activities/{world.activity.pk}", {"deal_id": 999999})
    assert _fields(error) == {"deal_id": "Unknown id 999999."}
    # a user who is not a member of this workspace cannot own its records
    error = _refused(api, "PATCH", f"/organizations/{world.organization.pk}", {"owner_id": stranger.user_id})
    assert _fields(error) == {"owner_id": f"Unknown id {stranger.user_id}."}


@pytest.mark.parametrize("path_id", ["abc", "0", "-1", str(2**63), "1.5"])
def test_malformed_path_ids_are_refused(api: Api, path_id: str) -> None:
    error = _refused(api, "GET", f"/persons/{path_id}")
    assert error["status"] == 422
    assert list(_fields(error)) == ["person_id"]


def test_ids_that_do_not_exist_are_404(api: Api) -> None:
    assert _refused(api, "GET", "/persons/999999") == {"status": 404, "detail": "Not found.", "errors": []}
    assert _refused(api, "PATCH", "/deals/999999", {"title": "X"})["status"] == 404
    assert _refused(api, "DELETE", "/activities/999999")["status"] == 404


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("limit=0", "limit", "Enter a value of at least 1."),
        ("limit=201", "limit", "Enter a value of at most 200."),
        ("offset=-1", "offset", "Enter a value of at least 0."),
        ("limit=ten", "limit", "Enter a whole number."),
        (
            "updated_since=2025-01-01T10:00:00",
            "updated_since",
            "Enter a date and time with a time-zone offset.",
        ),
        ("subject_category=vip", "subject_category", None),
    ],
)
def test_bad_list_parameters_are_refused(api: Api, query: str, field: str, message: str | None) -> None:
    error = _refused(api, "GET", f"/persons?{query}")
    assert error["status"] == 422
    assert list(_fields(error)) == [field]
    if message is not None:
        assert _fields(error)[field] == message


def test_moments_must_carry_a_time_zone_and_fit_the_calendar(api: Api) -> None:
    error = _refused(
        api, "POST", "/activities", {"kind": "meeting", "subject": "M", "starts_at": "2025-03-04T10:00:00"}
    )
    assert _fields(error) == {"starts_at": "Enter a date and time with a time-zone offset."}
    error = _refused(
        api,
        "POST",
        "/activities",
        {"kind": "meeting", "subject": "M", "starts_at": "0001-01-01T00:00:00+01:00"},
    )
    assert _fields(error) == {"starts_at": "The date lies outside the supported range."}


def test_model_rules_come_back_as_field_errors(api: Api) -> None:
    error = _refused(api, "POST", "/activities", {"kind": "meeting", "subject": "Workshop"})
    assert _fields(error) == {"starts_at": "A meeting or event needs a start time."}
    error = _refused(
        api,
        "POST",
        "/activities",
        {
            "kind": "note",
            "subject": "N",
            "is_recorded": True,
            "starts_at": "2025-03-04T10:00:00+01:00",
            "ends_at": "2025-03-04T09:00:00+01:00",
        },
    )
    assert _fields(error) == {
        "ends_at": "The end lies before the start.",
        "is_recorded": "Only calls can be marked as recorded.",
    }
    error = _refused(
        api, "POST", "/deals", {"title": "D", "organization_id": make_organization_id(api), "amount": "1e20"}
    )
    assert list(_fields(error)) == ["amount"]


def make_organization_id(api: Api) -> int:
    response = api.post("/organizations", {"name": "Für Geschäfte GmbH"})
    assert response.status_code == 201
    return int(response.json()["id"])


def test_null_is_refused_where_a_value_is_required_and_clears_where_allowed(api: Api, world: World) -> None:
    error = _refused(api, "PATCH", f"/persons/{world.person.pk}", {"last_name": None})
    assert _fields(error) == {"last_name": "Enter text."}
    response = api.patch(f"/deals/{world.deal.pk}", {"owner_id": None, "expected_close_on": None})
    assert response.status_code == 200


def test_duplicate_email_is_refused_and_nothing_is_written(api: Api, world: World) -> None:
    taken = world.person.emails.get().email
    error = _refused(api, "POST", "/persons", {"last_name": "Zweitkontakt", "emails": [{"email": taken}]})
    assert _fields(error) == {"emails": f"{taken} already belongs to another contact."}


def test_a_bad_entry_late_in_the_body_leaves_nothing_half_written(api: Api, world: World) -> None:
    # the person, their first phone and the membership would all be valid
    _refused(
        api,
        "POST",
        "/persons",
        {
            "last_name": "Halbfertig",
            "phones": [{"number": "+49 30 1234567"}, {"number": "nope"}],
            "organizations": [{"organization_id": world.organization.pk}],
        },
    )
    _refused(
        api,
        "PATCH",
        f"/persons/{world.person.pk}",
        {"first_name": "Geändert", "emails": [{"email": "neu@example.com"}, {"email": "kaputt"}]},
    )


def test_state_rules_of_deals_are_422(api: Api, world: World) -> None:
    assert api.post(f"/deals/{world.deal.pk}/close", {"won": True}).status_code == 200
    error = _refused(api, "POST", f"/deals/{world.deal.pk}/close", {"won": False})
    assert _fields(error) == {"status": "This deal is already closed."}
    error = _refused(api, "POST", f"/deals/{world.deal.pk}/move", {"stage_id": world.stage.pk})
    assert _fields(error) == {"stage_id": "A closed deal cannot change stage; reopen it first."}
    error = _refused(api, "DELETE", f"/organizations/{world.organization.pk}")
    assert error["status"] == 422
    assert _fields(error) == {None: "This organization still has deals; delete or reassign them first."}


def test_duplicate_stage_name_is_refused(api: Api, world: World) -> None:
    error = _refused(api, "POST", "/pipeline-stages", {"name": world.stage.name})
    assert error["status"] == 422
    assert len(error["errors"]) == 1


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer zk_unknown", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 500]
)
def test_missing_or_unknown_tokens_are_401(world: World, header: str) -> None:
    from django.test import Client

    before = snapshot()
    response = Client().get("/api/v1/persons", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["errors"] == []
    assert snapshot() == before


def test_revoked_token_stops_working(api: Api) -> None:
    me = api.get("/tokens").json()["items"][0]
    assert api.post(f"/tokens/{me['id']}/revoke").json()["revoked_at"] is not None
    assert api.get("/me").status_code == 401


def test_unusual_time_zone_offsets_are_accepted_as_the_same_moment(api: Api) -> None:
    # ISO 8601 allows offsets PostgreSQL does not (beyond ±15:59); they reach it as UTC.
    response = api.get("/activities", due_before="0633-06-27T10:16:31.928-23:53")
    assert response.status_code == 200
    created = api.post(
        "/activities", {"kind": "meeting", "subject": "M", "starts_at": "2025-03-04T10:00:00-23:30"}
    )
    assert created.status_code == 201
    assert created.json()["starts_at"].startswith("2025-03-05T09:30:00")
