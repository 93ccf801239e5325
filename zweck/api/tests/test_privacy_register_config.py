"""/privacy/register: every operation against the four kinds of caller, and the configuration of
recipients, processing activities and retention rules through the services' own validation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zweck.accounts.actors import Actor
from zweck.api.tests.matrix import Endpoint, api_holding, by_endpoint, needs, without_each
from zweck.api.tests.support import Api, World, api_as, build_world
from zweck.api.urls import api as zweck_api
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Permission
from zweck.privacy.choices import RecipientRole, TransferSafeguard
from zweck.privacy.models import ProcessingActivity, Recipient, RetentionRule, SecurityMeasure
from zweck.privacy.services import processing_activity_create, recipient_create
from zweck.privacy.tests.factories import register_with_erp_processor

pytestmark = pytest.mark.django_db
P = Permission
BASE = "/privacy/register"
SCC_DATE = date(2021, 6, 4)


@dataclass
class RegisterWorld(World):
    recipient: Recipient

    def ids(self) -> dict[str, Any]:
        keys = {
            "subject": "client_contact",
            "activity": "service_delivery",
            "added_activity": "trade_fair_photos",
            "rule": "service_records",
        }
        return {**super().ids(), "recipient": self.recipient.pk, **keys}


def _added_activity_body(world: World | None = None, **changes: Any) -> dict[str, Any]:
    """An activity of the workspace's own: photos at trade fairs, for business contacts."""
    return {
        "key": "trade_fair_photos",
        "name_en": "Photos at trade fairs",
        "name_de": "Fotos auf Messen",
        "purpose_en": "Showing our stand and the conversations at it on our website.",
        "purpose_de": "Unseren Messestand und die Gespräche dort auf unserer Website zeigen.",
        "legal_basis": "f",
        "legitimate_interest_en": "Presenting our company to prospective clients.",
        "legitimate_interest_de": "Darstellung unseres Unternehmens gegenüber möglichen Kunden.",
        "subject_categories": ["business_contact"],
        "data_categories": ["user.name", "user.content.self_image"],
        "retention": "business_letters",
        "data_use": "marketing.advertising.first_party",
        **changes,
    }


@pytest.fixture
def world(owner: Actor) -> RegisterWorld:
    recipient = register_with_erp_processor(owner)
    payload = _added_activity_body()
    processing_activity_create(actor=owner, **payload)
    return RegisterWorld(**vars(build_world(owner)), recipient=recipient)


def register_state() -> tuple[Any, ...]:
    """Every register row and audit event of every workspace: what a refused call must leave alone."""
    return (
        list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True)),
        list(Recipient.objects.order_by("pk").values()),
        list(Recipient.activities.through.objects.order_by("pk").values()),
        list(ProcessingActivity.objects.order_by("pk").values()),
        list(RetentionRule.objects.order_by("pk").values()),
        SecurityMeasure.objects.count(),
    )


def _recipient_body(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "name": "NinjaOne, LLC",
        "role": "processor",
        "service_en": "Remote monitoring and management (RMM)",
        "service_de": "Fernwartung und Monitoring (RMM)",
        "country": "US",
        "safeguard": "scc",
        "safeguard_date": SCC_DATE.isoformat(),
        "activities": ["support_and_maintenance"],
        **changes,
    }


VIEW = needs(P.PRIVACY_VIEW)
MANAGE = needs(P.PRIVACY_VIEW, P.PRIVACY_MANAGE)

