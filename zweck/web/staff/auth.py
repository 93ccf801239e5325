"""Signing in and out, password reset by email, the workspace and language switches."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from zweck.accounts.models import SecurityEventKind, User
from zweck.accounts.security import client_of, security_account_event
from zweck.accounts.services import user_set_language
from zweck.web.staff.access import resolve_actor, switch_workspace


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


class LoginView(auth_views.LoginView):
    template_name = "staff/auth/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # The interface speaks the user's saved language from the first page on.
        user = form.get_user()
        if isinstance(user, User) and check_for_language(user.language):
            _remember_language(response, user.language)
        return response


class LogoutView(auth_views.LogoutView):
    template_name = "staff/auth/logged_out.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "staff/auth/password_reset_form.html"
    email_template_name = "staff/auth/password_reset_email.txt"
    subject_template_name = "staff/auth/password_reset_subject.txt"
    success_url = reverse_lazy("staff:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
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
