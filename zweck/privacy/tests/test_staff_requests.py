"""The privacy officer's request pages: permission matrix, deadlines highlighted, plan and execution."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.core.permissions import Role
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person
from zweck.privacy.dsr import dsr_link_persons, dsr_open, dsr_verify
from zweck.privacy.request_models import RequestChannel, RequestKind
from zweck.web.tests.conftest import client_for


@pytest.fixture
def erasure_request(installed: Actor, owner: Actor) -> tuple[object, Person]:
    person = make_person(owner, first_name="Emil", last_name="Test", email="emil.test@example.com")
    request = dsr_open(
        actor=installed,
        kind=RequestKind.ERASURE,
        channel=RequestChannel.LETTER,
        received_at=timezone.now() - timedelta(days=40),
    )
    dsr_verify(actor=installed, request=request)
    dsr_link_persons(actor=installed, request=request, person_ids=[person.pk])
    return request, person


def test_permission_matrix(
    erasure_request: tuple, actor_with_role: Callable[[str], Actor], stranger: Actor, installed: Actor
) -> None:
    request, person = erasure_request
    detail = f"/app/privacy/requests/{request.pk}/"
    erase = f"/app/privacy/requests/{request.pk}/erase/"
    assert Client().get(detail).status_code == 302
    sales = client_for(actor_with_role(Role.SALES))
    assert (sales.get(detail).status_code, sales.post(erase).status_code) == (403, 403)
    other = client_for(stranger)
    assert (other.get(detail).status_code, other.post(erase).status_code) == (404, 404)
    assert Person.objects.filter(pk=person.pk).exists()
    officer = client_for(installed)
    assert officer.get(detail).status_code == 200
    assert officer.get(f"/app/privacy/requests/{request.pk}/plan/").status_code == 200
    assert officer.post(erase, {"confirm": "erase"}).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()


def test_queue_highlights_overdue_requests(erasure_request: tuple, installed: Actor) -> None:
    page = client_for(installed).get("/app/privacy/requests/").content.decode()
    assert 'class="overdue"' in page