ENDPOINTS = [
    Endpoint("GET", f"{BASE}/ropa", VIEW, foreign_status=200),
    Endpoint("GET", f"{BASE}/notices/{{subject}}", VIEW, foreign_status=200),
    Endpoint("GET", f"{BASE}/notices/{{subject}}/versions", VIEW, foreign_status=200),
    Endpoint("GET", f"{BASE}/coverage", VIEW, foreign_status=200),
    Endpoint("GET", f"{BASE}/fides", VIEW, foreign_status=200),
    Endpoint("POST", f"{BASE}/install-defaults", needs(P.PRIVACY_MANAGE), foreign_status=200),
    Endpoint("GET", f"{BASE}/recipients", VIEW, foreign_status=200, foreign_count=0),
    Endpoint("POST", f"{BASE}/recipients", MANAGE, 201, _recipient_body, foreign_status=422),
    Endpoint("GET", f"{BASE}/recipients/{{recipient}}", VIEW),
    Endpoint("PATCH", f"{BASE}/recipients/{{recipient}}", MANAGE, body=lambda w: {"country": "AT"}),
    Endpoint("DELETE", f"{BASE}/recipients/{{recipient}}", MANAGE, 204),
    Endpoint("GET", f"{BASE}/activities", VIEW, foreign_status=200, foreign_count=0),
    Endpoint(
        "POST",
        f"{BASE}/activities",
        MANAGE,
        201,
        lambda w: _added_activity_body(w, key="stand_visitors"),
        foreign_status=422,
    ),
    Endpoint("GET", f"{BASE}/activities/{{activity}}", VIEW),
    Endpoint("DELETE", f"{BASE}/activities/{{added_activity}}", MANAGE, 204),
    Endpoint(
        "PATCH",
        f"{BASE}/activities/{{activity}}",
        MANAGE,
        body=lambda w: {"purpose_en": "Delivering what our clients order.", "retention": "warranty"},
    ),
    Endpoint("GET", f"{BASE}/retention-rules", VIEW, foreign_status=200, foreign_count=0),
    Endpoint("GET", f"{BASE}/retention-rules/{{rule}}", VIEW),
    Endpoint("PATCH", f"{BASE}/retention-rules/{{rule}}", MANAGE, body=lambda w: {"years": 10}),
]
WRITES = {"POST", "PATCH", "DELETE"}


def _call(api: Api, endpoint: Endpoint, world: World) -> Any:
    return api.call(endpoint.method, endpoint.url(world), endpoint.body(world) if endpoint.body else None)


def test_the_matrix_covers_every_operation_of_the_register_router() -> None:
    schema = zweck_api.get_openapi_schema()
    operations = {
        (method.upper(), re.sub(r"\{[^}]+\}", "{}", path.removeprefix("/api/v1")))
        for path, methods in schema["paths"].items()
        for method in methods
        if path.startswith("/api/v1/privacy/register/")
    }
    covered = {(endpoint.method, re.sub(r"\{[^}]+\}", "{}", endpoint.path)) for endpoint in ENDPOINTS}
    assert covered == {(method, path.replace("//", "/")) for method, path in operations}


@by_endpoint(ENDPOINTS)
def test_anonymous_caller_is_refused_and_nothing_changes(endpoint: Endpoint, world: RegisterWorld) -> None:
    before = register_state()

    response = _call(Api(token=None), endpoint, world)

    assert response.status_code == 401
    assert response.json()["errors"] == []
    assert register_state() == before


@by_endpoint(ENDPOINTS)
def test_member_of_another_workspace_sees_and_changes_nothing_here(
    endpoint: Endpoint, world: RegisterWorld, stranger: Actor
) -> None:
    before = list(Recipient.objects.filter(workspace=world.owner.workspace).values())
    rules = list(RetentionRule.objects.filter(workspace=world.owner.workspace).values())

    response = _call(api_as(stranger), endpoint, world)

    assert response.status_code == endpoint.foreign_status, response.content
    if endpoint.foreign_count is not None:
        assert response.json()["count"] == endpoint.foreign_count
    assert list(Recipient.objects.filter(workspace=world.owner.workspace).values()) == before
    assert list(RetentionRule.objects.filter(workspace=world.owner.workspace).values()) == rules
    assert "Odoo" not in response.content.decode()


