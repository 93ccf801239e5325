"""Forms of the staff UI. Each parses the request, then calls exactly one service.

A ``ValidationError`` the service raises becomes an error on the form field it names
(``emails.0`` lands on ``emails``), or on the whole form when it names no field here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.accounts.selectors import member_list
from zweck.core.permissions import Permission
from zweck.core.register import uncollected_fields
from zweck.core.scoping import usable_for
from zweck.crm import selectors
from zweck.crm.choices import ActivityKind, ContactLabel, DataSource, RelationshipType, SubjectCategory
from zweck.crm.industries import industry_choices
from zweck.crm.models import (
    Activity,
    ActivityParticipant,
    Deal,
    DealContact,
    Organization,
    Person,
    PipelineStage,
)
from zweck.crm.services import (
    AddressInput,
    EmailInput,
    MembershipInput,
    PhoneInput,
    activity_create,
    activity_update,
    deal_close,
    deal_create,
    deal_update,
    organization_create,
    organization_update,
    person_create,
    person_update,
    pipeline_stage_create,
    pipeline_stage_update,
)
from zweck.crm.services.persons import PERSON_FIELDS
from zweck.crm.validators import normalize_phone

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

# Service arguments whose errors belong to a differently named form field.
_FIELD_FOR_ARGUMENT = {"organizations": "organization", "addresses": "street", "participants": None}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ServiceForm(forms.Form):
    """A form whose ``submit`` calls one service as ``actor``.

    ``register_model``: the model whose fields the form's fields of the same name fill. A field
    the workspace does not collect (every processing activity it serves is switched off in the
    privacy register) is left out of the form, and ``submit`` passes nothing for it.
    """

    register_model: type[models.Model] | None = None

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        # Labels stand above their fields; a trailing colon would only be read aloud.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.actor = actor
        if self.register_model is not None:
            for name in uncollected_fields(actor.workspace_id, self.register_model):
                self.fields.pop(name, None)

    def given(self, names: Iterable[str]) -> dict[str, Any]:
        """The cleaned values of those of ``names`` the form has (the others it left out)."""
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for argument, errors in error.error_dict.items():
            name = argument.split(".")[0]
            name = _FIELD_FOR_ARGUMENT.get(name, name) or ""
            self.add_error(name if name in self.fields else None, errors)

    def call[T](self, service: Callable[..., T], **arguments: Any) -> T | None:
        """Call ``service`` as the form's actor; ``None`` (and form errors) when it refuses the input."""
        try:
            return service(actor=self.actor, **arguments)
        except ValidationError as error:
            self.add_service_errors(error)
            return None


def text_lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


def contact_lists(
    person: Person | None, addresses: list[str], numbers: list[str]
) -> tuple[list[EmailInput], list[PhoneInput]]:
    """The email and phone inputs for a contact from the form's lines: the first of each is the
    primary one; an address or number already stored keeps its label."""
    email_labels = {e.email.lower(): e.label for e in person.emails.all()} if person else {}
    phone_labels = {p.number: p.label for p in person.phones.all()} if person else {}
    emails = [
        EmailInput(address, label=email_labels.get(address.lower(), ContactLabel.WORK), is_primary=index == 0)
        for index, address in enumerate(addresses)
    ]
    phones = [
        PhoneInput(number, label=phone_labels.get(number, ContactLabel.WORK), is_primary=index == 0)
        for index, number in enumerate(numbers)
    ]
    return emails, phones


def _member_choices(actor: Actor) -> list[tuple[str, str]]:
    members = member_list(actor=actor).filter(is_active=True).order_by("user__full_name", "user__email")
    return [("", "—")] + [(str(m.user_id), str(m.user)) for m in members]


def _owner(actor: Actor, value: str) -> User | None:
    if not value:
        return None
    membership = member_list(actor=actor).filter(user_id=value).select_related("user").first()
    return membership.user if membership else None


# How many contacts a picker offers; the organization's own come first.
PERSON_CHOICES_LIMIT = 200


def _chosen_organization(field: forms.Field, value: Any) -> Organization | None:
    """The organization a (not yet validated) choice names, when the field offers it."""
    assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
    try:
        return cast(Organization, field.queryset.get(pk=int(value)))
    except (TypeError, ValueError, ObjectDoesNotExist):
        return None


