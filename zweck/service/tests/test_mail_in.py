"""Email in: new tickets from known and unknown senders, answers that find their ticket by
headers or reference, automatic mail that is never answered, and mail that cannot be read
kept for review — with replies read back from a real SMTP server."""

from __future__ import annotations

import io
import sys
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.management import call_command

from zweck.accounts.actors import Actor
from zweck.core.tests.smtp import Inbox
from zweck.crm.choices import SubjectCategory
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_organization, make_person
from zweck.outbox.models import OutgoingMail
from zweck.outbox.testing import outbox_deliver
from zweck.service import services
from zweck.service.choices import HeldMailReason, MessageKind, TicketChannel, TicketStatus
from zweck.service.mail_in import mail_in
from zweck.service.models import HeldMail, Ticket, TicketAttachment, TicketMessage
from zweck.service.tests.factories import SUPPORT, make_desk

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%%EOF\n"


def email(
    *,
    sender: str = "Klara Kunde <klara@kunde.example.com>",
    to: str = SUPPORT,
    subject: str = "Drucker im 2. OG druckt nicht",
    body: str = "Seit heute früh kommt nichts mehr raus.",
    message_id: str = "<m1@kunde.example.com>",
    headers: dict[str, str] | None = None,
    files: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Thu, 03 Dec 2026 09:00:00 +0100"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for name, content, kind in files:
        main, sub = kind.split("/")
        message.add_attachment(content, maintype=main, subtype=sub, filename=name)
    return message.as_bytes()


@pytest.fixture
def desk(owner: Actor) -> Actor:
    make_desk(owner)
    return owner


def test_mail_from_a_known_contact_opens_a_ticket_for_them(
    desk: Actor, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    organization = make_organization(desk, "Kunde AG")
    klara = make_person(desk, "Klara", "Kunde", email="klara@kunde.example.com", organization=organization)
    with django_capture_on_commit_callbacks(execute=True):
        result = mail_in(raw=email(files=[("Fehler.pdf", PDF, "application/pdf")]))
    assert result.outcome == "opened"
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert (ticket.requester, ticket.organization, ticket.channel) == (
        klara,
        organization,
        TicketChannel.EMAIL,
    )
    assert (ticket.subject, ticket.description) == (
        "Drucker im 2. OG druckt nicht",
        "Seit heute früh kommt nichts mehr raus.",
    )
    (first,) = ticket.messages.all()
    assert first.message_id == "<m1@kunde.example.com>"
    assert TicketAttachment.objects.get().file_name == "Fehler.pdf"
    # the acknowledgement, read back from a real SMTP server
    outbox_deliver()
    (ack,) = smtp_inbox.messages
    assert ack["To"] == "klara@kunde.example.com"
    assert ack["Subject"].startswith("[T-1] ")
    assert ack["Subject"].endswith(": Drucker im 2. OG druckt nicht")
    assert ack["Auto-Submitted"] == "auto-replied"
    assert "".join(ack["In-Reply-To"].split()) == "<m1@kunde.example.com>"


def test_mail_from_an_unknown_sender_creates_a_contact(desk: Actor) -> None:
    result = mail_in(raw=email(sender="Otto Neu <otto@neu.example.com>"))
    ticket = Ticket.objects.get(pk=result.ticket_id)
    person = Person.objects.get(pk=ticket.requester_id)
    assert (person.first_name, person.last_name) == ("Otto", "Neu")
    assert person.subject_category == SubjectCategory.OTHER_CONTACT
    assert ticket.requester_email == "otto@neu.example.com"


def test_an_answer_continues_its_ticket_by_in_reply_to(
    desk: Actor, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    opened = mail_in(raw=email())
    ticket = Ticket.objects.get(pk=opened.ticket_id)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.ticket_reply(actor=desk, ticket=ticket, body="Ist er eingeschaltet?")
    outbox_deliver()
    sent = smtp_inbox.messages[-1]
    # The customer answers the reply they received; their client keeps the thread headers.
    answer = email(
        subject="AW: " + str(sent["Subject"]),
        body="Ja, ist er.",
        message_id="<m2@kunde.example.com>",
        headers={"In-Reply-To": "".join(sent["Message-ID"].split()), "References": reply.message_id},
    )
    result = mail_in(raw=answer)
    assert (result.outcome, result.ticket_id) == ("continued", ticket.pk)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert list(ticket.messages.values_list("body", flat=True))[-1] == "Ja, ist er."


def test_an_answer_continues_its_ticket_by_the_reference_in_the_subject(desk: Actor) -> None:
    ticket = Ticket.objects.get(pk=mail_in(raw=email()).ticket_id)
    result = mail_in(raw=email(subject="Re: [T-1] Drucker", message_id="<m3@kunde.example.com>"))
    assert (result.outcome, result.ticket_id) == ("continued", ticket.pk)


def test_a_stranger_with_a_reference_opens_a_new_ticket(desk: Actor) -> None:
    mail_in(raw=email())
    result = mail_in(raw=email(sender="mallory@evil.example.com", subject="[T-1] Hallo", message_id="<x@e>"))
    assert result.outcome == "opened"
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"Precedence": "auto_reply"},
        {"X-Autoreply": "yes"},
        {"Return-Path": "<>"},
    ],
)
def test_automatic_mail_opens_no_ticket_and_is_never_answered(desk: Actor, headers: dict[str, str]) -> None:
    result = mail_in(raw=email(subject="Abwesenheitsnotiz", headers=headers))
    assert (result.outcome, result.reason) == ("held", HeldMailReason.AUTOMATIC)
    assert Ticket.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


