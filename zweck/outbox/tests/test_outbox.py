"""The outbox against a real SMTP server started by the test: mail goes out after its
transaction commits, an SMTP outage never fails the request that saved the data, the mail is
retried with a growing pause and marked failed in the end, staff see it and send it again, and
the retention sweep deletes sent mail when its period ends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.core.tests.smtp import Inbox, free_port
from zweck.outbox.models import MailStatus, OutgoingMail
from zweck.outbox.services import MAX_ATTEMPTS, mail_queue, mail_send, mails_send_due, retry_pause
from zweck.outbox.tasks import outbox_schedule
from zweck.outbox.testing import outbox_deliver
from zweck.privacy.models import DataSubjectRequest
from zweck.privacy.notifications import email_after_commit
from zweck.privacy.retention import retention_sweep
from zweck.privacy.services import register_defaults_install
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

ADDRESS = "dora.outbox@example.com"


class SmtpServer:
    """A real SMTP server on one port that the test stops and starts again (an outage)."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    cache.clear()
    yield server
    server.stop()


def test_mail_goes_out_once_its_transaction_commits(
    owner: Actor, smtp: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email_after_commit(to=ADDRESS, subject="Hallo", body="Text", workspace_id=owner.workspace_id)
        # stored with the change, not sent before the commit
        assert OutgoingMail.objects.get().status == MailStatus.PENDING
        assert smtp.inbox.messages == []
    (message,) = smtp.inbox.messages
    assert (message["To"], message["Subject"]) == (ADDRESS, "Hallo")
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts, mail.workspace_id) == (MailStatus.SENT, 1, owner.workspace_id)
    assert mail.sent_at is not None


def test_a_rolled_back_change_sends_nothing(owner: Actor, smtp: SmtpServer) -> None:
    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        mail_queue(to=ADDRESS, subject="Nie", body="Nie", workspace_id=owner.workspace_id)
        raise Undone
    assert not OutgoingMail.objects.exists()
    assert outbox_deliver() == 0
    assert smtp.inbox.messages == []


def test_no_recipient_queues_nothing(smtp: SmtpServer) -> None:
    assert mail_queue(to="", subject="x", body="y") is None
    assert mail_queue(to=[], subject="x", body="y") is None
    assert not OutgoingMail.objects.exists()


def test_an_smtp_outage_does_not_fail_the_request_and_the_mail_goes_out_later(
    owner: Actor, smtp: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    # given the mail server is down
    smtp.stop()
    # when someone asks for access through the portal
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/privacy/requests/access/", {"email": ADDRESS, "name": "Dora"})
    # then the request is saved and answered normally, its mail waits for another attempt
    assert response.status_code == 200
    assert DataSubjectRequest.objects.filter(requester_email=ADDRESS).count() == 1
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts, mail.recipients) == (MailStatus.PENDING, 1, [ADDRESS])
    assert mail.last_error in {"ConnectionRefusedError", "SMTPServerDisconnected", "OSError"}
    assert mail.next_attempt_at is not None and mail.next_attempt_at > timezone.now()
    # the worker's next pass before the pause ends leaves it alone
    assert mails_send_due() == 0
    # when the server is back and the pause has passed
    smtp.start()
    assert mails_send_due(due_by=mail.next_attempt_at) == 1
    # then the verification link arrives, once
    (message,) = smtp.inbox.messages
    assert message["To"] == ADDRESS
    assert "/privacy/requests/verify/" in message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert outbox_deliver() == 0


