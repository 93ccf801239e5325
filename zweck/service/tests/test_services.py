"""Tickets through their services: numbers, targets, replies by email through the outbox to a
real SMTP server, notes, status moments, attachments, and who may do what."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.core.tests.smtp import Inbox
from zweck.crm.tests.factories import make_organization, make_person
from zweck.outbox.testing import outbox_deliver
from zweck.service import selectors, services
from zweck.service.attachments import MAX_ATTACHMENT_BYTES, attachment_check
from zweck.service.choices import MessageKind, SlaState, TicketChannel, TicketStatus
from zweck.service.models import Ticket, TicketAttachment, TicketMessage
from zweck.service.tests.factories import SUPPORT, make_desk, make_ticket

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def test_tickets_are_numbered_per_workspace_without_gaps(owner: Actor, stranger: Actor) -> None:
    first, second = make_ticket(owner), make_ticket(owner)
    elsewhere = make_ticket(stranger)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert services.ticket_reference(second) == "T-2"


def test_a_ticket_gets_its_targets_in_business_hours(owner: Actor) -> None:
    ticket = make_ticket(owner, priority="urgent")
    assert ticket.response_due_at is not None and ticket.resolution_due_at is not None
    hours = services.business_hours_of(owner)
    assert hours.minutes_between(ticket.created_at, ticket.response_due_at) == 60
    assert hours.minutes_between(ticket.created_at, ticket.resolution_due_at) == 240
    assert ticket.sla_due_at == ticket.response_due_at
    assert ticket.organization is not None and ticket.organization.name == "Kunde AG"


def test_an_organizations_own_targets_override_the_workspaces(owner: Actor) -> None:
    organization = make_organization(owner, "Vertrag GmbH")
    services.sla_target_set(actor=owner, priority="normal", response_minutes=30, resolution_minutes=120)
    services.sla_target_set(
        actor=owner, priority="normal", response_minutes=15, resolution_minutes=60, organization=organization
    )
    hours = services.business_hours_of(owner)
    contract = make_ticket(owner, make_person(owner, organization=organization))
    other = make_ticket(owner)
    assert hours.minutes_between(contract.created_at, contract.response_due_at) == 15
    assert hours.minutes_between(other.created_at, other.response_due_at) == 30


def test_a_target_resolving_before_responding_is_refused(owner: Actor) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.sla_target_set(actor=owner, priority="high", response_minutes=120, resolution_minutes=60)
    assert "resolution_minutes" in refusal.value.message_dict


def test_a_public_reply_goes_out_by_email_with_reference_and_thread_headers(
    owner: Actor, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    make_desk(owner)
    requester = make_person(owner, "Klara", "Kunde", email="klara@kunde.example.com", language="en")
    ticket = make_ticket(owner, requester, subject="VPN geht nicht", message_id="<first@kunde.example.com>")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.ticket_reply(actor=owner, ticket=ticket, body="Bitte starten Sie den Client neu.")
    outbox_deliver()
    (mail,) = smtp_inbox.messages
    assert mail["To"] == "klara@kunde.example.com"
    assert mail["From"] == SUPPORT
    assert mail["Subject"] == "Re: [T-1] VPN geht nicht"
    assert "".join(mail["Message-ID"].split()) == reply.message_id
    assert "".join(mail["In-Reply-To"].split()) == "<first@kunde.example.com>"
    assert "<first@kunde.example.com>" in mail["References"]
    body = mail.get_payload(decode=True).decode()
    assert "Bitte starten Sie den Client neu." in body
    assert "https://crm.example.com/support/" in body
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    assert ticket.first_response_at == reply.created_at
    assert ticket.response_minutes is not None
    assert ticket.sla_due_at == ticket.resolution_due_at


def test_an_internal_note_sends_nothing_and_is_no_response(owner: Actor, smtp_inbox: Inbox) -> None:
    ticket = make_ticket(owner)
    services.ticket_reply(actor=owner, ticket=ticket, body="Kunde ruft morgen an.", kind=MessageKind.NOTE)
    assert outbox_deliver() == 0
    ticket.refresh_from_db()
    assert (ticket.status, ticket.first_response_at) == (TicketStatus.OPEN, None)
    assert smtp_inbox.messages == []


def test_resolving_and_closing_stamp_their_moments_and_reopening_clears_them(owner: Actor) -> None:
    ticket = make_ticket(owner)
    services.ticket_update(actor=owner, ticket=ticket, status=TicketStatus.RESOLVED)
    ticket.refresh_from_db()
    assert ticket.resolved_at is not None and ticket.closed_at is None and ticket.sla_due_at is None
    services.ticket_update(actor=owner, ticket=ticket, status=TicketStatus.CLOSED)
    ticket.refresh_from_db()
    assert ticket.closed_at is not None
    services.ticket_update(actor=owner, ticket=ticket, status=TicketStatus.OPEN)
    ticket.refresh_from_db()
    assert (ticket.resolved_at, ticket.closed_at, ticket.sla_due_at) == (None, None, ticket.response_due_at)


def test_a_new_priority_sets_new_targets(owner: Actor) -> None:
    ticket = make_ticket(owner, priority="low")
    before = ticket.response_due_at
    services.ticket_update(actor=owner, ticket=ticket, priority="urgent")
    ticket.refresh_from_db()
    assert ticket.response_due_at is not None and before is not None and ticket.response_due_at < before


def test_bad_input_is_refused_at_its_field_and_nothing_is_written(owner: Actor) -> None:
    ticket = make_ticket(owner)
    with pytest.raises(ValidationError) as refusal:
        services.ticket_update(actor=owner, ticket=ticket, status="lost")
    assert "status" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        services.ticket_reply(actor=owner, ticket=ticket, body="   ")
    assert "body" in refusal.value.message_dict
    with pytest.raises(ValidationError):
        make_ticket(owner, subject="  ")
    assert TicketMessage.objects.count() == 0
    assert Ticket.objects.count() == 1


def test_the_assignee_must_be_a_member(owner: Actor, stranger: Actor) -> None:
    ticket = make_ticket(owner)
    with pytest.raises(ValidationError) as refusal:
        services.ticket_update(actor=owner, ticket=ticket, assignee=stranger.user)
    assert "assignee" in refusal.value.message_dict


def test_a_requester_of_another_workspace_is_refused(owner: Actor, stranger: Actor) -> None:
    with pytest.raises(ValidationError) as refusal:
        make_ticket(owner, make_person(stranger))
    assert "requester" in refusal.value.message_dict


@pytest.mark.parametrize("role", [Role.READ_ONLY, Role.SALES, Role.MARKETING])
def test_only_service_staff_work_on_tickets(owner: Actor, actor_with_role: Any, role: str) -> None:
    ticket = make_ticket(owner)
    member = actor_with_role(role)
    with pytest.raises(PermissionDenied):
        services.ticket_reply(actor=member, ticket=ticket, body="Hallo")
    with pytest.raises(PermissionDenied):
        services.ticket_update(actor=member, ticket=ticket, status=TicketStatus.CLOSED)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW
    assert TicketMessage.objects.count() == 0


def test_service_staff_work_on_tickets_and_see_them(owner: Actor, actor_with_role: Any) -> None:
    technician = actor_with_role(Role.SERVICE)
    ticket = make_ticket(technician, make_person(owner), assignee=technician.user)
    services.ticket_reply(actor=technician, ticket=ticket, body="Erledigt.", kind=MessageKind.NOTE)
    assert list(selectors.ticket_list(actor=technician, mine=True)) == [ticket]
    assert list(selectors.ticket_list(actor=actor_with_role(Role.READ_ONLY))) == [ticket]
    with pytest.raises(PermissionDenied):
        selectors.ticket_list(actor=actor_with_role(Role.MARKETING))


def test_other_workspaces_tickets_are_not_found(owner: Actor, stranger: Actor) -> None:
    ticket = make_ticket(owner)
    with pytest.raises(Ticket.DoesNotExist):
        selectors.ticket_get(actor=stranger, ticket_id=ticket.pk)
    assert list(selectors.ticket_list(actor=stranger)) == []


def test_every_write_is_audited_without_texts(owner: Actor) -> None:
    ticket = make_ticket(owner, subject="Geheimes Projekt Falke")
    services.ticket_reply(actor=owner, ticket=ticket, body="Notiz zu Falke", kind=MessageKind.NOTE)
    services.ticket_update(actor=owner, ticket=ticket, priority="high")
    actions = list(
        AuditEvent.objects.filter(workspace_id=owner.workspace_id).values_list("action", flat=True)
    )
    assert {"ticket.create", "ticket.note", "ticket.update"} <= set(actions)
    assert "Falke" not in str(list(AuditEvent.objects.values_list("details", "changed_fields")))


def test_the_queue_is_sorted_by_the_next_target_and_marks_overdue(owner: Actor) -> None:
    low, urgent = make_ticket(owner, priority="low"), make_ticket(owner, priority="urgent")
    done = make_ticket(owner)
    services.ticket_update(actor=owner, ticket=done, status=TicketStatus.CLOSED)
    done.refresh_from_db()
    queue = list(selectors.ticket_list(actor=owner, active=True))
    assert queue == [urgent, low]
    assert list(selectors.ticket_list(actor=owner))[-1] == done
    later = urgent.sla_due_at + timedelta(minutes=1)
    assert selectors.sla_state(urgent, now=later) == SlaState.OVERDUE
    assert selectors.sla_state(urgent, now=urgent.sla_due_at - timedelta(minutes=30)) == SlaState.DUE_SOON
    assert selectors.sla_state(done) == SlaState.NONE


def test_the_queue_reads_with_a_fixed_number_of_queries(owner: Actor, django_assert_num_queries: Any) -> None:
    for _ in range(5):
        make_ticket(owner, assignee=owner.user)
    with django_assert_num_queries(1):
        rows = [
            (t.requester.last_name, t.organization and t.organization.name, t.assignee)
            for t in selectors.ticket_list(actor=owner)
        ]
    assert len(rows) == 5


def test_attachments_are_checked_and_stored_under_the_data_directory(
    owner: Actor, _data_directory_of_the_test: Path
) -> None:
    ticket = make_ticket(owner)
    checked = attachment_check(file_name="../../Rechnung.pdf", content=PDF)
    message = services.ticket_reply(
        actor=owner, ticket=ticket, body="Anbei", kind=MessageKind.NOTE, attachments=[checked]
    )
    (stored,) = TicketAttachment.objects.filter(message=message)
    assert (stored.file_name, stored.content_type, stored.size) == (
        "Rechnung.pdf",
        "application/pdf",
        len(PDF),
    )
    path = Path(stored.file.path)
    assert path.is_relative_to(_data_directory_of_the_test / "attachments")
    assert path.read_bytes() == PDF
    assert "Rechnung" not in path.name


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("virus.exe", b"MZ\x90\x00", "not accepted"),
        ("bericht.pdf", b"MZ\x90\x00 not a pdf", "does not contain what its name says"),
        ("leer.txt", b"", "empty"),
        ("gross.txt", b"a" * (MAX_ATTACHMENT_BYTES + 1), "larger than"),
    ],
)
def test_a_wrong_file_is_refused_with_a_reason(name: str, content: bytes, words: str) -> None:
    with pytest.raises(ValidationError) as refusal:
        attachment_check(file_name=name, content=content)
    assert words in " ".join(refusal.value.messages)


def test_the_requesters_link_opens_only_its_ticket_and_expires(owner: Actor, settings: Any) -> None:
    ticket = make_ticket(owner)
    token = services.ticket_link_token(ticket)
    assert services.ticket_link_read(token) == (owner.workspace_id, ticket.pk, ticket.requester_id)
    assert services.ticket_link_read(token[:-2] + "xx") is None
    from django.core import signing

    old = signing.TimestampSigner(salt=services.LINK_SALT)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            signing.TimestampSigner,
            "timestamp",
            lambda self: signing.b62_encode(int((timezone.now() - timedelta(days=31)).timestamp())),
        )
        expired = services.ticket_link_token(ticket)
    assert old is not None
    assert services.ticket_link_read(expired) is None


def test_a_ticket_from_the_api_is_acknowledged_by_email(
    owner: Actor, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    make_desk(owner)
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(owner, make_person(owner, email="neu@kunde.example.com"), channel=TicketChannel.API)
    outbox_deliver()
    (mail,) = smtp_inbox.messages
    assert mail["Subject"].startswith("[T-1] ")
    assert mail["Auto-Submitted"] == "auto-replied"


def test_mail_to_a_requester_without_a_language_is_in_the_workspaces(
    owner: Actor, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import translation

    ticket = make_ticket(owner, make_person(owner, email="ohne@kunde.example.com"), subject="Frage")
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_reply(actor=owner, ticket=ticket, body="Antwort")
    outbox_deliver()
    with translation.override("de"):
        expected = translation.gettext("Re: [%(reference)s] %(subject)s") % {
            "reference": "T-1",
            "subject": "Frage",
        }
    assert smtp_inbox.messages[-1]["Subject"] == expected
