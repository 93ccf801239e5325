"""Forms of the receivables pages: a bank statement to read in, a credit from the review list
assigned to an invoice or dismissed, a claim handed to a debt collector, the DATEV period.
Each parses the request and calls one service of ``zweck.sales``; a refusal lands at its field."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zweck.accounts.actors import Actor
from zweck.privacy.models import Recipient
from zweck.sales import camt, dunning, receivables
from zweck.sales.models import BankTransaction, CollectionHandover, Invoice
from zweck.web.staff.forms import DateInput, ServiceForm


class BankStatementForm(ServiceForm):
    file = forms.FileField(
        label=gettext_lazy("Bank statement (camt.053 XML)"),
        help_text=gettext_lazy(
            "The camt.053 file (XML) your online banking exports; unpack a ZIP file first."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > camt.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB; a statement is far smaller.")
                % {"size": camt.MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def submit(self) -> receivables.ImportResult | None:
        upload = self.cleaned_data["file"]
        return self.call(
            receivables.bank_statement_import,
            data=upload.read(camt.MAX_BYTES + 1),
            file_name=upload.name or "",
        )


class AssignForm(ServiceForm):
    invoice = forms.CharField(
        label=gettext_lazy("Invoice number"),
        max_length=40,
        help_text=gettext_lazy("The whole amount of the credit is booked as a payment of this invoice."),
    )
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, actor: Actor, credit: BankTransaction, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"assign-{credit.pk}")
        super().__init__(*args, actor=actor, **kwargs)
        self.credit = credit
        self.fields["invoice"].widget.attrs.update({"list": "open-invoices", "autocomplete": "off"})

    def submit(self) -> BankTransaction | None:
        try:
            invoice = receivables.invoice_by_number(actor=self.actor, number=self.cleaned_data["invoice"])
        except ValidationError as error:
            self.add_service_errors(error)
            return None
        return self.call(
            receivables.bank_transaction_assign,
            credit=self.credit,
            invoice=invoice,
            note=self.cleaned_data["note"],
        )


class DismissForm(ServiceForm):
    note = forms.CharField(
        label=gettext_lazy("Why is this not a payment for an invoice?"),
        max_length=300,
        help_text=gettext_lazy("For example: a refund from a supplier, interest from the bank."),
    )

    def __init__(self, *args: Any, actor: Actor, credit: BankTransaction, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"dismiss-{credit.pk}")
        super().__init__(*args, actor=actor, **kwargs)
        self.credit = credit

    def submit(self) -> BankTransaction | None:
        return self.call(
            receivables.bank_transaction_dismiss, credit=self.credit, note=self.cleaned_data["note"]
        )


class HandoverForm(ServiceForm):
    recipient = forms.ModelChoiceField(
        label=gettext_lazy("Debt collector"),
        queryset=Recipient.objects.none(),
        empty_label="—",
        help_text=gettext_lazy(
            "Recipients come from the privacy register; a debt collector must be entered there first."
        ),
    )
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=300, required=False)
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm that the claim and the contact person's name, address, email and payment "
            "data are passed to this debt collector."
        )
    )

    def __init__(self, *args: Any, actor: Actor, invoice: Invoice, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.invoice = invoice
        cast(forms.ModelChoiceField, self.fields["recipient"]).queryset = dunning.collector_choices(
            actor=actor
        )

    def submit(self) -> CollectionHandover | None:
        return self.call(
            dunning.collection_handover,
            invoice=self.invoice,
            recipient=self.cleaned_data["recipient"],
            on=timezone.localdate(),
            note=self.cleaned_data["note"],
        )


class DatevForm(ServiceForm):
    """The period of the export; the form's field names are those the service's errors name."""

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        # "from" is a Python keyword, so the fields are added by name.
        self.fields["from"] = forms.DateField(label=_("First day"), widget=DateInput())
        self.fields["to"] = forms.DateField(label=_("Last day"), widget=DateInput())

    @staticmethod
    def last_month(today: date) -> dict[str, date]:
        first_of_this = today.replace(day=1)
        last = first_of_this.fromordinal(first_of_this.toordinal() - 1)
        return {"from": last.replace(day=1), "to": last}

    def submit(self) -> bytes | None:
        from zweck.sales.datev import datev_export

        return self.call(datev_export, first_day=self.cleaned_data["from"], last_day=self.cleaned_data["to"])
