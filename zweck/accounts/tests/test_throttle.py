"""Sign-in throttling and lockout, API token guessing, unlock by the owner and the operator."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import AttemptCounter, SecurityEvent, SecurityEventKind, ThrottleKey, ThrottleScope
from zweck.accounts.services import sign_in_unlock, token_create
from zweck.accounts.tests.factories import make_actor
from zweck.accounts.throttle import (
    DEFAULT_LIMITS,
    account_locked_until,
    keys_for,
    throttle_count,
    throttle_refusal,
)
from zweck.core.permissions import Role
from zweck.outbox.testing import outbox_deliver
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ACCOUNT_LIMIT = DEFAULT_LIMITS[(ThrottleScope.SIGN_IN, ThrottleKey.ACCOUNT)].attempts
IP_LIMIT = DEFAULT_LIMITS[(ThrottleScope.SIGN_IN, ThrottleKey.IP)].attempts
TOKEN_LIMIT = DEFAULT_LIMITS[(ThrottleScope.API_TOKEN, ThrottleKey.IP)].attempts


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how often a password is hashed."""

    calls: ClassVar[int] = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings: Any) -> type[CountingHasher]:
    settings.PASSWORD_HASHERS = ["zweck.accounts.tests.test_throttle.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def _sign_in(email: str, password: str, *, ip: str = "192.0.2.10") -> Any:
    return Client(REMOTE_ADDR=ip).post("/app/login/", {"username": email, "password": password})


def test_an_account_is_locked_after_ten_failures_and_refused_before_hashing(
    owner: Actor, counting_hasher: type[CountingHasher]
) -> None:
    # given an account and ten wrong passwords, from different addresses
    assert owner.user is not None
    owner.user.set_password(PASSWORD)
    owner.user.save()
    for attempt in range(ACCOUNT_LIMIT):
        assert (
            _sign_in(owner.user.email, f"wrong guess {attempt}", ip=f"198.51.100.{attempt}").status_code
            == 200
        )
    hashed_before = counting_hasher.calls

    # when the right password comes next
    response = _sign_in(owner.user.email, PASSWORD, ip="203.0.113.7")

    # then it is refused with a clear message, without hashing anything
    assert response.status_code == 429
    assert "locked after too many failed sign-ins" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert counting_hasher.calls == hashed_before
    assert "_auth_user_id" not in response.wsgi_request.session
    # and the lock is logged once, in the owner's workspace
    locks = SecurityEvent.objects.filter(kind=SecurityEventKind.ACCOUNT_LOCKED, user=owner.user)
    assert list(locks.values_list("workspace_id", flat=True)) == [owner.workspace_id]


def test_an_unknown_address_is_locked_like_a_known_one(db: None) -> None:
    # given ten failures for an address no account has
    for attempt in range(ACCOUNT_LIMIT):
        _sign_in("nobody@example.com", f"guess {attempt}", ip=f"198.51.100.{attempt}")

    # then it answers exactly as a locked account would: nothing tells the two apart
    response = _sign_in("nobody@example.com", "another guess", ip="203.0.113.8")
    assert response.status_code == 429
    assert "locked after too many failed sign-ins" in response.content.decode()


def test_one_address_is_limited_across_accounts(owner: Actor, counting_hasher: type[CountingHasher]) -> None:
    # given thirty failures from one client, each on another name
    assert owner.user is not None
    for attempt in range(IP_LIMIT):
        _sign_in(f"guess{attempt}@example.com", "wrong password here", ip="192.0.2.99")
    hashed_before = counting_hasher.calls

    # when that client tries a real account with its right password
    refused = _sign_in(owner.user.email, PASSWORD, ip="192.0.2.99")

    # then it is refused, unhashed; another client signs in to the same account
    assert refused.status_code == 429
    assert "from your network" in refused.content.decode()
    assert counting_hasher.calls == hashed_before
    accepted = _sign_in(owner.user.email, PASSWORD, ip="192.0.2.100")
    assert accepted.status_code == 302


def test_a_success_clears_the_accounts_failures(owner: Actor) -> None:
    assert owner.user is not None
    for attempt in range(ACCOUNT_LIMIT - 1):
        _sign_in(owner.user.email, f"wrong {attempt}", ip=f"198.51.100.{attempt}")
    assert _sign_in(owner.user.email, PASSWORD).status_code == 302

    # nine more failures do not lock it: the count started again
    for attempt in range(ACCOUNT_LIMIT - 1):
        _sign_in(owner.user.email, f"wrong again {attempt}", ip=f"198.51.100.{attempt + 50}")
    assert account_locked_until(owner.user.email) is None
    assert _sign_in(owner.user.email, PASSWORD).status_code == 302


def test_a_lock_ends_by_itself_after_its_time() -> None:
    now = timezone.now()
    keys = keys_for(account="someone@example.com", ip="192.0.2.1")
    for _attempt in range(ACCOUNT_LIMIT):
        throttle_count(ThrottleScope.SIGN_IN, keys, now=now)
    refusal = throttle_refusal(ThrottleScope.SIGN_IN, keys, now=now)
    assert refusal is not None and refusal.kind == ThrottleKey.ACCOUNT
    assert refusal.until == now + timedelta(hours=1)
    assert throttle_refusal(ThrottleScope.SIGN_IN, keys, now=now + timedelta(hours=1, seconds=1)) is None


def test_failures_outside_the_window_do_not_add_up() -> None:
    start = timezone.now()
    keys = keys_for(account="slow@example.com", ip="192.0.2.2")
    for attempt in range(ACCOUNT_LIMIT * 2):
        # one failure every seven minutes: never ten within an hour
        throttle_count(ThrottleScope.SIGN_IN, keys[:1], now=start + timedelta(minutes=7 * attempt))
    counter = AttemptCounter.objects.get(key_kind=ThrottleKey.ACCOUNT)
    assert counter.locked_until is None
    assert counter.attempts < ACCOUNT_LIMIT


def test_counters_store_digests_only(db: None) -> None:
    _sign_in("private.person@example.com", "wrong password here", ip="192.0.2.55")
    stored = " ".join(str(row) for row in AttemptCounter.objects.values_list())
    assert AttemptCounter.objects.count() == 2
    assert "private.person" not in stored
    assert "192.0.2.55" not in stored


def test_the_owner_unlocks_a_member_on_the_security_log(owner: Actor) -> None:
    # given a locked member of the owner's workspace
    member = make_actor(Role.SALES, owner.workspace)
    assert member.user is not None
    member.user.set_password(PASSWORD)
    member.user.save()
    for attempt in range(ACCOUNT_LIMIT):
        _sign_in(member.user.email, f"wrong {attempt}", ip=f"198.51.100.{attempt}")
    owner_client = client_for(owner)

    # when the owner opens the security log, the member is listed as locked
    page = owner_client.get("/app/security-log/")
    assert page.status_code == 200
    assert "Locked sign-ins" in page.content.decode()
    assert str(member.user) in page.content.decode()

    # and unlocks them
    response = owner_client.post("/app/security-log/unlock/", {"user": member.user.pk})

    # then the member signs in again, and the unlock is logged and audited
    assert response.status_code == 302
    assert _sign_in(member.user.email, PASSWORD).status_code == 302
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.ACCOUNT_UNLOCKED, user=member.user, workspace_id=owner.workspace_id
    ).exists()
    from zweck.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="user.unlock", object_id=str(member.user.pk)).exists()


