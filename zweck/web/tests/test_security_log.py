"""The sign-in and security log, written by the staff pages and read by the workspace owner.

Sign-ins go through the real login form; password resets through a real SMTP server.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import Membership, SecurityEvent, SecurityEventKind, User
from zweck.accounts.security import USER_AGENT_LENGTH, account_digest
from zweck.accounts.tests.factories import MembershipFactory, UserFactory, WorkspaceFactory, make_actor
from zweck.core.permissions import Role
from zweck.outbox.testing import outbox_deliver
from zweck.privacy.models import RetentionRule
from zweck.privacy.services import register_defaults_install
from zweck.web.staff.privacy_register_forms import RetentionRuleForm
from zweck.web.tests.conftest import client_for
from zweck.web.tests.test_password_reset import Inbox, _free_port, _text

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on a free port, which Django sends every email to."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    try:
        yield handler
    finally:
        controller.stop()


def _sign_in(email: str, password: str, *, agent: str = BROWSER, address: str = "203.0.113.7") -> Any:
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address).post(
        "/app/login/", {"username": email, "password": password}
    )


def _values(event: SecurityEvent) -> list[str]:
    return [str(value) for value in model_to_dict(event).values()]


def test_a_sign_in_is_logged_with_time_address_browser_and_the_workspace(owner: Actor) -> None:
    assert owner.user is not None
    before = timezone.now()

    response = _sign_in(owner.user.email, PASSWORD)

    assert response.status_code == 302
    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEventKind.SIGN_IN
    assert event.channel == "web"
    assert (event.workspace_id, event.user_id) == (owner.workspace_id, owner.user.pk)
    assert (event.ip_address, event.user_agent) == ("203.0.113.7", BROWSER)
    assert before <= event.created_at <= timezone.now()
    assert event.account_digest == ""


def test_a_user_of_two_workspaces_is_logged_in_each_and_one_without_a_workspace_once(owner: Actor) -> None:
    assert owner.user is not None
    second = MembershipFactory(user=owner.user, role=Role.SALES)
    loner = UserFactory()

    _sign_in(owner.user.email, PASSWORD)
    _sign_in(loner.email, PASSWORD)

    rows = SecurityEvent.objects.order_by("workspace_id").values_list("user_id", "workspace_id")
    assert sorted(rows, key=str) == sorted(
        [(owner.user.pk, owner.workspace_id), (owner.user.pk, second.workspace_id), (loner.pk, None)], key=str
    )


def test_a_long_user_agent_is_cut_and_a_nul_character_dropped(owner: Actor) -> None:
    assert owner.user is not None

    _sign_in(owner.user.email, PASSWORD, agent="Agent\x00" + "x" * 1000)

    event = SecurityEvent.objects.get()
    assert len(event.user_agent) == USER_AGENT_LENGTH
    assert event.user_agent.startswith("Agentxxx")


def test_a_failed_sign_in_of_a_known_account_names_the_account_but_never_the_password(owner: Actor) -> None:
    assert owner.user is not None

    response = _sign_in(owner.user.email, "a wrong guess 1234")

    assert response.status_code == 200
    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEventKind.SIGN_IN_FAILED
    assert (event.workspace_id, event.user_id) == (owner.workspace_id, owner.user.pk)
    assert not any("a wrong guess" in value for value in _values(event))


def test_a_failed_sign_in_of_an_unknown_address_keeps_only_a_digest_without_workspace(db: None) -> None:
    entered = "Nobody.Here@Example.com"

    _sign_in(entered, "a wrong guess 1234")

    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEventKind.SIGN_IN_FAILED
    assert (event.workspace_id, event.user_id) == (None, None)
    assert event.account_digest == account_digest("nobody.here@example.com")
    assert re.fullmatch(r"[0-9a-f]{64}", event.account_digest)
    assert not any("nobody" in value.lower() or "a wrong guess" in value for value in _values(event))


def test_repeated_attempts_on_one_unknown_name_share_their_digest(db: None) -> None:
    _sign_in("guess@example.com", "first try 1234")
    _sign_in(" GUESS@example.com", "second try 1234")
    _sign_in("other@example.com", "third try 1234")

    digests = list(SecurityEvent.objects.order_by("pk").values_list("account_digest", flat=True))
    assert digests[0] == digests[1] != digests[2]


def test_signing_out_is_logged(owner: Actor) -> None:
    client = client_for(owner)

    response = client.post("/app/logout/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.4")

    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_OUT)
    assert (event.kind, event.user_id, event.workspace_id) == (
        SecurityEventKind.SIGN_OUT,
        owner.user_id,
        owner.workspace_id,
    )
    assert event.ip_address == "198.51.100.4"


def test_a_password_reset_is_logged_when_asked_for_and_when_done(owner: Actor, inbox: Inbox) -> None:
    assert owner.user is not None
    client = Client(HTTP_USER_AGENT=BROWSER)

    client.post("/app/password-reset/", {"email": owner.user.email})
    outbox_deliver()
    link = re.search(r"http://testserver(/app/password-reset/\S+/)", _text(inbox.messages[0]))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    new_password = "Ein neues langes Kennwort 42"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )

    kinds = list(SecurityEvent.objects.order_by("pk").values_list("kind", "user_id", "workspace_id"))
    assert kinds == [
        (SecurityEventKind.PASSWORD_RESET_REQUESTED, owner.user.pk, owner.workspace_id),
        (SecurityEventKind.PASSWORD_RESET_COMPLETED, owner.user.pk, owner.workspace_id),
    ]
    assert not any(new_password in value for event in SecurityEvent.objects.all() for value in _values(event))


def test_a_reset_asked_for_an_unknown_address_is_logged_by_its_digest(db: None, inbox: Inbox) -> None:
    Client().post("/app/password-reset/", {"email": "nobody@example.com"})

    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEventKind.PASSWORD_RESET_REQUESTED
    assert (event.user_id, event.workspace_id) == (None, None)
    assert event.account_digest == account_digest("nobody@example.com")
    assert inbox.messages == []


def test_a_refused_page_is_logged_with_the_permission_it_needed(member_client: Any, workspace: Any) -> None:
    client, actor = member_client(Role.READ_ONLY)

    response = client.get("/app/privacy/register/", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PERMISSION_DENIED)
    assert event.kind == SecurityEventKind.PERMISSION_DENIED
    assert (event.user_id, event.workspace_id, event.detail) == (actor.user_id, workspace.pk, "privacy.view")
    assert event.user_agent == BROWSER


def test_a_signed_in_user_without_a_workspace_is_refused_and_logged_without_one(db: None) -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)

    response = client.get("/app/")

    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PERMISSION_DENIED)
    assert (event.kind, event.user_id, event.workspace_id) == (
        SecurityEventKind.PERMISSION_DENIED,
        user.pk,
        None,
    )


def test_a_broken_log_neither_fails_the_sign_in_nor_writes_personal_values_to_the_server_log(
    owner: Actor, caplog: pytest.LogCaptureFixture
) -> None:
    # given the log's table is gone (inside this test's transaction only)
    assert owner.user is not None
    table = SecurityEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        # when the owner signs in
        with caplog.at_level(logging.WARNING, logger="zweck.accounts.security"):
            response = _sign_in(owner.user.email, PASSWORD)
        # then the sign-in works and the failure is logged by kind and error class only
        assert response.status_code == 302
        assert Client().get("/app/").status_code == 302  # a fresh client is still asked to sign in
        messages = [record.getMessage() for record in caplog.records]
        assert len(messages) == 1
        assert messages[0].startswith("Security log entry sign_in was not written: ")
        assert owner.user.email not in messages[0] and "203.0.113.7" not in messages[0]
        assert User.objects.get(pk=owner.user.pk).last_login is not None
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")


# ------------------------------------------------------------------ the owner's page


def _event(actor: Actor, kind: str = SecurityEventKind.SIGN_IN, **values: Any) -> SecurityEvent:
    return SecurityEvent.objects.create(
        workspace_id=actor.workspace_id,
        user=actor.user,
        kind=kind,
        channel="web",
        ip_address=values.pop("ip_address", "192.0.2.10"),
        user_agent=values.pop("user_agent", BROWSER),
        **values,
    )


def test_the_owner_sees_the_log_with_addresses_and_in_words(owner: Actor, stranger: Actor) -> None:
    sales = make_actor(Role.SALES, owner.workspace)
    _event(sales, ip_address="192.0.2.55")
    _event(sales, SecurityEventKind.PERMISSION_DENIED, detail="privacy.view, member.manage")
    _event(stranger, ip_address="192.0.2.99")

    page = client_for(owner).get("/app/security-log/").content.decode()

    assert "192.0.2.55" in page
    assert "192.0.2.99" not in page
    assert "See the privacy register and requests, Manage members" in page
    assert "privacy.view" not in page
    assert "Signed in" in page and "Permission denied" in page


def test_the_log_speaks_german(owner: Actor) -> None:
    _event(owner, SecurityEventKind.SIGN_IN_FAILED)
    client = client_for(owner)
    client.cookies["django_language"] = "de"

    page = client.get("/app/security-log/").content.decode()

    assert "Sicherheitsprotokoll" in page
    assert "Anmeldung fehlgeschlagen" in page


def test_the_log_is_filtered_by_kind_and_member(owner: Actor) -> None:
    sales = make_actor(Role.SALES, owner.workspace)
    _event(sales, ip_address="192.0.2.1")
    _event(sales, SecurityEventKind.SIGN_OUT, ip_address="192.0.2.2")
    _event(owner, ip_address="192.0.2.3")
    client = client_for(owner)

    by_kind = client.get("/app/security-log/", {"kind": "sign_out"}).content.decode()
    by_member = client.get("/app/security-log/", {"user": sales.user_id}).content.decode()
    both = client.get("/app/security-log/", {"user": sales.user_id, "kind": "sign_in"}).content.decode()
    nonsense = client.get("/app/security-log/", {"user": "x" * 40, "kind": "everything"})

    assert ("192.0.2.1" in by_kind, "192.0.2.2" in by_kind, "192.0.2.3" in by_kind) == (False, True, False)
    assert ("192.0.2.1" in by_member, "192.0.2.2" in by_member, "192.0.2.3" in by_member) == (
        True,
        True,
        False,
    )
    assert ("192.0.2.1" in both, "192.0.2.2" in both, "192.0.2.3" in both) == (True, False, False)
    assert nonsense.status_code == 200


def test_the_log_is_paginated_with_a_fixed_number_of_queries(owner: Actor) -> None:
    tokens_user = make_actor(Role.SALES, owner.workspace)
    for index in range(60):
        _event(tokens_user if index % 2 else owner, ip_address=f"192.0.2.{index}")
    client = client_for(owner)
    client.get("/app/security-log/")

    with CaptureQueriesContext(connection) as first:
        page_one = client.get("/app/security-log/").content.decode()
    with CaptureQueriesContext(connection) as second:
        page_two = client.get("/app/security-log/", {"page": 2}).content.decode()

    assert "192.0.2.59" in page_one and "192.0.2.0" not in page_one
    assert "192.0.2.0" in page_two and "Page 2 of 2" in page_two
    assert len(first.captured_queries) == len(second.captured_queries)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PRIVACY_OFFICER, Role.SALES, Role.READ_ONLY])
def test_only_the_owner_reads_the_log(owner: Actor, role: str) -> None:
    _event(owner, ip_address="192.0.2.77")
    client = client_for(make_actor(role, owner.workspace))

    response = client.get("/app/security-log/")
    dashboard = client.get("/app/").content.decode()

    assert response.status_code == 403
    assert "192.0.2.77" not in response.content.decode()
    assert "/app/security-log/" not in dashboard


def test_an_anonymous_visitor_is_sent_to_sign_in(db: None) -> None:
    response = Client().get("/app/security-log/")

    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/")


def test_the_period_is_the_workspace_setting_and_is_changed_on_the_register_page(owner: Actor) -> None:
    # given the shipped register: the log is kept 30 days from each entry
    register_defaults_install(actor=owner)
    rule = RetentionRule.objects.get(workspace_id=owner.workspace_id, key="security_log")
    assert (rule.days, rule.counts_from, rule.years, rule.months) == (30, "record_created", 0, 0)
    client = client_for(owner)
    assert (
        "Entries are deleted 30 days after the record arose."
        in client.get("/app/security-log/").content.decode()
    )
    # when the owner shortens it on the register page
    form = {**model_to_dict(rule, fields=RetentionRuleForm.field_names), "days": 14}
    response = client.post("/app/privacy/register/retention-rules/security_log/edit/", form)
    # then the workspace's rule says 14 days, and the log page says so
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.days == 14
    assert (
        "Entries are deleted 14 days after the record arose."
        in client.get("/app/security-log/").content.decode()
    )


# ------------------------------------------------------------------ my data


def test_every_member_sees_their_own_data_and_latest_entries(owner: Actor) -> None:
    read_only = make_actor(Role.READ_ONLY, owner.workspace)
    _event(read_only, ip_address="192.0.2.21")
    _event(owner, ip_address="192.0.2.22")

    page = client_for(read_only).get("/app/my-data/").content.decode()

    assert "192.0.2.21" in page
    assert "192.0.2.22" not in page
    assert "Security log entries" in page
    assert "/app/my-data/export.json" in page


def test_a_member_downloads_their_own_export(owner: Actor) -> None:
    member = make_actor(Role.SALES, owner.workspace)
    _event(member, ip_address="192.0.2.31")
    _event(owner, ip_address="192.0.2.32")

    response = client_for(member).get("/app/my-data/export.json", {"lang": "de"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = response.json()
    sets = {data_set["data_set"]: data_set for data_set in data["data_sets"]}
    assert sets["accounts.User"]["rows"][0]["email"] == member.user.email  # type: ignore[union-attr]
    assert "password" in sets["accounts.User"]["withheld"]
    assert [row["ip_address"] for row in sets["accounts.SecurityEvent"]["rows"] if row["ip_address"]] == [
        "192.0.2.31"
    ]
    assert data["language"] == "de"
    assert "192.0.2.32" not in response.content.decode()


def test_the_staff_notice_is_readable_by_every_member_in_both_languages(owner: Actor) -> None:
    register_defaults_install(actor=owner)
    client = client_for(make_actor(Role.READ_ONLY, owner.workspace))

    english = client.get("/app/my-data/notice/en/").content.decode()
    german = client.get("/app/my-data/notice/de/").content.decode()

    assert "Sign-in and security log: 30 days after the record arose" in english
    assert "Anmelde- und Sicherheitsprotokoll" in german
    assert client.get("/app/my-data/notice/fr/").status_code == 404


def test_my_data_needs_a_signed_in_member(db: None) -> None:
    assert Client().get("/app/my-data/export.json")["Location"].startswith("/app/login/")


def test_another_workspace_membership_does_not_leak_into_the_export(owner: Actor) -> None:
    assert owner.user is not None
    other = WorkspaceFactory()
    Membership.objects.create(workspace=other, user=owner.user, role=Role.OWNER)
    SecurityEvent.objects.create(
        workspace=other, user=owner.user, kind="sign_in", channel="web", ip_address="192.0.2.41"
    )
    _event(owner, ip_address="192.0.2.42", created_at=timezone.now() - timedelta(days=1))

    body = client_for(owner).get("/app/my-data/export.json").content.decode()

    assert "192.0.2.42" in body
    assert "192.0.2.41" not in body


def test_the_register_page_offers_the_staff_notice_to_the_privacy_officer(owner: Actor) -> None:
    register_defaults_install(actor=owner)
    client = client_for(make_actor(Role.PRIVACY_OFFICER, owner.workspace))

    register_page = client.get("/app/privacy/register/").content.decode()
    notice = client.get("/app/privacy/register/notices/staff/en/")

    assert "/app/privacy/register/notices/staff/en/" in register_page
    assert notice.status_code == 200
    assert "Sign-in and security log" in notice.content.decode()
