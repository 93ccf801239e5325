"""Forms of the ticket pages: a new ticket, a reply or note, the ticket's status and
assignment, and the queue's filters. Files are checked by the service desk's own rules
(``zweck.service.attachments``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from zweck.service.choices import MessageKind, TicketPriority, TicketStatus


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); a list of uploads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class TicketReplyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=MessageKind.choices, initial=MessageKind.REPLY, widget=forms.RadioSelect
    )
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=100_000)
    status = forms.ChoiceField(
        label=_("Then set the status to"),
        choices=[("", _("As usual (a reply waits for the customer)")), *TicketStatus.choices],
        required=False,
    )
    attachments = MultipleFileField(label=_("Files"), required=False)


class TicketUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TicketStatus.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=TicketPriority.choices)
    assignee = forms.TypedChoiceField(label=_("Assignee"), coerce=int, empty_value=None, required=False)
    category = forms.CharField(label=_("Category"), max_length=80, required=False)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        # Its own ids: the reply form on the same page has a status field too.
        kwargs.setdefault("auto_id", "ticket-%s")
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody")), *members]  # type: ignore[attr-defined]


class TicketCreateForm(forms.Form):
    requester = forms.TypedChoiceField(label=_("Requester"), coerce=int)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=100_000
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=TicketPriority.choices, initial=TicketPriority.NORMAL
    )
    category = forms.CharField(label=_("Category"), max_length=80, required=False)
    assignee = forms.TypedChoiceField(label=_("Assignee"), coerce=int, empty_value=None, required=False)
    attachments = MultipleFileField(label=_("Files"), required=False)

    def __init__(
        self, *args: Any, members: list[tuple[int, str]], requesters: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requester"].choices = [("", "—"), *requesters]  # type: ignore[attr-defined]
        self.fields["assignee"].choices = [("", _("Nobody")), *members]  # type: ignore[attr-defined]


class DeskSettingsForm(forms.Form):
    """The desk's settings and the workspace's targets per priority (business hours)."""

    inbound_address = forms.EmailField(
        label=_("Support address"),
        required=False,
        help_text=_("Mail to this address opens or continues tickets; replies are sent from it."),
    )
    ticket_prefix = forms.RegexField(
        label=_("Ticket reference prefix"), regex=r"^[A-Z][A-Z0-9]{0,7}$", max_length=8
    )
    business_day_start = forms.TimeField(
        label=_("Business day starts"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    business_day_end = forms.TimeField(
        label=_("Business day ends"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    acknowledge_new_tickets = forms.BooleanField(label=_("Confirm new tickets by email"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in TicketPriority.choices:
            self.fields[f"response_{value}"] = forms.DecimalField(
                label=_("%(priority)s: first response within (hours)") % {"priority": label},
                min_value=Decimal("0.25"),
                max_value=Decimal("2000"),
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.25"}),
            )
            self.fields[f"resolution_{value}"] = forms.DecimalField(
                label=_("%(priority)s: resolution within (hours)") % {"priority": label},
                min_value=Decimal("0.25"),
                max_value=Decimal("2000"),
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.25"}),
            )
