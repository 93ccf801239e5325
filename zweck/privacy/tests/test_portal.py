"""The public portal: verification through a real SMTP server, identical answers for known and
unknown addresses, expiring and one-time links, rate limits, the download."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from email.message import Message
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.core.tests.smtp import Inbox
from zweck.crm.tests.factories import make_person
from zweck.privacy import portal
from zweck.privacy.models import DataSubjectRequest

KNOWN = "dora.known@example.com"
UNKNOWN = "nobody.here@example.invalid"


@pytest.fixture
def inbox(smtp_inbox: Inbox) -> Iterator[Inbox]:
    cache.clear()
    yield smtp_inbox


@pytest.fixture
def submit(client: Client, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    def post(kind: str, email: str, ip: str = "192.0.2.1") -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/privacy/requests/{kind}/", {"email": email, "name": "Dora"}, REMOTE_ADDR=ip)

    return post


def _link(message: Message) -> str:
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    return re.search(r"http://testserver(/privacy/requests/verify/[^\s]+/)", body).group(1)  # type: ignore[union-attr]


def _page_text(response: Any) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_known_and_unknown_addresses_get_the_same_answer(
    owner: Actor, inbox: Inbox, submit: Callable[..., Any]
) -> None:
    make_person(owner, first_name="Dora", last_name="Known", email=KNOWN)
    known = submit("access", KNOWN)
    unknown = submit("access", UNKNOWN)
    assert (known.status_code, unknown.status_code) == (200, 200)
    assert _page_text(known) == _page_text(unknown)
    assert sorted(m["To"] for m in inbox.messages) == sorted([KNOWN, UNKNOWN])
    bodies = [re.sub(r"/verify/\S+", "", m.get_payload(decode=True).decode()) for m in inbox.messages]  # type: ignore[union-attr]
    assert bodies[0] == bodies[1]


def test_verified_link_shows_status_and_download_once(
    owner: Actor, inbox: Inbox, submit: Callable[..., Any], client: Client
) -> None:
    dora = make_person(owner, first_name="Dora", last_name="Known", email=KNOWN)
    submit("access", KNOWN)
    link = _link(inbox.messages[0])
    # when the subject opens the link
    opened = client.get(link)
    # then they reach the status page with their download
    assert opened.status_code == 302
    status = client.get(opened["Location"])
    assert status.status_code == 200
    assert "JSON" in status.content.decode()
    download = client.get(opened["Location"] + "json/")
    assert download.status_code == 200
    assert json.loads(download.content)["subject_records"] == [dora.pk]
    # and the link works once
    again = client.get(link)
    assert again.status_code == 410
    request = DataSubjectRequest.objects.get()
    assert request.verification == "verified"
    assert [a.action for a in request.actions.all()][:3] == [
        "request.received",
        "dsr.verify",
        "dsr.link_persons",
    ]


def test_unknown_address_learns_nothing_until_verified_then_that_nothing_is_held(
    workspace: Any, inbox: Inbox, submit: Callable[..., Any], client: Client
) -> None:
    submit("access", UNKNOWN)
    status = client.get(client.get(_link(inbox.messages[0]))["Location"])
    assert "We hold no personal data about this email address." in status.content.decode()


def test_expired_and_forged_links_are_refused(
    owner: Actor, inbox: Inbox, submit: Callable[..., Any], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_person(owner, first_name="Dora", last_name="Known", email=KNOWN)
    submit("erasure", KNOWN)
    link = _link(inbox.messages[0])
    monkeypatch.setattr(portal, "VERIFY_MAX_AGE", -1)
    assert client.get(link).status_code == 410
    assert client.get("/privacy/requests/verify/forged-token/").status_code == 410
    assert DataSubjectRequest.objects.get().verification == "pending"


def test_rate_limit_per_address(workspace: Any, inbox: Inbox, submit: Callable[..., Any]) -> None:
    answers = [
        submit("access", KNOWN, ip=f"192.0.2.{n}").status_code for n in range(portal.RATE_PER_ADDRESS + 1)
    ]
    assert answers == [200] * portal.RATE_PER_ADDRESS + [429]
    assert DataSubjectRequest.objects.count() == 1


def test_rate_limit_per_ip(workspace: Any, inbox: Inbox, submit: Callable[..., Any]) -> None:
    answers = [submit("access", f"person{n}@example.com").status_code for n in range(portal.RATE_PER_IP + 1)]
    assert answers[-1] == 429
    assert DataSubjectRequest.objects.count() == portal.RATE_PER_IP


def test_objection_to_direct_marketing_suppresses_at_once(
    owner: Actor, inbox: Inbox, submit: Callable[..., Any], client: Client
) -> None:
    from zweck.privacy.dsr import is_suppressed

    make_person(owner, first_name="Dora", last_name="Known", email=KNOWN)
    submit("objection", KNOWN)
    assert not is_suppressed(workspace_id=owner.workspace_id, email=KNOWN)
    client.get(_link(inbox.messages[0]))
    assert is_suppressed(workspace_id=owner.workspace_id, email=KNOWN)
