"""The form on a contact's and an organization's page that marks the business relationship
ended on a day, or continuing again. The retention clocks of the contact's data start on that
day; the service checks the day's bounds and answers at the field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zweck.accounts.actors import Actor
from zweck.crm.models import Organization, Person
from zweck.crm.services import organization_relationship_end, person_relationship_end
from zweck.privacy.retention import erased_from
from zweck.web.staff.forms import DateInput, ServiceForm

# The name of the button that marks the relationship continuing.
CONTINUING = "continuing"


@dataclass(frozen=True)
class RelationshipState:
    """What a page says about the relationship, and which of the form's buttons it offers."""

    ended_on: date | None
    inherited: bool
    # The first day the retention sweep takes the record, if its period has a start yet.
    erased_from: date | None = None

    @property
    def can_continue(self) -> bool:
        # An end that came from the organizations continues when one of them does.
        return self.ended_on is not None and not self.inherited


def relationship_state(record: Person | Organization) -> RelationshipState:
    inherited = isinstance(record, Person) and record.relationship_end_inherited
    return RelationshipState(
        ended_on=record.relationship_ended_on, inherited=bool(inherited), erased_from=erased_from(record)
    )


class RelationshipEndForm(ServiceForm):
    """End the relationship on a day, or (with the ``continuing`` button) mark it continuing."""

    ended_on = forms.DateField(
        label=_("Relationship ended on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The retention periods that count from the end of the relationship start on this day. "
            "At most a year ahead."
        ),
    )

    def __init__(self, *args: Any, actor: Actor, record: Person | Organization, **kwargs: Any) -> None:
        state = relationship_state(record)
        if "initial" not in kwargs and state.ended_on is not None and not state.inherited:
            kwargs["initial"] = {"ended_on": state.ended_on}
        super().__init__(*args, actor=actor, **kwargs)
        self.record = record
        self.state = state
        if self.continuing:
            # The day typed before choosing "continuing" does not matter, nor whether it parses.
            self.data = {name: value for name, value in self.data.items() if name != "ended_on"}

    @property
    def continuing(self) -> bool:
        return self.is_bound and CONTINUING in self.data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.continuing and "ended_on" not in self.errors and data.get("ended_on") is None:
            self.add_error("ended_on", _("Enter the day the relationship ended."))
        return data

    def submit(self) -> Person | Organization | None:
        ended_on = None if self.continuing else self.cleaned_data["ended_on"]
        if isinstance(self.record, Person):
            return self.call(person_relationship_end, person=self.record, ended_on=ended_on)
        return self.call(organization_relationship_end, organization=self.record, ended_on=ended_on)