def test_mail_from_the_desks_own_address_is_a_loop(desk: Actor) -> None:
    result = mail_in(raw=email(sender=SUPPORT))
    assert (result.outcome, result.reason) == ("held", HeldMailReason.AUTOMATIC)


def test_an_automatic_answer_joins_its_ticket_without_reopening_or_answering(desk: Actor) -> None:
    ticket = Ticket.objects.get(pk=mail_in(raw=email()).ticket_id)
    services.ticket_update(actor=desk, ticket=ticket, status=TicketStatus.WAITING)
    before = OutgoingMail.objects.count()
    result = mail_in(
        raw=email(
            subject="Re: [T-1] Abwesend", message_id="<ooo@k>", headers={"Auto-Submitted": "auto-replied"}
        )
    )
    assert result.outcome == "continued"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    assert TicketMessage.objects.filter(is_automatic=True).count() == 1
    assert OutgoingMail.objects.count() == before


@pytest.mark.parametrize("raw", [b"", b"this is not an email at all", b"\x00\x01\x02garbage"])
def test_mail_that_is_not_rfc_5322_is_kept_byte_for_byte(desk: Actor, raw: bytes) -> None:
    result = mail_in(raw=raw, workspace_slug=desk.workspace.slug)
    held = HeldMail.objects.get(pk=result.held_id)
    assert (held.reason, bytes(held.raw), held.workspace_id) == (
        HeldMailReason.UNREADABLE,
        raw,
        desk.workspace_id,
    )
    assert Ticket.objects.count() == 0


def test_mail_to_no_known_address_is_kept_without_workspace(desk: Actor) -> None:
    result = mail_in(raw=email(to="info@unknown.example.org"))
    held = HeldMail.objects.get(pk=result.held_id)
    assert (held.reason, held.workspace_id) == (HeldMailReason.NO_WORKSPACE, None)


def test_the_workspace_can_be_named_by_the_mail_server(owner: Actor) -> None:
    result = mail_in(raw=email(to="irgendwas@example.com"), workspace_slug=owner.workspace.slug)
    assert Ticket.objects.get(pk=result.ticket_id).workspace_id == owner.workspace_id


def test_the_envelope_recipient_chooses_the_workspace(desk: Actor, stranger: Actor) -> None:
    make_desk(stranger, "help@other.example.com")
    result = mail_in(raw=email(to="undisclosed-recipients:;"), recipients=["help@other.example.com"])
    assert Ticket.objects.get(pk=result.ticket_id).workspace_id == stranger.workspace_id


def test_a_refused_attachment_is_noted_and_the_mail_kept(desk: Actor) -> None:
    result = mail_in(
        raw=email(
            files=[("ok.pdf", PDF, "application/pdf"), ("tool.exe", b"MZ\x90", "application/octet-stream")]
        )
    )
    assert result.outcome == "opened"
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert list(TicketAttachment.objects.values_list("file_name", flat=True)) == ["ok.pdf"]
    note = ticket.messages.get(kind=MessageKind.NOTE)
    assert "tool.exe" in note.body
    held = HeldMail.objects.get(pk=result.held_id)
    assert (held.reason, held.ticket_id) == (HeldMailReason.ATTACHMENT_REFUSED, ticket.pk)


def test_the_command_reads_standard_input(desk: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(email()))
    monkeypatch.setattr(sys, "stdin", stdin)
    out = io.StringIO()
    call_command("mail-in", stdout=out)
    assert "Ticket" in out.getvalue()
    assert Ticket.objects.count() == 1
