"""The privacy officer's retention page in the browser: the forecast per rule and data set in
readable words and the user's language, the horizon choice, the sweep reports, and sweeping by
hand after a confirmation. Every page against the four kinds of caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import MembershipFactory
from zweck.audit.models import AuditEvent
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role
from zweck.crm.models import Person
from zweck.crm.services import person_relationship_end
from zweck.crm.tests.factories import make_person
from zweck.privacy.labels import date_text
from zweck.privacy.models import RetentionRule
from zweck.privacy.retention import retention_sweep
from zweck.privacy.retention_models import RetentionSweep
from zweck.privacy.services import register_defaults_install
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db
P = Permission
PAGE = "/app/privacy/retention/"
SWEEP_NOW = PAGE + "sweep/"


@dataclass
class World:
    officer: Actor
    gone: Person  # the relationship ended long ago: due now
    soon: Person  # due in about ten days
    staying: Person  # the relationship continues

    @property
    def soon_due(self) -> date:
        """The forecast's day (weekly, from today) by which Sören falls due: a year and a day after
        his relationship ended."""
        assert self.soon.relationship_ended_on is not None
        ended = self.soon.relationship_ended_on
        due = ended.replace(year=ended.year + 1) + timedelta(days=1)
        today = timezone.localdate()
        weeks = -(-(due - today).days // 7)
        return today + timedelta(days=7 * weeks)


@pytest.fixture
def world(owner: Actor, actor_with_role: Any) -> World:
    # given the shipped register, with contact data kept for one year after the relationship ends
    officer = actor_with_role(Role.PRIVACY_OFFICER)
    register_defaults_install(actor=officer)
    RetentionRule.objects.in_workspace(owner.workspace_id).filter(key="business_relationship").update(
        years=1, from_end_of_year=False
    )
    today = timezone.localdate()
    gone = make_person(owner, first_name="Greta", last_name="Gone", email="greta@example.com")
    person_relationship_end(actor=owner, person=gone, ended_on=today - timedelta(days=800))
    soon = make_person(owner, first_name="Sören", last_name="Soon")
    soon_end = (
        today.replace(year=today.year - 1) + timedelta(days=10)
        if (today.month, today.day) != (2, 29)
        else today - timedelta(days=355)
    )
    soon = person_relationship_end(actor=owner, person=soon, ended_on=soon_end)
    staying = make_person(owner, first_name="Stefan", last_name="Staying")
    return World(officer=officer, gone=gone, soon=soon, staying=staying)


def client_holding(
    world: World, permissions: frozenset[Permission], monkeypatch: pytest.MonkeyPatch
) -> Client:
    membership = MembershipFactory(workspace=world.officer.workspace, role=Role.READ_ONLY)
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.READ_ONLY, permissions)
    return client_for(Actor.for_membership(membership))


def snapshot() -> tuple[Any, ...]:
    return (AuditEvent.objects.count(), Person.objects.count(), RetentionSweep.objects.count())


def a_sweep(world: World) -> int:
    return retention_sweep(actor=world.officer, today=timezone.localdate() - timedelta(days=1000)).pk


PAGES = [
    ("GET", PAGE, P.PRIVACY_VIEW),
    ("GET", PAGE + "?days=365", P.PRIVACY_VIEW),
    ("GET", SWEEP_NOW, P.PRIVACY_MANAGE),
    ("POST", SWEEP_NOW, P.PRIVACY_MANAGE),
    ("GET", PAGE + "sweeps/{sweep}/", P.PRIVACY_VIEW),
]


def _url(path: str, world: World) -> str:
    return path.format(sweep=a_sweep(world)) if "{sweep}" in path else path


def _call(client: Client, method: str, url: str) -> Any:
    return client.get(url) if method == "GET" else client.post(url)


@pytest.mark.parametrize(("method", "path", "needs"), PAGES)
def test_anonymous_visitors_are_sent_to_log_in(
    world: World, method: str, path: str, needs: Permission
) -> None:
    url = _url(path, world)
    before = snapshot()
    response = _call(Client(), method, url)
    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=")
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path", "needs"), PAGES)
def test_a_member_without_the_permission_is_refused_and_nothing_is_swept(
    world: World, method: str, path: str, needs: Permission, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_holding(world, frozenset(Permission) - {needs}, monkeypatch)
    url = _url(path, world)
    before = snapshot()
    response = _call(client, method, url)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path", "needs"), PAGES)
def test_a_member_with_exactly_the_permissions_is_served(
    world: World, method: str, path: str, needs: Permission, monkeypatch: pytest.MonkeyPatch
) -> None:
    granted = frozenset({P.PRIVACY_VIEW, needs})
    client = client_holding(world, granted, monkeypatch)
    response = _call(client, method, _url(path, world))
    assert response.status_code == (302 if method == "POST" else 200)
    if method == "POST":
        assert "message-error" not in client.get(response["Location"]).content.decode()


def test_another_workspace_does_not_see_a_sweep_report_here(world: World, stranger: Actor) -> None:
    sweep_id = a_sweep(world)
    assert client_for(stranger).get(f"{PAGE}sweeps/{sweep_id}/").status_code == 404
    # and its own page shows its own (empty) workspace
    page = client_for(stranger).get(PAGE).content.decode()
    assert "Greta" not in page
    assert "No sweep has run in this workspace yet." in page


def test_the_forecast_names_data_sets_rules_and_actions_in_words(world: World) -> None:
    page = client_for(world.officer).get(PAGE + "?days=30").content.decode()

    assert "Contact and relationship data" in page
    assert "1 year after the end of the business relationship" in page
    assert '<th scope="row">Persons</th>' in page
    assert '<th scope="row">Email addresses</th>' in page
    assert "Erased as on an erasure request" in page
    assert "Goes with the persons it belongs to" in page
    assert f"{date_text(world.soon_due, 'en')}: 1" in page
    assert "1 record is due now" not in page  # persons and their email addresses: more than one
    # no machine key reaches the page
    for key in (
        "crm.person",
        "crm.personemail",
        "business_relationship",
        "with_subjects",
        "relationship_ended",
    ):
        assert key not in page, key


def test_the_horizon_changes_what_falls_due(world: World) -> None:
    client = client_for(world.officer)
    default = client.get(PAGE)
    assert default.context["days"] == 90
    assert client.get(PAGE + "?days=7").context["days"] == 90  # only the offered horizons
    assert client.get(PAGE + "?days=abc").context["days"] == 90
    year = client.get(PAGE + "?days=365")
    assert year.context["days"] == 365
    assert 'href="?days=365" aria-current="page"' in year.content.decode()
    persons = next(
        row for group in year.context["groups"] for row in group.rows if row.data_set == "crm.person"
    )
    assert (persons.due_now, persons.total) == (1, 2)


def test_the_page_speaks_german_with_german_dates(world: World) -> None:
    client = client_for(world.officer)
    client.cookies["django_language"] = "de"
    page = client.get(PAGE + "?days=30").content.decode()
    assert "Kontakt- und Beziehungsdaten" in page
    assert f"{date_text(world.soon_due, 'de')}: 1" in page
    assert "Contact and relationship data" not in page


def test_sweeping_by_hand_asks_first_then_sweeps_and_shows_the_report(world: World) -> None:
    client = client_for(world.officer)
    # given the confirmation says what is due
    confirm = client.get(SWEEP_NOW).content.decode()
    assert "This cannot be undone." in confirm
    assert "Persons (Contact and relationship data): 1" in confirm
    assert Person.objects.filter(pk=world.gone.pk).exists()
    # when
    response = client.post(SWEEP_NOW)
    # then
    sweep = RetentionSweep.objects.get()
    assert response["Location"] == f"{PAGE}sweeps/{sweep.pk}/"
    assert sweep.trigger == "manual"
    assert not Person.objects.filter(pk=world.gone.pk).exists()
    assert Person.objects.filter(pk__in=[world.soon.pk, world.staying.pk]).count() == 2
    report = client.get(response["Location"]).content.decode()
    assert "The sweep is done; here is its report." in report
    assert "By hand" in report and "Done" in report
    assert '<th scope="row">Persons</th>' in report
    assert "crm.person" not in report
    page = client.get(PAGE).content.decode()
    assert "Sweep reports" in page and "By hand" in page


def test_a_sweep_that_found_nothing_says_so(world: World) -> None:
    sweep_id = a_sweep(world)
    page = client_for(world.officer).get(f"{PAGE}sweeps/{sweep_id}/").content.decode()
    assert "Nothing was due: no record was deleted or anonymized." in page


def test_a_workspace_without_rules_is_told_where_to_install_them(stranger: Actor) -> None:
    page = client_for(stranger).get(PAGE).content.decode()
    assert "This workspace has no retention rules yet" in page
    assert 'href="/app/privacy/register/"' in page


def test_the_page_is_in_the_navigation_for_who_may_read_it(world: World, owner: Actor) -> None:
    assert f'href="{PAGE}"' in client_for(world.officer).get("/app/").content.decode()
    sales = MembershipFactory(workspace=owner.workspace, role=Role.SALES)
    assert f'href="{PAGE}"' not in client_for(Actor.for_membership(sales)).get("/app/").content.decode()


def test_the_pages_stay_accessible(world: World) -> None:
    client = client_for(world.officer)
    sweep_id = a_sweep(world)
    for url in (PAGE, PAGE + "?days=365", SWEEP_NOW, f"{PAGE}sweeps/{sweep_id}/"):
        assert accessibility_problems(client.get(url).content.decode()) == [], url
