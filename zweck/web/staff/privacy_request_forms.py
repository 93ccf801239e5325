"""Forms of the privacy officer's request pages. Each parses the request, then calls one
service of ``zweck.privacy.dsr``; what the service refuses is shown on the form."""

from __future__ import annotations

import copy
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zweck.accounts.actors import Actor
from zweck.crm.validators import normalize_phone
from zweck.privacy import dsr
from zweck.privacy.models import DataSubjectRequest
from zweck.privacy.request_models import Decision, ObjectionScope, RequestChannel, RequestKind
from zweck.web.staff.forms import (
    DateTimeInput,
    PersonForm,
    ServiceForm,
    _member_choices,
    _owner,
    contact_lists,
    text_lines,
)

# Requests that reach the privacy officer directly; the portal records its own.
STAFF_CHANNELS = [(value, label) for value, label in RequestChannel.choices if value != RequestChannel.PORTAL]

# The person fields a rectification may correct here, as the contact form asks for them.
RECTIFIABLE_FIELDS = ("salutation", "title", "first_name", "last_name", "position", "language")
CONTACT_FIELDS = ("emails", "phones")


class RequestOpenForm(ServiceForm):
    """A request received by email, phone or letter."""

    kind = forms.ChoiceField(label=_("Right"), choices=RequestKind.choices)
    channel = forms.ChoiceField(label=_("Received by"), choices=STAFF_CHANNELS, initial=RequestChannel.EMAIL)
    received_at = forms.DateTimeField(label=_("Received at"), widget=DateTimeInput())
    requester_name = forms.CharField(label=_("Requester's name"), max_length=200, required=False)
    requester_email = forms.EmailField(label=_("Requester's email address"), required=False)
    requester_phone = forms.CharField(label=_("Requester's phone number"), max_length=40, required=False)
    requester_organization = forms.CharField(
        label=_("Requester's organization"), max_length=200, required=False
    )
    objection_scope = forms.ChoiceField(
        label=_("Objection to"),
        required=False,
        choices=[("", "—"), *[(v, label) for v, label in ObjectionScope.choices if v]],
        help_text=_("Only for objections; without a choice, an objection is to direct marketing."),
    )
    details = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the requester asks for, in their words; no further personal data."),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("received_at", timezone.localtime().replace(second=0))
        super().__init__(*args, actor=actor, **kwargs)

    def clean_requester_phone(self) -> str:
        value: str = self.cleaned_data["requester_phone"]
        return normalize_phone(value) if value else ""

    def clean_received_at(self) -> Any:
        value = self.cleaned_data["received_at"]
        if value is not None and value > timezone.now():
            raise ValidationError(_("A request cannot be received in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("requester_name", "requester_email", "requester_phone")):
            self.add_error("requester_name", _("Give the requester's name, email address or phone number."))
        if data.get("objection_scope") and data.get("kind") != RequestKind.OBJECTION:
            self.add_error("objection_scope", _("Only an objection has a scope."))
        return data

    def submit(self) -> DataSubjectRequest | None:
        return self.call(dsr.dsr_open, **self.cleaned_data)


class RequestServiceForm(ServiceForm):
    """A form about one request."""

    def __init__(self, *args: Any, actor: Actor, request: DataSubjectRequest, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.request = request


class AssignForm(RequestServiceForm):
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)

    def __init__(self, *args: Any, actor: Actor, request: DataSubjectRequest, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assignee": request.assignee_id or ""})
        super().__init__(*args, actor=actor, request=request, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = _member_choices(actor)

    def submit(self) -> DataSubjectRequest | None:
        assignee = _owner(self.actor, self.cleaned_data["assignee"])
        return self.call(dsr.dsr_assign, request=self.request, assignee=assignee)


class LinkPersonsForm(RequestServiceForm):
    """The person records the request covers, chosen among the candidates found."""

    persons = forms.MultipleChoiceField(
        label=_("Person records"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(
        self,
        *args: Any,
        actor: Actor,
        request: DataSubjectRequest,
        choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, actor=actor, request=request, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["persons"]).choices = [
            (str(pk), name) for pk, name in choices
        ]

    def submit(self) -> DataSubjectRequest | None:
        ids = [int(value) for value in self.cleaned_data["persons"]]
        return self.call(dsr.dsr_link_persons, request=self.request, person_ids=ids)


class ExtendForm(RequestServiceForm):
    reason = forms.CharField(
        label=_("Reasons for the extension"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The requester is told these reasons by email."),
    )

    def submit(self) -> DataSubjectRequest | None:
        return self.call(dsr.dsr_extend, request=self.request, reason=self.cleaned_data["reason"])

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict") and "extension_reason" in error.error_dict:
            self.add_error("reason", error.error_dict["extension_reason"])
            return
        super().add_service_errors(error)


class DecideForm(RequestServiceForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(v, label) for v, label in Decision.choices if v],
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed unless the request is granted in full (Art. 12(4) GDPR)."),
    )

    def submit(self) -> DataSubjectRequest | None:
        data = self.cleaned_data
        return self.call(
            dsr.dsr_decide, request=self.request, decision=data["decision"], reason=data["reason"]
        )

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict") and "decision_reason" in error.error_dict:
            self.add_error("reason", error.error_dict["decision_reason"])
            return
        super().add_service_errors(error)


class ObjectionDecideForm(DecideForm):
    """An objection to processing on legitimate interests: are there compelling grounds?"""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("stop", _("No compelling grounds: the processing stops, the records stay restricted")),
            ("continue", _("Compelling grounds: the subject is told, the restriction is lifted")),
        ],
    )
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))

    def submit(self) -> DataSubjectRequest | None:
        data = self.cleaned_data
        return self.call(
            dsr.objection_decide,
            request=self.request,
            compelling_grounds=data["decision"] == "continue",
            reason=data["reason"],
        )


class RestrictionLiftForm(RequestServiceForm):
    reason = forms.CharField(
        label=_("Reasons for lifting the restriction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The subject is told before the restriction ends (Art. 18(3) GDPR)."),
    )

    def submit(self) -> int | None:
        return self.call(dsr.dsr_restriction_lift, request=self.request, reason=self.cleaned_data["reason"])


class RectifyForm(RequestServiceForm):
    """Correct the fields of one linked person record, with the contact form's fields."""

    person = forms.TypedChoiceField(label=_("Person record"), coerce=int, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, actor: Actor, request: DataSubjectRequest, person: Any, **kwargs: Any
    ) -> None:
        stored = PersonForm.initial_for(person)
        kwargs.setdefault(
            "initial",
            {"person": person.pk, **{name: stored[name] for name in (*RECTIFIABLE_FIELDS, *CONTACT_FIELDS)}},
        )
        super().__init__(*args, actor=actor, request=request, **kwargs)
        self.record = person
        cast(forms.ChoiceField, self.fields["person"]).choices = [(person.pk, str(person))]
        for name in (*RECTIFIABLE_FIELDS, *CONTACT_FIELDS):
            self.fields[name] = copy.deepcopy(PersonForm.base_fields[name])

    # The same parsing as the contact form: numbers in any format, normalised to E.164.
    clean_phones = PersonForm.clean_phones

    def submit(self) -> list[str] | None:
        data = dict(self.cleaned_data)
        person_id = data.pop("person")
        emails, phones = contact_lists(self.record, text_lines(data.pop("emails")), data.pop("phones"))
        # A list the form did not send stays as stored; one sent empty is emptied.
        if "emails" in self.data:
            data["emails"] = emails
        if "phones" in self.data:
            data["phones"] = phones
        return self.call(dsr.person_rectify, request=self.request, person_id=person_id, **data)
