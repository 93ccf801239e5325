"""The sign-in backend: Django's model backend behind the throttle (``zweck.accounts.throttle``).

Every way of signing in with a password (the staff pages, the operators' admin) goes through
``authenticate()`` and so through here: a locked account or client is refused before the
password is hashed, a failure is counted, a success clears the account's counter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from zweck.accounts.models import SecurityEventKind, ThrottleKey, ThrottleScope
from zweck.accounts.security import client_of, security_account_event, security_event_record
from zweck.accounts.throttle import keys_for, throttle_clear, throttle_count, throttle_refusal
from zweck.core.clients import client_address

# Set on the request when a sign-in was refused by the throttle; the form shows its message.
REFUSAL_ATTRIBUTE = "zweck_sign_in_refusal"


class ThrottledModelBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        keys = keys_for(account=str(username), ip=client_address(request) if request is not None else None)
        refusal = throttle_refusal(ThrottleScope.SIGN_IN, keys)
        if refusal is not None:
            if request is not None:
                setattr(request, REFUSAL_ATTRIBUTE, refusal)
            # Ends authenticate() at once: no other backend runs, no password is hashed.
            raise PermissionDenied(refusal.message)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            for locked in throttle_count(ThrottleScope.SIGN_IN, keys):
                client = client_of(request)
                if locked.kind == ThrottleKey.ACCOUNT:
                    security_account_event(
                        kind=SecurityEventKind.ACCOUNT_LOCKED, client=client, entered=str(username)
                    )
                else:
                    security_event_record(kind=SecurityEventKind.ACCOUNT_LOCKED, client=client, detail="ip")
        else:
            throttle_clear(ThrottleScope.SIGN_IN, keys[:1])
        return user


class EarlySignInRefusalMiddleware:
    """Refuses a sign-in POST from a locked client address before sessions, CSRF, forms and
    templates run, so that a flood from one address costs one indexed SELECT per request.
    (A locked *account* is refused by the backend, which knows the entered name.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in (settings.LOGIN_URL, "/admin/login/"):
            refusal = throttle_refusal(ThrottleScope.SIGN_IN, keys_for(ip=client_address(request))[-1:])
            if refusal is not None:
                with translation.override(translation.get_language_from_request(request)):
                    body = format_html(
                        '<!doctype html><html lang="{}"><meta charset="utf-8"><title>{}</title>'
                        '<p role="alert">{}</p><p><a href="{}">{}</a></p></html>',
                        translation.get_language(),
                        _("Sign-in refused"),
                        refusal.message,
                        request.path,
                        _("Back to the sign-in page"),
                    )
                response = HttpResponse(body, status=429)
                response["Retry-After"] = str(refusal.retry_after_seconds)
                return response
        return self.get_response(request)
