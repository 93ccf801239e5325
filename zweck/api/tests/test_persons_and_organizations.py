"""Organizations and persons through the API: what goes in comes back, filters and search work."""

from __future__ import annotations

import pytest

from zweck.accounts.actors import Actor
from zweck.api.tests.support import Api, World
from zweck.audit.models import AuditEvent
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_organization, make_person

pytestmark = pytest.mark.django_db


def test_person_round_trip_with_nested_emails_phones_and_organizations(api: Api, world: World) -> None:
    # when
    response = api.post(
        "/persons",
        {
            "salutation": "Frau",
            "title": "Dr.",
            "first_name": "Jana",
            "last_name": "Beispiel",
            "position": "Einkauf",
            "source": "public",
            "owner_id": world.owner.user_id,
            "emails": [
                {"email": "Jana.Beispiel@Example.COM"},
                {"email": "jana@example.net", "label": "home"},
            ],
            "phones": [{"number": "030 9876543", "is_primary": True}],
            "organizations": [{"organization_id": world.organization.pk, "role": "Leitung"}],
        },
    )
    # then
    assert response.status_code == 201, response.content
    created = response.json()
    person = Person.objects.get(pk=created["id"])
    assert created == {
        "id": person.pk,
        "salutation": "Frau",
        "title": "Dr.",
        "first_name": "Jana",
        "last_name": "Beispiel",
        "full_name": "Dr. Jana Beispiel",
        "position": "Einkauf",
        "language": "",
        "subject_category": "business_contact",
        "source": "public",
        "source_note": "",
        "owner_id": world.owner.user_id,
        "notes": "",
        "emails": [
            {"email": "Jana.Beispiel@example.com", "label": "work", "is_primary": True},
            {"email": "jana@example.net", "label": "home", "is_primary": False},
        ],
        "phones": [{"number": "+49309876543", "label": "work", "is_primary": True}],
        "organizations": [
            {
                "organization_id": world.organization.pk,
                "organization_name": "Nordlicht IT GmbH",
                "role": "Leitung",
                "is_primary": True,
            }
        ],
        "relationship_ended_on": None,
        "relationship_end_inherited": False,
        "archived_at": None,
        "created_at": created["created_at"],
        "updated_at": created["updated_at"],
    }
    assert api.get(f"/persons/{person.pk}").json() == created
    event = AuditEvent.objects.get(action="person.create", object_id=str(person.pk))
    assert (event.channel, event.object_id, event.actor_id) == ("api", str(person.pk), world.owner.user_id)


def test_patch_changes_only_what_was_sent(api: Api, world: World) -> None:
    before = api.get(f"/persons/{world.person.pk}").json()
    response = api.patch(f"/persons/{world.person.pk}", {"position": "Geschäftsführerin"})
    assert response.status_code == 200
    after = response.json()
    assert after["position"] == "Geschäftsführerin"
    assert {k: v for k, v in after.items() if k not in {"position", "updated_at"}} == {
        k: v for k, v in before.items() if k not in {"position", "updated_at"}
    }
    assert AuditEvent.objects.filter(action="person.update").get().changed_fields == ["position"]


def test_patch_with_a_list_replaces_it(api: Api, world: World) -> None:
    response = api.patch(f"/persons/{world.person.pk}", {"phones": [], "organizations": []})
    assert (response.json()["phones"], response.json()["organizations"]) == ([], [])
    assert len(response.json()["emails"]) == 1


def test_person_delete_archive_and_unarchive(api: Api, world: World) -> None:
    archived = api.post(f"/persons/{world.person.pk}/archive").json()
    assert archived["archived_at"] is not None
    assert api.get("/persons").json()["count"] == 0
    assert api.get("/persons", include_archived="true").json()["count"] == 1
    assert api.post(f"/persons/{world.person.pk}/unarchive").json()["archived_at"] is None
    assert api.delete(f"/persons/{world.person.pk}").status_code == 204
    assert api.get(f"/persons/{world.person.pk}").status_code == 404


