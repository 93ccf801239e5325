"""List endpoints run a fixed number of queries, however many rows a page holds (no N+1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from zweck.accounts.actors import Actor
from zweck.accounts.models import SecurityEvent
from zweck.accounts.services import token_create
from zweck.api.tests.support import api_as
from zweck.crm.services import activity_create, pipeline_stage_create
from zweck.crm.tests.factories import make_deal, make_organization, make_person, make_stages

pytestmark = pytest.mark.django_db

# Authentication: the token with its user and workspace, then the membership.
AUTH = 2


def _organizations(owner: Actor, count: int) -> None:
    for number in range(count):
        make_organization(owner, tags=[f"Tag {number}", "Kunde"])


def _persons(owner: Actor, count: int) -> None:
    organization = make_organization(owner)
    for _number in range(count):
        make_person(owner, phone="+49 30 1234567", organization=organization)


def _activities(owner: Actor, count: int) -> None:
    people = [make_person(owner), make_person(owner)]
    for number in range(count):
        activity_create(actor=owner, kind="note", subject=f"Notiz {number}", participants=people)


def _deals(owner: Actor, count: int) -> None:
    person = make_person(owner)
    for _number in range(count):
        make_deal(owner, contacts=[person])


def _stages(owner: Actor, count: int) -> None:
    for number in range(count):
        pipeline_stage_create(actor=owner, name=f"Stufe {number}")


def _tokens(owner: Actor, count: int) -> None:
    for number in range(count):
        token_create(actor=owner, name=f"Integration {number}")


def _security_events(owner: Actor, count: int) -> None:
    for number in range(count):
        SecurityEvent.objects.create(
            workspace_id=owner.workspace_id,
            user=owner.user,
            kind="sign_in",
            channel="web",
            user_agent=f"Client {number}",
        )


LISTS: list[tuple[str, Callable[[Actor, int], None], int]] = [
    # path, how to make rows, queries after authentication: count + page + prefetches
    ("/organizations", _organizations, 2 + 2),  # tags, addresses
    ("/persons", _persons, 2 + 3),  # emails, phones, memberships with their organization
    ("/activities", _activities, 2 + 1),  # visible participants
    ("/deals", _deals, 2 + 1),  # visible contacts (organization and stage are joined)
    ("/pipeline-stages", _stages, 2),
    ("/tokens", _tokens, 2),
    ("/security-events", _security_events, 2),
]
# Rows the list holds besides those made: the token the test calls with.
EXTRA_ROWS = {"/tokens": 1}


@pytest.mark.parametrize(("path", "make_rows", "queries"), LISTS, ids=[path for path, _m, _q in LISTS])
@pytest.mark.parametrize("rows", [1, 5])
def test_list_endpoint_query_count_does_not_grow_with_rows(
    path: str,
    make_rows: Callable[[Actor, int], None],
    queries: int,
    rows: int,
    owner: Actor,
    django_assert_num_queries: Callable[[int], object],
) -> None:
    # given
    make_rows(owner, rows)
    api = api_as(owner)
    # when
    with django_assert_num_queries(AUTH + queries):  # type: ignore[attr-defined]
        response = api.get(path)
    # then
    assert response.status_code == 200
    assert response.json()["count"] == rows + EXTRA_ROWS.get(path, 0)
    assert len(response.json()["items"]) == rows + EXTRA_ROWS.get(path, 0)


def test_deal_list_with_every_stage_holding_deals_stays_flat(
    owner: Actor, django_assert_num_queries: Callable[[int], object]
) -> None:
    # given deals spread over all stages and organizations
    for stage in make_stages(owner):
        make_deal(owner, stage=stage)
    api = api_as(owner)
    # when / then
    with django_assert_num_queries(AUTH + 3):  # type: ignore[attr-defined]
        assert api.get("/deals").json()["count"] == 4
