"""/api/v1/tickets: list, create, read, update and reply, for the four kinds of caller, with
422 and nothing written on bad input, and replies read back from a real SMTP server."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import MembershipFactory
from zweck.api.tests.support import Api, api_as
from zweck.audit.models import AuditEvent
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role
from zweck.core.tests.smtp import Inbox
from zweck.crm.tests.factories import make_person
from zweck.outbox.testing import outbox_deliver
from zweck.service.models import Ticket, TicketMessage
from zweck.service.tests.factories import make_desk, make_ticket

pytestmark = pytest.mark.django_db
PDF = base64.b64encode(b"%PDF-1.7\n%%EOF\n").decode()


def api_without(owner: Actor, permission: Permission) -> Api:
    """A member of the owner's workspace holding every permission but ``permission``."""
    role = "zz_test_without"
    ROLE_PERMISSIONS[role] = frozenset(Permission) - {permission}
    return api_as(Actor.for_membership(MembershipFactory(role=role, workspace=owner.workspace)))


@pytest.fixture(autouse=True)
def _forget_test_roles() -> Any:
    yield
    ROLE_PERMISSIONS.pop("zz_test_without", None)


def snapshot() -> tuple[int, int, int]:
    return Ticket.objects.count(), TicketMessage.objects.count(), AuditEvent.objects.count()


def test_a_ticket_is_opened_read_changed_and_answered(
    owner: Actor, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    make_desk(owner)
    api = api_as(owner)
    person = make_person(owner, "Ida", "Iske", email="ida@kunde.example.com", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/tickets",
            {
                "requester_id": person.pk,
                "subject": "Mailbox voll",
                "description": "Seit Montag.",
                "priority": "high",
                "attachments": [{"file_name": "screen.pdf", "content_base64": PDF}],
            },
        )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["reference"], body["status"], body["priority"], body["requester_id"]) == (
        "T-1",
        "new",
        "high",
        person.pk,
    )
    assert body["response_due_at"] is not None and body["sla_state"] in {"on_track", "due_soon", "overdue"}
    ticket_id = body["id"]
    assert api.get("/tickets", active="true").json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        reply = api.post(f"/tickets/{ticket_id}/replies", {"body": "Wir räumen auf."})
    assert reply.status_code == 201 and reply.json()["kind"] == "reply"
    outbox_deliver()
    assert [m["Subject"] for m in smtp_inbox.messages][-1] == "Re: [T-1] Mailbox voll"
    changed = api.patch(f"/tickets/{ticket_id}", {"status": "resolved", "assignee_id": owner.user_id})
    assert changed.status_code == 200
    detail = api.get(f"/tickets/{ticket_id}").json()
    assert (detail["status"], detail["assignee_id"]) == ("resolved", owner.user_id)
    assert detail["resolved_at"] is not None and detail["first_response_at"] is not None
    assert [m["body"] for m in detail["messages"]][-1] == "Wir räumen auf."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "x"}, "requester_id"),
        ({"requester_id": 999999, "subject": "x"}, "requester_id"),
        ({"requester_id": "{person}", "subject": ""}, "subject"),
        ({"requester_id": "{person}", "subject": "x", "priority": "sofort"}, "priority"),
        ({"requester_id": "{person}", "subject": "x\u0000"}, "subject"),
        ({"requester_id": "{person}", "subject": "x", "unknown": 1}, "unknown"),
        (
            {
                "requester_id": "{person}",
                "subject": "x",
                "attachments": [{"file_name": "a.exe", "content_base64": "TVo="}],
            },
            "attachments.0",
        ),
        (
            {
                "requester_id": "{person}",
                "subject": "x",
                "attachments": [{"file_name": "a.pdf", "content_base64": "%%%"}],
            },
            "attachments.0.content_base64",
        ),
    ],
)
def test_bad_input_answers_422_and_writes_nothing(owner: Actor, body: dict[str, Any], field: str) -> None:
    person = make_person(owner)
    payload = {key: (person.pk if value == "{person}" else value) for key, value in body.items()}
    api = api_as(owner)
    before = snapshot()
    response = api.post("/tickets", payload)
    assert response.status_code == 422, response.content
    fields = [error["field"] for error in response.json()["errors"]]
    assert any(name == field or name.startswith(field) for name in fields), fields
    assert snapshot() == before


def test_bad_updates_and_replies_answer_422(owner: Actor) -> None:
    ticket = make_ticket(owner)
    api = api_as(owner)
    before = snapshot()
    assert api.patch(f"/tickets/{ticket.pk}", {"status": "weg"}).status_code == 422
    assert api.patch(f"/tickets/{ticket.pk}", {"status": None}).status_code == 422
    assert api.patch(f"/tickets/{ticket.pk}", {"assignee_id": 424242}).status_code == 422
    assert api.post(f"/tickets/{ticket.pk}/replies", {"body": ""}).status_code == 422
    assert api.post(f"/tickets/{ticket.pk}/replies", {"body": "x", "kind": "shout"}).status_code == 422
    assert snapshot() == before


ENDPOINTS = [
    ("GET", "/tickets", None, Permission.TICKET_VIEW),
    ("POST", "/tickets", {"subject": "Neu"}, Permission.TICKET_MANAGE),
    ("GET", "/tickets/{ticket}", None, Permission.TICKET_VIEW),
    ("PATCH", "/tickets/{ticket}", {"status": "closed"}, Permission.TICKET_MANAGE),
    ("POST", "/tickets/{ticket}/replies", {"body": "Hallo", "kind": "note"}, Permission.TICKET_MANAGE),
]


@pytest.mark.parametrize(("method", "path", "body", "needs"), ENDPOINTS)
def test_each_endpoint_for_the_four_kinds_of_caller(
    owner: Actor, stranger: Actor, method: str, path: str, body: dict[str, Any] | None, needs: Permission
) -> None:
    ticket = make_ticket(owner)
    url = path.format(ticket=ticket.pk)
    payload = dict(body or {})
    if method == "POST" and path == "/tickets":
        payload["requester_id"] = ticket.requester_id
    before = snapshot()
    assert Api().call(method, url, payload or None).status_code == 401
    foreign = api_as(stranger).call(method, url, payload or None)
    if path == "/tickets" and method == "GET":
        assert foreign.status_code == 200 and foreign.json()["count"] == 0
    else:
        assert foreign.status_code in {404, 422}
    assert api_without(owner, needs).call(method, url, payload or None).status_code == 403
    assert snapshot()[:2] == before[:2]
    allowed = Actor.for_membership(MembershipFactory(role=Role.SERVICE, workspace=owner.workspace))
    assert api_as(allowed).call(method, url, payload or None).status_code in {200, 201}


def test_the_list_reads_with_a_fixed_number_of_queries(
    owner: Actor, django_assert_max_num_queries: Any
) -> None:
    api = api_as(owner)
    api.get("/tickets")  # the token's first use is recorded once
    for _ in range(3):
        make_ticket(owner)
    with django_assert_max_num_queries(12) as few:
        assert api.get("/tickets").json()["count"] == 3
    for _ in range(7):
        make_ticket(owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/tickets").json()["count"] == 10
