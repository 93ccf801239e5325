"""/api/v1/privacy/notifications: recipient notifications (Art. 19 GDPR) listed and confirmed,
against the four kinds of caller; refused calls change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.api.tests.matrix import api_holding
from zweck.api.tests.support import Api, World, api_as
from zweck.audit.models import AuditEvent
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role
from zweck.privacy.dsr import dsr_link_persons, dsr_open, dsr_restrict, dsr_verify
from zweck.privacy.models import RecipientNotification
from zweck.privacy.request_models import NotificationStatus, RequestChannel, RequestKind
from zweck.privacy.services import recipient_create, register_defaults_install

pytestmark = pytest.mark.django_db
P = Permission
LIST = "/privacy/notifications"


@pytest.fixture
def notified(owner: Actor, world: World) -> list[int]:
    """Two recipients to tell of Erika's restriction, the second task the older one."""
    register_defaults_install(actor=owner)
    for name in ("Mailhost GmbH", "Druckhaus Beispiel KG"):
        recipient_create(
            actor=owner,
            name=name,
            role="processor",
            service_en="Service",
            service_de="Dienst",
            country="DE",
            activity_keys=["client_relationship"],
        )
    request = dsr_open(actor=owner, kind=RequestKind.RESTRICTION, channel=RequestChannel.EMAIL)
    dsr_verify(actor=owner, request=request)
    dsr_link_persons(actor=owner, request=request, person_ids=[world.person.pk])
    dsr_restrict(actor=owner, request=request)
    ids = list(RecipientNotification.objects.order_by("pk").values_list("pk", flat=True))
    RecipientNotification.objects.filter(pk=ids[1]).update(created_at=timezone.now() - timedelta(days=2))
    return [ids[1], ids[0]]


def _state() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.count(),
        list(RecipientNotification.objects.order_by("pk").values_list("status", "confirmed_at")),
    )


def _confirm(api: Api, notification_id: int) -> Any:
    return api.post(f"{LIST}/{notification_id}/confirm")


def test_the_list_is_paginated_oldest_first_and_filters_pending(owner: Actor, notified: list[int]) -> None:
    api = api_as(owner)
    _confirm(api, notified[0])

    everything = api.get(LIST).json()
    pending = api.get(LIST, pending="true").json()
    first_page = api.get(LIST, limit=1).json()

    assert [row["id"] for row in everything["items"]] == notified
    assert everything["items"][0]["status"] == NotificationStatus.CONFIRMED
    assert everything["items"][1]["recipient_name"] in ("Mailhost GmbH", "Druckhaus Beispiel KG")
    assert ([row["id"] for row in pending["items"]], pending["count"]) == ([notified[1]], 1)
    assert (len(first_page["items"]), first_page["count"], first_page["limit"]) == (1, 2, 1)


def test_the_list_reads_in_a_fixed_number_of_queries(
    owner: Actor, notified: list[int], django_assert_max_num_queries: Callable[..., Any]
) -> None:
    api = api_as(owner)
    # authentication, the count and the page with its recipients; not one more per row
    with django_assert_max_num_queries(6):
        response = api.get(LIST)
    assert response.json()["count"] == 2


def test_confirming_sets_status_and_time_and_a_second_is_refused(owner: Actor, notified: list[int]) -> None:
    api = api_as(owner)

    confirmed = _confirm(api, notified[0])
    before = _state()
    again = _confirm(api, notified[0])

    assert confirmed.status_code == 200
    body = confirmed.json()
    assert (body["id"], body["status"]) == (notified[0], NotificationStatus.CONFIRMED)
    assert body["confirmed_at"] is not None
    assert again.status_code == 422
    assert again.json()["errors"][0]["message"].startswith("This notification was already confirmed on ")
    assert _state() == before


def test_anonymous_callers_are_refused(notified: list[int]) -> None:
    before = _state()

    responses = [Api(token=None).get(LIST), _confirm(Api(token=None), notified[0])]

    assert [response.status_code for response in responses] == [401, 401]
    assert _state() == before


def test_another_workspace_sees_none_and_confirms_nothing(stranger: Actor, notified: list[int]) -> None:
    api = api_as(stranger)
    before = _state()

    listed = api.get(LIST)
    confirmed = _confirm(api, notified[0])

    assert (listed.status_code, listed.json()["count"]) == (200, 0)
    assert confirmed.status_code == 404
    assert _state() == before


@pytest.mark.parametrize(
    ("method", "needs", "missing"),
    [
        ("list", {P.TOKEN_USE, P.PRIVACY_VIEW}, P.PRIVACY_VIEW),
        ("list", {P.TOKEN_USE, P.PRIVACY_VIEW}, P.TOKEN_USE),
        ("confirm", {P.TOKEN_USE, P.PRIVACY_VIEW, P.PRIVACY_MANAGE}, P.PRIVACY_MANAGE),
        ("confirm", {P.TOKEN_USE, P.PRIVACY_VIEW, P.PRIVACY_MANAGE}, P.PRIVACY_VIEW),
        ("confirm", {P.TOKEN_USE, P.PRIVACY_VIEW, P.PRIVACY_MANAGE}, P.TOKEN_USE),
    ],
)
def test_a_member_without_a_needed_permission_is_refused_and_with_them_served(
    method: str,
    needs: set[Permission],
    missing: Permission,
    world: World,
    notified: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    call = (lambda api: api.get(LIST)) if method == "list" else (lambda api: _confirm(api, notified[0]))
    without = api_holding(world, frozenset(needs - {missing}), monkeypatch)
    before = _state()

    refused = call(without)

    assert refused.status_code == 403
    assert _state() == before
    # the same member, once their role grants exactly what the call needs
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.READ_ONLY, frozenset(needs))
    served = call(without)
    assert served.status_code == 200
    if method == "confirm":
        assert AuditEvent.objects.filter(action="recipient_notification.confirm").count() == 1


def test_a_privacy_officer_confirms_and_a_sales_member_may_not(
    actor_with_role: Callable[[str], Actor], notified: list[int]
) -> None:
    sales = api_as(actor_with_role(Role.SALES))
    officer = api_as(actor_with_role(Role.PRIVACY_OFFICER))

    assert (sales.get(LIST).status_code, _confirm(sales, notified[0]).status_code) == (403, 403)
    assert RecipientNotification.objects.get(pk=notified[0]).status == NotificationStatus.PENDING
    assert _confirm(officer, notified[0]).status_code == 200
    assert RecipientNotification.objects.get(pk=notified[0]).status == NotificationStatus.CONFIRMED
