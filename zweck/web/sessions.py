"""Session limits: a staff session ends after a time without requests (idle) and a time after
signing in (absolute), both set per workspace (OWASP ASVS 4.0 V3.3.1, V3.3.2).

Invariants:
- the limits are the strictest of the user's workspaces, read at sign-in and again every few
  minutes (a changed setting reaches running sessions within ``REFRESH_SECONDS``);
- the time of the last request is written at most once a minute, so a busy page does not
  write its session on every request; idle time is therefore exact to a minute;
- an ended session is ended through ``logout`` (its data is flushed, the sign-out is logged);
  a page of the staff interface then sends the user to sign in again, with a message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in, user_logged_out
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from zweck.accounts.models import User
from zweck.accounts.security import client_of
from zweck.accounts.selectors import session_limits_for
from zweck.accounts.sign_in_sessions import (
    sign_in_session_close,
    sign_in_session_start,
    sign_in_session_touch,
)

STARTED = "zweck.session.started"
SEEN = "zweck.session.seen"
LIMITS = "zweck.session.limits"
# The id of the session's ``SignInSession`` row (what the user's sessions page lists).
RECORD = "zweck.session.record"
REFRESH_SECONDS = 300
TOUCH_SECONDS = 60


def _remember_limits(session: Any, user: User, now: float) -> tuple[int, int]:
    idle, lifetime = session_limits_for(user=user)
    session[LIMITS] = [idle, lifetime, now]
    return idle, lifetime


def session_started(sender: Any, request: HttpRequest | None = None, user: Any = None, **_: Any) -> None:
    """At sign-in: the session's clocks start, and its limits are read."""
    if request is None or not hasattr(request, "session") or not isinstance(user, User):
        return
    now = time.time()
    request.session[STARTED] = now
    request.session[SEEN] = now
    _remember_limits(request.session, user, now)
    _record(request, user)


def _record(request: HttpRequest, user: User) -> None:
    session = request.session
    if session.session_key is None:
        session.save()
    assert session.session_key is not None
    record = sign_in_session_start(user=user, session_key=session.session_key, client=client_of(request))
    session[RECORD] = record.pk


def session_closed(sender: Any, request: HttpRequest | None = None, **_: Any) -> None:
    """At sign-out: the session's row ends (read before Django flushes the session)."""
    if request is None or not hasattr(request, "session"):
        return
    record = request.session.get(RECORD)
    if record is not None:
        sign_in_session_close(session_id=int(record))


def connect_signals() -> None:
    user_logged_in.connect(session_started, dispatch_uid="zweck.web.sessions.started")
    user_logged_out.connect(session_closed, dispatch_uid="zweck.web.sessions.closed")


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not isinstance(user, User):
            return self.get_response(request)
        session = request.session
        now = time.time()
        started = session.get(STARTED)
        seen = session.get(SEEN)
        if started is None or seen is None:
            # A session from before these limits: its clocks start now.
            session[STARTED] = session[SEEN] = started = seen = now
        limits = session.get(LIMITS)
        if not limits or now - limits[2] > REFRESH_SECONDS:
            idle, lifetime = _remember_limits(session, user, now)
        else:
            idle, lifetime = limits[0], limits[1]
        if now - seen > idle:
            return self._end(
                request,
                _("You were signed out after %(minutes)s minutes without activity.")
                % {"minutes": idle // 60},
            )
        if now - started > lifetime:
            return self._end(
                request,
                _("You were signed out %(hours)s hours after signing in.") % {"hours": lifetime // 3600},
            )
        if now - seen >= TOUCH_SECONDS or session.get(RECORD) is None:
            session[SEEN] = now
            record = session.get(RECORD)
            if record is None:
                # A session from before the sessions page: it is listed from now on.
                _record(request, user)
            elif not sign_in_session_touch(session_id=int(record), session_key=session.session_key or ""):
                # Ended from the sessions page or by deactivation after its store row survived.
                return self._end(request, _("This session was ended."))
        return self.get_response(request)

    def _end(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        if not request.path.startswith("/app/") or request.path.startswith(settings.LOGIN_URL):
            return self.get_response(request)
        messages.info(request, message + " " + _("Please sign in again."))
        target = f"{settings.LOGIN_URL}?next={quote(request.get_full_path())}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
