"""Logs without personal values: every API route driven with personal values in its path and
body, every line the server logs meanwhile formatted by the deployment's own handler, and
none of those values in the output; the masking itself checked on the shapes values take."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from logging.config import dictConfig
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.services import token_create
from zweck.api.urls import api
from zweck.crm.tests.factories import make_person
from zweck.operations.logs import JsonFormatter, PersonalValueFilter, mask

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE, IBAN = (
    "Annegret Loggemann",
    "annegret.loggemann@example.com",
    "+49 221 7654321",
    "DE89370400440532013000",
)
VALUES = (NAME, "Loggemann", EMAIL, "7654321", IBAN)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"Not Found: /api/v1/persons/{EMAIL}", "Not Found: /api/v1/persons/"),
        (
            f"duplicate key value violates unique constraint DETAIL: Key (email)=({EMAIL}) already exists.",
            "Key (email)=(",
        ),
        ("last_name='Loggemann' first_name=\"Annegret\"", "last_name='"),
        ('{"last_name": "Loggemann", "status": "open"}', '"status": "open"'),
        (f"call {PHONE} back, or 0221/765 43 21", "call "),
        (f"IBAN {IBAN} and DE89 3704 0044 0532 0130 00", "IBAN "),
        ("sweep 42 of 2026-12-03 14:30:00 took 1234 ms", "sweep 42 of 2026-12-03 14:30:00 took 1234 ms"),
    ],
)
def test_mask_removes_values_in_every_shape_and_keeps_the_rest(text: str, kept: str) -> None:
    masked = mask(text)
    assert kept in masked
    for value in ("Loggemann", "Annegret", EMAIL, "7654321", "765 43 21", IBAN, "0532 0130"):
        assert value not in masked


@pytest.fixture
def server_log(settings: Any) -> Iterator[io.StringIO]:
    """The deployment's handler (its filter and the JSON formatter) on every logger, at DEBUG."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalValueFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    quiet = logging.getLogger("django.db.backends")
    quiet_level = quiet.level
    quiet.setLevel(logging.WARNING)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)
    quiet.setLevel(quiet_level)


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: EMAIL if "id" not in m.group(0) else "987654", path)


def test_driving_every_api_route_with_personal_values_logs_none_of_them(
    owner: Actor, server_log: io.StringIO
) -> None:
    make_person(owner, first_name="Annegret", last_name="Loggemann", email=EMAIL, phone=PHONE)
    _, token = token_create(actor=owner, name="logs")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
    body = {
        "first_name": "Annegret",
        "last_name": "Loggemann",
        "name": NAME,
        "email": EMAIL,
        "emails": [{"email": EMAIL}],
        "phone": PHONE,
        "iban": IBAN,
        "subject": f"Call {NAME} on {PHONE}",
        "body": f"{NAME} <{EMAIL}>",
        "notes": f"{NAME} {IBAN}",
    }
    driven = 0
    for path, method, _operation in _operations():
        url = "/api/v1" + _fill(path) if not path.startswith("/api/") else _fill(path)
        send = getattr(client, method)
        if method in {"post", "put", "patch"}:
            send(url, data=json.dumps(body), content_type="application/json")
        else:
            send(url, {"q": NAME, "email": EMAIL})
        driven += 1
    assert driven > 50
    # An error with a value in it, as a database or a library raises it.
    try:
        raise ValueError(f"duplicate: Key (email)=({EMAIL}) for last_name='Loggemann', name: {NAME!r}")
    except ValueError:
        logging.getLogger("zweck.test").exception("Could not save %s", EMAIL)
    output = server_log.getvalue()
    assert output.count("\n") >= 2, "the routes logged nothing: the check would prove nothing"
    for line in output.splitlines():
        json.loads(line)
    for value in VALUES:
        assert value not in output


def test_a_log_line_names_the_request_workspace_and_user_and_the_answer_its_id(
    owner: Actor, server_log: io.StringIO
) -> None:
    _, token = token_create(actor=owner, name="logs")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get("/api/v1/persons/987654", HTTP_X_REQUEST_ID="req-1234.abc")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-1234.abc"
    lines = [json.loads(line) for line in server_log.getvalue().splitlines()]
    answered = [line for line in lines if line.get("request_id") == "req-1234.abc"]
    assert answered, lines
    assert answered[-1]["workspace_id"] == owner.workspace_id
    assert answered[-1]["user_id"] == owner.user_id
    assert answered[-1]["level"] == "WARNING"
    # A malformed id is replaced by one of the server's own.
    other = client.get("/api/v1/persons/987654", HTTP_X_REQUEST_ID="<script>")
    assert re.fullmatch(r"[0-9a-f]{32}", other["X-Request-ID"])


def test_the_shipped_logging_configuration_loads_and_masks(capsys: pytest.CaptureFixture[str]) -> None:
    configuration = json.loads(json.dumps(settings.LOGGING))
    configuration["handlers"]["console"]["formatter"] = "json"
    dictConfig(configuration)
    try:
        logging.getLogger("zweck.test").warning("Mail to %s failed", EMAIL)
        err = capsys.readouterr().err
    finally:
        dictConfig(settings.LOGGING)
    event = json.loads(err.strip().splitlines()[-1])
    assert event["message"] == "Mail to [redacted] failed"
    assert event["level"] == "WARNING"
