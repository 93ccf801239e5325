"""Throttling and lockout of sign-in, API tokens, password resets and the privacy portal.

Invariants:
- counters live in the database (``AttemptCounter``), so every server process and every
  worker counts together; a counter is changed by single UPDATE statements (no read, then
  write), so concurrent attempts are all counted;
- a refusal is decided before any expensive work: a locked sign-in is refused before the
  password is hashed; for API tokens, where the look-up of a digest is cheap, a locked client
  is refused for each unknown token (a known one cannot be guessed and is served);
- keys are stored as keyed digests, never in clear; an account name is counted whether or not
  an account has it, so a lock reveals nothing about which addresses exist;
- what counts: failed sign-ins and unknown tokens (a success clears the account's counter);
  every password-reset and portal request (there is no "failure" to wait for);
- a lock ends by itself when its time has passed, or earlier when the account's workspace
  owner (``sign_in_unlock``) or the operator (``zweck unlock``) lifts it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from zweck.accounts.models import AttemptCounter, ThrottleKey, ThrottleScope

_SALT = "zweck.accounts.throttle"


@dataclass(frozen=True)
class Limit:
    """``attempts`` within ``window`` lock the key for ``lockout``."""

    attempts: int
    window: timedelta
    lockout: timedelta


MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
# NIST SP 800-63B 5.2.2 allows at most 100 consecutive failures per account; these are far below.
DEFAULT_LIMITS: dict[tuple[str, str], Limit] = {
    (ThrottleScope.SIGN_IN, ThrottleKey.ACCOUNT): Limit(10, HOUR, HOUR),
    (ThrottleScope.SIGN_IN, ThrottleKey.IP): Limit(30, 15 * MINUTE, 15 * MINUTE),
    (ThrottleScope.API_TOKEN, ThrottleKey.IP): Limit(20, 15 * MINUTE, 15 * MINUTE),
    (ThrottleScope.PASSWORD_RESET, ThrottleKey.ADDRESS): Limit(3, HOUR, HOUR),
    (ThrottleScope.PASSWORD_RESET, ThrottleKey.IP): Limit(10, HOUR, HOUR),
    (ThrottleScope.PORTAL, ThrottleKey.ADDRESS): Limit(3, HOUR, HOUR),
    (ThrottleScope.PORTAL, ThrottleKey.IP): Limit(10, HOUR, HOUR),
    # A six-digit code has a million values: five wrong ones lock the account's second step.
    (ThrottleScope.TWO_FACTOR, ThrottleKey.ACCOUNT): Limit(5, 15 * MINUTE, 15 * MINUTE),
    (ThrottleScope.TWO_FACTOR, ThrottleKey.IP): Limit(30, 15 * MINUTE, 15 * MINUTE),
}


def limit_for(scope: str, kind: str) -> Limit:
    """The limit of ``scope`` counted by ``kind``; ``ZWECK["THROTTLE_LIMITS"]`` may override it."""
    overrides = settings.ZWECK.get("THROTTLE_LIMITS", {})
    return overrides.get((str(scope), str(kind))) or DEFAULT_LIMITS[(scope, kind)]


@dataclass(frozen=True)
class Key:
    kind: str
    digest: str


def key(kind: str, value: str) -> Key:
    """The key for an account name, an email address or an IP address (normalized, digested)."""
    normalized = value.strip().lower()
    return Key(kind, salted_hmac(_SALT, f"{kind}:{normalized}", algorithm="sha256").hexdigest())


def keys_for(*, account: str | None = None, address: str | None = None, ip: str | None = None) -> list[Key]:
    found = []
    if account:
        found.append(key(ThrottleKey.ACCOUNT, account))
    if address:
        found.append(key(ThrottleKey.ADDRESS, address))
    # Without an address (a test client, a broken proxy) all such callers share one counter.
    found.append(key(ThrottleKey.IP, ip or "unknown"))
    return found


@dataclass(frozen=True)
class Refusal:
    """Why and until when an attempt is refused; ``message`` is safe to show anyone."""

    scope: str
    kind: str
    until: datetime

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.until - timezone.now()).total_seconds()) + 1)

    @property
    def message(self) -> str:
        until = formats.time_format(timezone.localtime(self.until), "TIME_FORMAT")
        if self.scope == ThrottleScope.SIGN_IN and self.kind == ThrottleKey.ACCOUNT:
            return _(
                "This account is locked after too many failed sign-ins. Try again after %(time)s, "
                "or ask the owner of your workspace to unlock it now."
            ) % {"time": until}
        if self.scope == ThrottleScope.SIGN_IN:
            return _("Too many failed sign-ins came from your network. Try again after %(time)s.") % {
                "time": until
            }
        if self.scope == ThrottleScope.TWO_FACTOR:
            return _(
                "Too many wrong codes. Try again after %(time)s, or ask the owner of your workspace "
                "to unlock your account."
            ) % {"time": until}
        if self.scope == ThrottleScope.API_TOKEN:
            return _(
                "Too many requests with an unknown token came from your address. Try again after %(time)s."
            ) % {"time": until}
        return _("Too many requests. Please try again after %(time)s.") % {"time": until}


class TooManyAttempts(Exception):
    """Raised where a refusal ends the call; carries the ``Refusal``."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def _counters(scope: str, keys: Iterable[Key]) -> Q:
    condition = Q(pk__in=[])
    for found in keys:
        condition |= Q(key_kind=found.kind, key_digest=found.digest)
    return Q(scope=scope) & condition


