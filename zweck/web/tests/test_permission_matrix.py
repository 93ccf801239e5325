"""Every staff page and action, called as each of the four kinds of caller.

- nobody signed in: sent to the login page;
- the owner of another workspace: 404, as if the object did not exist;
- a member whose role holds every permission the page needs but one: 403;
- a member whose role holds exactly what the page needs: the page or the action works.
Every refused call leaves the workspace exactly as it was, audit trail included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import MembershipFactory
from zweck.audit.models import AuditEvent
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role
from zweck.crm.choices import ActivityKind, DealStatus
from zweck.crm.models import Activity, Deal, Organization, Person, PipelineStage
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_deal, make_organization, make_person
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db
P = Permission


@dataclass
class World:
    owner: Actor
    organization: Organization
    person: Person
    deal: Deal
    task: Activity
    meeting: Activity
    other_stage: PipelineStage

    def ids(self) -> dict[str, int]:
        return {
            "organization": self.organization.pk,
            "person": self.person.pk,
            "deal": self.deal.pk,
            "task": self.task.pk,
            "meeting": self.meeting.pk,
            "other_stage": self.other_stage.pk,
        }


@pytest.fixture
def world(owner: Actor) -> World:
    organization = make_organization(owner, name="Nordlicht Beratung GmbH")
    person = make_person(owner, first_name="Jana", last_name="Beispiel", organization=organization)
    deal = make_deal(owner, organization=organization, title="Rahmenvertrag 2025")
    task = activity_create(
        actor=owner,
        kind=ActivityKind.TASK,
        subject="Angebot nachfassen",
        participants=[person],
        due_at=timezone.now() + timedelta(days=1),
        owner=owner.user,
    )
    meeting = activity_create(
        actor=owner,
        kind=ActivityKind.MEETING,
        subject="Workshop",
        participants=[person],
        starts_at=timezone.now() + timedelta(days=2),
        owner=owner.user,
    )
    other_stage = (
        PipelineStage.objects.filter(workspace_id=owner.workspace_id).exclude(pk=deal.stage_id).first()
    )
    assert other_stage is not None
    return World(owner, organization, person, deal, task, meeting, other_stage)


def snapshot(world: World) -> tuple[Any, ...]:
    """Everything a refused call could have changed (rows a call deletes read as ``None``)."""
    return (
        AuditEvent.objects.count(),
        Organization.objects.count(),
        Person.objects.count(),
        Deal.objects.count(),
        Activity.objects.count(),
        Organization.objects.filter(pk=world.organization.pk).values_list("name", flat=True).first(),
        Person.objects.filter(pk=world.person.pk).values_list("archived_at", flat=True).first(),
        Deal.objects.filter(pk=world.deal.pk).values_list("stage_id", "status", "archived_at").first(),
        Activity.objects.filter(pk=world.task.pk).values_list("done_at", flat=True).first(),
    )


@dataclass(frozen=True)
class Page:
    method: str
    path: str
    needs: frozenset[Permission]
    status: int = 200
    data: Callable[[World], dict[str, Any]] = field(default=lambda world: {})
    # Whether another workspace's owner is refused with 404 (pages about one object) or
    # simply served their own workspace (creation pages).
    addressed: bool = True

    def url(self, world: World) -> str:
        return self.path.format(**world.ids())

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def needs(*permissions: Permission) -> frozenset[Permission]:
    return frozenset({P.CRM_VIEW, *permissions})


PAGES = [
    Page("GET", "/app/organizations/{organization}/", needs()),
    Page("GET", "/app/organizations/{organization}/edit/", needs(P.CRM_CHANGE)),
    Page(
        "POST",
        "/app/organizations/{organization}/edit/",
        needs(P.CRM_CHANGE),
        status=302,
        data=lambda world: {"name": "Nordlicht Consulting GmbH", "country": "DE"},
    ),
    Page("POST", "/app/organizations/{organization}/archive/", needs(P.CRM_CHANGE), status=302),
    Page("GET", "/app/organizations/{organization}/delete/", needs(P.CRM_DELETE)),
    Page("GET", "/app/contacts/{person}/", needs()),
    Page("GET", "/app/contacts/{person}/vcard/", needs()),
    Page("GET", "/app/contacts/{person}/edit/", needs(P.CRM_CHANGE)),
    Page("POST", "/app/contacts/{person}/archive/", needs(P.CRM_CHANGE), status=302),
    Page("POST", "/app/contacts/{person}/delete/", needs(P.CRM_DELETE), status=302),
    Page(
        "POST",
        "/app/contacts/new/",
        needs(P.CRM_CHANGE),
        status=302,
        data=lambda world: {
            "last_name": "Neumann",
            "subject_category": "business_contact",
            "source": "provided_by_subject",
        },
        addressed=False,
    ),
    Page("GET", "/app/deals/{deal}/", needs(P.DEAL_VIEW)),
    Page("GET", "/app/deals/{deal}/edit/", needs(P.DEAL_VIEW, P.DEAL_CHANGE)),
    Page(
        "POST",
        "/app/deals/{deal}/move/",
        needs(P.DEAL_VIEW, P.DEAL_CHANGE),
        status=302,
        data=lambda world: {"stage": world.ids()["other_stage"]},
    ),
    Page(
        "POST",
        "/app/deals/{deal}/close/",
        needs(P.DEAL_VIEW, P.DEAL_CHANGE),
        status=302,
        data=lambda world: {"outcome": "won", "reason": "Bestes Angebot"},
    ),
    Page("POST", "/app/deals/{deal}/archive/", needs(P.DEAL_VIEW, P.DEAL_CHANGE), status=302),
    Page("POST", "/app/deals/{deal}/delete/", needs(P.DEAL_VIEW, P.DEAL_DELETE), status=302),
    Page(
        "POST",
        "/app/activities/new/?person={person}",
        needs(P.ACTIVITY_CHANGE),
        status=302,
        data=lambda world: {"kind": "call", "subject": "Rückruf zum Angebot"},
    ),
    # The member calling is not the task's owner: changing it needs the right to manage all.
    Page("POST", "/app/activities/{task}/done/", needs(P.ACTIVITY_CHANGE, P.ACTIVITY_MANAGE_ALL), status=302),
    Page("GET", "/app/outgoing-mail/", frozenset({P.MAIL_MANAGE}), addressed=False),
    Page("GET", "/app/activities/{meeting}/ics/", needs()),
    Page("GET", "/app/security-log/", frozenset({P.SECURITY_LOG_VIEW}), addressed=False),
    Page("GET", "/app/my-data/", frozenset(), addressed=False),
    Page("GET", "/app/my-data/notice/de/", frozenset(), addressed=False),
]


def by_page(pages: list[Page] = PAGES) -> Any:
    return pytest.mark.parametrize("page", pages, ids=[page.id for page in pages])


def call(client: Client, page: Page, world: World) -> Any:
    if page.method == "GET":
        return client.get(page.url(world))
    return client.post(page.url(world), page.data(world))


def client_holding(
    world: World, permissions: frozenset[Permission], monkeypatch: pytest.MonkeyPatch
) -> Client:
    """A member of ``world``'s workspace whose role grants exactly ``permissions`` (for this test)."""
    membership = MembershipFactory(workspace=world.owner.workspace, role=Role.READ_ONLY)
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.READ_ONLY, permissions)
    return client_for(Actor.for_membership(membership))