def test_only_the_owner_unlocks_and_only_their_own_members(owner: Actor, stranger: Actor) -> None:
    member = make_actor(Role.SALES, owner.workspace)
    admin = make_actor(Role.ADMIN, owner.workspace)
    assert member.user is not None
    for attempt in range(ACCOUNT_LIMIT):
        _sign_in(member.user.email, f"wrong {attempt}", ip=f"198.51.100.{attempt}")

    # an admin (no security log) is refused; another workspace's owner does not find the member
    assert client_for(admin).post("/app/security-log/unlock/", {"user": member.user.pk}).status_code == 403
    assert client_for(stranger).post("/app/security-log/unlock/", {"user": member.user.pk}).status_code == 404
    assert client_for(owner).post("/app/security-log/unlock/", {"user": "x" * 30}).status_code == 404
    assert Client().post("/app/security-log/unlock/", {"user": member.user.pk}).status_code == 302

    # and the lock stands
    assert account_locked_until(member.user.email) is not None
    # the service refuses a stranger's member too
    with pytest.raises(member.user.DoesNotExist):
        sign_in_unlock(actor=stranger, user=member.user)
    assert account_locked_until(member.user.email) is not None


def test_the_operator_unlocks_an_account_and_an_address_on_the_command_line(owner: Actor) -> None:
    assert owner.user is not None
    for attempt in range(IP_LIMIT):
        _sign_in(
            owner.user.email if attempt < ACCOUNT_LIMIT else f"x{attempt}@example.com",
            "wrong",
            ip="192.0.2.77",
        )
    out = StringIO()
    call_command("unlock", owner.user.email, "--check", stdout=out)
    assert "is locked until" in out.getvalue()

    call_command("unlock", owner.user.email, stdout=out)
    assert account_locked_until(owner.user.email) is None
    # the address is still locked: the operator lifts that separately
    assert _sign_in(owner.user.email, PASSWORD, ip="192.0.2.77").status_code == 429
    call_command("unlock", "--ip", "192.0.2.77", stdout=out)
    assert _sign_in(owner.user.email, PASSWORD, ip="192.0.2.77").status_code == 302
    assert "Unlocked." in out.getvalue()


