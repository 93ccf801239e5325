"""Each kind of request offers its own export formats: a portability request JSON or CSV, every
other request the access export (JSON, HTML, PDF, ZIP). Any other format is refused with the
offered ones named — by the service, the API (422), the staff pages and the CLI — and nothing is
logged."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any, get_args

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.services import token_create
from zweck.api.schemas.privacy_requests import AccessFormat, PortabilityFormat
from zweck.audit.models import AuditEvent
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person
from zweck.privacy.dsr import dsr_export
from zweck.privacy.exports import FORMATS, PORTABILITY_FORMATS
from zweck.privacy.models import DataSubjectRequest, RequestAction
from zweck.privacy.request_models import RequestKind
from zweck.privacy.tests.factories import verified_request
from zweck.web.tests.conftest import client_for

EMAIL = "erik.export@example.com"
BASE = "/api/v1/privacy/requests"
ACCESS_ONLY = "This export is offered as JSON, HTML, PDF or ZIP."
PORTABILITY_ONLY = "This export is offered as JSON or CSV."


@pytest.fixture
def erik(owner: Actor) -> Person:
    return make_person(owner, first_name="Erik", last_name="Export", email=EMAIL)


def _request(actor: Actor, person: Person, kind: str) -> DataSubjectRequest:
    return verified_request(actor, [person.pk], kind, requester_email=EMAIL)


@pytest.fixture
def access(installed: Actor, erik: Person) -> DataSubjectRequest:
    return _request(installed, erik, RequestKind.ACCESS)


@pytest.fixture
def portability(installed: Actor, erik: Person) -> DataSubjectRequest:
    return _request(installed, erik, RequestKind.PORTABILITY)


def _trail() -> tuple[int, int]:
    return RequestAction.objects.count(), AuditEvent.objects.count()


def _headers(actor: Actor) -> dict[str, str]:
    _token, plain = token_create(actor=actor, name="export test")
    return {"Authorization": f"Bearer {plain}"}


@pytest.mark.parametrize(
    ("kind", "fmt", "lang", "errors"),
    [
        (RequestKind.ACCESS, "csv", "en", {"format": [ACCESS_ONLY]}),
        (RequestKind.ERASURE, "csv", "en", {"format": [ACCESS_ONLY]}),
        (RequestKind.PORTABILITY, "pdf", "en", {"format": [PORTABILITY_ONLY]}),
        (RequestKind.PORTABILITY, "zip", "en", {"format": [PORTABILITY_ONLY]}),
        (RequestKind.ACCESS, "json", "fr", {"lang": ["The export is written in de or en."]}),
    ],
)
def test_the_service_refuses_what_the_kind_does_not_offer(
    kind: str, fmt: str, lang: str, errors: dict[str, list[str]], installed: Actor, erik: Person
) -> None:
    request = _request(installed, erik, kind)
    before = _trail()
    with pytest.raises(ValidationError) as refused:
        dsr_export(actor=installed, request=request, fmt=fmt, lang=lang)
    assert refused.value.message_dict == errors
    assert _trail() == before


def test_the_api_offers_each_export_only_its_own_formats(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    def formats(path: str) -> list[str]:
        parameters = paths[f"{BASE}{path}"]["get"]["parameters"]
        return next(p["schema"]["enum"] for p in parameters if p["name"] == "format")

    assert formats("/{request_id}/access-export") == list(FORMATS) == list(get_args(AccessFormat))
    assert formats("/{request_id}/portability-export") == list(PORTABILITY_FORMATS)
    assert list(PORTABILITY_FORMATS) == list(get_args(PortabilityFormat))
    assert formats("/subject-export") == list(FORMATS)
    assert f"{BASE}/{{request_id}}/export" not in paths
    content = paths[f"{BASE}/{{request_id}}/portability-export"]["get"]["responses"]["200"]["content"]
    assert sorted(content) == ["application/json", "text/csv"]


@pytest.mark.parametrize(
    ("path", "query", "field", "message"),
    [
        ("access-export", {"format": "csv"}, "format", "Choose one of: 'json', 'html', 'pdf' or 'zip'."),
        ("access-export", {"lang": "fr"}, "lang", "Choose one of: 'en' or 'de'."),
        ("portability-export", {"format": "pdf"}, "format", "Choose one of: 'json' or 'csv'."),
    ],
)
def test_the_api_answers_422_for_a_format_the_export_does_not_offer(
    path: str,
    query: dict[str, str],
    field: str,
    message: str,
    installed: Actor,
    access: DataSubjectRequest,
    portability: DataSubjectRequest,
    client: Client,
) -> None:
    request = portability if path == "portability-export" else access
    headers = _headers(installed)
    before = _trail()
    response = client.get(f"{BASE}/{request.pk}/{path}", query, headers=headers)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "The input is not valid.",
        "errors": [{"field": field, "message": message}],
    }
    assert _trail() == before


def test_the_api_names_the_export_a_request_has(
    installed: Actor, access: DataSubjectRequest, portability: DataSubjectRequest, client: Client
) -> None:
    headers = _headers(installed)
    before = _trail()
    wrong = client.get(f"{BASE}/{portability.pk}/access-export", headers=headers)
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == [
        {
            "field": None,
            "message": f"Request #{portability.pk} is a portability request: its export is at "
            f"/api/v1/privacy/requests/{portability.pk}/portability-export, as JSON or CSV.",
        }
    ]
    other = client.get(f"{BASE}/{access.pk}/portability-export", headers=headers)
    assert other.status_code == 422
    assert other.json()["errors"] == [
        {
            "field": None,
            "message": f"Request #{access.pk} is not a portability request: its export is the access "
            f"export at /api/v1/privacy/requests/{access.pk}/access-export, as JSON, HTML, PDF or ZIP.",
        }
    ]
    assert _trail() == before
    # the right operation answers, in every format it offers
    for fmt, media_type in (("json", "application/json"), ("csv", "text/csv; charset=utf-8")):
        answered = client.get(f"{BASE}/{portability.pk}/portability-export", {"format": fmt}, headers=headers)
        assert (answered.status_code, answered["Content-Type"]) == (200, media_type)
    report = client.get(
        f"{BASE}/{access.pk}/access-export", {"format": "html", "lang": "de"}, headers=headers
    )
    assert (report.status_code, report["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert EMAIL in report.content.decode()


def test_the_subject_export_by_address_refuses_csv(installed: Actor, erik: Person, client: Client) -> None:
    response = client.get(
        f"{BASE}/subject-export", {"email": EMAIL, "format": "csv"}, headers=_headers(installed)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "format", "message": "Choose one of: 'json', 'html', 'pdf' or 'zip'."}
    ]


def test_a_request_cannot_arrive_in_the_future(installed: Actor, client: Client) -> None:
    body: dict[str, Any] = {
        "kind": "access",
        "channel": "letter",
        "received_at": (timezone.now() + timedelta(days=2)).isoformat(),
    }
    before = DataSubjectRequest.objects.count()
    response = client.post(
        BASE, json.dumps(body), content_type="application/json", headers=_headers(installed)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "received_at", "message": "A request cannot be received in the future."}
    ]
    assert DataSubjectRequest.objects.count() == before


def test_the_staff_page_shows_the_offered_formats_when_another_is_posted(
    installed: Actor, access: DataSubjectRequest, portability: DataSubjectRequest
) -> None:
    client = client_for(installed)
    detail = client.get(f"/app/privacy/requests/{portability.pk}/").content.decode()
    assert '<option value="csv">CSV</option>' in detail
    assert '<option value="pdf">' not in detail
    before = _trail()
    for request, fmt, message in ((access, "csv", ACCESS_ONLY), (portability, "pdf", PORTABILITY_ONLY)):
        response = client.post(f"/app/privacy/requests/{request.pk}/export/", {"format": fmt}, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert _trail() == before


def test_the_cli_exports_a_request_in_its_own_formats_only(
    installed: Actor, access: DataSubjectRequest, portability: DataSubjectRequest, tmp_path: Path
) -> None:
    slug = installed.workspace.slug
    out = tmp_path / "portable.csv"
    call_command("dsr", "export", "--request", str(portability.pk), "--format", "csv", "--out", str(out),
                 "--workspace", slug)  # fmt: skip
    assert out.read_text().splitlines()[0] == "data_set,row,field,value"
    with pytest.raises(CommandError, match=r"^This export is offered as JSON or CSV\.$"):
        call_command(
            "dsr", "export", "--request", str(portability.pk), "--format", "pdf", "--workspace", slug
        )
    with pytest.raises(CommandError, match=r"^This export is offered as JSON, HTML, PDF or ZIP\.$"):
        call_command("dsr", "export", "--request", str(access.pk), "--format", "csv", "--workspace", slug)
    with pytest.raises(CommandError, match=r"^This export is offered as JSON, HTML, PDF or ZIP\.$"):
        call_command("dsr", "export", "--email", EMAIL, "--format", "csv", "--workspace", slug)
    with pytest.raises(CommandError, match=r"^No request #999999 in this workspace\.$"):
        call_command("dsr", "export", "--request", "999999", "--workspace", slug)
    printed = StringIO()
    json_out = tmp_path / "access.json"
    call_command("dsr", "export", "--request", str(access.pk), "--out", str(json_out), "--workspace", slug,
                 stdout=printed)  # fmt: skip
    assert json.loads(json_out.read_text())["subject_records"] == [access.persons.get().pk]
