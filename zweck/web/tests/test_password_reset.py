"""Password reset by email, through a real SMTP server started by the test."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.outbox.models import MailStatus, OutgoingMail
from zweck.outbox.testing import outbox_deliver

pytestmark = pytest.mark.django_db


class Inbox(MessageHandler):
    """Keeps every message the server receives."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def handle_message(self, message: Message) -> None:
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox(settings: pytest.FixtureRequest) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    try:
        yield handler
    finally:
        controller.stop()


def _header(message: Message, name: str) -> str:
    return str(make_header(decode_header(message[name])))


def _text(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


def test_a_user_resets_the_password_with_the_link_from_the_email(owner: Actor, inbox: Inbox) -> None:
    # given
    assert owner.user is not None
    client = Client()
    # when they ask for a link
    response = client.post("/app/password-reset/", {"email": owner.user.email})
    # then the mail waits in the outbox, and the worker's pass sends it
    mail = OutgoingMail.objects.get()
    assert (mail.recipients, mail.status) == ([owner.user.email], MailStatus.PENDING)
    assert outbox_deliver() == 1
    # then one email arrives with a link to this site
    assert response.status_code == 302
    assert response["Location"] == "/app/password-reset/sent/"
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == owner.user.email
    assert _header(message, "Subject") == "Your Zweck password"
    link = re.search(r"http://testserver(/app/password-reset/\S+/)", _text(message))
    assert link is not None
    # when they follow it and choose a new password
    form_page = client.get(link.group(1), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Ein neues langes Kennwort 42", "new_password2": "Ein neues langes Kennwort 42"},
    )
    # then the new password works
    assert done["Location"] == "/app/password-reset/done/"
    assert User.objects.get(pk=owner.user.pk).check_password("Ein neues langes Kennwort 42")


def test_an_unknown_address_gets_the_same_answer_and_no_email(db: None, inbox: Inbox) -> None:
    response = Client().post("/app/password-reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/app/password-reset/sent/"
    assert outbox_deliver() == 0
    assert inbox.messages == []


def test_the_email_is_in_the_language_of_the_page(owner: Actor, inbox: Inbox) -> None:
    assert owner.user is not None
    client = Client()
    client.cookies["django_language"] = "de"

    client.post("/app/password-reset/", {"email": owner.user.email})
    outbox_deliver()

    assert _header(inbox.messages[0], "Subject") == "Ihr Zweck-Passwort"