def test_guessing_api_tokens_locks_the_client_out(owner: Actor) -> None:
    # given a valid token, and a client that tried twenty unknown ones
    _token, plain = token_create(actor=owner, name="laptop")
    guesser = Client(REMOTE_ADDR="192.0.2.200")
    for attempt in range(TOKEN_LIMIT):
        answer = guesser.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer zk_guess{attempt}")
        assert answer.status_code == 401

    # when it goes on guessing, every further guess is refused and not counted
    refused = guesser.get("/api/v1/persons", HTTP_AUTHORIZATION="Bearer zk_one-more-guess")
    assert refused.status_code == 429
    assert "unknown token" in refused.json()["detail"]
    counter = AttemptCounter.objects.get(scope=ThrottleScope.API_TOKEN)
    assert counter.locked_until is not None and counter.attempts == 0

    # while a valid token is served, from there (colleagues behind one address) and elsewhere
    assert guesser.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 200
    other = Client(REMOTE_ADDR="192.0.2.201").get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert other.status_code == 200


def test_password_resets_are_limited_per_address(owner: Actor, smtp_inbox: Any) -> None:
    assert owner.user is not None
    limit = DEFAULT_LIMITS[(ThrottleScope.PASSWORD_RESET, ThrottleKey.ADDRESS)].attempts
    for attempt in range(limit):
        answer = Client(REMOTE_ADDR=f"198.51.100.{attempt}").post(
            "/app/password-reset/", {"email": owner.user.email}
        )
        assert answer.status_code == 302
    refused = Client(REMOTE_ADDR="198.51.100.99").post("/app/password-reset/", {"email": owner.user.email})
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    # the links go out through the outbox: one mail per accepted request, none for the refused
    assert outbox_deliver() == limit
    assert len(smtp_inbox.messages) == limit


def test_a_locked_address_is_refused_with_one_query(django_assert_num_queries: Any) -> None:
    # given a client address locked for sign-in
    for attempt in range(IP_LIMIT):
        _sign_in(f"spray{attempt}@example.com", "wrong password here", ip="192.0.2.66")
    client = Client(REMOTE_ADDR="192.0.2.66", HTTP_ACCEPT_LANGUAGE="en")

    # when it posts again, one SELECT answers it: no session, no form, no template, no hash
    with django_assert_num_queries(1):
        response = client.post("/app/login/", {"username": "spray@example.com", "password": "again wrong"})

    # then the answer still says why and until when
    assert response.status_code == 429
    assert "from your network" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert "sessionid" not in response.cookies