@without_each(ENDPOINTS)
def test_member_without_a_needed_permission_is_refused_and_nothing_changes(
    endpoint: Endpoint, missing: Permission, world: RegisterWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = api_holding(world, frozenset(Permission) - {missing}, monkeypatch)
    before = register_state()

    response = _call(api, endpoint, world)

    assert response.status_code == endpoint.refusals.get(missing, 403), response.content
    assert response.json() == {"detail": "You do not have permission to do this.", "errors": []}
    assert register_state() == before


@by_endpoint(ENDPOINTS)
def test_member_with_exactly_the_needed_permissions_succeeds(
    endpoint: Endpoint, world: RegisterWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = api_holding(world, endpoint.needs, monkeypatch)
    before = register_state()

    response = _call(api, endpoint, world)

    assert response.status_code == endpoint.status, response.content
    if endpoint.method in WRITES and "install-defaults" not in endpoint.path:
        assert register_state() != before
        assert len(register_state()[0]) > len(before[0])


def test_a_recipient_created_through_the_api_is_listed_in_the_english_notice(world: RegisterWorld) -> None:
    api = api_as(world.owner)

    created = api.post(f"{BASE}/recipients", _recipient_body(world))

    assert created.status_code == 201
    body = created.json()
    assert (body["name"], body["in_eea"], body["safeguard"], body["activities"]) == (
        "NinjaOne, LLC",
        False,
        "scc",
        ["support_and_maintenance"],
    )
    notice = api.get(f"{BASE}/notices/client_contact", lang="en", format="md").content.decode()
    assert "NinjaOne, LLC (United States): EU standard contractual clauses" in notice


def test_a_transfer_without_a_safeguard_is_refused_with_the_field_at_fault(world: RegisterWorld) -> None:
    api = api_as(world.owner)
    before = register_state()

    response = api.post(f"{BASE}/recipients", _recipient_body(world, safeguard="", safeguard_date=None))

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The input is not valid."
    assert [error["field"] for error in body["errors"]] == ["safeguard"]
    assert "is outside the EU/EEA" in body["errors"][0]["message"]
    assert register_state() == before


def test_unknown_activities_are_refused_by_name(world: RegisterWorld) -> None:
    api = api_as(world.owner)
    before = register_state()

    response = api.patch(f"{BASE}/recipients/{world.recipient.pk}", {"activities": ["nope"]})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "activities", "message": "Unknown processing activities: nope."}
    ]
    assert register_state() == before