def person_picker(label: str | Promise) -> forms.ModelMultipleChoiceField:
    """A choice of contacts; ``offer_persons`` fills it for one actor and organization."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Person.objects.none(),
        required=False,
        help_text=_(
            "The contacts of the chosen organization are offered; after choosing another "
            "organization, save to see its contacts here."
        ),
    )


def offer_persons(
    field: forms.Field,
    *,
    actor: Actor,
    organization: Organization | None,
    chosen: Iterable[Person],
    record: type[models.Model],
) -> None:
    """Let ``field`` accept any contact the actor may use, and offer a short list of them:
    the organization's contacts first, then those already chosen elsewhere. Contacts whose
    group the register does not use for ``record`` are not offered (purpose limitation); the
    service refuses them with its reason."""
    assert isinstance(field, forms.ModelMultipleChoiceField)
    field.queryset = selectors.person_list(actor=actor, include_archived=True)
    offered: list[Person] = []
    if organization is not None:
        members = usable_for(
            selectors.person_list(actor=actor, organization_id=organization.pk),
            workspace_id=actor.workspace_id,
            record=record,
        )
        offered = list(members.order_by("last_name", "first_name", "pk")[:PERSON_CHOICES_LIMIT])
    offered_ids = {person.pk for person in offered}
    others = [person for person in chosen if person.pk not in offered_ids]
    groups: list[tuple[Any, list[tuple[int, str]]]] = []
    if offered:
        label = _("Contacts at %(organization)s") % {"organization": organization}
        groups.append((label, [(person.pk, person.full_name) for person in offered]))
    if others:
        groups.append((_("Other contacts"), [(person.pk, person.full_name) for person in others]))
    field.widget.choices = groups


def kept_hidden(links: Any, visible: Iterable[Person]) -> list[Person]:
    """Linked contacts the actor's selectors leave out (their processing is restricted).

    A form cannot show them, so it hands them back to the service unchanged rather than
    unlinking them behind the user's back.
    """
    visible_ids = {person.pk for person in visible}
    return [link.person for link in links.select_related("person") if link.person_id not in visible_ids]


class OrganizationForm(ServiceForm):
    register_model = Organization
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_form = forms.CharField(label=_("Legal form"), max_length=60, required=False)
    relationship_types = forms.MultipleChoiceField(
        label=_("Relationship"),
        choices=RelationshipType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    industry_code = forms.ChoiceField(
        label=_("Industry classification (WZ 2008)"),
        required=False,
        help_text=_("Used to find customers with similar needs."),
    )
    vat_id = forms.CharField(label=_("VAT ID"), max_length=20, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("General email"), required=False)
    phone = forms.CharField(label=_("General phone"), max_length=32, required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, initial="DE", required=False)
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas."), max_length=500
    )
    owner = forms.ChoiceField(label=_("Account owner"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, actor: Actor, organization: Organization | None = None, **kwargs: Any):
        if organization is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(organization)
        super().__init__(*args, actor=actor, **kwargs)
        self.organization = organization
        cast(forms.ChoiceField, self.fields["owner"]).choices = _member_choices(actor)
        cast(forms.ChoiceField, self.fields["industry_code"]).choices = [
            ("", _("Not classified")),
            *industry_choices(),
        ]

    @staticmethod
    def initial_for(organization: Organization) -> dict[str, Any]:
        address = next(iter(organization.addresses.all()), None)
        return {
            **{
                name: getattr(organization, name)
                for name in (
                    "name",
                    "legal_form",
                    "industry",
                    "industry_code",
                    "vat_id",
                    "website",
                    "email",
                    "phone",
                    "notes",
                )
            },
            "relationship_types": organization.relationship_types,
            "owner": organization.owner_id or "",
            "tags": ", ".join(tag.name for tag in organization.tags.all()),
            "street": address.street if address else "",
            "postal_code": address.postal_code if address else "",
            "city": address.city if address else "",
            "country": address.country if address else "DE",
        }

    def clean_phone(self) -> str:
        value: str = self.cleaned_data["phone"]
        return normalize_phone(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("street") or data.get("postal_code")) and not data.get("city"):
            self.add_error("city", _("An address needs a city."))
        if data.get("city") and not data.get("street"):
            self.add_error("street", _("An address needs a street."))
        return data

    def _addresses(self) -> list[AddressInput]:
        data = self.cleaned_data
        wanted = (
            [AddressInput(data["street"], data["city"], data["postal_code"], data["country"] or "DE")]
            if data["street"]
            else []
        )
        if self.organization is None:
            return wanted
        # The form edits the first address; any further ones are kept as they are.
        others = [
            AddressInput(a.street, a.city, a.postal_code, a.country, a.kind)
            for a in list(self.organization.addresses.all())[1:]
        ]
        return wanted + others

    def submit(self) -> Organization | None:
        data = self.cleaned_data
        details = self.given(
            ("legal_form", "industry", "industry_code", "vat_id", "website", "email", "phone", "notes")
        )
        details["relationship_types"] = list(data["relationship_types"])
        if "owner" in data:
            details["owner"] = _owner(self.actor, data["owner"])
        tags = text_lines(data["tags"])
        if self.organization is None:
            return self.call(
                organization_create,
                name=data.get("name", ""),
                tags=tags,
                addresses=self._addresses(),
                **details,
            )
        return self.call(
            organization_update,
            organization=self.organization,
            name=data.get("name", self.organization.name),
            tags=tags,
            addresses=self._addresses(),
            **details,
        )


class PersonForm(ServiceForm):
    register_model = Person
    salutation = forms.CharField(label=_("Salutation"), max_length=20, required=False)
    title = forms.CharField(label=_("Title"), max_length=40, required=False, help_text=_("e.g. Dr., Prof."))
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    role = forms.CharField(label=_("Role at the organization"), max_length=150, required=False)
    emails = forms.CharField(
        label=_("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line; the first is the primary address."),
    )
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, in any format; the first is the primary number."),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        choices=[("", "—"), ("de", _("German")), ("en", _("English"))],
    )
    subject_category = forms.ChoiceField(
        label=_("Data-subject category"),
        choices=SubjectCategory.choices,
        initial=SubjectCategory.BUSINESS_CONTACT,
    )
    source = forms.ChoiceField(
        label=_("Source of the data"), choices=DataSource.choices, initial=DataSource.PROVIDED_BY_SUBJECT
    )
    source_note = forms.CharField(label=_("Note on the source"), max_length=300, required=False)
    owner = forms.ChoiceField(label=_("Contact owner"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    # The owner is chosen from the members, so it is parsed apart from the plain fields.
    SIMPLE_FIELDS = tuple(name for name in PERSON_FIELDS if name != "owner")

    def __init__(self, *args: Any, actor: Actor, person: Person | None = None, **kwargs: Any):
        if person is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(person)
        super().__init__(*args, actor=actor, **kwargs)
        self.person = person
        organization_field = self.fields["organization"]
        assert isinstance(organization_field, forms.ModelChoiceField)
        organization_field.queryset = selectors.organization_list(actor=actor)
        cast(forms.ChoiceField, self.fields["owner"]).choices = _member_choices(actor)

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        memberships = list(person.memberships.all())
        primary = next((m for m in memberships if m.is_primary), memberships[0] if memberships else None)
        return {
            **{name: getattr(person, name) for name in cls.SIMPLE_FIELDS},
            "owner": person.owner_id or "",
            "emails": "\n".join(e.email for e in person.emails.all()),
            "phones": "\n".join(p.number for p in person.phones.all()),
            "organization": primary.organization_id if primary else None,
            "role": primary.role if primary else "",
        }

    def clean_phones(self) -> list[str]:
        errors, numbers = [], []
        for line in text_lines(self.cleaned_data["phones"]):
            try:
                numbers.append(normalize_phone(line))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return numbers

    def _memberships(self) -> list[MembershipInput]:
        organization, role = self.cleaned_data["organization"], self.cleaned_data["role"]
        wanted = [MembershipInput(organization, role, True)] if organization else []
        if self.person is None:
            return wanted
        # The form edits the primary organization; the person's other ones stay.
        others = [
            MembershipInput(m.organization, m.role, False)
            for m in self.person.memberships.all()
            if organization is None or m.organization_id != organization.pk
            if not m.is_primary
        ]
        return wanted + others

    def submit(self) -> Person | None:
        data = self.cleaned_data
        details = self.given(self.SIMPLE_FIELDS)
        if "owner" in data:
            details["owner"] = _owner(self.actor, data["owner"])
        emails, phones = contact_lists(self.person, text_lines(data["emails"]), data["phones"])
        if self.person is None:
            return self.call(
                person_create, emails=emails, phones=phones, organizations=self._memberships(), **details
            )
        return self.call(
            person_update,
            person=self.person,
            emails=emails,
            phones=phones,
            organizations=self._memberships(),
            **details,
        )


class DealForm(ServiceForm):
    register_model = Deal
    title = forms.CharField(label=_("Title"), max_length=200)
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=PipelineStage.objects.none(), required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0, initial=0)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    expected_close_on = forms.DateField(label=_("Expected close date"), required=False, widget=DateInput())
    probability = forms.IntegerField(label=_("Probability (%)"), min_value=0, max_value=100, required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    contacts = person_picker(label=_("Contact persons"))

    def __init__(self, *args: Any, actor: Actor, deal: Deal | None = None, **kwargs: Any):
        if deal is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "contacts": [person.pk for person in deal.contacts.all()],
                "title": deal.title,
                "organization": deal.organization_id,
                "stage": deal.stage_id,
                "amount": deal.amount,
                "currency": deal.currency,
                "expected_close_on": deal.expected_close_on,
                "probability": deal.probability,
                "owner": deal.owner_id or "",
            }
        kwargs.setdefault("initial", {}).setdefault("currency", actor.workspace.default_currency)
        super().__init__(*args, actor=actor, **kwargs)
        self.deal = deal
        organization_field, stage_field = self.fields["organization"], self.fields["stage"]
        assert isinstance(organization_field, forms.ModelChoiceField)
        assert isinstance(stage_field, forms.ModelChoiceField)
        organization_field.queryset = selectors.organization_list(
            actor=actor, include_archived=deal is not None
        )
        stage_field.queryset = selectors.pipeline_stage_list(actor=actor)
        cast(forms.ChoiceField, self.fields["owner"]).choices = _member_choices(actor)
        if deal is not None:
            stage_field.required = True
        offer_persons(
            self.fields["contacts"],
            actor=actor,
            organization=_chosen_organization(organization_field, self["organization"].value()),
            chosen=deal.contacts.all() if deal is not None else (),
            record=DealContact,
        )

    def submit(self) -> Deal | None:
        data = self.cleaned_data
        details: dict[str, Any] = {
            "amount": data["amount"],
            "currency": data["currency"].upper(),
            "expected_close_on": data["expected_close_on"],
            **({"owner": _owner(self.actor, data["owner"])} if "owner" in data else {}),
            "contacts": [
                *data["contacts"],
                *(kept_hidden(self.deal.contact_links, self.deal.contacts.all()) if self.deal else ()),
            ],
        }
        if data["probability"] is not None:
            details["probability"] = data["probability"]
        if self.deal is None:
            return self.call(
                deal_create,
                title=data.get("title", ""),
                organization=data["organization"],
                stage=data["stage"],
                **details,
            )
        return self.call(
            deal_update,
            deal=self.deal,
            title=data.get("title", self.deal.title),
            organization=data["organization"],
            stage=data["stage"],
            **details,
        )


class DealCloseForm(ServiceForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("won", _("Won")), ("lost", _("Lost"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, actor: Actor, deal: Deal, **kwargs: Any):
        super().__init__(*args, actor=actor, **kwargs)
        self.deal = deal

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "lost" and not data.get("reason"):
            self.add_error("reason", _("Say why the deal was lost."))
        return data

    def submit(self) -> Deal | None:
        return self.call(
            deal_close,
            deal=self.deal,
            won=self.cleaned_data["outcome"] == "won",
            reason=self.cleaned_data["reason"],
        )


LOGGABLE_KINDS = [
    (ActivityKind.CALL.value, ActivityKind.CALL.label),
    (ActivityKind.MEETING.value, ActivityKind.MEETING.label),
    (ActivityKind.EMAIL.value, ActivityKind.EMAIL.label),
    (ActivityKind.NOTE.value, ActivityKind.NOTE.label),
    (ActivityKind.TASK.value, ActivityKind.TASK.label),
]

_LOGGED_KINDS = {ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.NOTE}


class ActivityFields(ServiceForm):
    """What logging an activity and editing one share: the kind, texts and times, and their checks."""

    register_model = Activity

    kind = forms.ChoiceField(label=_("Kind"), choices=LOGGABLE_KINDS, initial=ActivityKind.CALL)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(label=_("Starts at"), required=False, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False, widget=DateTimeInput())
    due_at = forms.DateTimeField(label=_("Due at"), required=False, widget=DateTimeInput())
    location = forms.CharField(label=_("Location"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ActivityKind.TASK and not data.get("due_at"):
            self.add_error("due_at", _("A task needs a due date."))
        return data


class ActivityForm(ActivityFields):
    """Log a call, meeting, email or note, or plan a task, from a person or organization page."""

    def __init__(
        self,
        *args: Any,
        actor: Actor,
        person: Person | None = None,
        organization: Organization | None = None,
        deal: Deal | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, actor=actor, **kwargs)
        self.person, self.organization, self.deal = person, organization, deal

    def submit(self) -> Activity | None:
        data = self.cleaned_data
        starts_at, done_at = data.get("starts_at"), None
        if data["kind"] in _LOGGED_KINDS:
            # A call, email or note is logged after it happened: it is done, and "when" defaults to now.
            starts_at = starts_at or timezone.now()
            done_at = timezone.now()
        organization = self.organization or (self.deal.organization if self.deal else None)
        if organization is None and self.person is not None:
            primary = next((m for m in self.person.memberships.all() if m.is_primary), None)
            organization = primary.organization if primary else None
        return self.call(
            activity_create,
            kind=data["kind"],
            subject=data.get("subject", ""),
            participants=[self.person] if self.person else [],
            body=data.get("body", ""),
            starts_at=starts_at,
            ends_at=data.get("ends_at"),
            done_at=done_at,
            due_at=data["due_at"],
            location=data.get("location", ""),
            owner=self.actor.user,
            organization=organization,
            deal=self.deal,
        )


def _same_minute(entered: datetime | None, stored: datetime | None) -> datetime | None:
    """The stored moment when the form shows it unchanged (its inputs stop at minutes)."""
    if entered is None or stored is None:
        return entered
    return stored if timezone.localtime(stored).replace(second=0, microsecond=0) == entered else entered


class ActivityEditForm(ActivityFields):
    """Change any activity: its kind, texts, times, state, owner, organization, deal and participants."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    done = forms.BooleanField(label=_("Done"), required=False)
    is_recorded = forms.BooleanField(
        label=_("Call recorded"),
        required=False,
        help_text=_("Only for calls recorded with the participants' consent."),
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    deal = forms.ModelChoiceField(label=_("Deal"), queryset=Deal.objects.none(), required=False)
    participants = person_picker(label=_("Participants"))

    TIMES = ("starts_at", "ends_at", "due_at")

    def __init__(self, *args: Any, actor: Actor, activity: Activity, **kwargs: Any):
        if "initial" not in kwargs:
            kwargs["initial"] = {
                **{
                    name: getattr(activity, name)
                    for name in ("kind", "subject", "body", *self.TIMES, "location", "is_recorded")
                },
                "done": activity.done_at is not None,
                "owner": activity.owner_id or "",
                "organization": activity.organization_id,
                "deal": activity.deal_id,
                "participants": [person.pk for person in activity.participants.all()],
            }
        super().__init__(*args, actor=actor, **kwargs)
        self.activity = activity
        organization_field = self.fields["organization"]
        assert isinstance(organization_field, forms.ModelChoiceField)
        organization_field.queryset = selectors.organization_list(actor=actor, include_archived=True)
        cast(forms.ChoiceField, self.fields["owner"]).choices = _member_choices(actor)
        if actor.can(Permission.DEAL_VIEW):
            deal_field = self.fields["deal"]
            assert isinstance(deal_field, forms.ModelChoiceField)
            deal_field.queryset = selectors.deal_list(actor=actor, include_archived=True)
        else:
            # Whoever may not see deals keeps the activity's deal as it is.
            del self.fields["deal"]
        offer_persons(
            self.fields["participants"],
            actor=actor,
            organization=_chosen_organization(organization_field, self["organization"].value()),
            chosen=activity.participants.all(),
            record=ActivityParticipant,
        )

    def submit(self) -> Activity | None:
        data, activity = self.cleaned_data, self.activity
        changes: dict[str, Any] = self.given(
            ("kind", "subject", "body", "location", "is_recorded", "organization")
        )
        changes.update(
            {
                name: _same_minute(value, getattr(activity, name))
                for name, value in self.given(self.TIMES).items()
            }
        )
        if "owner" in data:
            changes["owner"] = _owner(self.actor, data["owner"])
        if "deal" in self.fields:
            changes["deal"] = data["deal"]
        if data["done"] != (activity.done_at is not None):
            changes["done_at"] = timezone.now() if data["done"] else None
        participants = [
            *data["participants"],
            *kept_hidden(activity.participant_links, activity.participants.all()),
        ]
        return self.call(activity_update, activity=activity, participants=participants, **changes)


class PipelineStageForm(ServiceForm):
    """Add a stage at the end of the pipeline, or rename one."""

    name = forms.CharField(label=_("Name"), max_length=80)
    default_probability = forms.IntegerField(
        label=_("Default probability (%)"),
        min_value=0,
        max_value=100,
        initial=10,
        help_text=_("A deal moved into this stage takes this probability."),
    )

    def __init__(self, *args: Any, actor: Actor, stage: PipelineStage | None = None, **kwargs: Any):
        if stage is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": stage.name, "default_probability": stage.default_probability}
        super().__init__(*args, actor=actor, **kwargs)
        self.stage = stage

    def submit(self) -> PipelineStage | None:
        data = self.cleaned_data
        if self.stage is None:
            return self.call(
                pipeline_stage_create, name=data["name"], default_probability=data["default_probability"]
            )
        return self.call(
            pipeline_stage_update,
            stage=self.stage,
            name=data["name"],
            default_probability=data["default_probability"],
        )
