"""Double opt-in through a real SMTP server: the form, the email, the link, the ledger entry with
its chain; forged, expired and replayed links, the honeypot, the rate limit."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.core.tests.smtp import Inbox
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person
from zweck.marketing import signup
from zweck.marketing.choices import ConsentMethod, ConsentPurpose, RecordKind
from zweck.marketing.models import ConsentRecord, ConsentSignup

ADDRESS = "lena.leser@example.com"


def _german(text: str) -> str:
    with translation.override("de"):
        return gettext(text)


SUBJECT = "Please confirm your sign-up"


@pytest.fixture
def inbox(smtp_inbox: Inbox) -> Iterator[Inbox]:
    yield smtp_inbox


@pytest.fixture
def form_token(workspace: Workspace) -> str:
    return signup.form_token(
        workspace=workspace,
        purposes=(ConsentPurpose.NEWSLETTER, ConsentPurpose.EVENT_INVITATIONS),
        language="de",
    )


@pytest.fixture
def post_signup(
    client: Client, django_capture_on_commit_callbacks: Any, form_token: str
) -> Callable[..., Any]:
    def post(email: str = ADDRESS, ip: str = "192.0.2.10", **extra: Any) -> Any:
        data: dict[str, Any] = {
            "form": form_token,
            "email": email,
            "purposes": ["newsletter", "event_invitations"],
            "first_name": "Lena",
            "last_name": "Leser",
            **extra,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/privacy/signup/",
                data,
                REMOTE_ADDR=ip,
                HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Firefox/140.0",
                HTTP_REFERER="https://www.example.com/newsletter",
            )

    return post


def _subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _without_token(response: Any) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())


def _link(message: Message) -> str:
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    found = re.search(r"http://testserver(/privacy/signup/confirm/[^\s]+/)", body)
    assert found is not None, body
    return found.group(1)


def test_signup_confirmed_through_the_emailed_link_records_the_whole_chain(
    workspace: Workspace, inbox: Inbox, post_signup: Callable[..., Any], client: Client
) -> None:
    # given a sign-up posted from the company's website, without any Zweck session
    client.handler.enforce_csrf_checks = True
    response = post_signup()
    assert response.status_code == 200
    assert ConsentRecord.objects.count() == 0
    # when the person opens the link from the real email and presses the button
    assert [m["To"] for m in inbox.messages] == [ADDRESS]
    assert _subject(inbox.messages[0]) == _german(SUBJECT)
    link = _link(inbox.messages[0])
    assert client.get(link).status_code == 200
    assert ConsentRecord.objects.count() == 0
    client.handler.enforce_csrf_checks = False
    confirmed = client.post(link, REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Mozilla/5.0 Phone")
    # then one consent per purpose is in the ledger, with form, email and click
    assert confirmed.status_code == 302
    assert confirmed["Location"].startswith("/privacy/preferences/")
    person = Person.objects.get(emails__email=ADDRESS)
    assert (person.first_name, person.last_name, person.language) == ("Lena", "Leser", "de")
    records = list(ConsentRecord.objects.order_by("purpose"))
    assert [r.purpose for r in records] == [ConsentPurpose.EVENT_INVITATIONS, ConsentPurpose.NEWSLETTER]
    newsletter = records[1]
    assert newsletter.kind == RecordKind.GRANT
    assert newsletter.method == ConsentMethod.DOUBLE_OPT_IN
    assert newsletter.address == ADDRESS
    assert newsletter.form_ip_address == "192.0.2.10"
    assert newsletter.form_user_agent == "Mozilla/5.0 (X11; Linux) Firefox/140.0"
    assert newsletter.form_page == "https://www.example.com/newsletter"
    assert newsletter.confirmation_subject == _german(SUBJECT)
    assert newsletter.confirmation_mail_id is not None
    assert newsletter.ip_address == "198.51.100.7"
    assert newsletter.user_agent == "Mozilla/5.0 Phone"
    assert newsletter.form_submitted_at <= newsletter.confirmation_sent_at <= newsletter.given_at
    assert newsletter.text.language == "de"
    assert newsletter.text.body in inbox.messages[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert ConsentSignup.objects.count() == 0


def test_a_replayed_link_is_refused_and_writes_nothing(
    workspace: Workspace, inbox: Inbox, post_signup: Callable[..., Any], client: Client
) -> None:
    post_signup()
    link = _link(inbox.messages[0])
    client.post(link)
    assert ConsentRecord.objects.count() == 2
    assert client.get(link).status_code == 409
    again = client.post(link)
    assert again.status_code == 409
    assert "already confirmed" in again.content.decode()
    assert ConsentRecord.objects.count() == 2


def test_forged_and_expired_links_are_refused(
    workspace: Workspace, inbox: Inbox, post_signup: Callable[..., Any], client: Client, settings: Any
) -> None:
    post_signup()
    link = _link(inbox.messages[0])
    forged = link.replace("/confirm/", "/confirm/x")
    assert client.get(forged).status_code == 410
    assert client.post(forged).status_code == 410
    made_up = signing.dumps(
        {"s": ConsentSignup.objects.get().pk, "n": "guess"}, salt="zweck.marketing.signup.confirm"
    )
    assert client.post(f"/privacy/signup/confirm/{made_up}/").status_code == 410
    # a link older than 48 hours
    later = timezone.now() + timedelta(seconds=signup.CONFIRM_MAX_AGE + 60)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later.timestamp())
        expired = client.post(link)
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()
    assert ConsentRecord.objects.count() == 0
    assert ConsentSignup.objects.count() == 1


def test_the_honeypot_stores_and_sends_nothing(
    workspace: Workspace, inbox: Inbox, post_signup: Callable[..., Any]
) -> None:
    human = post_signup("human@example.com")
    robot = post_signup("robot@example.com", website="https://spam.example.invalid")
    assert (human.status_code, robot.status_code) == (200, 200)
    assert _without_token(human) == _without_token(robot)
    assert [m["To"] for m in inbox.messages] == ["human@example.com"]
    assert list(ConsentSignup.objects.values_list("email", flat=True)) == ["human@example.com"]


def test_a_made_up_form_token_is_refused(client: Client, workspace: Workspace) -> None:
    response = client.post("/privacy/signup/", {"form": "forged", "email": ADDRESS})
    assert response.status_code == 400
    assert ConsentSignup.objects.count() == 0


def test_bad_input_is_answered_at_the_field(
    workspace: Workspace, inbox: Inbox, post_signup: Callable[..., Any]
) -> None:
    response = post_signup("not-an-address")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    # the request guard refuses a NUL character before any view
    assert post_signup("a\x00b@example.com").status_code == 400
    assert ConsentSignup.objects.count() == 0
    assert inbox.messages == []


def test_a_flood_of_signups_is_limited_in_the_database(
    workspace: Workspace, inbox: Inbox, post_signup: Callable[..., Any]
) -> None:
    answers = [post_signup(f"reader{n}@example.com").status_code for n in range(11)]
    assert answers == [200] * 10 + [429]
    assert ConsentSignup.objects.count() == 10


def test_an_existing_contact_gets_the_consent_and_no_duplicate(
    owner: Actor, inbox: Inbox, post_signup: Callable[..., Any], client: Client
) -> None:
    known = make_person(owner, first_name="Lena", last_name="Bekannt", email=ADDRESS)
    post_signup()
    client.post(_link(inbox.messages[0]))
    assert Person.objects.count() == 1
    assert set(ConsentRecord.objects.values_list("person_id", flat=True)) == {known.pk}


def test_unconfirmed_signups_are_deleted_by_the_retention_sweep(
    owner: Actor, inbox: Inbox, post_signup: Callable[..., Any]
) -> None:
    from zweck.privacy.retention import retention_sweep
    from zweck.privacy.services import register_defaults_install

    register_defaults_install(actor=owner)
    post_signup()
    assert ConsentSignup.objects.count() == 1
    retention_sweep(actor=owner, today=timezone.localdate() + timedelta(days=6))
    assert ConsentSignup.objects.count() == 1
    retention_sweep(actor=owner, today=timezone.localdate() + timedelta(days=8))
    assert ConsentSignup.objects.count() == 0


def test_each_purpose_is_ticked_on_its_own(
    workspace: Workspace, inbox: Inbox, post_signup: Callable[..., Any], client: Client
) -> None:
    # nothing ticked: refused at the field, nothing stored or sent
    refused = post_signup(purposes=[])
    assert refused.status_code == 422
    assert 'id="purposes-error"' in refused.content.decode()
    assert (ConsentSignup.objects.count(), inbox.messages) == (0, [])
    # a purpose no sign-up form offers is refused
    assert post_signup(purposes=["event_invitations", "telephone"]).status_code == 422
    assert inbox.messages == []
    # only what was ticked is asked for and recorded
    post_signup(purposes=["event_invitations"])
    client.post(_link(inbox.messages[0]))
    assert list(ConsentRecord.objects.values_list("purpose", flat=True)) == ["event_invitations"]
