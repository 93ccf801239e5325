"""The main pages pass the accessibility check: labelled controls, one h1, alt texts, a language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.crm.choices import ActivityKind
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_deal, make_organization, make_person
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/app/login/", "/app/password-reset/", "/app/password-reset/sent/"]
STAFF_PAGES = [
    "/app/",
    "/app/organizations/",
    "/app/organizations/new/",
    "/app/organizations/{organization}/",
    "/app/organizations/{organization}/edit/",
    "/app/organizations/{organization}/delete/",
    "/app/contacts/",
    "/app/contacts/new/",
    "/app/contacts/{person}/",
    "/app/contacts/{person}/edit/",
    "/app/deals/",
    "/app/deals/new/",
    "/app/deals/board/",
    "/app/deals/{deal}/",
    "/app/deals/{deal}/close/",
    "/app/tasks/",
    "/app/calendar/",
    "/app/security-log/",
    "/app/my-data/",
    "/app/my-data/notice/en/",
]


@pytest.fixture
def ids(owner: Actor) -> dict[str, int]:
    organization = make_organization(owner, name="Nordlicht Beratung GmbH")
    person = make_person(owner, organization=organization)
    deal = make_deal(owner, organization=organization)
    activity_create(
        actor=owner,
        kind=ActivityKind.TASK,
        subject="Angebot schicken",
        participants=[person],
        due_at=timezone.now() + timedelta(days=1),
        owner=owner.user,
    )
    return {"organization": organization.pk, "person": person.pk, "deal": deal.pk}


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_accessible(path: str, db: None) -> None:
    response = Client().get(path)

    assert response.status_code == 200
    assert accessibility_problems(response.content.decode()) == []


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_are_accessible(path: str, language: str, owner: Actor, ids: dict[str, int]) -> None:
    client = client_for(owner)
    client.cookies["django_language"] = language

    response = client.get(path.format(**ids))

    assert response.status_code == 200
    assert accessibility_problems(response.content.decode()) == []


def test_the_check_finds_what_it_looks_for() -> None:
    markup = '<html><body><h1>A</h1><h1>B</h1><img src="x.png"><input name="q"><select name="s"></select></body></html>'

    assert accessibility_problems(markup) == [
        "2 h1 elements instead of one",
        "no lang attribute on <html>",
        "image without alt text: x.png",
        "<input name='q'> has no label",
        "<select name='s'> has no label",
    ]
