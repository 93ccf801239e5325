"""/api/v1/consents: list, create with proof fields, withdraw; 422 at the field for bad input;
the permission matrix (anonymous, other workspace, member without and with the permission)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zweck.accounts.actors import Actor
from zweck.api.tests.support import Api, api_as
from zweck.core.permissions import Role
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person
from zweck.marketing.choices import RecordKind
from zweck.marketing.models import ConsentRecord
from zweck.marketing.tests.factories import make_consent


@pytest.fixture
def person(owner: Actor) -> Person:
    return make_person(owner, "Clara", email="clara@example.com")


def _body(person: Person, **changes: Any) -> dict[str, Any]:
    return {
        "person_id": person.pk,
        "purpose": "newsletter",
        "channel": "email",
        "address": "clara@example.com",
        "method": "web_form",
        "given_at": "2026-11-30T10:15:00+01:00",
        "ip_address": "2001:db8::7",
        "user_agent": "Mozilla/5.0",
        "form_submitted_at": "2026-11-30T10:14:00+01:00",
        "form_page": "https://www.example.com/kontakt",
        **changes,
    }


def test_create_list_read_and_withdraw(owner: Actor, person: Person) -> None:
    api = api_as(owner)
    created = api.post("/consents", _body(person))
    assert created.status_code == 201, created.json()
    consent = created.json()
    assert (consent["kind"], consent["in_force"], consent["ip_address"]) == ("grant", True, "2001:db8::7")
    assert consent["given_at"] == "2026-11-30T09:15:00Z"
    assert consent["text"]["version"] == 1
    assert consent["form_page"] == "https://www.example.com/kontakt"
    listed = api.get("/consents", person_id=person.pk)
    assert [row["id"] for row in listed.json()["items"]] == [consent["id"]]
    withdrawn = api.post(
        f"/consents/{consent['id']}/withdraw", {"method": "paper", "note": "Brief vom 1.12."}
    )
    assert withdrawn.status_code == 201
    assert (withdrawn.json()["kind"], withdrawn.json()["withdraws_id"]) == ("withdrawal", consent["id"])
    again = api.get(f"/consents/{consent['id']}").json()
    assert (again["in_force"], again["withdrawn_by_id"]) == (False, withdrawn.json()["id"])
    assert [row["id"] for row in api.get("/consents", in_force="true").json()["items"]] == []
    twice = api.post(f"/consents/{consent['id']}/withdraw", {"method": "paper"})
    assert twice.status_code == 422
    assert ConsentRecord.objects.count() == 2


def test_a_named_text_version_is_recorded_by_its_digest(owner: Actor, person: Person) -> None:
    api = api_as(owner)
    first = make_consent(owner, person)
    texts = api.get("/consents/texts").json()
    assert [t["digest"] for t in texts] == [first.text.digest]
    created = api.post(
        "/consents", _body(person, purpose="newsletter", text_digest=first.text.digest.upper())
    )
    assert created.json()["text"]["digest"] == first.text.digest


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"purpose": "spam"}, "purpose"),
        ({"method": "verbal"}, "note"),
        ({"address": "kein"}, "address"),
        ({"person_id": 999999}, "person_id"),
        ({"purpose": "disclosure"}, "recipient_id"),
        ({"purpose": "special_category"}, "scope"),
        ({"text_digest": "0" * 64}, "text_digest"),
        ({"given_at": "2999-01-01T00:00:00Z"}, "given_at"),
        ({"ip_address": "999.1.1.1"}, "ip_address"),
        ({"note": "a\u0000b", "method": "verbal"}, "note"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_input_answers_422_at_the_field_and_writes_nothing(
    owner: Actor, person: Person, changes: dict[str, Any], field: str
) -> None:
    response = api_as(owner).post("/consents", _body(person, **changes))
    assert response.status_code == 422, response.json()
    assert field in {error["field"].split(".")[0] for error in response.json()["errors"] if error["field"]}
    assert ConsentRecord.objects.count() == 0


def test_permission_matrix(
    owner: Actor, person: Person, actor_with_role: Callable[[str], Actor], stranger: Actor
) -> None:
    record = make_consent(owner, person)
    calls: list[tuple[str, str, Any]] = [
        ("GET", "/consents", None),
        ("GET", "/consents/texts", None),
        ("GET", f"/consents/{record.pk}", None),
        ("POST", "/consents", _body(person)),
        ("POST", f"/consents/{record.pk}/withdraw", {"method": "paper"}),
    ]
    before = list(ConsentRecord.objects.order_by("pk").values())
    anonymous, other, service = Api(), api_as(stranger), api_as(actor_with_role(Role.SERVICE))
    for method, path, body in calls:
        assert anonymous.call(method, path, body).status_code == 401
        assert service.call(method, path, body).status_code == 403
        answer = other.call(method, path, body).status_code
        if path in ("/consents", "/consents/texts") and method == "GET":
            assert answer == 200
        else:
            assert answer in (404, 422), (method, path, answer)
    assert [row["id"] for row in other.get("/consents").json()["items"]] == []
    assert list(ConsentRecord.objects.order_by("pk").values()) == before
    # a salesperson reads, a marketer writes
    sales = api_as(actor_with_role(Role.SALES))
    assert sales.get("/consents").status_code == 200
    assert sales.post("/consents", _body(person)).status_code == 403
    marketing = api_as(actor_with_role(Role.MARKETING))
    assert marketing.post(f"/consents/{record.pk}/withdraw", {"method": "paper"}).status_code == 201
    assert ConsentRecord.objects.filter(kind=RecordKind.WITHDRAWAL).count() == 1


def test_the_list_does_not_query_per_row(
    owner: Actor, person: Person, django_assert_num_queries: Callable[..., Any]
) -> None:
    api = api_as(owner)
    for _ in range(3):
        make_consent(owner, person)
    api.get("/consents")
    first = api.get("/consents")
    assert len(first.json()["items"]) == 3
    for _ in range(3):
        make_consent(owner, make_person(owner))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        api.get("/consents", limit=3)
    with CaptureQueriesContext(connection) as six:
        api.get("/consents", limit=6)
    assert len(six.captured_queries) == len(three.captured_queries)
