"""A member's own account security: two factors, signed-in sessions and API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zweck.accounts.models import TokenScope, TwoFactorDevice, User
from zweck.accounts.security import client_of
from zweck.accounts.selectors import token_list
from zweck.accounts.services import token_create, token_revoke
from zweck.accounts.sign_in_sessions import sign_in_session_end, sign_in_session_list
from zweck.accounts.throttle import TooManyAttempts
from zweck.accounts.two_factor import (
    grouped_secret,
    provisioning_uri,
    qr_code_data_uri,
    recovery_codes_left,
    recovery_codes_renew,
    two_factor_device_of,
    two_factor_disable,
    two_factor_enrol_confirm,
    two_factor_enrol_start,
    two_factor_required_for,
)
from zweck.core.permissions import Permission
from zweck.web.sessions import RECORD
from zweck.web.staff.access import SESSION_TWO_FACTOR, StaffRequest, render_page, staff_view

ENROL_SESSION = "zweck.two_factor.enrolling"
TOKEN_DAYS = (
    (7, gettext_lazy("7 days")),
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (365, gettext_lazy("1 year")),
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DisableForm(CodeForm):
    password = forms.CharField(label=gettext_lazy("Your password"), strip=False, widget=forms.PasswordInput)
    field_order = ["password", "code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from the app or a recovery code")


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("What the token is for, e.g. the program that uses it.")}
        ),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Access"), choices=TokenScope.choices, initial=TokenScope.READ
    )
    days = forms.TypedChoiceField(label=gettext_lazy("Valid for"), choices=TOKEN_DAYS, coerce=int, initial=90)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
    ("python-", "Python"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A short name for a browser's user agent ("Firefox on Linux"); the whole string stays in
    the title for whoever wants it."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or (user_agent[:40] if user_agent else _("Unknown browser"))


def _account_context(request: StaffRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    device = two_factor_device_of(user)
    current = request.session.get(RECORD)
    tokens = token_list(actor=request.actor).filter(user=user, revoked_at__isnull=True)
    return {
        "device": device,
        "codes_left": recovery_codes_left(user) if device else 0,
        "sessions": [_with_device(session) for session in sign_in_session_list(user=user)],
        "current_session_id": int(current) if current is not None else None,
        "tokens": list(tokens),
        "now": timezone.now(),
        "token_form": extra.pop("token_form", None) or TokenForm(),
        "may_use_tokens": request.actor.can(Permission.TOKEN_USE),
        **extra,
    }


def _with_device(session: Any) -> Any:
    session.device = device_label(session.user_agent)
    return session


@staff_view()
def account_security(request: StaffRequest) -> HttpResponse:
    """Two factors, the signed-in sessions and the API tokens of the member themself."""
    return render_page(request, "staff/account/security.html", _account_context(request))


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code, type a code it makes, keep the recovery codes."""
    user = cast(User, request.user)
    if two_factor_device_of(user) is not None:
        return HttpResponseRedirect(reverse("staff:account_security"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.session.get(ENROL_SESSION):
        if form.is_valid():
            try:
                codes = two_factor_enrol_confirm(
                    user=user, code=form.cleaned_data["code"], client=client_of(request)
                )
            except ValidationError as error:
                form.add_error("code", error.message_dict.get("code", error.messages))
            else:
                request.session.pop(ENROL_SESSION, None)
                request.session[SESSION_TWO_FACTOR] = True
                # Shown once, in this answer; only their digests are stored.
                return render(request, "staff/account/recovery_codes.html", {"codes": codes})
        pending = TwoFactorDevice.objects.filter(user=user).first()
        device = pending if pending is not None else two_factor_enrol_start(user=user)
    else:
        device = two_factor_enrol_start(user=user)
        request.session[ENROL_SESSION] = True
    uri = provisioning_uri(device, user)
    return render(
        request,
        "staff/account/two_factor_enrol.html",
        {
            "form": form,
            "qr_code": qr_code_data_uri(uri),
            "secret": grouped_secret(device.secret),
            "required": two_factor_required_for(user),
        },
        status=422 if form.errors else 200,
    )


@staff_view()
def two_factor_turn_off(request: StaffRequest) -> HttpResponse:
    """Turn two factors off, with the password and a current code."""
    if two_factor_device_of(request.user) is None:
        return HttpResponseRedirect(reverse("staff:account_security"))
    form = DisableForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_disable(
                user=request.user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                client=client_of(request),
            )
        except TooManyAttempts as error:
            form.add_error(None, error.refusal.message)
            status = 429
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 422
        else:
            request.session.pop(SESSION_TWO_FACTOR, None)
            messages.success(
                request, _("Two-factor authentication is off. Your recovery codes no longer work.")
            )
            return HttpResponseRedirect(reverse("staff:account_security"))
    elif request.method == "POST":
        status = 422
    return render_page(
        request,
        "staff/account/two_factor_off.html",
        {"form": form, "required": request.actor.workspace.require_two_factor},
        status=status,
    )


@staff_view()
def recovery_codes_new(request: StaffRequest) -> HttpResponse:
    """New recovery codes for the old ones, confirmed with a code of the app; shown once."""
    if two_factor_device_of(request.user) is None:
        return HttpResponseRedirect(reverse("staff:account_security"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = recovery_codes_renew(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.message_dict.get("code", error.messages))
        else:
            return render(request, "staff/account/recovery_codes.html", {"codes": codes, "renewed": True})
    return render_page(
        request, "staff/account/recovery_codes_new.html", {"form": form}, status=422 if form.errors else 200
    )


@require_POST
@staff_view()
def session_end(request: StaffRequest, session_id: int) -> HttpResponse:
    """End one of the member's own sessions at once (404 for anyone else's)."""
    sign_in_session_end(user=request.user, session_id=session_id, client=client_of(request))
    if request.session.get(RECORD) == session_id:
        return HttpResponseRedirect(reverse("staff:login"))
    messages.success(request, _("The session was ended. That browser must sign in again."))
    return HttpResponseRedirect(reverse("staff:account_security"))


@staff_view(Permission.TOKEN_USE)
def api_token_create(request: StaffRequest) -> HttpResponse:
    """Make an API token; its secret is shown in this answer only."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, plain = token_create(
            actor=request.actor,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
        )
        return render_page(
            request, "staff/account/token_created.html", {"token": token, "plain": plain}, status=201
        )
    if request.method == "GET":
        return HttpResponseRedirect(reverse("staff:account_security"))
    return render_page(
        request, "staff/account/security.html", _account_context(request, token_form=form), status=422
    )


@require_POST
@staff_view()
def api_token_revoke(request: StaffRequest, token_id: int) -> HttpResponse:
    token = token_list(actor=request.actor).filter(user=request.user).get(pk=token_id)
    token_revoke(actor=request.actor, token=token)
    messages.success(request, _("The token was revoked. Programs that use it are refused from now on."))
    return HttpResponseRedirect(reverse("staff:account_security"))
