"""The signed-in browsers of each user: recorded at sign-in, listed to the user, ended at will.

Invariants:
- a ``SignInSession`` row names one Django session by its key; ending the row deletes that
  session from the session store in the same call, so the browser is signed out on its next
  request, whatever it does;
- the staff pages' middleware refreshes ``last_seen_at`` (and the key, which changes when a
  password change rotates it) at most once a minute, and signs out a session whose row has
  ended — a second guard should the store's row have outlived the first;
- a user ends only their own sessions; deactivating a member ends all of that user's.
"""

from __future__ import annotations

from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zweck.accounts.models import SecurityEventKind, SignInSession, User
from zweck.accounts.security import USER_AGENT_LENGTH, Client, security_account_event


def _delete_from_store(session_key: str) -> None:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key=session_key).delete()


def sign_in_session_start(*, user: User, session_key: str, client: Client) -> SignInSession:
    """Record a new sign-in of ``user`` in the browser whose session is ``session_key``."""
    now = timezone.now()
    return SignInSession.objects.create(
        user=user,
        session_key=session_key,
        created_at=now,
        last_seen_at=now,
        ip_address=client.ip_address,
        user_agent=client.user_agent[:USER_AGENT_LENGTH],
    )


def sign_in_session_touch(*, session_id: int, session_key: str, now: datetime | None = None) -> bool:
    """Note that the session was seen now; False when it has ended (the caller signs it out)."""
    updated = SignInSession.objects.filter(pk=session_id, ended_at__isnull=True).update(
        last_seen_at=now or timezone.now(), session_key=session_key
    )
    return bool(updated)


def sign_in_session_close(*, session_id: int) -> None:
    """The browser signed out by itself."""
    SignInSession.objects.filter(pk=session_id, ended_at__isnull=True).update(ended_at=timezone.now())


def sign_in_session_list(*, user: User) -> QuerySet[SignInSession]:
    """The user's sessions that have not ended, most recently seen first."""
    return SignInSession.objects.filter(user=user, ended_at__isnull=True).order_by("-last_seen_at", "-id")


@transaction.atomic
def sign_in_session_end(*, user: User, session_id: int, client: Client | None = None) -> SignInSession:
    """End one of the user's own sessions at once. ``DoesNotExist`` for anyone else's."""
    session = SignInSession.objects.select_for_update().get(pk=session_id, user=user, ended_at__isnull=True)
    session.ended_at = timezone.now()
    session.save(update_fields=["ended_at"])
    _delete_from_store(session.session_key)
    security_account_event(kind=SecurityEventKind.SESSION_ENDED, client=client or Client(), user=user)
    return session


@transaction.atomic
def sign_in_sessions_end_all(*, user: User, keep_session_key: str | None = None) -> int:
    """End every session of ``user`` (but the one named ``keep_session_key``); how many ended."""
    sessions = list(
        SignInSession.objects.select_for_update()
        .filter(user=user, ended_at__isnull=True)
        .exclude(session_key=keep_session_key or "")
    )
    now = timezone.now()
    for session in sessions:
        _delete_from_store(session.session_key)
    SignInSession.objects.filter(pk__in=[session.pk for session in sessions]).update(ended_at=now)
    return len(sessions)
