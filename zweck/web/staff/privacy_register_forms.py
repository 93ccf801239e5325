"""Forms that configure the privacy register: recipients, processing activities, retention rules.

The fields come from the register's models (their labels, choices and lengths); whether an
entry is acceptable is decided by the services, which validate the row as the model does: a
transfer outside the EU/EEA without a dated safeguard, a point (f) basis without the
legitimate interest, or a period that cannot be computed comes back as an error on its field.
"""

from __future__ import annotations

from typing import Any, cast

import pycountry
from django import forms
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zweck.accounts.actors import Actor
from zweck.privacy import selectors
from zweck.privacy.defaults import SUBJECT_GROUPS
from zweck.privacy.labels import (
    DATA_CATEGORY_NAMES,
    DATA_USE_NAMES,
    country_text,
    data_category_text,
    data_use_text,
)
from zweck.privacy.models import ProcessingActivity, Recipient, RetentionRule
from zweck.privacy.purposes import group_name
from zweck.privacy.services import (
    processing_activity_create,
    processing_activity_update,
    recipient_create,
    recipient_update,
    retention_rule_update,
)
from zweck.web.staff.forms import DateInput, ServiceForm


def page_language() -> str:
    """The language of the page being built: German or English."""
    return "de" if (get_language() or "").startswith("de") else "en"


def country_choices() -> list[tuple[str, str]]:
    language = page_language()
    names = [(country.alpha_2, country_text(country.alpha_2, language)) for country in pycountry.countries]
    return [("", "—"), *sorted(names, key=lambda choice: choice[1].casefold())]


class RegisterRowForm(ServiceForm):
    """A form over some fields of one register model, filled from the row it edits."""

    model: type[models.Model]
    field_names: tuple[str, ...]
    widgets: dict[str, type[forms.Widget] | forms.Widget] = {}

    def __init__(self, *args: Any, actor: Actor, row: models.Model | None = None, **kwargs: Any) -> None:
        if row is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(row, fields=self.field_names)
        super().__init__(*args, actor=actor, **kwargs)
        self.fields.update(fields_for_model(self.model, fields=self.field_names, widgets=self.widgets))
        self.row = row

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.field_names}

    def submit(self) -> models.Model | None:
        """Call the row's service; ``None`` (and field errors) when it refuses the input."""
        raise NotImplementedError


