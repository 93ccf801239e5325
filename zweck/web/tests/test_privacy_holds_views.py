"""The privacy officer's legal holds in the browser: every page and action against the four kinds
of caller, placing a hold from a record's page, ending one early, and the refusals shown at
their fields with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Permission, Role
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Deal, Person
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_deal
from zweck.privacy.holds import HOLD_TYPES, record_hold_place
from zweck.privacy.models import RecordHold
from zweck.privacy.request_models import RequestKind
from zweck.web.staff.privacy_hold_forms import HOLD_TYPE_LABELS
from zweck.web.templatetags.staff import day
from zweck.web.tests import test_privacy_request_actions as request_pages
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for
from zweck.web.tests.test_privacy_request_actions import Case, World, by_case, call, client_without

pytestmark = pytest.mark.django_db
P = Permission
# The request pages' world: a privacy officer with the shipped register, and Anna.
world = request_pages.world
HOLDS = request_pages.APP + "/holds"
CLAIM = "Legal claim of the customer (Art. 17(3)(e) GDPR)"


def _until(days: int = 365) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def held_deal(world: World, days: int = 365) -> int:
    """A hold on a new deal of Anna's; returns the hold's id."""
    deal = make_deal(world.owner, title="Disputed order", contacts=[world.anna])
    placed = record_hold_place(
        actor=world.officer,
        object_type="deal",
        object_id=deal.pk,
        reason=CLAIM,
        ends_on=timezone.localdate() + timedelta(days=days),
    )
    return placed.pk


def _deal_of(hold_id: int) -> int:
    return RecordHold.objects.get(pk=hold_id).object_id


CASES = [
    Case("GET", "/holds/", P.PRIVACY_VIEW, prepare=held_deal, addressed=False),
    Case("GET", "/holds/?state=ended", P.PRIVACY_VIEW, prepare=held_deal, addressed=False),
    Case("GET", "/holds/new/", P.PRIVACY_MANAGE, addressed=False, prepare=held_deal),
    Case(
        "POST",
        "/holds/new/",
        P.PRIVACY_MANAGE,
        prepare=held_deal,
        data=lambda world: {
            "object_type": "person",
            "object_id": world.anna.pk,
            "ends_on": _until(),
            "reason": "Open tax assessment (§ 147(3) AO)",
        },
        status=302,
        audited="hold.place",
        addressed=False,
    ),
    Case("GET", "/holds/{id}/release/", P.PRIVACY_MANAGE, prepare=held_deal),
    Case(
        "POST",
        "/holds/{id}/release/",
        P.PRIVACY_MANAGE,
        prepare=held_deal,
        data=lambda world: {"reason": "The claim was settled."},
        status=302,
        audited="hold.release",
    ),
]


def snapshot() -> tuple[Any, ...]:
    """Everything a refused call could have changed."""
    return (
        AuditEvent.objects.count(),
        list(RecordHold.objects.order_by("pk").values()),
        Deal.objects.count(),
        Person.objects.count(),
    )


@by_case(CASES)
def test_anonymous_visitors_are_sent_to_log_in(case: Case, world: World) -> None:
    target = case.prepare(world)
    before = snapshot()

    response = call(Client(), case, world, target)

    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=")
    assert snapshot() == before


@by_case([case for case in CASES if case.addressed])
def test_another_workspace_gets_404_and_changes_nothing(case: Case, world: World, stranger: Actor) -> None:
    target = case.prepare(world)
    before = snapshot()

    response = call(client_for(stranger), case, world, target)

    assert response.status_code == 404
    assert snapshot() == before


def test_another_workspace_cannot_place_a_hold_on_a_record_here(world: World, stranger: Actor) -> None:
    deal_id = _deal_of(held_deal(world))
    before = snapshot()

    response = client_for(stranger).post(
        f"{HOLDS}/new/", {"object_type": "deal", "object_id": deal_id, "ends_on": _until(), "reason": CLAIM}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"object_id": [f"Unknown id {deal_id}."]}
    assert snapshot() == before


@by_case(CASES)
def test_a_member_without_the_permission_is_refused(
    case: Case, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = case.prepare(world)
    client = client_without(world, case.needs, monkeypatch)
    before = snapshot()

    response = call(client, case, world, target)

    assert response.status_code == 403
    assert snapshot() == before


@by_case(CASES)
def test_the_privacy_officer_is_served_and_the_action_is_audited(case: Case, world: World) -> None:
    target = case.prepare(world)
    before = snapshot()
    audited = AuditEvent.objects.filter(action=case.audited, actor=world.officer.user)
    audited_before = audited.count()

    response = call(client_for(world.officer), case, world, target)

    assert response.status_code == case.status
    if case.audited:
        assert audited.count() == audited_before + 1
        assert snapshot() != before
    if case.method == "POST":
        page = client_for(world.officer).get(response["Location"]).content.decode()
        assert "message-error" not in page


def test_every_hold_type_has_a_label() -> None:
    assert set(HOLD_TYPE_LABELS) == set(HOLD_TYPES)


def test_placing_a_hold_from_a_deal_page(world: World) -> None:
    deal = make_deal(world.owner, title="Disputed order")
    client = client_for(world.officer)
    deal_page = client.get(f"/app/deals/{deal.pk}/").content.decode()
    link = f"{HOLDS}/new/?type=deal&amp;id={deal.pk}"
    assert link in deal_page

    form = client.get(link.replace("&amp;", "&")).context["form"]
    response = client.post(
        f"{HOLDS}/new/",
        {"object_type": "deal", "object_id": deal.pk, "ends_on": _until(30), "reason": CLAIM},
        follow=True,
    )

    assert (form["object_type"].value(), form["object_id"].value()) == ("deal", str(deal.pk))
    hold = RecordHold.objects.get()
    assert (hold.object_type, hold.object_id, hold.reason, hold.ends_on.isoformat()) == (
        "crm.deal",
        deal.pk,
        CLAIM,
        _until(30),
    )
    page = response.content.decode()
    assert f"The hold is placed until {_until(30)}." in page
    assert f'<a href="/app/deals/{deal.pk}/">Deal #{deal.pk}</a>' in page
    assert f"{HOLDS}/{hold.pk}/release/" in page


def test_bad_input_is_shown_at_the_fields_and_nothing_is_written(world: World) -> None:
    client = client_for(world.officer)
    unknown_id = world.anna.pk + 1000
    before = snapshot()

    blank = client.post(
        f"{HOLDS}/new/",
        {"object_type": "person", "object_id": world.anna.pk, "ends_on": _until(), "reason": " "},
    )
    unknown = client.post(
        f"{HOLDS}/new/",
        {"object_type": "person", "object_id": unknown_id, "ends_on": _until(), "reason": CLAIM},
    )
    malformed = client.post(
        f"{HOLDS}/new/",
        {"object_type": "invoice", "object_id": "x", "ends_on": "31.12.2030", "reason": CLAIM},
    )

    assert blank.status_code == 200
    assert blank.context["form"].errors == {"reason": ["This field is required."]}
    assert unknown.context["form"].errors == {"object_id": [f"Unknown id {unknown_id}."]}
    assert malformed.context["form"].errors == {
        "object_type": ["Select a valid choice. invoice is not one of the available choices."],
        "object_id": ["Enter a whole number."],
        "ends_on": ["Enter a valid date."],
    }
    assert snapshot() == before


def test_a_past_date_is_refused_at_its_field(world: World) -> None:
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    before = snapshot()

    response = client_for(world.officer).post(
        f"{HOLDS}/new/",
        {"object_type": "person", "object_id": world.anna.pk, "ends_on": yesterday, "reason": CLAIM},
    )

    assert response.context["form"].errors == {"ends_on": ["The end of the hold cannot lie in the past."]}
    assert snapshot() == before


def test_ending_a_legal_hold_early_keeps_the_record_and_lists_it_as_ended(world: World) -> None:
    hold_id = held_deal(world)
    deal_id = _deal_of(hold_id)
    client = client_for(world.officer)
    form_page = client.get(f"{HOLDS}/{hold_id}/release/").content.decode()

    response = client.post(f"{HOLDS}/{hold_id}/release/", {"reason": "The claim was settled."}, follow=True)

    assert "The record stays as it is; only the hold ends." in form_page
    page = response.content.decode()
    assert f"The hold on Deal #{deal_id} has ended." in page
    assert f"Ended on {day(timezone.localdate())}: The claim was settled." in page
    assert Deal.objects.filter(pk=deal_id).exists()
    assert "No holds." in client.get(f"{HOLDS}/").content.decode()


def test_ending_early_the_hold_of_an_erased_subjects_deal_erases_it(world: World) -> None:
    hold_id = held_deal(world)
    deal_id = _deal_of(hold_id)
    request_id = world.request(RequestKind.ERASURE)
    client = client_for(world.officer)
    client.post(f"/app/privacy/requests/{request_id}/erase/", {"confirm": "erase"})
    listed = client.get(f"{HOLDS}/").content.decode()
    form_page = client.get(f"{HOLDS}/{hold_id}/release/").content.decode()

    client.post(f"{HOLDS}/{hold_id}/release/", {"reason": "Settled out of court"})

    assert f"/app/deals/{deal_id}/" not in listed
    assert "erased (kept despite an erasure)" in listed
    assert "The record was kept despite an erasure: ending the hold erases it now." in form_page
    assert not Deal.objects.filter(pk=deal_id).exists()
    request_page = client.get(f"/app/privacy/requests/{request_id}/").content.decode()
    assert "A hold ended early – Settled out of court" in request_page


def test_ending_a_hold_twice_shows_the_refusal(world: World) -> None:
    hold_id = held_deal(world)
    other_id = held_deal(world)
    client = client_for(world.officer)
    client.post(f"{HOLDS}/{hold_id}/release/", {"reason": "Settled"})
    before = snapshot()

    again = client.post(f"{HOLDS}/{hold_id}/release/", {"reason": "Settled again"})
    blank = client.post(f"{HOLDS}/{other_id}/release/", {"reason": ""})

    assert again.status_code == 200
    assert f"This hold already ended on {timezone.localdate().isoformat()}." in again.content.decode()
    assert blank.context["form"].errors == {"reason": ["This field is required."]}
    assert snapshot() == before


def test_the_list_filters_by_state(world: World) -> None:
    ended = held_deal(world, days=10)
    activity = activity_create(actor=world.owner, kind=ActivityKind.NOTE, subject="Vergleich")
    active = record_hold_place(
        actor=world.officer,
        object_type="activity",
        object_id=activity.pk,
        reason=CLAIM,
        ends_on=timezone.localdate() + timedelta(days=20),
    ).pk
    client = client_for(world.officer)
    client.post(f"{HOLDS}/{ended}/release/", {"reason": "Settled"})

    shown = {
        state: [hold.pk for hold in client.get(f"{HOLDS}/", {"state": state}).context["page"].object_list]
        for state in ("active", "ended", "all", "bogus")
    }

    assert shown == {"active": [active], "ended": [ended], "all": [ended, active], "bogus": [active]}


def test_holds_are_offered_only_to_who_may_see_or_place_them(
    world: World, actor_with_role: Callable[[str], Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    deal_id = _deal_of(held_deal(world))
    place_link = f"{HOLDS}/new/?type=person&amp;id={world.anna.pk}"
    contact_page = f"/app/contacts/{world.anna.pk}/"

    officer = client_for(world.officer).get(contact_page).content.decode()
    sales = client_for(actor_with_role(Role.SALES)).get(contact_page).content.decode()
    viewer = client_without(world, P.PRIVACY_MANAGE, monkeypatch).get(f"{HOLDS}/").content.decode()

    assert place_link in officer and f'href="{HOLDS}/"' in officer
    assert place_link not in sales and f'href="{HOLDS}/"' not in sales
    assert "/release/" not in viewer and f"{HOLDS}/new/" not in viewer
    assert f"Deal #{deal_id}" in viewer


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("path", ["/", "/?state=all", "/new/", "/{id}/release/"])
def test_the_hold_pages_are_accessible(path: str, language: str, world: World) -> None:
    client = client_for(world.officer)
    client.cookies["django_language"] = language

    response = client.get(HOLDS + path.format(id=held_deal(world)))

    assert response.status_code == 200
    assert accessibility_problems(response.content.decode()) == []
