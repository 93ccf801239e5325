"""Forms of the privacy officer's hold pages: each parses the input, then calls one service of
``zweck.privacy.holds``; what the service refuses is shown at the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zweck.accounts.actors import Actor
from zweck.privacy.holds import record_hold_place, record_hold_release
from zweck.privacy.models import RecordHold
from zweck.web.staff.forms import DateInput, ServiceForm

# What a hold can be placed on, in the words of the staff UI.
HOLD_TYPE_LABELS = {"person": _("Contact"), "activity": _("Activity"), "deal": _("Deal")}

# The largest id a BIGINT primary key holds: larger numbers are refused at the field.
MAX_ID = 2**63 - 1


class HoldPlaceForm(ServiceForm):
    """A legal hold on one contact, activity or deal, until a day, for a legal reason."""

    object_type = forms.ChoiceField(label=_("Record"), choices=list(HOLD_TYPE_LABELS.items()))
    object_id = forms.IntegerField(
        label=_("Number of the record"),
        min_value=1,
        max_value=MAX_ID,
        help_text=_("The number in the address of the record's page, e.g. 12 in /app/deals/12/."),
    )
    ends_on = forms.DateField(label=_("Held until"), widget=DateInput())
    reason = forms.CharField(
        label=_("Legal reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example a legal claim (Art. 17(3)(e) GDPR) or an open tax assessment "
            "(§ 147(3) AO); no further personal data."
        ),
    )

    def submit(self) -> RecordHold | None:
        return self.call(record_hold_place, **self.cleaned_data)


class HoldReleaseForm(ServiceForm):
    """End a hold before its date, with reasons."""

    reason = forms.CharField(
        label=_("Reasons for ending the hold early"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, actor: Actor, hold: RecordHold, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.hold = hold
        self.fields["reason"].help_text = (
            _("The record was kept despite an erasure: ending the hold erases it now.")
            if hold.erase_on_release
            else _("The record stays as it is; only the hold ends.")
        )

    def submit(self) -> RecordHold | None:
        return self.call(record_hold_release, hold=self.hold, reason=self.cleaned_data["reason"])
