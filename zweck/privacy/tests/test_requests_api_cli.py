"""/api/v1/privacy/requests and ``zweck dsr`` / ``zweck privacy``: the permission matrix, the
operations by address, and refused calls that change nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.services import token_create
from zweck.core.permissions import Role
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person
from zweck.privacy.models import DataSubjectRequest

BASE = "/api/v1/privacy/requests"
EMAIL = "clara.test@example.com"


def _headers(actor: Actor | None) -> dict[str, str]:
    if actor is None:
        return {}
    _, plain = token_create(actor=actor, name="dsr test")
    return {"Authorization": f"Bearer {plain}"}


def _open_body() -> str:
    return json.dumps({"kind": "access", "channel": "email", "requester_email": EMAIL})


@pytest.mark.parametrize(
    ("who", "list_status", "open_status"),
    [("anonymous", 401, 401), ("sales", 403, 403), ("stranger", 200, 201), ("privacy_officer", 200, 201)],
)
def test_permission_matrix_of_the_queue(
    who: str,
    list_status: int,
    open_status: int,
    actor_with_role: Callable[[str], Actor],
    stranger: Actor,
    client: Client,
) -> None:
    actors = {
        "anonymous": lambda: None,
        "stranger": lambda: stranger,
        "sales": lambda: actor_with_role(Role.SALES),
        "privacy_officer": lambda: actor_with_role(Role.PRIVACY_OFFICER),
    }
    actor = actors[who]()
    headers = _headers(actor)
    listed = client.get(BASE, headers=headers)
    opened = client.post(BASE, _open_body(), content_type="application/json", headers=headers)
    assert (listed.status_code, opened.status_code) == (list_status, open_status)
    expected = 1 if open_status == 201 else 0
    assert DataSubjectRequest.objects.count() == expected


def test_another_workspace_gets_404_and_changes_nothing(
    actor_with_role: Callable[[str], Actor], stranger: Actor, client: Client
) -> None:
    officer = actor_with_role(Role.PRIVACY_OFFICER)
    created = client.post(
        BASE, _open_body(), content_type="application/json", headers=_headers(officer)
    ).json()
    headers = _headers(stranger)
    read = client.get(f"{BASE}/{created['id']}", headers=headers)
    verify = client.post(f"{BASE}/{created['id']}/verify", headers=headers)
    assert (read.status_code, verify.status_code) == (404, 404)
    assert DataSubjectRequest.objects.get(pk=created["id"]).verification == "pending"


def test_request_flow_over_the_api(
    actor_with_role: Callable[[str], Actor], owner: Actor, client: Client
) -> None:
    officer = actor_with_role(Role.PRIVACY_OFFICER)
    clara = make_person(owner, first_name="Clara", last_name="Test", email=EMAIL)
    headers = _headers(officer)
    created = client.post(BASE, _open_body(), content_type="application/json", headers=headers).json()
    again = client.post(BASE, _open_body(), content_type="application/json", headers=headers).json()
    assert again["id"] == created["id"]
    candidates = client.get(f"{BASE}/subjects", {"email": EMAIL.upper()}, headers=headers).json()
    assert [c["person_id"] for c in candidates] == [clara.pk]
    assert client.post(f"{BASE}/{created['id']}/verify", headers=headers).status_code == 200
    linked = client.put(
        f"{BASE}/{created['id']}/persons",
        json.dumps({"person_ids": [clara.pk]}),
        content_type="application/json",
        headers=headers,
    )
    assert linked.json()["person_ids"] == [clara.pk]
    export = client.get(f"{BASE}/{created['id']}/access-export", {"format": "json"}, headers=headers)
    assert export.status_code == 200
    assert EMAIL in export.content.decode()
    plan = client.post(
        f"{BASE}/subject-erase",
        json.dumps({"email": EMAIL}),
        content_type="application/json",
        headers=headers,
    )
    assert plan.json()["executed"] is False
    assert Person.objects.filter(pk=clara.pk).exists()
    unknown = client.get(f"{BASE}/subject-export", {"email": "nobody@example.invalid"}, headers=headers)
    assert unknown.status_code == 404


def test_cli_exports_and_erases_by_email(owner: Actor, tmp_path: Path) -> None:
    clara = make_person(owner, first_name="Clara", last_name="Test", email=EMAIL)
    out = tmp_path / "export.json"
    call_command("dsr", "export", "--email", EMAIL, "--workspace", owner.workspace.slug, "--out", str(out))
    assert json.loads(out.read_text())["subject_records"] == [clara.pk]
    dry = StringIO()
    call_command(
        "dsr",
        "erase",
        "--email",
        EMAIL,
        "--workspace",
        owner.workspace.slug,
        "--dry-run",
        "--json",
        stdout=dry,
    )
    assert json.loads(dry.getvalue())["executed"] is False
    assert Person.objects.filter(pk=clara.pk).exists()
    call_command(
        "dsr", "erase", "--email", EMAIL, "--workspace", owner.workspace.slug, "--yes", stdout=StringIO()
    )
    assert not Person.objects.filter(pk=clara.pk).exists()
    with pytest.raises(CommandError):
        call_command("dsr", "export", "--email", EMAIL, "--workspace", owner.workspace.slug)
    # a restore brings Clara back; reapplying the erasures removes her again
    make_person(owner, first_name="Clara", last_name="Test", email=EMAIL)
    result = StringIO()
    call_command("privacy", "reapply-erasures", stdout=result)
    assert result.getvalue() == f"{owner.workspace.slug}: 1\n"
    assert not Person.objects.filter(emails__email=EMAIL).exists()


# Every operation of /privacy/requests: (method, path, body).
OPERATIONS = [
    ("GET", "", None),
    ("POST", "", {"kind": "access", "channel": "email", "requester_email": "x@example.com"}),
    ("GET", "/subjects", None),
    ("GET", "/subject-export?email=" + EMAIL, None),
    ("POST", "/subject-erase", {"email": EMAIL, "dry_run": False}),
    ("GET", "/{id}", None),
    ("POST", "/{id}/verify", None),
    ("PUT", "/{id}/persons", {"person_ids": []}),
    ("POST", "/{id}/extend", {"reason": "Many requests"}),
    ("POST", "/{id}/decide", {"decision": "granted"}),
    ("GET", "/{id}/erasure-plan", None),
    ("GET", "/{id}/possible-mentions", None),
    ("POST", "/{id}/possible-mentions/decide", {"key": "crm.activity:1:body:0", "decision": "confirm"}),
    ("POST", "/{id}/erase", None),
    ("POST", "/{id}/restrict", None),
    ("POST", "/{id}/objection", None),
    ("POST", "/{id}/lift-restriction", {"reason": "Accurate after all"}),
    ("POST", "/{id}/objection/decide", {"decision": "upheld", "reason": "No compelling grounds"}),
    ("GET", "/{id}/access-export", None),
    ("GET", "/{id}/portability-export", None),
    ("POST", "/{id}/transmission-links", {"format": "json"}),
]


def test_the_operations_list_covers_the_router() -> None:
    import re

    from zweck.api.urls import api

    schema = api.get_openapi_schema()
    found = {
        (method.upper(), re.sub(r"\{[^}]+\}", "{id}", path.removeprefix("/api/v1/privacy/requests")))
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/privacy/requests")
        for method in methods
    }
    assert found == {(method, path.split("?")[0]) for method, path, _ in OPERATIONS}


def _state() -> tuple[int, ...]:
    from zweck.audit.models import AuditEvent
    from zweck.privacy.models import RequestAction

    return (
        DataSubjectRequest.objects.count(),
        Person.objects.count(),
        AuditEvent.objects.count(),
        RequestAction.objects.count(),
        DataSubjectRequest.objects.filter(verification="verified").count(),
    )


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
@pytest.mark.parametrize("who", ["anonymous", "sales", "stranger"])
def test_refused_callers_change_nothing(
    who: str,
    method: str,
    path: str,
    body: object,
    actor_with_role: Callable[[str], Actor],
    owner: Actor,
    stranger: Actor,
    client: Client,
) -> None:
    # given a request of this workspace about Clara
    officer = actor_with_role(Role.PRIVACY_OFFICER)
    make_person(owner, first_name="Clara", last_name="Test", email=EMAIL)
    created = client.post(
        BASE, _open_body(), content_type="application/json", headers=_headers(officer)
    ).json()
    caller = {"anonymous": None, "sales": actor_with_role(Role.SALES), "stranger": stranger}[who]
    headers = _headers(caller)
    before = _state()
    # when
    url = BASE + path.replace("{id}", str(created["id"]))
    data = json.dumps(body) if body is not None else ""
    response = client.generic(method, url, data, content_type="application/json", headers=headers)
    # then
    if who == "anonymous":
        assert response.status_code == 401
    elif who == "sales":
        assert response.status_code == 403
    elif "{id}" in path or path.startswith("/subject-"):
        assert response.status_code == 404
    else:
        # the stranger acts in their own workspace: an empty queue, no candidates, their own request
        assert response.status_code in (200, 201)
        if method == "GET":
            payload = response.json()
            assert payload == [] or payload.get("items") == []
    if response.status_code >= 400:
        assert _state() == before


def _erasure_request_with_a_possible_mention(owner: Actor, officer: Actor) -> tuple[int, int]:
    """Clara's erasure request, and Otto's note naming "C. Test" (only possibly her)."""
    from zweck.crm.choices import ActivityKind
    from zweck.crm.services import activity_create
    from zweck.privacy.dsr import dsr_link_persons, dsr_open, dsr_verify

    clara = make_person(owner, first_name="Clara", last_name="Test", email=EMAIL)
    otto = make_person(owner, first_name="Otto", last_name="Anders")
    note = activity_create(
        actor=owner, kind=ActivityKind.NOTE, subject="Note", body="C. Test rief an.", participants=[otto]
    )
    request = dsr_open(actor=officer, kind="erasure", channel="email", requester_email=EMAIL)
    dsr_verify(actor=officer, request=request)
    dsr_link_persons(actor=officer, request=request, person_ids=[clara.pk])
    return request.pk, note.pk


def test_possible_mentions_over_the_api_by_permission(
    actor_with_role: Callable[[str], Actor], owner: Actor, stranger: Actor, client: Client, monkeypatch
) -> None:
    from zweck.accounts.tests.factories import MembershipFactory
    from zweck.core.permissions import ROLE_PERMISSIONS, Permission
    from zweck.privacy.models import MentionDecision

    officer = actor_with_role(Role.PRIVACY_OFFICER)
    request_id, note_id = _erasure_request_with_a_possible_mention(owner, officer)
    listed = client.get(f"{BASE}/{request_id}/possible-mentions", headers=_headers(officer))
    [mention] = listed.json()
    assert (mention["data_set"], mention["id"], mention["field"], mention["term"], mention["reason"]) == (
        "crm.activity",
        note_id,
        "body",
        "C. Test",
        "initial",
    )
    assert mention["decision"] == ""
    body = json.dumps({"key": mention["key"], "decision": "dismiss"})
    # a member who may view but not manage privacy
    viewer = Actor.for_membership(MembershipFactory(workspace=owner.workspace, role=Role.READ_ONLY))
    viewer_headers = _headers(viewer)
    monkeypatch.setitem(
        ROLE_PERMISSIONS, Role.READ_ONLY, ROLE_PERMISSIONS[Role.PRIVACY_OFFICER] - {Permission.PRIVACY_MANAGE}
    )
    stranger_headers = _headers(stranger)
    before = _state()
    calls = {
        "anonymous": client.post(
            f"{BASE}/{request_id}/possible-mentions/decide", body, content_type="application/json"
        ),
        "stranger": client.post(
            f"{BASE}/{request_id}/possible-mentions/decide",
            body,
            content_type="application/json",
            headers=stranger_headers,
        ),
        "viewer": client.post(
            f"{BASE}/{request_id}/possible-mentions/decide",
            body,
            content_type="application/json",
            headers=viewer_headers,
        ),
    }
    assert {who: response.status_code for who, response in calls.items()} == {
        "anonymous": 401,
        "stranger": 404,
        "viewer": 403,
    }
    assert _state() == before and not MentionDecision.objects.exists()
    assert client.get(f"{BASE}/{request_id}/possible-mentions", headers=viewer_headers).status_code == 200
    # the privacy officer decides
    decided = client.post(
        f"{BASE}/{request_id}/possible-mentions/decide",
        body,
        content_type="application/json",
        headers=_headers(officer),
    )
    assert decided.status_code == 200
    assert (decided.json()["key"], decided.json()["decision"]) == (mention["key"], "dismissed")
    plan = client.get(f"{BASE}/{request_id}/erasure-plan", headers=_headers(officer)).json()
    assert [(m["key"], m["decision"]) for m in plan["possible_mentions"]] == [(mention["key"], "dismissed")]
    wrong = client.post(
        f"{BASE}/{request_id}/possible-mentions/decide",
        json.dumps({"key": "crm.activity:1:body:0", "decision": "confirm"}),
        content_type="application/json",
        headers=_headers(officer),
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == [
        {"field": "key", "message": "This request has no such possible mention."}
    ]


def test_cli_lists_and_decides_possible_mentions(
    actor_with_role: Callable[[str], Actor], owner: Actor
) -> None:
    officer = actor_with_role(Role.PRIVACY_OFFICER)
    request_id, note_id = _erasure_request_with_a_possible_mention(owner, officer)
    slug = owner.workspace.slug
    listed = StringIO()
    call_command("dsr", "mentions", str(request_id), "--workspace", slug, stdout=listed)
    [line] = listed.getvalue().splitlines()
    key = line.split("\t")[0]
    assert line == f"{key}\tundecided\tcrm.activity #{note_id}\tbody\tinitial\tC. Test"
    decided = StringIO()
    call_command(
        "dsr", "decide-mention", str(request_id), key, "--confirm", "--workspace", slug, stdout=decided
    )
    assert decided.getvalue() == f"{key}\tconfirmed\tcrm.activity #{note_id}\tbody\tinitial\tC. Test\n"
    with pytest.raises(CommandError, match="no such possible mention"):
        call_command("dsr", "decide-mention", str(request_id), key + "0", "--dismiss", "--workspace", slug)
    with pytest.raises(CommandError, match="No request"):
        call_command("dsr", "mentions", "999999", "--workspace", slug)
