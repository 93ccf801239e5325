"""The desk's rows in the register: tickets are kept three years after they were closed and then
swept with their messages and files; an open ticket is never swept; erasing a requester takes
their tickets and files with them; ticket texts are searched for mentions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.crm.tests.factories import make_person
from zweck.privacy.models import RetentionRule
from zweck.privacy.retention import retention_sweep
from zweck.privacy.services import register_defaults_install
from zweck.service import services
from zweck.service.attachments import attachment_check, attachment_files_prune
from zweck.service.choices import MessageKind, TicketStatus
from zweck.service.models import Ticket, TicketAttachment, TicketMessage
from zweck.service.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_the_shipped_rule_keeps_tickets_three_years_after_closing(owner: Actor) -> None:
    register_defaults_install(actor=owner)
    rule = RetentionRule.objects.get(workspace_id=owner.workspace_id, key="support_tickets")
    assert (rule.years, rule.counts_from, rule.statutory) == (3, "case_closed", False)
    assert RetentionRule.objects.filter(workspace_id=owner.workspace_id, key="held_incoming_mail").exists()


def test_closed_tickets_are_swept_after_three_years_open_ones_never(
    owner: Actor, _data_directory_of_the_test: Path
) -> None:
    register_defaults_install(actor=owner)
    requester = make_person(owner)
    old = make_ticket(owner, requester, subject="Alt")
    services.ticket_reply(
        actor=owner,
        ticket=old,
        body="Notiz",
        kind=MessageKind.NOTE,
        attachments=[attachment_check(file_name="a.txt", content=b"A")],
    )
    services.ticket_update(actor=owner, ticket=old, status=TicketStatus.CLOSED)
    recent = make_ticket(owner, requester, subject="Neu geschlossen")
    services.ticket_update(actor=owner, ticket=recent, status=TicketStatus.CLOSED)
    forgotten = make_ticket(owner, requester, subject="Offen seit Jahren")
    long_ago = timezone.now() - timedelta(days=3 * 366 + 2)
    Ticket.objects.filter(pk=old.pk).update(closed_at=long_ago)
    Ticket.objects.filter(pk=forgotten.pk).update(created_at=long_ago)
    file_path = Path(TicketAttachment.objects.get().file.path)

    retention_sweep(actor=owner)

    assert set(Ticket.objects.values_list("subject", flat=True)) == {"Neu geschlossen", "Offen seit Jahren"}
    assert not TicketMessage.objects.filter(ticket_id=old.pk).exists()
    assert not TicketAttachment.objects.exists()
    # the file follows with the nightly prune of files no row names
    assert file_path.exists()
    assert attachment_files_prune() == 1
    assert not file_path.exists()


def test_erasing_a_requester_takes_their_tickets_and_files(
    owner: Actor, _data_directory_of_the_test: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from zweck.privacy.dsr import dsr_open
    from zweck.privacy.erasure import person_erase
    from zweck.privacy.request_models import RequestKind

    register_defaults_install(actor=owner)
    requester = make_person(owner)
    ticket = make_ticket(owner, requester)
    services.ticket_reply(
        actor=owner,
        ticket=ticket,
        body="Log",
        kind=MessageKind.NOTE,
        attachments=[attachment_check(file_name="log.txt", content=b"x")],
    )
    path = Path(TicketAttachment.objects.get().file.path)
    dsr_open(actor=owner, kind=RequestKind.ERASURE, channel="email", person_ids=[requester.pk])
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(actor=owner, person_ids=[requester.pk])
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()
    assert not path.exists()