def test_legitimate_interests_must_be_named(world: RegisterWorld) -> None:
    api = api_as(world.owner)
    before = register_state()

    response = api.patch(
        f"{BASE}/activities/service_delivery",
        {"legal_basis": "f", "legitimate_interest_en": "", "legitimate_interest_de": ""},
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["legitimate_interest_en"]
    assert register_state() == before


def test_an_unknown_retention_rule_is_refused(world: RegisterWorld) -> None:
    response = api_as(world.owner).patch(f"{BASE}/activities/service_delivery", {"retention": "forever"})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["retention"]


def test_a_period_that_cannot_be_computed_is_refused(world: RegisterWorld) -> None:
    api = api_as(world.owner)
    before = register_state()

    response = api.patch(f"{BASE}/retention-rules/service_records", {"years": 150})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["years"]
    assert register_state() == before


def test_an_activity_changed_through_the_api_is_saved_and_audited(world: RegisterWorld) -> None:
    response = api_as(world.owner).patch(
        f"{BASE}/activities/service_delivery", {"retention": "warranty", "purpose_de": "Unsere Leistungen."}
    )

    assert response.status_code == 200
    assert (response.json()["retention"], response.json()["purpose_de"]) == ("warranty", "Unsere Leistungen.")
    event = AuditEvent.objects.filter(action="processing_activity.update").latest("pk")
    assert sorted(event.changed_fields) == ["purpose_de", "retention"]


def test_a_key_cannot_be_changed(world: RegisterWorld) -> None:
    response = api_as(world.owner).patch(f"{BASE}/retention-rules/service_records", {"key": "other"})

    assert response.status_code == 422
    assert RetentionRule.objects.filter(workspace=world.owner.workspace, key="service_records").exists()


@pytest.mark.parametrize("path", ["/recipients", "/activities", "/retention-rules"])
def test_lists_read_in_a_fixed_number_of_queries(world: RegisterWorld, path: str) -> None:
    api = api_as(world.owner)
    api.get(BASE + path)  # the token's first use is bookkeeping, not the list
    for index in range(3):
        recipient_create(
            actor=world.owner,
            name=f"Processor {index}",
            role=RecipientRole.PROCESSOR,
            service_en="Hosting",
            service_de="Hosting",
            country="DE",
            safeguard=TransferSafeguard.EEA,
            activity_keys=["service_delivery", "support_and_maintenance"],
        )

    with CaptureQueriesContext(connection) as few:
        api.get(BASE + path, limit=1)
    with CaptureQueriesContext(connection) as many:
        response = api.get(BASE + path, limit=50)

    assert response.status_code == 200
    assert len(response.json()["items"]) > 1
    assert len(many) == len(few)


def test_an_activity_added_through_the_api_is_answered_and_named_in_its_groups_notice(
    world: RegisterWorld,
) -> None:
    api = api_as(world.owner)

    created = api.post(
        f"{BASE}/activities",
        _added_activity_body(world, key="stand_visitors", name_en="Visitors at our stand"),
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["key"], body["enabled"], body["retention"], body["data_use"], body["recipient_ids"]) == (
        "stand_visitors",
        True,
        "business_letters",
        "marketing.advertising.first_party",
        [],
    )
    assert body["data_categories"] == ["user.name", "user.content.self_image"]
    assert api.get(f"{BASE}/activities/stand_visitors").json() == body
    activity = ProcessingActivity.objects.get(workspace=world.owner.workspace, key="stand_visitors")
    assert AuditEvent.objects.filter(action="processing_activity.create", object_id=str(activity.pk)).exists()
    versions = api.get(f"{BASE}/notices/business_contact/versions", lang="en").json()
    assert "+### Visitors at our stand" in versions[0]["changes"].splitlines()


def test_an_added_activity_with_problems_is_refused_at_each_field(world: RegisterWorld) -> None:
    api = api_as(world.owner)
    before = register_state()

    response = api.post(
        f"{BASE}/activities",
        _added_activity_body(world, data_categories=[], data_use="selling_lists", retention="forever"),
    )

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The input is not valid."
    assert sorted(error["field"] for error in body["errors"]) == [
        "data_categories",
        "data_use",
        "key",
        "retention",
    ]
    messages = {error["field"]: error["message"] for error in body["errors"]}
    assert (
        messages["key"] == "This workspace already has a processing activity with the key trade_fair_photos."
    )
    assert messages["retention"] == "There is no retention rule with this key."
    assert register_state() == before


def test_an_added_activity_needs_its_key_and_data_categories_in_the_body(world: RegisterWorld) -> None:
    body = _added_activity_body(world)
    del body["key"], body["data_categories"]

    response = api_as(world.owner).post(f"{BASE}/activities", body)

    assert response.status_code == 422
    assert sorted(error["field"] for error in response.json()["errors"]) == ["data_categories", "key"]


def test_a_shipped_activity_cannot_be_deleted_through_the_api(world: RegisterWorld) -> None:
    api = api_as(world.owner)
    before = register_state()

    response = api.delete(f"{BASE}/activities/service_delivery")

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": None,
            "message": "Delivering our services is shipped with Zweck and the register's declarations "
            "refer to it, so it cannot be deleted. Switch it off instead.",
        }
    ]
    assert register_state() == before


def test_an_added_activity_deleted_through_the_api_leaves_the_notice(world: RegisterWorld) -> None:
    api = api_as(world.owner)
    assert (
        "Photos at trade fairs"
        in api.get(f"{BASE}/notices/business_contact", lang="en", format="md").content.decode()
    )

    response = api.delete(f"{BASE}/activities/trade_fair_photos")

    assert response.status_code == 204
    assert api.get(f"{BASE}/activities/trade_fair_photos").status_code == 404
    notice = api.get(f"{BASE}/notices/business_contact", lang="en", format="md").content.decode()
    assert "Photos at trade fairs" not in notice


def test_the_data_use_of_an_activity_can_be_changed_to_one_of_the_taxonomy(world: RegisterWorld) -> None:
    api = api_as(world.owner)

    refused = api.patch(f"{BASE}/activities/trade_fair_photos", {"data_use": "selling_lists"})
    changed = api.patch(f"{BASE}/activities/trade_fair_photos", {"data_use": "essential.service"})

    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["data_use"]
    assert (changed.status_code, changed.json()["data_use"]) == (200, "essential.service")
