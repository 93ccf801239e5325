"""Activities, deals and the pipeline through the API."""

from __future__ import annotations

import pytest

from zweck.accounts.actors import Actor
from zweck.api.tests.support import Api, World
from zweck.crm.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_activity_round_trip_with_participants(api: Api, owner: Actor, world: World) -> None:
    second = make_person(owner)
    response = api.post(
        "/activities",
        {
            "kind": "meeting",
            "subject": "Workshop Datenschutz",
            "starts_at": "2025-03-04T10:00:00+01:00",
            "ends_at": "2025-03-04T12:00:00+01:00",
            "location": "Berlin",
            "participant_ids": [second.pk, world.person.pk, second.pk],
            "organization_id": world.organization.pk,
            "deal_id": world.deal.pk,
            "owner_id": owner.user_id,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["participant_ids"], body["starts_at"], body["deal_id"], body["done_at"]) == (
        sorted([world.person.pk, second.pk]),
        "2025-03-04T09:00:00Z",
        world.deal.pk,
        None,
    )
    done = api.post(f"/activities/{body['id']}/complete").json()
    assert done["done_at"] is not None
    assert api.get("/activities", open_only="true").json()["count"] == 1
    assert api.post(f"/activities/{body['id']}/reopen").json()["done_at"] is None
    patched = api.patch(f"/activities/{body['id']}", {"participant_ids": [second.pk]}).json()
    assert patched["participant_ids"] == [second.pk]
    assert patched["subject"] == "Workshop Datenschutz"


def test_activity_filters_and_search(api: Api, world: World) -> None:
    api.post(
        "/activities", {"kind": "task", "subject": "Angebot schreiben", "due_at": "2025-05-01T09:00:00Z"}
    )
    assert [a["subject"] for a in api.get("/activities", q="angebot").json()["items"]] == [
        "Angebot schreiben"
    ]
    assert [a["kind"] for a in api.get("/activities", kind="call").json()["items"]] == ["call"]
    assert [a["id"] for a in api.get("/activities", person_id=world.person.pk).json()["items"]] == [
        world.activity.pk
    ]
    assert api.get("/activities", due_before="2025-06-01T00:00:00+02:00").json()["count"] == 1
    assert api.delete(f"/activities/{world.activity.pk}").status_code == 204
    assert api.get("/activities").json()["count"] == 1


def test_deal_lifecycle(api: Api, world: World) -> None:
    response = api.post(
        "/deals",
        {
            "title": "Wartung 2026",
            "organization_id": world.organization.pk,
            "amount": "1999.5",
            "contact_ids": [world.person.pk],
        },
    )
    assert response.status_code == 201
    deal = response.json()
    assert (deal["stage_id"], deal["probability"], deal["amount"], deal["currency"], deal["status"]) == (
        world.stage.pk,
        10,
        "1999.50",
        "EUR",
        "open",
    )
    stages = api.get("/pipeline-stages").json()["items"]
    moved = api.post(f"/deals/{deal['id']}/move", {"stage_id": stages[2]["id"]}).json()
    assert (moved["stage_id"], moved["probability"]) == (stages[2]["id"], 50)
    lost = api.post(f"/deals/{deal['id']}/close", {"won": False, "reason": "Zu teuer"}).json()
    assert (lost["status"], lost["close_reason"], lost["probability"]) == ("lost", "Zu teuer", 0)
    assert [d["id"] for d in api.get("/deals", status="lost").json()["items"]] == [deal["id"]]
    reopened = api.post(f"/deals/{deal['id']}/reopen").json()
    assert (reopened["status"], reopened["closed_at"], reopened["probability"]) == ("open", None, 50)
    assert api.post(f"/deals/{deal['id']}/archive").json()["archived_at"] is not None
    assert [d["id"] for d in api.get("/deals").json()["items"]] == [world.deal.pk]
    assert api.post(f"/deals/{deal['id']}/unarchive").json()["archived_at"] is None
    patched = api.patch(f"/deals/{deal['id']}", {"title": "Wartung 2027", "contact_ids": []}).json()
    assert (patched["title"], patched["contact_ids"], patched["amount"]) == ("Wartung 2027", [], "1999.50")
    assert [d["id"] for d in api.get("/deals", q="2027").json()["items"]] == [deal["id"]]
    assert api.delete(f"/deals/{deal['id']}").status_code == 204


def test_pipeline_stages(api: Api, world: World) -> None:
    created = api.post("/pipeline-stages", {"name": "Vertrag", "default_probability": 90})
    assert created.status_code == 201
    assert created.json() == {
        "id": created.json()["id"],
        "name": "Vertrag",
        "position": 4,
        "default_probability": 90,
        "is_active": True,
    }
    stage_id = created.json()["id"]
    assert api.patch(f"/pipeline-stages/{stage_id}", {"is_active": False}).json()["is_active"] is False
    assert [s["name"] for s in api.get("/pipeline-stages").json()["items"]] == [
        "Lead",
        "Qualified",
        "Proposal",
        "Negotiation",
    ]
    assert api.get("/pipeline-stages", include_inactive="true").json()["count"] == 5
    assert len(api.post("/pipeline-stages/install-defaults").json()) == 5


def test_install_defaults_in_an_empty_workspace(stranger: Actor) -> None:
    from zweck.api.tests.support import api_as

    response = api_as(stranger).post("/pipeline-stages/install-defaults")
    assert [stage["name"] for stage in response.json()] == ["Lead", "Qualified", "Proposal", "Negotiation"]