def test_each_failure_doubles_the_pause_and_the_last_marks_the_mail_failed(
    owner: Actor, smtp: SmtpServer
) -> None:
    smtp.stop()
    mail = mail_queue(to=ADDRESS, subject="Später", body="Text", workspace_id=owner.workspace_id)
    assert mail is not None
    start = timezone.now()
    pauses = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert mail_send(mail_id=mail.pk, now=start) in (MailStatus.PENDING, MailStatus.FAILED)
        mail.refresh_from_db()
        assert mail.attempts == attempt
        if mail.next_attempt_at is not None:
            pauses.append(mail.next_attempt_at - start)
    assert pauses == [retry_pause(n) for n in range(1, MAX_ATTEMPTS)]
    assert pauses[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert (mail.status, mail.next_attempt_at) == (MailStatus.FAILED, None)
    # a failed mail is not tried by the worker any more
    assert outbox_deliver() == 0


def test_the_worker_schedule_enqueues_a_pass_only_when_mail_is_due(owner: Actor, smtp: SmtpServer) -> None:
    assert outbox_schedule() is False
    smtp.stop()
    mail = mail_queue(to=ADDRESS, subject="Fällig", body="Text", workspace_id=owner.workspace_id)
    assert mail is not None
    smtp.start()
    # due now: the pass runs (the test settings run tasks at once) and sends it
    assert outbox_schedule() is True
    assert len(smtp.inbox.messages) == 1
    assert outbox_schedule() is False


def _failed_mail(owner: Actor) -> OutgoingMail:
    return OutgoingMail.objects.create(
        workspace_id=owner.workspace_id,
        from_email="zweck@example.com",
        recipients=[ADDRESS],
        subject="Ihre Anfrage",
        body="Text",
        status=MailStatus.FAILED,
        attempts=MAX_ATTEMPTS,
        last_error="ConnectionRefusedError",
    )


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_owner_and_admin_see_failed_mail_and_send_it_again(
    workspace: Any, role: str, smtp: SmtpServer, django_capture_on_commit_callbacks: Any, actor_with_role: Any
) -> None:
    actor = actor_with_role(role)
    mail = _failed_mail(actor)
    client = client_for(actor)
    page = client.get("/app/outgoing-mail/")
    assert page.status_code == 200
    assert "Ihre Anfrage" in page.content.decode()
    assert "Failed" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/app/outgoing-mail/{mail.pk}/retry/")
    assert response.status_code == 302
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 1)
    assert len(smtp.inbox.messages) == 1
    event = AuditEvent.objects.in_workspace(actor.workspace_id).get(action="outgoing_mail.retry")
    assert event.changed_fields == ["status"]
    # sent mail leaves the list of what waits
    assert "Ihre Anfrage" not in client.get("/app/outgoing-mail/").content.decode()
    assert "Ihre Anfrage" in client.get("/app/outgoing-mail/?all=1").content.decode()


@pytest.mark.parametrize("role", [Role.SALES, Role.PRIVACY_OFFICER, Role.READ_ONLY])
def test_other_roles_neither_see_nor_resend_mail(workspace: Any, role: str, actor_with_role: Any) -> None:
    actor = actor_with_role(role)
    mail = _failed_mail(actor)
    client = client_for(actor)
    assert client.get("/app/outgoing-mail/").status_code == 403
    assert client.post(f"/app/outgoing-mail/{mail.pk}/retry/").status_code == 403
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, MAX_ATTEMPTS)


def test_mail_of_another_workspace_is_unknown(owner: Actor, stranger: Actor) -> None:
    mail = _failed_mail(stranger)
    client = client_for(owner)
    assert "Ihre Anfrage" not in client.get("/app/outgoing-mail/").content.decode()
    assert client.post(f"/app/outgoing-mail/{mail.pk}/retry/").status_code == 404
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED


def test_the_retention_sweep_deletes_mail_after_its_period(owner: Actor) -> None:
    register_defaults_install(actor=owner)
    today = timezone.localdate()
    old = _failed_mail(owner)
    OutgoingMail.objects.filter(pk=old.pk).update(
        status=MailStatus.SENT, created_at=timezone.now() - timedelta(days=31)
    )
    recent = _failed_mail(owner)
    OutgoingMail.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=29))
    sweep = retention_sweep(actor=Actor.system(owner.workspace), today=today)
    assert list(OutgoingMail.objects.values_list("pk", flat=True)) == [recent.pk]
    assert sweep.total >= 1
