"""/api/v1/privacy/holds and the request steps /lift-restriction and /objection/decide: every
operation against the four kinds of caller, the bodies they answer, and bad input that is
refused field by field without writing anything."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.api.tests.matrix import Endpoint, api_holding, by_endpoint, needs, without_each
from zweck.api.tests.support import Api, World, api_as, snapshot
from zweck.api.urls import api as zweck_api
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Permission
from zweck.crm.models import Deal, Person
from zweck.crm.tests.factories import make_person
from zweck.privacy.dsr import dsr_link_persons, dsr_open, dsr_restrict, dsr_verify, objection_record
from zweck.privacy.holds import record_hold_place
from zweck.privacy.models import DataSubjectRequest, RecordHold, RequestAction
from zweck.privacy.request_models import ObjectionScope, RequestChannel, RequestKind
from zweck.privacy.services import register_defaults_install
from zweck.privacy.tests import test_portal
from zweck.privacy.tests.test_portal import Inbox

pytestmark = pytest.mark.django_db
P = Permission
# The subject is told by email through a real SMTP server in the test process.
inbox = test_portal.inbox
HOLDS = "/privacy/holds"
CLAIM = "Legal claim of the customer (Art. 17(3)(e) GDPR)"


def _until(days: int = 365) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@dataclass
class Holds(World):
    """``world`` with a hold on its deal, a restriction request and a pending objection."""

    hold: RecordHold
    restriction: DataSubjectRequest
    objection: DataSubjectRequest
    objector: Person

    def ids(self) -> dict[str, int]:
        return {
            **super().ids(),
            "hold": self.hold.pk,
            "restriction": self.restriction.pk,
            "objection": self.objection.pk,
        }


def _verified(owner: Actor, kind: str, person: Person, **details: Any) -> DataSubjectRequest:
    request = dsr_open(
        actor=owner,
        kind=kind,
        channel=RequestChannel.EMAIL,
        requester_email=person.emails.get().email,
        **details,
    )
    dsr_verify(actor=owner, request=request)
    dsr_link_persons(actor=owner, request=request, person_ids=[person.pk])
    return request


@pytest.fixture
def holds(world: World) -> Holds:
    owner = world.owner
    register_defaults_install(actor=owner)
    restriction = _verified(owner, RequestKind.RESTRICTION, world.person)
    dsr_restrict(actor=owner, request=restriction)
    objector = make_person(owner, first_name="Olaf", last_name="Widerspruch", email="olaf@example.com")
    objection = _verified(
        owner, RequestKind.OBJECTION, objector, objection_scope=ObjectionScope.LEGITIMATE_INTEREST
    )
    objection_record(actor=owner, request=objection)
    hold = record_hold_place(
        actor=owner,
        object_type="deal",
        object_id=world.deal.pk,
        reason=CLAIM,
        ends_on=timezone.localdate() + timedelta(days=365),
    )
    shared = {item.name: getattr(world, item.name) for item in fields(World)}
    return Holds(**shared, hold=hold, restriction=restriction, objection=objection, objector=objector)


def state() -> tuple[Any, ...]:
    """Every row these operations write: the API's tables and the privacy app's."""
    return (
        snapshot(),
        list(RecordHold.objects.order_by("pk").values()),
        list(DataSubjectRequest.objects.order_by("pk").values("status", "decision", "decision_reason")),
        RequestAction.objects.count(),
    )


ENDPOINTS = [
    Endpoint("GET", HOLDS, needs(P.PRIVACY_VIEW), foreign_status=200, foreign_count=0),
    Endpoint(
        "POST",
        HOLDS,
        needs(P.PRIVACY_MANAGE),
        201,
        lambda h: {
            "object_type": "person",
            "object_id": h.person.pk,
            "ends_on": _until(),
            "reason": CLAIM,
        },
        foreign_status=422,
    ),
    Endpoint("GET", HOLDS + "/{hold}", needs(P.PRIVACY_VIEW)),
    Endpoint(
        "POST",
        HOLDS + "/{hold}/release",
        needs(P.PRIVACY_VIEW, P.PRIVACY_MANAGE),
        body=lambda h: {"reason": "The claim was settled."},
    ),
    Endpoint(
        "POST",
        "/privacy/requests/{restriction}/lift-restriction",
        needs(P.PRIVACY_VIEW, P.PRIVACY_MANAGE),
        body=lambda h: {"reason": "The data was found to be accurate."},
    ),
    Endpoint(
        "POST",
        "/privacy/requests/{objection}/objection/decide",
        needs(P.PRIVACY_VIEW, P.PRIVACY_MANAGE),
        body=lambda h: {"decision": "upheld", "reason": "No compelling grounds."},
    ),
]


def _call(api: Api, endpoint: Endpoint, holds: Holds) -> Any:
    return api.call(endpoint.method, endpoint.url(holds), endpoint.body(holds) if endpoint.body else None)


def test_the_matrix_covers_the_holds_router_and_the_request_steps() -> None:
    schema = zweck_api.get_openapi_schema()
    found = {
        (method.upper(), re.sub(r"\{[^}]+\}", "{}", path.removeprefix("/api/v1")))
        for path, methods in schema["paths"].items()
        for method in methods
        if path.startswith("/api/v1/privacy/holds")
        or path.endswith(("/lift-restriction", "/objection/decide"))
    }
    covered = {(endpoint.method, re.sub(r"\{[^}]+\}", "{}", endpoint.path)) for endpoint in ENDPOINTS}
    assert found == covered


@by_endpoint(ENDPOINTS)
def test_anonymous_callers_are_refused_and_nothing_changes(endpoint: Endpoint, holds: Holds) -> None:
    before = state()

    response = _call(Api(token=None), endpoint, holds)

    assert response.status_code == 401
    assert state() == before


@by_endpoint(ENDPOINTS)
def test_another_workspace_sees_and_changes_nothing_here(
    endpoint: Endpoint, holds: Holds, stranger: Actor
) -> None:
    api = api_as(stranger)
    before = state()

    response = _call(api, endpoint, holds)

    assert response.status_code == endpoint.foreign_status, response.content
    if endpoint.foreign_count is not None:
        assert response.json()["count"] == endpoint.foreign_count
    if endpoint.foreign_status == 422:
        assert response.json()["errors"] == [
            {"field": "object_id", "message": f"Unknown id {holds.person.pk}."}
        ]
    assert state() == before


@without_each(ENDPOINTS)
def test_a_member_without_a_needed_permission_is_refused_and_nothing_changes(
    endpoint: Endpoint, missing: Permission, holds: Holds, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = api_holding(holds, frozenset(Permission) - {missing}, monkeypatch)
    before = state()

    response = _call(api, endpoint, holds)

    assert response.status_code == 403, response.content
    assert response.json() == {"detail": "You do not have permission to do this.", "errors": []}
    assert state() == before


@by_endpoint(ENDPOINTS)
def test_a_member_with_exactly_the_needed_permissions_succeeds(
    endpoint: Endpoint, holds: Holds, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = api_holding(holds, endpoint.needs, monkeypatch)
    before = AuditEvent.objects.count()

    response = _call(api, endpoint, holds)

    assert response.status_code == endpoint.status, response.content
    if endpoint.method == "POST":
        assert AuditEvent.objects.count() > before


def test_placing_a_hold_answers_it(holds: Holds) -> None:
    api = api_as(holds.owner)
    person = holds.person

    response = api.post(
        HOLDS,
        {
            "object_type": "crm.Person",
            "object_id": person.pk,
            "ends_on": _until(30),
            "reason": " Open tax assessment ",
        },
    )

    assert response.status_code == 201
    body = response.json()
    placed = RecordHold.objects.get(pk=body["id"])
    assert {key: value for key, value in body.items() if key != "created_at"} == {
        "id": placed.pk,
        "object_type": "person",
        "model": "crm.person",
        "object_id": person.pk,
        "reason": "Open tax assessment",
        "ends_on": _until(30),
        "erase_on_release": False,
        "active": True,
        "request_id": None,
        "released_at": None,
        "release_reason": "",
    }


def _refused(api: Api, method: str, path: str, body: Any) -> dict[str, Any]:
    before = state()
    response = api.call(method, path, body)
    assert response.status_code == 422, response.content
    assert state() == before
    payload = response.json()
    assert payload["detail"] == "The input is not valid."
    return {item["field"]: item["message"] for item in payload["errors"]}


def test_bad_hold_input_is_refused_field_by_field(holds: Holds, stranger: Actor) -> None:
    api = api_as(holds.owner)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    foreign = make_person(stranger, first_name="Fremd", last_name="Person")

    assert _refused(
        api, "POST", HOLDS, {"object_type": "invoice", "object_id": 1, "ends_on": yesterday, "reason": ""}
    ) == {
        "object_type": "Choose one of: person, activity, deal.",
        "ends_on": "The end of the hold cannot lie in the past.",
        "reason": "Give the legal reason for the hold.",
    }
    assert _refused(
        api,
        "POST",
        HOLDS,
        {"object_type": "person", "object_id": foreign.pk, "ends_on": _until(), "reason": CLAIM},
    ) == {"object_id": f"Unknown id {foreign.pk}."}
    assert _refused(api, "POST", HOLDS, {"object_type": "deal"}) == {
        "object_id": "This field is required.",
        "ends_on": "This field is required.",
        "reason": "This field is required.",
    }
    assert _refused(
        api,
        "POST",
        HOLDS,
        {"object_type": "deal", "object_id": 0, "ends_on": "31.12.2030", "reason": CLAIM, "until": "x"},
    ) == {
        "object_id": "Enter a value of at least 1.",
        "ends_on": "Enter a date (YYYY-MM-DD).",
        "until": "Unknown field.",
    }
    assert _refused(api, "GET", HOLDS + "?object_type=invoice", None) == {
        "object_type": "Choose one of: person, activity, deal."
    }


def test_the_list_is_paginated_and_filtered(holds: Holds) -> None:
    api = api_as(holds.owner)
    person_hold = api.post(
        HOLDS,
        {"object_type": "person", "object_id": holds.person.pk, "ends_on": _until(30), "reason": CLAIM},
    ).json()
    api.post(f"{HOLDS}/{person_hold['id']}/release", {"reason": "Settled"})

    everything = api.get(HOLDS).json()
    active = api.get(HOLDS, state="active").json()
    ended = api.get(HOLDS, state="ended").json()
    on_deal = api.get(HOLDS, object_type="deal", object_id=holds.deal.pk).json()
    second_page = api.get(HOLDS, limit=1, offset=1).json()

    assert [row["id"] for row in everything["items"]] == [person_hold["id"], holds.hold.pk]
    assert ([row["id"] for row in active["items"]], active["count"]) == ([holds.hold.pk], 1)
    assert [(row["id"], row["active"], row["release_reason"]) for row in ended["items"]] == [
        (person_hold["id"], False, "Settled")
    ]
    assert [row["id"] for row in on_deal["items"]] == [holds.hold.pk]
    assert (second_page["count"], second_page["limit"], second_page["offset"]) == (2, 1, 1)
    assert [row["id"] for row in second_page["items"]] == [holds.hold.pk]


def test_the_list_reads_in_a_fixed_number_of_queries(
    holds: Holds, django_assert_num_queries: Callable[..., Any]
) -> None:
    for person in (make_person(holds.owner) for _ in range(3)):
        record_hold_place(
            actor=holds.owner, object_type="person", object_id=person.pk, reason=CLAIM, ends_on=date.max
        )
    api = api_as(holds.owner)
    # authentication (2), the count and the page
    with django_assert_num_queries(4):
        response = api.get(HOLDS)
    assert response.json()["count"] == 4


def test_releasing_early_answers_the_ended_hold_and_a_second_release_is_refused(holds: Holds) -> None:
    api = api_as(holds.owner)
    url = f"{HOLDS}/{holds.hold.pk}/release"

    assert _refused(api, "POST", url, {"reason": "  "}) == {
        "reason": "Give the reasons for ending the hold early."
    }
    released = api.post(url, {"reason": "The claim was settled."})
    again = api.post(url, {"reason": "Once more"})

    assert released.status_code == 200
    body = released.json()
    assert (body["active"], body["release_reason"]) == (False, "The claim was settled.")
    assert body["released_at"] is not None
    assert Deal.objects.filter(pk=holds.deal.pk).exists()
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {"field": None, "message": f"This hold already ended on {timezone.localdate().isoformat()}."}
    ]
    assert api.post(f"{HOLDS}/{holds.hold.pk + 1000}/release", {"reason": "x"}).status_code == 404


def test_lifting_the_restriction_tells_the_subject_first(
    holds: Holds, inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    api = api_as(holds.owner)
    url = f"/privacy/requests/{holds.restriction.pk}/lift-restriction"
    assert _refused(api, "POST", url, {"reason": ""}) == {
        "reason": "Give the reasons for lifting the restriction."
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url, {"reason": "The data was found to be accurate."})

    assert response.status_code == 200
    assert response.json()["id"] == holds.restriction.pk
    assert Person.objects.get(pk=holds.person.pk).restricted_at is None
    assert [message["To"] for message in inbox.messages] == [holds.person.emails.get().email]
    assert "The data was found to be accurate." in inbox.messages[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    actions = list(RequestAction.objects.filter(request=holds.restriction).values_list("action", flat=True))
    assert actions[-2:] == ["person.restriction_notice", "person.restriction_lift"]
    again = api.post(url, {"reason": "Once more"})
    assert (again.status_code, again.json()["errors"]) == (
        422,
        [{"field": None, "message": "None of the request's person records is restricted."}],
    )


def test_an_upheld_objection_keeps_the_subject_restricted(holds: Holds) -> None:
    api = api_as(holds.owner)
    url = f"/privacy/requests/{holds.objection.pk}/objection/decide"

    response = api.post(url, {"decision": "upheld", "reason": "No compelling grounds."})

    body = response.json()
    assert (response.status_code, body["status"], body["decision"], body["decision_reason"]) == (
        200,
        "completed",
        "granted",
        "No compelling grounds.",
    )
    assert Person.objects.get(pk=holds.objector.pk).restricted_at is not None
    again = api.post(url, {"decision": "rejected", "reason": "Changed our mind."})
    assert again.json()["errors"] == [{"field": None, "message": "The request is already closed."}]


def test_a_rejected_objection_lifts_the_restriction_with_the_grounds(holds: Holds) -> None:
    api = api_as(holds.owner)

    response = api.post(
        f"/privacy/requests/{holds.objection.pk}/objection/decide",
        {"decision": "rejected", "reason": "Compelling grounds: the contract must be performed."},
    )

    body = response.json()
    assert (body["status"], body["decision"], body["decision_reason"]) == (
        "rejected",
        "refused",
        "Compelling grounds: the contract must be performed.",
    )
    assert Person.objects.get(pk=holds.objector.pk).restricted_at is None


def test_bad_objection_decisions_are_refused_field_by_field(holds: Holds) -> None:
    api = api_as(holds.owner)
    url = f"/privacy/requests/{holds.objection.pk}/objection/decide"

    assert _refused(api, "POST", url, {"decision": "maybe", "reason": "x"}) == {
        "decision": "Choose one of: 'upheld' or 'rejected'."
    }
    assert _refused(api, "POST", url, {"decision": "upheld", "reason": " "}) == {
        "reason": "Give the reasons for the decision."
    }
    assert _refused(
        api,
        "POST",
        f"/privacy/requests/{holds.restriction.pk}/objection/decide",
        {"decision": "upheld", "reason": "x"},
    ) == {None: "Only an objection to processing on legitimate interests is decided."}
