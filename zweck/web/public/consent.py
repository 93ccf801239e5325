"""Public consent pages: the sign-up form (also embeddable elsewhere), its confirmation, and the
preference centre. The views parse, call one marketing service, and render.

The sign-up POST is exempt from Django's CSRF check, because it comes from the company's own
website without a Zweck session; the signed form token stands in for it (see
``zweck.marketing.signup``). Every other form here is a page of this origin with Django's token.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zweck.core.clients import client_address
from zweck.marketing import preferences, signup
from zweck.marketing.choices import SIGNUP_PURPOSES, ConsentPurpose


class SignupForm(forms.Form):
    form = forms.CharField(max_length=2000, widget=forms.HiddenInput)
    purposes = forms.MultipleChoiceField(
        label=gettext_lazy("What you would like to receive"),
        choices=[(purpose.value, purpose.label) for purpose in ConsentPurpose if purpose in SIGNUP_PURPOSES],
        required=False,
    )
    email = forms.EmailField(label=gettext_lazy("Email address"), max_length=254)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100, required=False)
    # The honeypot: hidden from people, filled in by robots.
    website = forms.CharField(required=False, max_length=500)
    page = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean_purposes(self) -> list[str]:
        # Said here as well as by the service, so that every mistake is named at once.
        chosen: list[str] = self.cleaned_data.get("purposes") or []
        if not chosen:
            raise ValidationError(_("Tick what you would like to receive."))
        return chosen


def _user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:500]


def _message(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "public/consent/message.html", {"message": message}, status=status)


def _form_page(request: HttpRequest, token: str, form: SignupForm, status: int = 200) -> HttpResponse:
    loaded = signup.form_load(token)
    with translation.override(loaded.language):
        return render(
            request,
            "public/consent/signup.html",
            {"form": form, "token": token, "texts": signup.form_texts(loaded), "language": loaded.language},
            status=status,
        )


@require_GET
def signup_form(request: HttpRequest, token: str) -> HttpResponse:
    """The sign-up form as Zweck serves it; the embed code posts the same fields."""
    try:
        return _form_page(request, token, SignupForm(initial={"form": token}))
    except signup.SignupError as error:
        return _message(request, error.message, 404)


@csrf_exempt
@require_POST
def signup_submit(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST)
    token = request.POST.get("form", "")
    try:
        loaded = signup.form_load(token)
    except signup.SignupError as error:
        return _message(request, error.message, 400)
    if not form.is_valid():
        return _form_page(request, token, form, status=422)
    try:
        signup.signup_submit(
            token=token,
            email=form.cleaned_data["email"],
            purposes=form.cleaned_data["purposes"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            honeypot=form.cleaned_data["website"],
            client_ip=client_address(request),
            user_agent=_user_agent(request),
            page=form.cleaned_data["page"] or request.META.get("HTTP_REFERER", "")[:500],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except signup.RateLimited as error:
        return _message(request, error.message, 429)
    except ValidationError as error:
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
        return _form_page(request, token, form, status=422)
    with translation.override(loaded.language):
        return render(request, "public/consent/sent.html", {"language": loaded.language})


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation email: a page with one button, which confirms. (Mail
    scanners open links on their own; only a person presses the button.)"""
    if request.method == "GET":
        try:
            signup.signup_check(token=token)
        except signup.SignupError as error:
            return _message(request, error.message, error.status)
        return render(request, "public/consent/confirm.html", {"token": token})
    try:
        person = signup.signup_confirm(
            token=token, client_ip=client_address(request), user_agent=_user_agent(request)
        )
    except signup.SignupError as error:
        return _message(request, error.message, error.status)
    address = person.emails.order_by("-is_primary", "pk").values_list("email", flat=True).first() or ""
    messages.success(request, _("Thank you: your sign-up is confirmed."))
    return HttpResponseRedirect(
        reverse("public:preferences", args=[preferences.preferences_token(person=person, address=address)])
    )


@require_http_methods(["GET", "POST"])
def preference_centre(request: HttpRequest, token: str) -> HttpResponse:
    try:
        holder = preferences.preferences_open(token)
    except signup.SignupError as error:
        return _message(request, error.message, error.status)
    if request.method == "POST":
        action = request.POST.get("action", "")
        client_ip, user_agent = client_address(request), _user_agent(request)
        try:
            if action == "give" or action == "withdraw":
                preferences.preference_set(
                    holder=holder,
                    purpose=request.POST.get("purpose", ""),
                    given=action == "give",
                    client_ip=client_ip,
                    user_agent=user_agent,
                )
                messages.success(
                    request,
                    _("Saved: you will receive it.") if action == "give" else _("Saved: consent withdrawn."),
                )
            elif action == "withdraw_all":
                preferences.preferences_withdraw_all(
                    holder=holder, client_ip=client_ip, user_agent=user_agent
                )
                messages.success(request, _("Saved: every consent is withdrawn."))
            elif action == "object":
                preferences.preferences_object(holder=holder, client_ip=client_ip, user_agent=user_agent)
                messages.success(request, _("Saved: we will send you no advertising any more."))
            else:
                return _message(request, _("Choose what to change."), 400)
        except signup.SignupError as error:
            return _message(request, error.message, 400)
        return HttpResponseRedirect(reverse("public:preferences", args=[token]))
    with translation.override(holder.person.language or translation.get_language()):
        return render(
            request,
            "public/consent/preferences.html",
            {
                "token": token,
                "holder": holder,
                "lines": preferences.preferences_of(holder),
                "objected": preferences.is_objected(holder),
            },
        )