def test_person_search_and_filters(api: Api, owner: Actor, world: World) -> None:
    other = make_organization(owner, name="Südwind Consulting")
    otto = make_person(
        owner, first_name="Otto", last_name="Normal", organization=other, subject_category="client_contact"
    )
    for query, expected in [
        ("erika", [world.person.pk]),
        ("030 1234567", [world.person.pk]),
        ("südwind", [otto.pk]),
        ("niemand", []),
    ]:
        items = api.get("/persons", q=query).json()["items"]
        assert [item["id"] for item in items] == expected, query
    assert [p["id"] for p in api.get("/persons", organization_id=other.pk).json()["items"]] == [otto.pk]
    assert [p["id"] for p in api.get("/persons", subject_category="client_contact").json()["items"]] == [
        otto.pk
    ]


def test_pages_are_stable_and_carry_the_total(api: Api, owner: Actor) -> None:
    ids = [make_person(owner, last_name="Gleich").pk for _ in range(5)]
    first = api.get("/persons", limit=2).json()
    second = api.get("/persons", limit=2, offset=2).json()
    third = api.get("/persons", limit=2, offset=4).json()
    assert (first["count"], first["limit"], first["offset"]) == (5, 2, 0)
    assert [p["id"] for p in first["items"] + second["items"] + third["items"]] == ids
    assert api.get("/persons", offset=10).json() == {"items": [], "count": 5, "limit": 50, "offset": 10}


def test_restricted_persons_are_invisible_to_the_api(api: Api, world: World) -> None:
    from django.utils import timezone

    Person.objects.filter(pk=world.person.pk).update(restricted_at=timezone.now())
    assert api.get(f"/persons/{world.person.pk}").status_code == 404
    assert api.get("/persons").json()["count"] == 0
    # a deal and an activity whose only contact person is restricted are hidden with them
    assert api.get(f"/deals/{world.deal.pk}").status_code == 404
    # filtering by the restricted person answers as if they were not there
    assert api.get("/deals", person_id=world.person.pk).json()["count"] == 0
    assert api.get("/activities", person_id=world.person.pk).json()["count"] == 0
    assert api.get(f"/activities/{world.activity.pk}").status_code == 404
    response = api.post("/activities", {"kind": "note", "subject": "N", "participant_ids": [world.person.pk]})
    assert response.status_code == 422


def test_organization_round_trip_with_tags_and_addresses(api: Api, world: World) -> None:
    response = api.post(
        "/organizations",
        {
            "name": "Beispiel Software AG",
            "vat_id": "DE 136 695 976",
            "phone": "+49 89 1234567",
            "website": "https://beispiel.example.com",
            "relationship_types": ["prospect", "customer"],
            "tags": ["Software", "Bayern"],
            "addresses": [{"street": "Marienplatz 1", "postal_code": "80331", "city": "München"}],
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["vat_id"], body["phone"], body["relationship_types"], body["tags"]) == (
        "DE136695976",
        "+49891234567",
        ["customer", "prospect"],
        ["Bayern", "Software"],
    )
    assert body["addresses"] == [
        {
            "kind": "office",
            "street": "Marienplatz 1",
            "postal_code": "80331",
            "city": "München",
            "country": "DE",
        }
    ]
    patched = api.patch(
        f"/organizations/{body['id']}", {"tags": ["Software"], "name": "Beispiel Software SE"}
    ).json()
    assert (patched["name"], patched["tags"], len(patched["addresses"])) == (
        "Beispiel Software SE",
        ["Software"],
        1,
    )
    assert [o["id"] for o in api.get("/organizations", tag="Software").json()["items"]] == [body["id"]]
    assert [o["id"] for o in api.get("/organizations", relationship_type="customer").json()["items"]] == [
        body["id"]
    ]
    assert [o["id"] for o in api.get("/organizations", q="beispiel soft").json()["items"]] == [body["id"]]


def test_organization_archive_and_delete(api: Api, world: World) -> None:
    assert api.post(f"/organizations/{world.spare_organization.pk}/archive").json()["archived_at"] is not None
    assert [o["id"] for o in api.get("/organizations").json()["items"]] == [world.organization.pk]
    assert api.post(f"/organizations/{world.spare_organization.pk}/unarchive").json()["archived_at"] is None
    assert api.delete(f"/organizations/{world.spare_organization.pk}").status_code == 204
    assert api.get(f"/organizations/{world.spare_organization.pk}").status_code == 404