class RecipientForm(RegisterRowForm):
    """Add or change a recipient and the processing activities that send data to it."""

    model = Recipient
    field_names = ("name", "role", "service_en", "service_de", "country", "safeguard", "safeguard_date")
    widgets = {"safeguard_date": DateInput()}

    def __init__(self, *args: Any, actor: Actor, row: Recipient | None = None, **kwargs: Any) -> None:
        if row is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **model_to_dict(row, fields=self.field_names),
                "activities": [activity.key for activity in row.activities.all()],
            }
        super().__init__(*args, actor=actor, row=row, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"),
            choices=country_choices(),
            help_text=_("Outside the EU/EEA a transfer needs a safeguard and its date."),
        )
        language = page_language()
        self.fields["activities"] = forms.MultipleChoiceField(
            label=_("Processing activities that send data to this recipient"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[
                (activity.key, activity.name_de if language == "de" else activity.name_en)
                for activity in selectors.processing_activity_list(actor=actor)
            ],
        )

    def submit(self) -> Recipient | None:
        activity_keys = list(self.cleaned_data["activities"])
        if self.row is None:
            return self.call(recipient_create, activity_keys=activity_keys, **self.changes())
        return self.call(
            recipient_update,
            recipient=cast(Recipient, self.row),
            activity_keys=activity_keys,
            **self.changes(),
        )


class RetentionRuleChoiceField(forms.ModelChoiceField):
    """A choice of the workspace's retention rules, each by its name in the page's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_de if page_language() == "de" else obj.name_en)


# The activity form's sections: a heading and the fields under it.
ACTIVITY_SECTIONS: list[tuple[Any, tuple[str, ...]]] = [
    (
        _("Name and purpose"),
        ("key", "enabled", "name_en", "name_de", "purpose_en", "purpose_de", "subject_categories"),
    ),
    (
        _("Legal basis"),
        ("legal_basis", "special_category_condition", "legitimate_interest_en", "legitimate_interest_de"),
    ),
    (_("Data processed"), ("data_categories", "data_use")),
    (
        _("Retention, recipients and duty to provide"),
        ("retention", "recipient_categories_en", "recipient_categories_de", "provision_en", "provision_de"),
    ),
]
# Fields that take the whole width of their section rather than a column of it.
WIDE_FIELDS = frozenset({"key", "enabled", "subject_categories", "data_categories", "retention", "data_use"})


class ProcessingActivityForm(RegisterRowForm):
    """Add an activity of the workspace's own, or change an activity's texts, legal basis,
    groups, data categories, special-category condition, use and retention rule. The key is
    chosen once, when the activity is added."""

    model = ProcessingActivity
    wide_fields = WIDE_FIELDS
    field_names: tuple[str, ...] = (
        "enabled",
        "subject_categories",
        "name_en",
        "name_de",
        "purpose_en",
        "purpose_de",
        "legal_basis",
        "legitimate_interest_en",
        "legitimate_interest_de",
        "data_categories",
        "special_category_condition",
        "data_use",
        "retention",
        "recipient_categories_en",
        "recipient_categories_de",
        "provision_en",
        "provision_de",
    )
    widgets = {
        name: forms.Textarea(attrs={"rows": 3})
        for name in field_names
        if name.startswith(("purpose", "legitimate", "recipient", "provision"))
    }

    def __init__(
        self, *args: Any, actor: Actor, row: ProcessingActivity | None = None, **kwargs: Any
    ) -> None:
        if row is None:
            # A new activity is in use from the start; its key is chosen now and never again.
            self.field_names = ("key", *(name for name in self.field_names if name != "enabled"))
        super().__init__(*args, actor=actor, row=row, **kwargs)
        self.fields["retention"] = RetentionRuleChoiceField(
            queryset=selectors.retention_rule_list(actor=actor), label=self.fields["retention"].label
        )
        language = page_language()
        if row is None:
            self.fields["key"].help_text = _(
                "A short identifier for the API and the Fides export: letters, digits, hyphens or "
                "underscores. It cannot be changed later."
            )
        self.fields["subject_categories"] = forms.MultipleChoiceField(
            label=_("Groups of data subjects it applies to"),
            choices=[(key, group_name(key, language)) for key in SUBJECT_GROUPS],
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "The activity's purposes are pursued only for people of these groups: exports, notices "
                "and the choice of contacts follow it."
            ),
        )
        self.fields["legitimate_interest_en"].help_text = _(
            "Needed, in English and German, when the legal basis is legitimate interests."
        )
        stored_categories = list(row.data_categories) if row is not None else []
        self.fields["data_categories"] = forms.MultipleChoiceField(
            label=_("Categories of personal data"),
            # The service says what is missing, together with every other problem of the entry.
            required=False,
            choices=[
                (key, data_category_text(key, language))
                for key in sorted({*DATA_CATEGORY_NAMES, *stored_categories})
            ],
            widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
            help_text=_(
                "What the activity processes besides the fields Zweck declares for it; an activity "
                "you add names all of its data here."
            )
            if row is not None
            else _("What the activity processes; the notices list these categories."),
        )
        uses = {*DATA_USE_NAMES, *([row.data_use] if row is not None and row.data_use else [])}
        self.fields["data_use"] = forms.ChoiceField(
            label=_("Kind of use"),
            choices=[
                ("", "—"),
                *sorted(
                    ((key, data_use_text(key, language)) for key in uses),
                    key=lambda choice: choice[1].casefold(),
                ),
            ],
            help_text=_(
                "How the Fides export classifies the activity. An advertising use adds the right to "
                "object to direct marketing to the notices."
            ),
        )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The form's fields under their headings, in the order a privacy officer thinks them through."""
        return [
            (str(title), [self[name] for name in names if name in self.fields])
            for title, names in ACTIVITY_SECTIONS
        ]

    def changes(self) -> dict[str, Any]:
        return {
            **super().changes(),
            "subject_categories": list(self.cleaned_data["subject_categories"]),
            "data_categories": list(self.cleaned_data["data_categories"]),
        }

    def submit(self) -> ProcessingActivity | None:
        if self.row is None:
            return self.call(processing_activity_create, **self.changes())
        return self.call(
            processing_activity_update, activity=cast(ProcessingActivity, self.row), **self.changes()
        )


class RetentionRuleForm(RegisterRowForm):
    """Change how long a kind of record is kept, from which event, and on what source."""

    model = RetentionRule
    field_names = (
        "name_en",
        "name_de",
        "years",
        "months",
        "days",
        "counts_from",
        "from_end_of_year",
        "statutory",
        "legal_source_en",
        "legal_source_de",
    )

    def submit(self) -> RetentionRule | None:
        return self.call(retention_rule_update, rule=cast(RetentionRule, self.row), **self.changes())