def throttle_refusal(scope: str, keys: Sequence[Key], *, now: datetime | None = None) -> Refusal | None:
    """The refusal in force for any of ``keys``, the longest one, or None. One SELECT."""
    now = now or timezone.now()
    locked = (
        AttemptCounter.objects.filter(_counters(scope, keys), locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("key_kind", "locked_until")
        .first()
    )
    if locked is None:
        return None
    kind, until = locked
    assert until is not None
    return Refusal(scope=scope, kind=kind, until=until)


def _bump(scope: str, found: Key, limit: Limit, now: datetime) -> bool:
    """Count one attempt of ``found``; True when this attempt locked it."""
    counters = AttemptCounter.objects.filter(scope=scope, key_kind=found.kind, key_digest=found.digest)
    expired = Q(window_started_at__lt=now - limit.window)
    changes = {
        "attempts": Case(When(expired, then=Value(1)), default=F("attempts") + 1),
        "window_started_at": Case(When(expired, then=Value(now)), default=F("window_started_at")),
    }
    if not counters.update(**changes):
        try:
            with transaction.atomic():
                AttemptCounter.objects.create(
                    scope=scope,
                    key_kind=found.kind,
                    key_digest=found.digest,
                    attempts=1,
                    window_started_at=now,
                )
            _purge(now)
        except IntegrityError:
            # Another process created it between our UPDATE and INSERT: count on its row.
            counters.update(**changes)
    # The attempt that reaches the limit locks the key and starts a fresh window for after it.
    return bool(
        counters.filter(attempts__gte=limit.attempts)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(locked_until=now + limit.lockout, attempts=0, window_started_at=now + limit.lockout)
    )


def _purge(now: datetime) -> None:
    """Delete counters that neither count nor lock any more (older than the longest window)."""
    longest = max(limit.window + limit.lockout for limit in DEFAULT_LIMITS.values())
    AttemptCounter.objects.filter(window_started_at__lt=now - longest).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    ).delete()


def throttle_count(scope: str, keys: Sequence[Key], *, now: datetime | None = None) -> list[Key]:
    """Count one attempt for each of ``keys``; returns the keys this attempt locked."""
    now = now or timezone.now()
    return [found for found in keys if _bump(scope, found, limit_for(scope, found.kind), now)]


def throttle_hit(scope: str, keys: Sequence[Key], *, now: datetime | None = None) -> None:
    """For limits on every request (password reset, portal): refuse when locked, else count.
    Raises ``TooManyAttempts``."""
    refusal = throttle_refusal(scope, keys, now=now)
    if refusal is not None:
        raise TooManyAttempts(refusal)
    throttle_count(scope, keys, now=now)


def throttle_clear(scope: str, keys: Sequence[Key]) -> int:
    """Forget the counters of ``keys`` in ``scope`` (after a successful sign-in)."""
    deleted, _details = AttemptCounter.objects.filter(_counters(scope, keys)).delete()
    return deleted


def account_locked_until(email: str, *, now: datetime | None = None) -> datetime | None:
    """Until when sign-in to ``email`` is locked, or None."""
    refusal = throttle_refusal(ThrottleScope.SIGN_IN, [key(ThrottleKey.ACCOUNT, email)], now=now)
    return refusal.until if refusal else None


def locked_accounts(emails: Iterable[str], *, now: datetime | None = None) -> dict[str, datetime]:
    """Of ``emails``, those whose sign-in (password or second step) is locked now, with the
    lock's end (the later one where both are). One SELECT."""
    now = now or timezone.now()
    by_digest = {key(ThrottleKey.ACCOUNT, email).digest: email for email in emails}
    rows = AttemptCounter.objects.filter(
        scope__in=[ThrottleScope.SIGN_IN, ThrottleScope.TWO_FACTOR],
        key_kind=ThrottleKey.ACCOUNT,
        key_digest__in=list(by_digest),
        locked_until__gt=now,
    ).values_list("key_digest", "locked_until")
    locked: dict[str, datetime] = {}
    for digest, until in rows:
        email = by_digest[digest]
        if until is not None and (email not in locked or until > locked[email]):
            locked[email] = until
    return locked


def unlock_keys(keys: Sequence[Key]) -> int:
    """Lift every counter and lock of ``keys``, in every scope. Returns the rows removed."""
    condition = Q(pk__in=[])
    for found in keys:
        condition |= Q(key_kind=found.kind, key_digest=found.digest)
    deleted, _details = AttemptCounter.objects.filter(condition).delete()
    return deleted
