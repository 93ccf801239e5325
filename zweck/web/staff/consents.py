"""Staff pages of the consent ledger: recording a consent on a contact, withdrawing it, and the
printable proof (page and PDF). The contact page lists the contact's consents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.crm import selectors as crm_selectors
from zweck.crm.models import Person
from zweck.marketing import selectors, services, signup
from zweck.marketing.choices import SIGNUP_PURPOSES, ConsentChannel, ConsentMethod, ConsentPurpose
from zweck.marketing.models import ConsentRecord
from zweck.marketing.proof import proof_html, proof_of, proof_pdf
from zweck.privacy.models import Recipient
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.forms import ServiceForm
from zweck.web.staff.pages import form_page

# A double opt-in and the preference centre record themselves, with their chain; staff record
# what reached them on paper, verbally or through another web form.
RECORDABLE_METHODS = [
    (m.value, m.label)
    for m in ConsentMethod
    if m not in (ConsentMethod.DOUBLE_OPT_IN, ConsentMethod.PREFERENCE_CENTRE)
]


def consents_of(actor: Actor, person: Person) -> list[ConsentRecord]:
    """The contact's consents given, newest first, each with its withdrawal (for the contact page)."""
    if not actor.can(Permission.CONSENT_VIEW):
        return []
    return list(selectors.consent_list(actor=actor, person_id=person.pk, kind="grant"))


class ConsentForm(ServiceForm):
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=ConsentPurpose.choices)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=ConsentChannel.choices)
    address = forms.CharField(
        label=gettext_lazy("Email address or number"),
        max_length=254,
        help_text=gettext_lazy("The address or number the consent covers; numbers in international form."),
    )
    method = forms.ChoiceField(label=gettext_lazy("How it was given"), choices=RECORDABLE_METHODS)
    given_at = forms.DateTimeField(
        label=gettext_lazy("Given at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Leave empty for now."),
    )
    recipient = forms.ModelChoiceField(
        label=gettext_lazy("Recipient (passing data on only)"),
        queryset=Recipient.objects.none(),
        required=False,
    )
    scope = forms.CharField(
        label=gettext_lazy("Event (health-related details only)"), max_length=200, required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("Needed for a verbal consent: who asked, when, and what was said."),
    )

    def __init__(self, *args: Any, actor: Actor, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.person = person
        self.fields["recipient"].queryset = Recipient.objects.visible_to(actor, None).order_by("name")  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault(
                "address",
                person.emails.order_by("-is_primary", "pk").values_list("email", flat=True).first() or "",
            )

    def submit(self) -> ConsentRecord | None:
        data = self.cleaned_data
        recipient = data.get("recipient")
        return self.call(
            services.consent_record,
            person=self.person,
            purpose=data["purpose"],
            channel=data["channel"],
            address=data["address"],
            method=data["method"],
            given_at=data.get("given_at"),
            note=data.get("note", ""),
            scope=data.get("scope", ""),
            recipient_id=recipient.pk if recipient else None,
        )


def _person_url(person_id: int) -> str:
    return reverse("staff:person_detail", args=[person_id])


@staff_view(Permission.CRM_VIEW, Permission.CONSENT_MANAGE)
def consent_create(request: StaffRequest, person_id: int) -> HttpResponse:
    person = crm_selectors.person_get(actor=request.actor, person_id=person_id)
    return form_page(
        request,
        ConsentForm(request.POST or None, actor=request.actor, person=person),
        heading=_("Record a consent of %(name)s") % {"name": person.full_name},
        done=lambda record: (_("Consent recorded."), _person_url(person.pk)),
        cancel_url=_person_url(person.pk),
        submit_label=_("Record consent"),
    )


@require_POST
@staff_view(Permission.CONSENT_MANAGE)
def consent_withdraw(request: StaffRequest, consent_id: int) -> HttpResponse:
    method = request.POST.get("method", ConsentMethod.WEB_FORM)
    with transaction.atomic():
        record = selectors.consent_get(actor=request.actor, record_id=consent_id)
        try:
            services.consent_withdraw(
                actor=request.actor, record=record, method=method, note=request.POST.get("note", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Consent withdrawn."))
    return HttpResponseRedirect(_person_url(record.person_id))


def _printer(request: StaffRequest) -> str:
    user = request.actor.user
    return (user.get_full_name() or user.email) if user is not None else _("the system")


def _proof(request: StaffRequest, consent_id: int) -> Any:
    record = selectors.consent_get(actor=request.actor, record_id=consent_id)
    return proof_of(record, printed_by=_printer(request), language=translation.get_language() or "de")


@staff_view(Permission.CONSENT_VIEW)
def consent_proof(request: StaffRequest, consent_id: int) -> HttpResponse:
    return HttpResponse(proof_html(_proof(request, consent_id)))


@staff_view(Permission.CONSENT_VIEW)
def consent_proof_pdf(request: StaffRequest, consent_id: int) -> HttpResponse:
    response = HttpResponse(proof_pdf(_proof(request, consent_id)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="consent-{consent_id}.pdf"'
    return response


class SignupFormChoice(forms.Form):
    purposes = forms.MultipleChoiceField(
        label=gettext_lazy("What people sign up for"),
        choices=[(p.value, p.label) for p in ConsentPurpose if p.value in SIGNUP_PURPOSES],
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the form"),
        choices=[("de", gettext_lazy("German")), ("en", gettext_lazy("English"))],
    )


@staff_view(Permission.CONSENT_MANAGE)
def signup_form_code(request: StaffRequest) -> HttpResponse:
    """The code of a sign-up form to place on the company's website, and the link to the same
    form served by Zweck."""
    choice = SignupFormChoice(request.GET or None, label_suffix="")
    context: dict[str, Any] = {"choice": choice}
    if choice.is_valid():
        token = signup.form_token(
            workspace=request.actor.workspace,
            purposes=tuple(choice.cleaned_data["purposes"]),
            language=choice.cleaned_data["language"],
        )
        loaded = signup.form_load(token)
        with translation.override(loaded.language):
            context["snippet"] = render_to_string(
                "marketing/signup_embed.html",
                {
                    "token": token,
                    "action": request.build_absolute_uri(reverse("public:signup_submit")),
                    "texts": signup.form_texts(loaded),
                },
            ).strip()
        context["hosted_url"] = request.build_absolute_uri(reverse("public:signup_form", args=[token]))
    return render_page(request, "staff/consents/signup_form.html", context)
