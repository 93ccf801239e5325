"""A deal's contact persons in the deal form and on the deal page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Permission
from zweck.crm.models import Deal, DealContact, Person
from zweck.crm.services import deal_update
from zweck.crm.tests.factories import make_deal, make_person
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for
from zweck.web.tests.test_activity_edit_views import (
    People,
    client_holding,
    two_contacts_at_an_organization,
)

pytestmark = pytest.mark.django_db
P = Permission


@dataclass
class Scene(People):
    deal: Deal


@pytest.fixture
def scene(owner: Actor) -> Scene:
    organization, jana, otto = two_contacts_at_an_organization(owner)
    deal = make_deal(owner, organization=organization, title="Rahmenvertrag 2026")
    return Scene(owner, organization, jana, otto, deal)


def deal_data(scene: Scene, **changes: Any) -> dict[str, Any]:
    return {
        "title": "Rahmenvertrag 2026",
        "organization": scene.organization.pk,
        "stage": scene.deal.stage_id,
        "amount": "0",
        "currency": "EUR",
        "probability": scene.deal.probability,
        "owner": "",
        **changes,
    }


def contact_ids(deal: Deal) -> list[int]:
    return sorted(DealContact.objects.filter(deal=deal).values_list("person_id", flat=True))


def edit(scene: Scene, client: Client, **changes: Any) -> Any:
    return client.post(f"/app/deals/{scene.deal.pk}/edit/", deal_data(scene, **changes))


def test_anonymous_visitors_are_sent_to_log_in(scene: Scene) -> None:
    response = edit(scene, Client(), contacts=[scene.jana.pk])

    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=")
    assert contact_ids(scene.deal) == []


def test_another_workspace_gets_404(scene: Scene, stranger: Actor) -> None:
    response = edit(scene, client_for(stranger), contacts=[scene.jana.pk])

    assert response.status_code == 404
    assert contact_ids(scene.deal) == []


@pytest.mark.parametrize("missing", [P.CRM_VIEW, P.DEAL_VIEW, P.DEAL_CHANGE])
def test_a_member_without_the_permission_is_refused(
    scene: Scene, missing: Permission, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_holding(
        scene.owner, frozenset({P.CRM_VIEW, P.DEAL_VIEW, P.DEAL_CHANGE} - {missing}), monkeypatch
    )
    before = AuditEvent.objects.count()

    response = edit(scene, client, contacts=[scene.jana.pk])

    assert response.status_code == 403
    assert contact_ids(scene.deal) == []
    assert AuditEvent.objects.count() == before


def test_the_form_offers_the_organizations_contacts_first(scene: Scene) -> None:
    elsewhere = make_person(scene.owner, first_name="Erika", last_name="Fremd")
    deal_update(actor=scene.owner, deal=scene.deal, contacts=[elsewhere])

    response = client_for(scene.owner).get(f"/app/deals/{scene.deal.pk}/edit/")

    choices = response.context["form"]["contacts"].field.widget.choices
    assert choices == [
        (
            "Contacts at Nordlicht Beratung GmbH",
            [(scene.jana.pk, "Jana Beispiel"), (scene.otto.pk, "Otto Normal")],
        ),
        ("Other contacts", [(elsewhere.pk, "Erika Fremd")]),
    ]
    assert response.context["form"]["contacts"].value() == [elsewhere.pk]
    assert accessibility_problems(response.content.decode()) == []


def test_a_new_deal_from_an_organization_page_offers_its_contacts(scene: Scene) -> None:
    response = client_for(scene.owner).get(f"/app/deals/new/?organization={scene.organization.pk}")

    choices = response.context["form"]["contacts"].field.widget.choices
    assert [value for value, label in choices[0][1]] == [scene.jana.pk, scene.otto.pk]


def test_choosing_contacts_saves_them_and_the_deal_page_links_to_them(scene: Scene) -> None:
    client = client_for(scene.owner)

    response = edit(scene, client, contacts=[scene.jana.pk, scene.otto.pk])

    assert response.status_code == 302
    assert contact_ids(scene.deal) == sorted([scene.jana.pk, scene.otto.pk])
    event = AuditEvent.objects.get(action="deal.update")
    assert event.changed_fields == ["contacts"]
    assert sorted(event.subjects.values_list("subject_id", flat=True)) == sorted(
        [scene.jana.pk, scene.otto.pk]
    )
    page = client.get(f"/app/deals/{scene.deal.pk}/").content.decode()
    assert f'<a href="/app/contacts/{scene.jana.pk}/">Jana Beispiel</a>' in page
    assert f'<a href="/app/contacts/{scene.otto.pk}/">Otto Normal</a>' in page


def test_a_deal_created_with_contacts_has_them(scene: Scene) -> None:
    response = client_for(scene.owner).post(
        "/app/deals/new/", deal_data(scene, title="Wartungsvertrag", stage="", contacts=[scene.otto.pk])
    )

    deal = Deal.objects.get(title="Wartungsvertrag")
    assert response.status_code == 302
    assert contact_ids(deal) == [scene.otto.pk]


def test_a_contact_of_another_workspace_is_refused_at_its_field(scene: Scene, stranger: Actor) -> None:
    foreign = make_person(stranger, first_name="Fritz", last_name="Fremd")
    before = AuditEvent.objects.count()

    response = edit(scene, client_for(scene.owner), contacts=[scene.jana.pk, foreign.pk])

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["contacts"]
    assert contact_ids(scene.deal) == []
    assert AuditEvent.objects.count() == before


def test_removing_a_contact_keeps_one_whose_processing_is_restricted(scene: Scene) -> None:
    deal_update(actor=scene.owner, deal=scene.deal, contacts=[scene.jana, scene.otto])
    Person.objects.filter(pk=scene.otto.pk).update(restricted_at=timezone.now())

    edit(scene, client_for(scene.owner), contacts=[])

    # Jana is removed; Otto cannot be shown, so the form cannot have meant to remove him.
    assert contact_ids(scene.deal) == [scene.otto.pk]
