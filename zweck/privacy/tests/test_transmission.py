"""Direct transmission (Art. 20(2) GDPR): a signed, expiring link to a portability export for
another controller — the service, the public download, the API, the staff page and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.services import token_create
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person
from zweck.privacy import transmission
from zweck.privacy.choices import LegalBasis
from zweck.privacy.dsr import RequestStateError, dsr_decide, dsr_open
from zweck.privacy.exports import portability_export
from zweck.privacy.models import DataSubjectRequest, ProcessingActivity, RequestAction
from zweck.privacy.request_models import Decision, RequestChannel, RequestKind
from zweck.privacy.services import processing_activity_update
from zweck.privacy.tests.factories import verified_request
from zweck.web.tests.conftest import client_for

EMAIL = "paula.port@example.com"
BASE = "/api/v1/privacy/requests"


@pytest.fixture
def paula(owner: Actor) -> Person:
    return make_person(owner, first_name="Paula", last_name="Port", email=EMAIL)


def _request(actor: Actor, person: Person, kind: str = RequestKind.PORTABILITY) -> DataSubjectRequest:
    return verified_request(actor, [person.pk], kind, requester_email=EMAIL)


@pytest.fixture
def portability(installed: Actor, paula: Person) -> DataSubjectRequest:
    # Client contacts' data serves the contract with the client here, so what they provided is
    # portable (Art. 20(1)(a) GDPR).
    processing_activity_update(
        actor=installed,
        activity=ProcessingActivity.objects.get(
            workspace_id=installed.workspace_id, key="client_relationship"
        ),
        legal_basis=LegalBasis.CONTRACT,
    )
    return _request(installed, paula)


def _log(request: DataSubjectRequest) -> list[tuple[str, str]]:
    return [(row.action, row.note) for row in RequestAction.objects.filter(request=request).order_by("pk")]


def _url(token: str) -> str:
    return f"/privacy/transmissions/{token}/"


def test_a_link_gives_the_portability_export_until_it_expires(
    installed: Actor, portability: DataSubjectRequest
) -> None:
    # given a link created at a known moment
    created_at = timezone.now().replace(microsecond=0)
    link = transmission.transmission_link_create(
        actor=installed, request=portability, fmt="csv", now=created_at
    )
    assert link.expires_at == created_at + timedelta(days=7)
    # when it is used in its last second, then the export comes, twice if need be
    last_second = link.expires_at - timedelta(seconds=1)
    first = transmission.transmission_download(token=link.token, now=last_second)
    again = transmission.transmission_download(token=link.token, now=created_at)
    expected = portability_export(
        workspace=installed.workspace, person_ids=[portability.persons.get().pk], fmt="csv"
    )
    assert first.body == again.body == expected
    assert b"paula.port@example.com" in first.body
    assert (first.fmt, first.request_id) == ("csv", portability.pk)
    # and from its expiry on it is refused
    with pytest.raises(transmission.LinkExpired):
        transmission.transmission_download(token=link.token, now=link.expires_at)
    # each creation and download is logged on the request, without the link or a personal value
    created_line = RequestAction.objects.get(request=portability, action="transmission.link_created")
    local_expiry = timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M")
    assert _log(portability)[-3:] == [
        ("transmission.link_created", f"csv → {local_expiry}"),
        ("transmission.downloaded", f"#{created_line.pk}, csv"),
        ("transmission.downloaded", f"#{created_line.pk}, csv"),
    ]
    events = AuditEvent.objects.filter(action__startswith="dsr.transmission").order_by("pk")
    assert [(event.action, event.object_id) for event in events] == [
        ("dsr.transmission_link", str(portability.pk)),
        ("dsr.transmission_download", str(portability.pk)),
        ("dsr.transmission_download", str(portability.pk)),
    ]
    written = json.dumps(
        [list(RequestAction.objects.values()), list(AuditEvent.objects.values())], default=str
    )
    assert link.token not in written
    assert EMAIL not in "".join(note for _action, note in _log(portability))


def test_the_lifetime_is_configured(installed: Actor, portability: DataSubjectRequest, settings: Any) -> None:
    settings.ZWECK = {**settings.ZWECK, "TRANSMISSION_LINK_DAYS": 2}
    now = timezone.now().replace(microsecond=0)
    link = transmission.transmission_link_create(actor=installed, request=portability, now=now)
    assert link.expires_at == now + timedelta(days=2)
    with pytest.raises(transmission.LinkExpired):
        transmission.transmission_download(token=link.token, now=now + timedelta(days=2))


def test_a_tampered_or_foreign_link_is_unknown(installed: Actor, portability: DataSubjectRequest) -> None:
    link = transmission.transmission_link_create(actor=installed, request=portability)
    payload = signing.loads(link.token, salt="zweck.privacy.transmission")
    # given links that were changed, signed for another purpose, or never created here
    forged = [
        link.token[:-1] + ("A" if link.token[-1] != "A" else "B"),
        signing.dumps(payload, salt="zweck.privacy.portal.access"),
        signing.dumps({**payload, "e": payload["e"] + 86400}),
        "not-a-link",
    ]
    for token in forged:
        with pytest.raises(transmission.LinkInvalid):
            transmission.transmission_download(token=token)
    # a correctly signed link that names no creation of this request is unknown too
    made_up = signing.dumps(
        {**payload, "a": payload["a"] + 1000}, salt="zweck.privacy.transmission", compress=True
    )
    with pytest.raises(transmission.LinkInvalid):
        transmission.transmission_download(token=made_up)
    assert [action for action, _note in _log(portability)].count("transmission.downloaded") == 0


def test_a_link_is_withdrawn_when_the_request_is_refused_and_unknown_when_deleted(
    installed: Actor, portability: DataSubjectRequest
) -> None:
    link = transmission.transmission_link_create(actor=installed, request=portability)
    dsr_decide(actor=installed, request=portability, decision=Decision.REFUSED, reason="Not provided data")
    with pytest.raises(transmission.LinkWithdrawn):
        transmission.transmission_download(token=link.token)
    DataSubjectRequest.objects.filter(pk=portability.pk).delete()
    with pytest.raises(transmission.LinkInvalid):
        transmission.transmission_download(token=link.token)


def test_only_a_verified_portability_request_with_records_gets_a_link(
    installed: Actor, paula: Person, actor_with_role: Callable[[str], Actor]
) -> None:
    access = _request(installed, paula, RequestKind.ACCESS)
    unverified = dsr_open(actor=installed, kind=RequestKind.PORTABILITY, channel=RequestChannel.LETTER)
    portability = _request(installed, paula)
    before = (RequestAction.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RequestStateError) as refused:
        transmission.transmission_link_create(actor=installed, request=access)
    assert refused.value.messages == ["Only the export of a portability request is transmitted."]
    with pytest.raises(RequestStateError) as refused:
        transmission.transmission_link_create(actor=installed, request=unverified)
    assert refused.value.messages == ["The requester's identity is not verified yet."]
    with pytest.raises(ValidationError) as wrong_format:
        transmission.transmission_link_create(actor=installed, request=portability, fmt="pdf")
    assert wrong_format.value.message_dict == {"format": ["This export is offered as JSON or CSV."]}
    viewer = actor_with_role(Role.READ_ONLY)
    with pytest.raises(PermissionDenied):
        transmission.transmission_link_create(actor=viewer, request=portability)
    assert (RequestAction.objects.count(), AuditEvent.objects.count()) == before


def test_the_public_download_and_its_refusals(
    installed: Actor, portability: DataSubjectRequest, client: Client
) -> None:
    link = transmission.transmission_link_create(actor=installed, request=portability)
    # whoever holds the link downloads the export, without logging in
    response = client.get(_url(link.token))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="portability-export-{portability.pk}.json"'
    )
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content) == json.loads(
        portability_export(workspace=installed.workspace, person_ids=[portability.persons.get().pk])
    )
    downloads = RequestAction.objects.filter(action="transmission.downloaded").count()
    # a link whose time is up answers 410 with a page that says so
    old = transmission.transmission_link_create(
        actor=installed, request=portability, now=timezone.now() - timedelta(days=8)
    )
    expired = client.get(_url(old.token))
    assert expired.status_code == 410
    assert "This link has expired. Ask the sender for a new one." in expired.content.decode()
    # a changed link answers 404
    tampered = client.get(_url(link.token[:-2] + "xy"))
    assert tampered.status_code == 404
    assert "This link is not valid. Check that it was copied completely." in tampered.content.decode()
    # neither refusal is logged as a download; only GET is answered
    assert RequestAction.objects.filter(action="transmission.downloaded").count() == downloads
    assert client.post(_url(link.token)).status_code == 405


def _headers(actor: Actor | None) -> dict[str, str]:
    if actor is None:
        return {}
    _token, plain = token_create(actor=actor, name="transmission test")
    return {"Authorization": f"Bearer {plain}"}


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("sales", 403), ("viewer", 403), ("stranger", 404), ("officer", 201)],
)
def test_permission_matrix_of_the_api(
    who: str,
    status: int,
    installed: Actor,
    portability: DataSubjectRequest,
    actor_with_role: Callable[[str], Actor],
    stranger: Actor,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from zweck.core.permissions import ROLE_PERMISSIONS, Permission

    # a member who may view requests but not handle them
    monkeypatch.setitem(
        ROLE_PERMISSIONS, Role.READ_ONLY, ROLE_PERMISSIONS[Role.PRIVACY_OFFICER] - {Permission.PRIVACY_MANAGE}
    )
    caller = {
        "anonymous": None,
        "sales": actor_with_role(Role.SALES),
        "viewer": actor_with_role(Role.READ_ONLY),
        "stranger": stranger,
        "officer": installed,
    }[who]
    headers = _headers(caller)
    before = (RequestAction.objects.count(), AuditEvent.objects.count())
    response = client.post(
        f"{BASE}/{portability.pk}/transmission-links",
        json.dumps({"format": "json"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == status
    if status != 201:
        assert (RequestAction.objects.count(), AuditEvent.objects.count()) == before
        return
    body = response.json()
    assert set(body) == {"request_id", "url", "format", "expires_at"}
    assert (body["request_id"], body["format"]) == (portability.pk, "json")
    assert body["url"].startswith("http://testserver/privacy/transmissions/")
    # the link works for someone without any token
    downloaded = Client().get(body["url"].removeprefix("http://testserver"))
    assert downloaded.status_code == 200
    assert EMAIL in downloaded.content.decode()


def test_the_api_refuses_other_requests_and_formats(
    installed: Actor, paula: Person, portability: DataSubjectRequest, client: Client
) -> None:
    access = _request(installed, paula, RequestKind.ACCESS)
    headers = _headers(installed)
    before = (RequestAction.objects.count(), AuditEvent.objects.count())
    wrong_kind = client.post(
        f"{BASE}/{access.pk}/transmission-links", "{}", content_type="application/json", headers=headers
    )
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["errors"] == [
        {"field": None, "message": "Only the export of a portability request is transmitted."}
    ]
    wrong_format = client.post(
        f"{BASE}/{portability.pk}/transmission-links",
        json.dumps({"format": "pdf"}),
        content_type="application/json",
        headers=headers,
    )
    assert wrong_format.status_code == 422
    assert wrong_format.json()["errors"] == [
        {"field": "format", "message": "Choose one of: 'json' or 'csv'."}
    ]
    assert (RequestAction.objects.count(), AuditEvent.objects.count()) == before


def test_the_staff_page_shows_the_link_once(installed: Actor, portability: DataSubjectRequest) -> None:
    client = client_for(installed)
    detail = client.get(f"/app/privacy/requests/{portability.pk}/").content.decode()
    assert f"/app/privacy/requests/{portability.pk}/transmission-link/" in detail
    assert "Create a link for another controller" in detail
    page = client.post(f"/app/privacy/requests/{portability.pk}/transmission-link/", {"format": "json"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="http://testserver/privacy/transmissions/' in text
    start = text.index('value="http://testserver') + len('value="http://testserver')
    url = text[start : text.index('"', start)]
    assert Client().get(url).status_code == 200
    # the request's page logs both, by their labels
    after = client.get(f"/app/privacy/requests/{portability.pk}/").content.decode()
    assert "Link for the direct transmission created" in after
    assert "Export downloaded through a transmission link" in after
    # a format the portability export does not offer is refused with the offered ones
    refused = client.post(
        f"/app/privacy/requests/{portability.pk}/transmission-link/", {"format": "pdf"}, follow=True
    )
    assert "This export is offered as JSON or CSV." in refused.content.decode()


def test_the_staff_page_offers_no_link_for_other_requests(installed: Actor, paula: Person) -> None:
    access = _request(installed, paula, RequestKind.ACCESS)
    detail = client_for(installed).get(f"/app/privacy/requests/{access.pk}/").content.decode()
    assert "/transmission-link/" not in detail


def test_the_cli_prints_the_link_and_its_expiry(
    installed: Actor, paula: Person, portability: DataSubjectRequest
) -> None:
    out = StringIO()
    call_command(
        "dsr",
        "transmission-link",
        str(portability.pk),
        "--format",
        "csv",
        "--base-url",
        "https://crm.example.com/",
        "--workspace",
        installed.workspace.slug,
        stdout=out,
    )
    url, valid = out.getvalue().splitlines()
    assert url.startswith("https://crm.example.com/privacy/transmissions/")
    assert valid.startswith("Valid until ")
    assert Client().get(url.removeprefix("https://crm.example.com")).status_code == 200
    access = _request(installed, paula, RequestKind.ACCESS)
    with pytest.raises(CommandError, match=r"Only the export of a portability request is transmitted\."):
        call_command(
            "dsr", "transmission-link", str(access.pk), "--base-url", "https://crm.example.com",
            "--workspace", installed.workspace.slug,
        )  # fmt: skip
    with pytest.raises(CommandError, match=r"No request #999999 in this workspace\."):
        call_command(
            "dsr", "transmission-link", "999999", "--base-url", "https://crm.example.com",
            "--workspace", installed.workspace.slug,
        )  # fmt: skip
