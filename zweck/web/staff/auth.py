"""Signing in and out (with the second step for two factors), password reset by email through
the outbox, the workspace and language switches."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from zweck.accounts.backends import REFUSAL_ATTRIBUTE
from zweck.accounts.models import SecurityEventKind, ThrottleScope, User
from zweck.accounts.security import client_of, security_account_event
from zweck.accounts.services import user_change_password, user_set_language
from zweck.accounts.sign_in_sessions import sign_in_session_touch, sign_in_sessions_end_all
from zweck.accounts.throttle import Refusal, TooManyAttempts, keys_for, throttle_hit
from zweck.accounts.two_factor import two_factor_enabled, two_factor_verify
from zweck.core.clients import client_address
from zweck.web.sessions import RECORD
from zweck.web.staff.access import SESSION_TWO_FACTOR, resolve_actor, switch_workspace

# The user who passed the password step and still owes the second: id, backend, time, target.
SESSION_PENDING = "zweck.sign_in.pending"
# The second step must follow the first within this many seconds.
PENDING_SECONDS = 300


def _remember_language(response: HttpResponseBase, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SignInForm(AuthenticationForm):
    """Django's sign-in form; a sign-in the throttle refused says why and until when."""

    def refusal(self) -> Refusal | None:
        return getattr(self.request, REFUSAL_ATTRIBUTE, None) if self.request is not None else None

    def get_invalid_login_error(self) -> ValidationError:
        refusal = self.refusal()
        if refusal is not None:
            return ValidationError(refusal.message, code="throttled")
        return super().get_invalid_login_error()


class LoginView(auth_views.LoginView):
    template_name = "staff/auth/login.html"
    redirect_authenticated_user = True
    authentication_form = SignInForm

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if isinstance(form, SignInForm) and form.refusal() is not None:
            refusal = form.refusal()
            assert refusal is not None
            response.status_code = 429
            response["Retry-After"] = str(refusal.retry_after_seconds)
        return response

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if isinstance(user, User) and two_factor_enabled(user):
            # Not signed in yet: the password was right, the second step comes next.
            self.request.session.cycle_key()
            self.request.session[SESSION_PENDING] = {
                "user": user.pk,
                "backend": getattr(user, "backend", ""),
                "at": time.time(),
                "next": self.get_success_url(),
            }
            response: HttpResponse = HttpResponseRedirect(reverse("staff:login_two_factor"))
        else:
            response = super().form_valid(form)
        # The interface speaks the user's saved language from the first page on.
        if isinstance(user, User) and check_for_language(user.language):
            _remember_language(response, user.language)
        return response


class TwoFactorStepForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy(
            "The six digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(SESSION_PENDING)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, pending) if user is not None else None


def login_two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code of the authenticator app or a recovery code."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(SESSION_PENDING, None)
        messages.info(request, _("Please sign in again: the second step must follow within five minutes."))
        return HttpResponseRedirect(settings.LOGIN_URL)
    user, pending = found
    form = TwoFactorStepForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = two_factor_verify(user=user, code=form.cleaned_data["code"], client=client_of(request))
        except TooManyAttempts as error:
            form.add_error(None, error.refusal.message)
            response = render(request, "staff/auth/login_two_factor.html", {"form": form}, status=429)
            response["Retry-After"] = str(error.refusal.retry_after_seconds)
            return response
        except ValidationError as error:
            form.add_error("code", error.message_dict.get("code", error.messages))
            status = 422
        else:
            request.session.pop(SESSION_PENDING, None)
            auth_login(request, user, backend=pending.get("backend") or None)
            request.session[SESSION_TWO_FACTOR] = True
            if result.recovery_code_used:
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; it cannot be used again. %(left)s codes are "
                        "left. Make new ones on your account page if you lost your phone."
                    )
                    % {"left": result.recovery_codes_left},
                )
            target = str(pending.get("next") or reverse("staff:dashboard"))
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("staff:dashboard")
            return HttpResponseRedirect(target)
    if request.method == "POST" and status == 200:
        status = 422
    return render(request, "staff/auth/login_two_factor.html", {"form": form}, status=status)


class LogoutView(auth_views.LogoutView):
    template_name = "staff/auth/logged_out.html"


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose mail goes through the outbox: saved in the request's
    transaction and sent (and retried) by the worker, so an SMTP outage loses no link."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from zweck.outbox.services import mail_queue

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        mail_queue(to=to_email, subject=subject, body=body, from_email=from_email)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "staff/auth/password_reset_form.html"
    form_class = OutboxPasswordResetForm
    email_template_name = "staff/auth/password_reset_email.txt"
    subject_template_name = "staff/auth/password_reset_subject.txt"
    success_url = reverse_lazy("staff:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Counted for the address and the client whether or not an account has the address, so
        # the answer tells nothing about which addresses exist.
        keys = keys_for(address=form.cleaned_data["email"], ip=client_address(self.request))
        try:
            throttle_hit(ThrottleScope.PASSWORD_RESET, keys)
        except TooManyAttempts as error:
            form.add_error(None, error.refusal.message)
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(error.refusal.retry_after_seconds)
            return response
        response = super().form_valid(form)
        security_account_event(
            kind=SecurityEventKind.PASSWORD_RESET_REQUESTED,
            client=client_of(self.request),
            entered=form.cleaned_data["email"],
        )
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "staff/auth/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "staff/auth/password_reset_confirm.html"
    success_url = reverse_lazy("staff:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        if isinstance(form.user, User):
            security_account_event(
                kind=SecurityEventKind.PASSWORD_RESET_COMPLETED,
                client=client_of(self.request),
                user=form.user,
            )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "staff/auth/password_reset_complete.html"


class ChangePasswordForm(PasswordChangeForm):
    """The current password, then the new one twice; the rules are the installation's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Labels stand above their fields; a trailing colon would only be read aloud.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def save(self, commit: bool = True) -> Any:
        raise NotImplementedError("PasswordChangeView below saves through user_change_password.")


@method_decorator(login_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """Where a signed-in user changes their password (every other session of theirs ends)."""

    template_name = "staff/auth/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("staff:dashboard")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user = user_change_password(
            user=form.user, new_password=form.cleaned_data["new_password1"], client=client_of(self.request)
        )
        # This session stays signed in; the others end because the password hash changed.
        update_session_auth_hash(self.request, user)
        session = self.request.session
        if session.get(RECORD) is not None and session.session_key:
            sign_in_session_touch(session_id=int(session[RECORD]), session_key=session.session_key)
        sign_in_sessions_end_all(user=user, keep_session_key=session.session_key)
        messages.success(self.request, _("Your password was changed. Your other sessions have ended."))
        return HttpResponseRedirect(str(self.success_url))


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (the cookie), plus the signed-in user's saved preference."""
    response: HttpResponse = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        actor = resolve_actor(request)
        if actor is not None:
            user_set_language(actor=actor, language=language)
    return response


@require_POST
def workspace_switch(request: HttpRequest) -> HttpResponse:
    """Continue in another of the user's workspaces (a session setting, not a stored change)."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{settings.LOGIN_URL}")
    try:
        workspace_id = int(request.POST.get("workspace", ""))
    except ValueError:
        workspace_id = 0
    switch_workspace(request, workspace_id)
    return HttpResponseRedirect(reverse("staff:dashboard"))
