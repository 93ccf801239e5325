from __future__ import annotations

from typing import Any

from zweck.accounts.actors import Actor
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_organization, make_person
from zweck.service.models import Ticket
from zweck.service.services import service_settings_update, ticket_create

SUPPORT = "support@acme.example.com"


def make_desk(actor: Actor, address: str = SUPPORT) -> None:
    service_settings_update(actor=actor, inbound_address=address)


def make_ticket(actor: Actor, requester: Person | None = None, **details: Any) -> Ticket:
    if requester is None:
        requester = make_person(actor, "Klara", "Kunde", organization=make_organization(actor, "Kunde AG"))
    return ticket_create(
        actor=actor,
        requester=requester,
        subject=str(details.pop("subject", "Drucker druckt nicht")),
        **details,
    )


def make_ticket_rows(actor: Actor, requester: Person) -> Ticket:
    """A ticket with a reply, a note and a file: a row of every contact model of the desk."""
    from zweck.service.attachments import attachment_check
    from zweck.service.services import ticket_reply

    ticket = make_ticket(actor, requester, message_id=f"<world-{requester.pk}@example.com>")
    ticket_reply(
        actor=actor,
        ticket=ticket,
        body="Notiz",
        kind="note",
        attachments=[attachment_check(file_name="notiz.txt", content=b"Notiz")],
    )
    return ticket