@by_page()
def test_anonymous_visitors_are_sent_to_log_in(page: Page, world: World) -> None:
    # given
    before = snapshot(world)
    # when
    response = call(Client(), page, world)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=")
    assert snapshot(world) == before


@by_page([page for page in PAGES if page.addressed])
def test_another_workspace_gets_404_and_changes_nothing(page: Page, world: World, stranger: Actor) -> None:
    before = snapshot(world)

    response = call(client_for(stranger), page, world)

    assert response.status_code == 404
    assert snapshot(world) == before


CASES = [(page, missing) for page in PAGES for missing in sorted(page.needs)]


@pytest.mark.parametrize(
    ("page", "missing"), CASES, ids=[f"{page.id} without {missing}" for page, missing in CASES]
)
def test_a_member_without_the_permission_is_refused(
    page: Page, missing: Permission, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_holding(world, page.needs - {missing}, monkeypatch)
    before = snapshot(world)

    response = call(client, page, world)

    assert response.status_code == 403
    assert snapshot(world) == before


@by_page()
def test_a_member_with_exactly_the_permission_succeeds(
    page: Page, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_holding(world, page.needs, monkeypatch)
    before = snapshot(world)

    response = call(client, page, world)

    assert response.status_code == page.status
    if page.method == "POST":
        assert snapshot(world) != before
        assert AuditEvent.objects.count() > before[0]


def test_closing_as_won_records_the_reason(world: World) -> None:
    client = client_for(world.owner)

    client.post(f"/app/deals/{world.deal.pk}/close/", {"outcome": "won", "reason": "Bestes Angebot"})

    deal = Deal.objects.get(pk=world.deal.pk)
    assert (deal.status, deal.close_reason, deal.probability) == (DealStatus.WON, "Bestes Angebot", 100)
