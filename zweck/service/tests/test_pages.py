"""The ticket pages for staff and the requester's page behind the signed link: who may see and
do what, replies and notes, 422 with the answer kept on bad input, and a link that is forged or
expired shows nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zweck.accounts.actors import Actor
from zweck.core.permissions import Role
from zweck.core.tests.smtp import Inbox
from zweck.crm.tests.factories import make_person
from zweck.outbox.testing import outbox_deliver
from zweck.service import services
from zweck.service.choices import MessageKind, TicketStatus
from zweck.service.mail_in import mail_in
from zweck.service.models import HeldMail, Ticket, TicketMessage
from zweck.service.tests.factories import make_desk, make_ticket
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_queue_answers_each_kind_of_caller(owner: Actor, stranger: Actor, actor_with_role: Any) -> None:
    ticket = make_ticket(owner, subject="Server langsam")
    url = reverse("staff:ticket_list")
    assert Client().get(url).status_code == 302
    assert client_for(actor_with_role(Role.MARKETING)).get(url).status_code == 403
    elsewhere = client_for(stranger).get(url)
    assert elsewhere.status_code == 200 and b"Server langsam" not in elsewhere.content
    page = client_for(actor_with_role(Role.SERVICE)).get(url)
    assert page.status_code == 200 and b"Server langsam" in page.content
    assert client_for(stranger).get(reverse("staff:ticket_detail", args=[ticket.pk])).status_code == 404


def test_the_queue_filters_by_status_priority_and_assignee(owner: Actor) -> None:
    make_ticket(owner, subject="Alpha", priority="urgent", assignee=owner.user)
    make_ticket(owner, subject="Beta", priority="low")
    closed = make_ticket(owner, subject="Gamma")
    services.ticket_update(actor=owner, ticket=closed, status=TicketStatus.CLOSED)
    client = client_for(owner)
    default = client.get(reverse("staff:ticket_list")).content.decode()
    assert "Alpha" in default and "Beta" in default and "Gamma" not in default
    assert default.index("Alpha") < default.index("Beta")
    mine = client.get(reverse("staff:ticket_list") + "?mine=1").content.decode()
    assert "Alpha" in mine and "Beta" not in mine
    low = client.get(reverse("staff:ticket_list") + "?priority=low").content.decode()
    assert "Beta" in low and "Alpha" not in low
    done = client.get(reverse("staff:ticket_list") + "?status=closed").content.decode()
    assert "Gamma" in done and "Alpha" not in done


def test_a_reply_from_the_page_reaches_the_requester(
    owner: Actor, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    make_desk(owner)
    ticket = make_ticket(owner, make_person(owner, email="kim@kunde.example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            reverse("staff:ticket_reply", args=[ticket.pk]),
            {
                "kind": "reply",
                "body": "Wir kümmern uns darum.",
                "status": "",
                "attachments": [SimpleUploadedFile("plan.txt", b"Schritt 1", content_type="text/plain")],
            },
        )
    assert response.status_code == 302
    outbox_deliver()
    (mail,) = smtp_inbox.messages
    assert mail["To"] == "kim@kunde.example.com"
    assert ticket.messages.get().attachments.get().file_name == "plan.txt"


def test_a_bad_reply_answers_422_and_keeps_the_text(owner: Actor) -> None:
    ticket = make_ticket(owner)
    response = client_for(owner).post(
        reverse("staff:ticket_reply", args=[ticket.pk]),
        {
            "kind": "note",
            "body": "Mein Entwurf",
            "attachments": [
                SimpleUploadedFile("tool.exe", b"MZ\x90", content_type="application/octet-stream")
            ],
        },
    )
    assert response.status_code == 422
    assert "Mein Entwurf" in response.content.decode()
    assert "tool.exe" in response.content.decode()
    assert TicketMessage.objects.count() == 0


def test_a_member_without_the_right_cannot_reply_and_nothing_changes(
    owner: Actor, actor_with_role: Any
) -> None:
    ticket = make_ticket(owner)
    reader = client_for(actor_with_role(Role.READ_ONLY))
    assert reader.get(reverse("staff:ticket_detail", args=[ticket.pk])).status_code == 200
    response = reader.post(reverse("staff:ticket_reply", args=[ticket.pk]), {"kind": "note", "body": "x"})
    assert response.status_code == 403
    response = reader.post(
        reverse("staff:ticket_update", args=[ticket.pk]), {"status": "closed", "priority": "low"}
    )
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert (ticket.status, TicketMessage.objects.count()) == (TicketStatus.NEW, 0)


def test_status_and_assignee_change_on_the_page(owner: Actor, actor_with_role: Any) -> None:
    technician = actor_with_role(Role.SERVICE)
    ticket = make_ticket(owner)
    response = client_for(owner).post(
        reverse("staff:ticket_update", args=[ticket.pk]),
        {"status": "open", "priority": "high", "assignee": technician.user_id, "category": "Drucker"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee_id, ticket.category) == (
        "open",
        "high",
        technician.user_id,
        "Drucker",
    )
    bad = client_for(owner).post(
        reverse("staff:ticket_update", args=[ticket.pk]), {"status": "weg", "priority": "high"}
    )
    assert bad.status_code == 422


def test_staff_open_a_ticket_for_a_contact_found_by_email(owner: Actor) -> None:
    person = make_person(owner, "Lea", "Lang", email="lea@kunde.example.com")
    client = client_for(owner)
    found = client.post(reverse("staff:ticket_create"), {"requester_email": "lea@kunde.example.com"})
    assert "Lea Lang" in found.content.decode()
    response = client.post(
        reverse("staff:ticket_create"),
        {"requester": person.pk, "subject": "Neuer Laptop", "priority": "normal", "description": ""},
    )
    assert response.status_code == 302
    assert Ticket.objects.get().requester == person
    unknown = client.post(reverse("staff:ticket_create"), {"requester_email": "nobody@example.com"})
    assert unknown.status_code == 422


def test_attachments_are_served_only_to_the_workspace(owner: Actor, stranger: Actor) -> None:
    ticket = make_ticket(owner)
    client_for(owner).post(
        reverse("staff:ticket_reply", args=[ticket.pk]),
        {"kind": "note", "body": "Log", "attachments": [SimpleUploadedFile("a.log", b"line 1\n")]},
    )
    attachment = ticket.attachments.get()
    url = reverse("staff:ticket_attachment", args=[attachment.pk])
    response = client_for(owner).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"line 1\n"
    assert client_for(stranger).get(url).status_code == 404


def test_held_mail_is_listed_and_becomes_a_ticket(owner: Actor) -> None:
    make_desk(owner)
    raw = (
        b"From: Out Of Office <ooo@kunde.example.com>\r\nTo: support@acme.example.com\r\n"
        b"Subject: Frage trotz Autoreply\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <a@b>\r\n\r\nBitte melden.\r\n"
    )
    held = HeldMail.objects.get(pk=mail_in(raw=raw).held_id)
    client = client_for(owner)
    assert "Frage trotz Autoreply" in client.get(reverse("staff:ticket_held_mail")).content.decode()
    response = client.post(reverse("staff:ticket_held_mail_decide", args=[held.pk]), {"action": "ticket"})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.subject == "Frage trotz Autoreply"
    held.refresh_from_db()
    assert (held.status, held.ticket_id) == ("ticket_opened", ticket.pk)


def test_the_requester_reads_and_answers_through_the_link(owner: Actor) -> None:
    ticket = make_ticket(owner, subject="WLAN")
    services.ticket_reply(actor=owner, ticket=ticket, body="Geheime interne Notiz", kind=MessageKind.NOTE)
    services.ticket_reply(actor=owner, ticket=ticket, body="Bitte Router neu starten.")
    url = reverse("support:ticket", kwargs={"token": services.ticket_link_token(ticket)})
    page = Client().get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Bitte Router neu starten." in text and "Geheime interne Notiz" not in text
    assert page["Referrer-Policy"] == "same-origin"
    response = Client().post(url, {"body": "Hat geklappt, danke!"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    last = ticket.messages.order_by("created_at", "pk").last()
    assert last is not None and (last.body, last.author_kind, last.channel) == (
        "Hat geklappt, danke!",
        "requester",
        "portal",
    )
    assert ticket.status == TicketStatus.OPEN
    empty = Client().post(url, {"body": ""})
    assert empty.status_code == 422


def test_a_forged_link_shows_nothing(owner: Actor) -> None:
    ticket = make_ticket(owner, subject="Vertraulich")
    token = services.ticket_link_token(ticket)
    response = Client().get(reverse("support:ticket", kwargs={"token": token[:-3] + "abc"}))
    assert response.status_code == 404 and b"Vertraulich" not in response.content


def test_ticket_forms_take_files_larger_than_an_ordinary_request() -> None:
    from zweck.core import limits
    from zweck.core.request_guard import body_limit

    assert body_limit("/app/tickets/12/reply/") == limits.UPLOAD_BODY_MAX_BYTES
    assert body_limit("/app/tickets/new/") == limits.UPLOAD_BODY_MAX_BYTES
    assert body_limit("/support/abc:def/") == limits.UPLOAD_BODY_MAX_BYTES
    assert body_limit("/app/tickets/12/update/") == limits.REQUEST_BODY_MAX_BYTES


def _settings_post(**changes: str) -> dict[str, str]:
    data = {
        "inbound_address": "hilfe@acme.example.com",
        "ticket_prefix": "HD",
        "business_day_start": "07:30",
        "business_day_end": "16:00",
        "acknowledge_new_tickets": "on",
    }
    for priority in ("low", "normal", "high", "urgent"):
        data[f"response_{priority}"] = "2"
        data[f"resolution_{priority}"] = "8"
    data.update(changes)
    return data


def test_the_desk_settings_set_the_address_hours_and_targets(owner: Actor, actor_with_role: Any) -> None:
    from zweck.service.models import ServiceSettings, SlaTarget

    url = reverse("staff:ticket_settings")
    assert client_for(actor_with_role(Role.SERVICE)).get(url).status_code == 403
    client = client_for(owner)
    assert client.get(url).status_code == 200
    response = client.post(url, _settings_post(response_urgent="0.5"))
    assert response.status_code == 302
    desk = ServiceSettings.objects.get(workspace_id=owner.workspace_id)
    assert (desk.inbound_address, desk.ticket_prefix, desk.business_day_start.hour) == (
        "hilfe@acme.example.com",
        "HD",
        7,
    )
    assert SlaTarget.objects.get(priority="urgent").response_minutes == 30
    ticket = make_ticket(owner)
    assert services.ticket_reference(ticket) == "HD-1"


def test_bad_desk_settings_answer_422_and_change_nothing(owner: Actor) -> None:
    from zweck.service.models import SlaTarget

    client = client_for(owner)
    url = reverse("staff:ticket_settings")
    assert client.post(url, _settings_post(business_day_end="06:00")).status_code == 422
    assert client.post(url, _settings_post(resolution_high="1")).status_code == 422
    assert client.post(url, _settings_post(ticket_prefix="t-")).status_code == 422
    assert SlaTarget.objects.count() == 0
