"""Writing the sign-in and security log.

Invariants:
- logging never makes a request fail: every entry is written by one INSERT statement (an
  entry for a user who works in several workspaces is one multi-row INSERT); inside a
  transaction it runs in a savepoint, so a failed entry leaves the caller's work intact;
- a failure of the log itself is logged with the entry's kind and the error's class only;
- nothing entered is stored in clear: no password, no user name, no query string. An address
  no account has is kept as a keyed digest (HMAC with the installation's secret key), which
  tells repeated attempts on one name apart and cannot be turned back into the name;
- the user agent is cut to the column's length; the IP address is the client's as
  ``zweck.core.clients`` decides it (a forwarding header only from a trusted proxy).

Sign-in, failed sign-in and sign-out come from Django's authentication signals, so every way
of signing in (the staff pages, the operators' admin) is logged by one receiver.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.db import connections, router, transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from zweck.accounts.actors import Actor, MissingPermission
from zweck.accounts.models import Membership, SecurityChannel, SecurityEvent, SecurityEventKind, User
from zweck.core.clients import client_address

logger = logging.getLogger(__name__)

USER_AGENT_LENGTH = SecurityEvent._meta.get_field("user_agent").max_length or 200
DETAIL_LENGTH = SecurityEvent._meta.get_field("detail").max_length or 200
_DIGEST_SALT = "zweck.accounts.security.account"


@dataclass(frozen=True)
class Client:
    """Where a request came from: what the log keeps of it."""

    ip_address: str | None = None
    user_agent: str = ""
    channel: str = SecurityChannel.SYSTEM


def client_of(request: HttpRequest | None) -> Client:
    """The peer address, the user agent (cut to length) and the channel of ``request``."""
    if request is None:
        return Client()
    path = request.path or ""
    if path.startswith("/api/"):
        channel = SecurityChannel.API
    elif path.startswith("/admin/"):
        channel = SecurityChannel.ADMIN
    else:
        channel = SecurityChannel.WEB
    agent = str(request.META.get("HTTP_USER_AGENT", ""))
    # PostgreSQL refuses NUL in text; a header with one is written without it.
    agent = agent.replace("\x00", "")[:USER_AGENT_LENGTH]
    return Client(ip_address=client_address(request), user_agent=agent, channel=channel)


def account_digest(entered: str) -> str:
    """A keyed digest of an entered sign-in name: equal for equal names, never the name."""
    return salted_hmac(_DIGEST_SALT, entered.strip().lower(), algorithm="sha256").hexdigest()


def _write(rows: list[SecurityEvent]) -> None:
    kind = rows[0].kind if rows else ""
    try:
        database = router.db_for_write(SecurityEvent)
        if connections[database].in_atomic_block:
            with transaction.atomic(using=database):
                SecurityEvent.objects.using(database).bulk_create(rows)
        else:
            SecurityEvent.objects.using(database).bulk_create(rows)
    except Exception as error:  # the log must never fail the request it logs
        logger.warning("Security log entry %s was not written: %s", kind, type(error).__name__)


def _row(kind: str, client: Client, **values: Any) -> SecurityEvent:
    return SecurityEvent(
        kind=kind,
        channel=client.channel,
        ip_address=client.ip_address,
        user_agent=client.user_agent,
        **values,
    )


def _workspaces_of(user: User) -> list[int]:
    return sorted(Membership.objects.filter(user=user, is_active=True).values_list("workspace_id", flat=True))


def security_event_record(
    *,
    kind: str,
    client: Client,
    user: User | None = None,
    workspace_id: int | None = None,
    token_id: int | None = None,
    detail: str = "",
) -> None:
    """Log one event in one workspace (or in none). Never raises."""
    _write(
        [
            _row(
                kind,
                client,
                user=user,
                workspace_id=workspace_id,
                token_id=token_id,
                detail=detail[:DETAIL_LENGTH],
            )
        ]
    )


def security_account_event(*, kind: str, client: Client, user: User | None = None, entered: str = "") -> None:
    """Log an event of a sign-in account: once in each workspace the user works in (its owner
    sees it there), once without a workspace for a user who has none, and, for an ``entered``
    name no account has, once without user or workspace under the name's digest. Never raises."""
    try:
        if user is None and entered:
            user = User.objects.filter(email=entered.strip().lower()).first()
        if user is None:
            rows = [_row(kind, client, account_digest=account_digest(entered) if entered else "")]
        else:
            workspaces: Iterable[int | None] = _workspaces_of(user) or [None]
            rows = [_row(kind, client, user=user, workspace_id=workspace) for workspace in workspaces]
    except Exception as error:  # the log must never fail the request it logs
        logger.warning("Security log entry %s was not written: %s", kind, type(error).__name__)
        return
    _write(rows)


def security_denial_record(
    *, client: Client, actor: Actor | None = None, user: User | None = None, error: Exception | None = None
) -> None:
    """Log a refused action: by ``actor`` in its workspace, or by a signed-in ``user`` who has
    no workspace (any more). Names the missing permissions when the refusal says which."""
    detail = ", ".join(error.permissions) if isinstance(error, MissingPermission) else ""
    if actor is not None:
        security_event_record(
            kind=SecurityEventKind.PERMISSION_DENIED,
            client=client,
            user=actor.user,
            workspace_id=actor.workspace_id,
            detail=detail,
        )
    else:
        security_event_record(
            kind=SecurityEventKind.PERMISSION_DENIED, client=client, user=user, detail=detail
        )


def _signed_in(sender: Any, request: HttpRequest | None = None, user: User | None = None, **_: Any) -> None:
    if isinstance(user, User):
        security_account_event(kind=SecurityEventKind.SIGN_IN, client=client_of(request), user=user)


def _signed_out(sender: Any, request: HttpRequest | None = None, user: User | None = None, **_: Any) -> None:
    if isinstance(user, User):
        security_account_event(kind=SecurityEventKind.SIGN_OUT, client=client_of(request), user=user)


def _sign_in_failed(
    sender: Any, credentials: dict[str, Any] | None = None, request: HttpRequest | None = None, **_: Any
) -> None:
    # A sign-in the throttle refused is not a failure of its own: the lock was logged once.
    if request is not None and getattr(request, "zweck_sign_in_refusal", None) is not None:
        return
    # Django has already masked the password in ``credentials``; only the name is read, and
    # only to find the account (or to digest it).
    entered = (credentials or {}).get(User.USERNAME_FIELD) or (credentials or {}).get("username") or ""
    security_account_event(
        kind=SecurityEventKind.SIGN_IN_FAILED, client=client_of(request), entered=str(entered)
    )


def connect_signals() -> None:
    """Log Django's sign-in, sign-out and failed sign-in (called once, from ``AppConfig.ready``)."""
    user_logged_in.connect(_signed_in, dispatch_uid="zweck.accounts.security.signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="zweck.accounts.security.signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="zweck.accounts.security.sign_in_failed")
