"""/api/v1/privacy/retention: the forecast and the sweep reports against the four kinds of caller,
the bodies they answer (keys for programs, words in the request's language for people), and
bad input refused without sweeping anything."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.api.tests.matrix import Endpoint, api_holding, by_endpoint, needs, without_each
from zweck.api.tests.support import Api, World, api_as, snapshot
from zweck.api.urls import api as zweck_api
from zweck.core.permissions import Permission
from zweck.crm.models import Person
from zweck.crm.services import person_relationship_end
from zweck.crm.tests.factories import make_person
from zweck.privacy.models import RetentionRule
from zweck.privacy.retention import retention_sweep
from zweck.privacy.retention_models import RetentionSweep
from zweck.privacy.services import register_defaults_install

pytestmark = pytest.mark.django_db
P = Permission
RETENTION = "/privacy/retention"


@dataclass
class Retention(World):
    """``world`` with the shipped register (contact data kept a year after the relationship
    ends), a contact due now, and an old sweep report."""

    gone: Person
    sweep: RetentionSweep

    def ids(self) -> dict[str, int]:
        return {**super().ids(), "sweep": self.sweep.pk}


@pytest.fixture
def retention(world: World) -> Retention:
    owner = world.owner
    register_defaults_install(actor=owner)
    RetentionRule.objects.in_workspace(owner.workspace_id).filter(key="business_relationship").update(
        years=1, from_end_of_year=False
    )
    sweep = retention_sweep(actor=owner, today=timezone.localdate() - timedelta(days=3000))
    gone = make_person(owner, first_name="Greta", last_name="Gone", email="greta@example.com")
    person_relationship_end(actor=owner, person=gone, ended_on=timezone.localdate() - timedelta(days=800))
    shared = {item.name: getattr(world, item.name) for item in fields(World)}
    return Retention(**shared, gone=gone, sweep=sweep)


def state() -> tuple[Any, ...]:
    return (snapshot(), RetentionSweep.objects.count())


ENDPOINTS = [
    Endpoint("GET", RETENTION + "/forecast", needs(P.PRIVACY_VIEW), foreign_status=200),
    Endpoint("GET", RETENTION + "/sweeps", needs(P.PRIVACY_VIEW), foreign_status=200, foreign_count=0),
    Endpoint("GET", RETENTION + "/sweeps/{sweep}", needs(P.PRIVACY_VIEW)),
    Endpoint("POST", RETENTION + "/sweeps", needs(P.PRIVACY_VIEW, P.PRIVACY_MANAGE), 201, foreign_status=201),
]


def _call(api: Api, endpoint: Endpoint, retention: Retention) -> Any:
    return api.call(
        endpoint.method, endpoint.url(retention), endpoint.body(retention) if endpoint.body else None
    )


def test_the_matrix_covers_the_retention_router() -> None:
    schema = zweck_api.get_openapi_schema()
    found = {
        (method.upper(), re.sub(r"\{[^}]+\}", "{}", path.removeprefix("/api/v1")))
        for path, methods in schema["paths"].items()
        for method in methods
        if path.startswith("/api/v1" + RETENTION)
    }
    covered = {(endpoint.method, re.sub(r"\{[^}]+\}", "{}", endpoint.path)) for endpoint in ENDPOINTS}
    assert found == covered


@by_endpoint(ENDPOINTS)
def test_anonymous_callers_are_refused_and_nothing_changes(endpoint: Endpoint, retention: Retention) -> None:
    before = state()
    response = _call(Api(token=None), endpoint, retention)
    assert response.status_code == 401
    assert state() == before


@by_endpoint(ENDPOINTS)
def test_another_workspace_sees_and_sweeps_nothing_here(
    endpoint: Endpoint, retention: Retention, stranger: Actor
) -> None:
    before = snapshot(retention.owner.workspace)

    response = _call(api_as(stranger), endpoint, retention)

    assert response.status_code == endpoint.foreign_status, response.content
    if endpoint.foreign_count is not None:
        assert response.json()["count"] == endpoint.foreign_count
    if endpoint.path.endswith("/forecast"):
        assert response.json()["lines"] == []  # the stranger's workspace has no rules
    assert snapshot(retention.owner.workspace) == before
    assert Person.objects.filter(pk=retention.gone.pk).exists()


@without_each(ENDPOINTS)
def test_a_member_without_a_needed_permission_is_refused_and_nothing_is_swept(
    endpoint: Endpoint, missing: Permission, retention: Retention, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = api_holding(retention, frozenset(Permission) - {missing}, monkeypatch)
    before = state()

    response = _call(api, endpoint, retention)

    assert response.status_code == 403, response.content
    assert response.json() == {"detail": "You do not have permission to do this.", "errors": []}
    assert state() == before


@by_endpoint(ENDPOINTS)
def test_a_member_with_exactly_the_needed_permissions_succeeds(
    endpoint: Endpoint, retention: Retention, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = api_holding(retention, endpoint.needs, monkeypatch)
    response = _call(api, endpoint, retention)
    assert response.status_code == endpoint.status, response.content


def test_the_forecast_names_each_line_by_key_and_in_words(retention: Retention) -> None:
    api = api_as(retention.owner)

    body = api.get(RETENTION + "/forecast", days=30).json()

    today = timezone.localdate()
    assert (body["today"], body["days"]) == (today.isoformat(), 30)
    lines = {(line["rule"], line["data_set"]): line for line in body["lines"]}
    persons = lines[("business_relationship", "crm.person")]
    assert {key: value for key, value in persons.items() if key != "due_by"} == {
        "rule": "business_relationship",
        "rule_name": "Contact and relationship data",
        "data_set": "crm.person",
        "data_set_name": "Persons",
        "action": "erase",
        "action_text": "Erased as on an erasure request: the person and their own records",
        "due_now": 1,
        "total": 1,
    }
    # every week ahead, and the last day
    assert [item["day"] for item in persons["due_by"]] == [
        (today + timedelta(days=days)).isoformat() for days in (7, 14, 21, 28, 30)
    ]
    assert lines[("business_relationship", "crm.personemail")]["data_set_name"] == "Email addresses"
    assert lines[("business_relationship", "crm.activity")]["action"] == "with_subjects"


def test_the_words_follow_the_requests_language(retention: Retention) -> None:
    api = api_as(retention.owner)
    headers = {"Authorization": f"Bearer {api.token}", "Accept-Language": "de"}
    body = api.client.get("/api/v1" + RETENTION + "/forecast", {"days": 7}, headers=headers).json()
    persons = next(line for line in body["lines"] if line["data_set"] == "crm.person")
    assert persons["rule_name"] == "Kontakt- und Beziehungsdaten"
    assert persons["data_set_name"] == "Personen"


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "Enter a value of at least 1."),
        ("3651", "Enter a value of at most 3650."),
        ("-5", "Enter a value of at least 1."),
        ("ninety", "Enter a whole number."),
        ("9" * 40, "Enter a value of at most 3650."),
        ("1.5", "Enter a whole number."),
    ],
)
def test_days_out_of_range_are_refused(retention: Retention, days: str, message: str) -> None:
    response = api_as(retention.owner).get(RETENTION + "/forecast", days=days)
    assert response.status_code == 422, response.content
    assert response.json() == {
        "detail": "The input is not valid.",
        "errors": [{"field": "days", "message": message}],
    }


def test_the_longest_horizon_is_answered(retention: Retention) -> None:
    response = api_as(retention.owner).get(RETENTION + "/forecast", days=3650)
    assert response.status_code == 200
    persons = next(line for line in response.json()["lines"] if line["data_set"] == "crm.person")
    assert persons["due_by"][-1]["day"] == (timezone.localdate() + timedelta(days=3650)).isoformat()


def test_sweeping_answers_the_report_and_lists_it_first(retention: Retention) -> None:
    api = api_as(retention.owner)

    response = api.post(RETENTION + "/sweeps")

    assert response.status_code == 201
    report = response.json()
    assert not Person.objects.filter(pk=retention.gone.pk).exists()
    assert (report["trigger"], report["state"], report["swept_for"]) == (
        "manual",
        "done",
        timezone.localdate().isoformat(),
    )
    assert report["finished_at"] is not None and report["failure"] == ""
    results = {(item["data_set"], item["action"]): item for item in report["results"]}
    assert results[("crm.person", "delete")] == {
        "rule": "business_relationship",
        "rule_name": "Contact and relationship data",
        "data_set": "crm.person",
        "data_set_name": "Persons",
        "action": "delete",
        "action_text": "Deleted",
        "count": 1,
    }
    assert report["total"] == sum(item["count"] for item in report["results"])
    listed = api.get(RETENTION + "/sweeps").json()
    assert listed["count"] == 2
    assert [item["id"] for item in listed["items"]] == [report["id"], retention.sweep.pk]
    assert listed["items"][1]["results"] == []
    assert api.get(f"{RETENTION}/sweeps/{report['id']}").json() == report
    assert "Greta" not in response.content.decode()


def test_a_report_of_another_workspace_is_not_found(retention: Retention, stranger: Actor) -> None:
    response = api_as(stranger).get(f"{RETENTION}/sweeps/{retention.sweep.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_a_date_in_the_reports_is_a_plain_day(retention: Retention) -> None:
    body = api_as(retention.owner).get(f"{RETENTION}/sweeps/{retention.sweep.pk}").json()
    assert date.fromisoformat(body["swept_for"]) == timezone.localdate() - timedelta(days=3000)
