"""Forms of the sales pages. Each parses the request and calls one service of ``zweck.sales``.

The lines of a quote are a formset that works without JavaScript: "Add a line" posts the form
back with one more empty line and saves nothing; empty lines are left out when saving. A
``ValidationError`` the service raises for ``lines.N.field`` lands on that field of line N.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model, model_to_dict
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zweck.accounts.actors import Actor
from zweck.crm import selectors as crm_selectors
from zweck.crm.models import Deal, Organization, Person
from zweck.sales import selectors, services
from zweck.sales.choices import InvoiceKind, PaymentMethod, Unit, VatRate, ZeroRateReason
from zweck.sales.models import Invoice, Order, Product, Quote, SalesSettings
from zweck.sales.services import LineInput
from zweck.sales.validators import validate_percent, validate_positive
from zweck.web.staff.forms import DateInput, ServiceForm
from zweck.web.staff.privacy_register_forms import country_choices

LINES_PREFIX = "lines"


class LocalDecimalField(forms.DecimalField):
    """A decimal as people type it in their language, grouped or not: 1.533,93 or 1533,93 in
    German, 1,533.93 or 1533.93 in English (Django reads grouped input only with grouping on)."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace("\N{NO-BREAK SPACE}", "").replace(" ", "").replace("€", "")
            if (translation.get_language() or "").startswith("de"):
                whole, comma, fraction = value.rpartition(",")
                if comma:
                    value = whole.replace(".", "") + "." + fraction
                elif value.count(".") > 1 or (value.count(".") == 1 and len(value.split(".")[1]) == 3):
                    value = value.replace(".", "")
            else:
                value = value.replace(",", "")
        return super().to_python(value)


def _decimal(
    label: Any, *, digits: int, places: int, required: bool = True, **kwargs: Any
) -> forms.DecimalField:
    """A decimal field as wide as the column it is stored in, so no input overflows it."""
    return LocalDecimalField(
        label=label,
        max_digits=digits,
        decimal_places=places,
        required=required,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


# ---------------------------------------------------------------------------------------------
# Settings


SETTINGS_SECTIONS: list[tuple[Any, tuple[str, ...]]] = [
    (
        gettext_lazy("Company"),
        ("legal_name", "street", "postal_code", "city", "country", "managing_directors"),
    ),
    (
        gettext_lazy("Tax and register"),
        ("vat_id", "tax_number", "register_court", "register_number", "small_business"),
    ),
    (gettext_lazy("Contact for invoices"), ("contact_point", "email", "phone")),
    (gettext_lazy("Bank account"), ("iban", "bic", "bank_name")),
    (
        gettext_lazy("Numbers and terms"),
        (
            "invoice_prefix",
            "quote_prefix",
            "order_prefix",
            "default_payment_terms_days",
            "quote_validity_days",
        ),
    ),
]
SETTINGS_FIELDS = tuple(name for _title, names in SETTINGS_SECTIONS for name in names)


class SalesSettingsForm(ServiceForm):
    """The supplier's details every invoice names (§ 14(4) Nr. 1–2 UStG), the bank account and
    the number prefixes; the model's own validators check VAT ID, IBAN and BIC at the field."""

    def __init__(self, *args: Any, actor: Actor, settings: SalesSettings, **kwargs: Any) -> None:
        kwargs.setdefault("initial", model_to_dict(settings, fields=SETTINGS_FIELDS))
        super().__init__(*args, actor=actor, **kwargs)
        self.fields.update(fields_for_model(SalesSettings, fields=SETTINGS_FIELDS))
        self.fields["country"] = forms.ChoiceField(label=_("Country"), choices=country_choices()[1:])
        labels = {
            "legal_name": _("Legal name"),
            "street": _("Street and number"),
            "postal_code": _("Postal code"),
            "city": _("City"),
            "managing_directors": _("Managing directors"),
            "vat_id": _("VAT ID"),
            "tax_number": _("Tax number"),
            "register_court": _("Register court"),
            "register_number": _("Commercial register number"),
            "small_business": _("Small business (§ 19 UStG): invoices charge no VAT"),
            "contact_point": _("Contact point"),
            "email": _("Email for invoices"),
            "phone": _("Phone"),
            "iban": _("IBAN"),
            "bic": _("BIC"),
            "bank_name": _("Bank"),
            "invoice_prefix": _("Invoice number prefix"),
            "quote_prefix": _("Quote number prefix"),
            "order_prefix": _("Order number prefix"),
            "default_payment_terms_days": _("Payment terms (days)"),
            "quote_validity_days": _("Quotes valid for (days)"),
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields["legal_name"].help_text = _("As in the commercial register, with the legal form.")
        self.fields["vat_id"].help_text = _(
            "e.g. DE123456789. An invoice needs the VAT ID or the tax number."
        )
        self.fields["tax_number"].help_text = _("From the tax office, e.g. 21/815/08150.")
        self.fields["contact_point"].help_text = _("A department, such as Accounting; not a person.")
        self.fields["iban"].help_text = _("Printed on every invoice and in its payment QR code.")
        self.fields["invoice_prefix"].help_text = _(
            "Numbers continue without gaps: RE-2026-0001, RE-2026-0002 …"
        )
        for name in ("iban", "vat_id", "bic"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.wide_fields = {"small_business"}

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(title), [self[name] for name in names]) for title, names in SETTINGS_SECTIONS]

    def clean_iban(self) -> str:
        return "".join(str(self.cleaned_data["iban"]).split()).upper()

    def clean_vat_id(self) -> str:
        return "".join(str(self.cleaned_data["vat_id"]).split()).upper()

    def clean_bic(self) -> str:
        return "".join(str(self.cleaned_data["bic"]).split()).upper()

    def submit(self) -> SalesSettings | None:
        return self.call(services.sales_settings_update, **self.given(SETTINGS_FIELDS))


# ---------------------------------------------------------------------------------------------
# Products

PRODUCT_FIELDS = (
    "name",
    "number",
    "description",
    "unit",
    "unit_net_price",
    "vat_rate",
    "zero_rate_reason",
    "is_active",
)


class ProductForm(ServiceForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    number = forms.CharField(label=gettext_lazy("Article number"), max_length=40, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Taken into a quote line when the product is chosen."),
    )
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=Unit.choices, initial=Unit.PIECE)
    unit_net_price = _decimal(gettext_lazy("Net price per unit"), digits=14, places=4)
    vat_rate = forms.TypedChoiceField(
        label=gettext_lazy("VAT rate"), choices=VatRate.choices, coerce=int, initial=VatRate.STANDARD
    )
    zero_rate_reason = forms.ChoiceField(
        label=gettext_lazy("Reason for no VAT"),
        choices=ZeroRateReason.choices,
        required=False,
        help_text=gettext_lazy("Only with a VAT rate of 0 %: the invoice states it instead of the tax."),
    )
    is_active = forms.BooleanField(
        label=gettext_lazy("Active (offered in new quotes)"), required=False, initial=True
    )

    def __init__(self, *args: Any, actor: Actor, product: Product | None = None, **kwargs: Any) -> None:
        if product is not None:
            kwargs.setdefault("initial", model_to_dict(product, fields=PRODUCT_FIELDS))
        super().__init__(*args, actor=actor, **kwargs)
        self.product = product
        self.wide_fields = {"name", "description", "is_active"}

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (_("Product or service"), [self["name"], self["number"], self["description"]]),
            (
                _("Price and VAT"),
                [
                    self["unit"],
                    self["unit_net_price"],
                    self["vat_rate"],
                    self["zero_rate_reason"],
                    self["is_active"],
                ],
            ),
        ]

    def submit(self) -> Product | None:
        data = self.given(PRODUCT_FIELDS)
        if self.product is None:
            return self.call(services.product_create, **data)
        return self.call(services.product_update, product=self.product, **data)


# ---------------------------------------------------------------------------------------------
# Lines


class LineForm(forms.Form):
    """One line of a quote; an empty one (no product, description or price) is left out."""

    product = forms.ModelChoiceField(
        label=gettext_lazy("Product or service"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=gettext_lazy("— write the line yourself —"),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    quantity = _decimal(
        gettext_lazy("Quantity"), digits=12, places=3, required=False, validators=[validate_positive]
    )
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=Unit.choices, initial=Unit.PIECE)
    unit_net_price = _decimal(gettext_lazy("Net price per unit"), digits=14, places=4, required=False)
    discount_percent = _decimal(
        gettext_lazy("Discount (%)"), digits=5, places=2, required=False, validators=[validate_percent]
    )
    vat_rate = forms.TypedChoiceField(
        label=gettext_lazy("VAT rate"), choices=VatRate.choices, coerce=int, initial=VatRate.STANDARD
    )
    zero_rate_reason = forms.ChoiceField(
        label=gettext_lazy("Reason for no VAT"), choices=ZeroRateReason.choices, required=False
    )

    def __init__(self, *args: Any, products: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if products is not None:
            cast(forms.ModelChoiceField, self.fields["product"]).queryset = products

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("product") or data.get("description") or data.get("unit_net_price") is not None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or self.is_blank() or data.get("DELETE") or data.get("product"):
            return data
        # Without a product, the line must say what it is and what it costs.
        if not data.get("description"):
            self.add_error("description", _("Describe what the line is for, or choose a product."))
        if data.get("quantity") is None:
            self.add_error("quantity", _("Enter a quantity greater than zero."))
        if data.get("unit_net_price") is None:
            self.add_error("unit_net_price", _("Enter the net price per unit."))
        return data

    def line(self) -> LineInput:
        """The line for the service; what a chosen product should fill is left out (``None``)."""
        data = self.cleaned_data
        product = data.get("product")

        def kept(name: str) -> Any:
            # Unit and VAT rate always carry a value; with a product, only a changed one counts.
            if product is not None and name in ("unit", "vat_rate", "zero_rate_reason"):
                return data.get(name) if name in self.changed_data else None
            return data.get(name)

        return LineInput(
            product=product,
            description=data.get("description") or "",
            quantity=data["quantity"] if data.get("quantity") is not None else Decimal("1"),
            unit=kept("unit"),
            unit_net_price=data.get("unit_net_price"),
            discount_percent=data.get("discount_percent") or Decimal("0"),
            vat_rate=kept("vat_rate"),
            zero_rate_reason=kept("zero_rate_reason")
            if product is not None
            else (data.get("zero_rate_reason") or ""),
        )


LineFormSet = forms.formset_factory(LineForm, extra=0, can_delete=True, max_num=200, absolute_max=200)


def line_formset(
    data: QueryDict | None, *, actor: Actor, initial: list[dict[str, Any]], add_line: bool = False
) -> forms.BaseFormSet:
    """The lines of a document: bound to ``data`` when posted, else ``initial`` (one empty line
    for a new document). ``add_line``: what was posted, unbound (so nothing is judged yet), less
    the lines marked for removal, and one empty line more (the "Add a line" button)."""
    products = selectors.product_list(actor=actor, include_inactive=False)
    kwargs: dict[str, Any] = {"prefix": LINES_PREFIX, "form_kwargs": {"products": products}}
    if data is not None and add_line:
        posted = LineFormSet(data, **kwargs)
        forms_posted = posted.forms if posted.management_form.is_valid() else []
        initial = [
            {name: form[name].value() for name in form.fields if name != "DELETE"}
            for form in forms_posted
            if not form["DELETE"].value()
        ]
        return LineFormSet(initial=[*initial, {}], **kwargs)
    if data is None and not initial:
        initial = [{}]
    return LineFormSet(data, initial=initial if data is None else None, **kwargs)


def unbound_copy(form: forms.Form) -> dict[str, Any]:
    """What ``form`` was posted with, as the initial values of an unbound form."""
    return {name: form[name].value() for name in form.fields}


def _plain(value: Decimal | None, places: int = 0) -> Decimal | None:
    """A stored decimal without the zeros its column pads it with (10.000 → 10, 120.0000 →
    120.00), never in exponent notation."""
    if value is None:
        return None
    trimmed = value.normalize()
    exponent = trimmed.as_tuple().exponent
    decimals = max(-exponent, places) if isinstance(exponent, int) else places
    return value.quantize(Decimal(1).scaleb(-decimals))


def line_initial(line: Any) -> dict[str, Any]:
    return {
        "product": line.product_id,
        "description": line.description,
        "quantity": _plain(line.quantity),
        "unit": line.unit,
        "unit_net_price": _plain(line.unit_net_price, 2),
        "discount_percent": line.discount_percent,
        "vat_rate": line.vat_rate,
        "zero_rate_reason": line.zero_rate_reason,
    }


def kept_lines(formset: forms.BaseFormSet) -> list[LineInput]:
    """The lines to save: neither removed nor empty."""
    return [
        form.line()
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.is_blank()
    ]


def add_line_errors(formset: forms.BaseFormSet, error: ValidationError) -> list[ValidationError]:
    """Put the service's ``lines.N.field`` errors on the fields of the kept lines; the rest back."""
    kept = [
        form
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.is_blank()
    ]
    rest: list[ValidationError] = []
    if not hasattr(error, "error_dict"):
        return [error]
    for key, errors in error.error_dict.items():
        parts = key.split(".")
        if parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(kept):
            form = kept[int(parts[1])]
            name = parts[2] if len(parts) > 2 and parts[2] in form.fields else None
            form.add_error(name, errors)
        else:
            rest.append(ValidationError({key: errors}))
    return rest


# ---------------------------------------------------------------------------------------------
# Quotes

QUOTE_FIELDS = (
    "organization",
    "contact",
    "deal",
    "issue_date",
    "valid_until",
    "language",
    "discount_percent",
    "header_text",
    "footer_text",
)


class QuoteForm(ServiceForm):
    """A quote's head; its lines come from the formset beside it."""

    organization = forms.ModelChoiceField(
        label=gettext_lazy("Customer"), queryset=Organization.objects.none()
    )
    contact = forms.ModelChoiceField(
        label=gettext_lazy("Contact person"), queryset=Person.objects.none(), required=False, empty_label="—"
    )
    deal = forms.ModelChoiceField(
        label=gettext_lazy("Deal"), queryset=Deal.objects.none(), required=False, empty_label="—"
    )
    issue_date = forms.DateField(label=gettext_lazy("Quote date"), required=False, widget=DateInput())
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Empty: the workspace's usual validity from the quote date."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the quote"),
        choices=[("de", gettext_lazy("German")), ("en", gettext_lazy("English"))],
        initial="de",
    )
    discount_percent = _decimal(
        gettext_lazy("Discount on the whole quote (%)"),
        digits=5,
        places=2,
        required=False,
        validators=[validate_percent],
    )
    header_text = forms.CharField(
        label=gettext_lazy("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    footer_text = forms.CharField(
        label=gettext_lazy("Closing text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, actor: Actor, quote: Quote | None = None, **kwargs: Any) -> None:
        if quote is not None:
            kwargs.setdefault(
                "initial",
                {
                    **model_to_dict(quote, fields=QUOTE_FIELDS),
                    "organization": quote.organization_id,
                    "contact": quote.contact_id,
                    "deal": quote.deal_id,
                },
            )
        super().__init__(*args, actor=actor, **kwargs)
        self.quote = quote
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = crm_selectors.organization_list(
            actor=actor
        )
        cast(forms.ModelChoiceField, self.fields["contact"]).queryset = crm_selectors.person_list(actor=actor)
        cast(forms.ModelChoiceField, self.fields["deal"]).queryset = crm_selectors.deal_list(actor=actor)
        self.wide_fields = {"header_text", "footer_text"}
        if quote is not None:
            self.fields["organization"].disabled = True
            self.fields["organization"].help_text = _(
                "A saved quote keeps its customer; write a new quote for another."
            )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (_("Customer and deal"), [self["organization"], self["contact"], self["deal"]]),
            (
                _("Dates and terms"),
                [self["issue_date"], self["valid_until"], self["language"], self["discount_percent"]],
            ),
            (_("Texts"), [self["header_text"], self["footer_text"]]),
        ]

    def head(self) -> dict[str, Any]:
        """The quote's fields for the service (the customer of a saved quote stays)."""
        data = self.given(QUOTE_FIELDS)
        if self.quote is not None:
            data.pop("organization", None)
        data["discount_percent"] = data.get("discount_percent") or Decimal("0")
        return data


# ---------------------------------------------------------------------------------------------
# Orders, invoices, payments


class OrderInvoiceForm(ServiceForm):
    """A partial invoice (a share of the order) or the final invoice (the rest, less the
    partial invoices already written)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[
            (InvoiceKind.PARTIAL, InvoiceKind.PARTIAL.label),
            (InvoiceKind.FINAL, InvoiceKind.FINAL.label),
        ],
        widget=forms.RadioSelect,
        initial=InvoiceKind.FINAL,
    )
    percent = _decimal(
        gettext_lazy("Share of the order (%)"),
        digits=5,
        places=2,
        required=False,
        validators=[validate_percent],
        help_text=gettext_lazy("For a partial invoice: e.g. 30 for a down payment of 30 percent."),
    )

    def __init__(
        self, *args: Any, actor: Actor, order: Order, partially_invoiced: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.order = order
        self.fields["kind"].initial = InvoiceKind.FINAL if partially_invoiced else InvoiceKind.INVOICE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == InvoiceKind.PARTIAL and not data.get("percent"):
            self.add_error("percent", _("Enter the share of the order this partial invoice is for."))
        return data

    def submit(self) -> Invoice | None:
        data = self.cleaned_data
        percent = data["percent"] if data["kind"] == InvoiceKind.PARTIAL else None
        return self.call(
            services.invoice_create_from_order, order=self.order, kind=data["kind"], percent=percent
        )


class PaymentForm(ServiceForm):
    paid_on = forms.DateField(label=gettext_lazy("Date of payment"), widget=DateInput())
    amount = _decimal(gettext_lazy("Amount"), digits=14, places=2)
    method = forms.ChoiceField(
        label=gettext_lazy("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.BANK_TRANSFER
    )
    reference = forms.CharField(label=gettext_lazy("Payment reference"), max_length=300, required=False)

    def __init__(self, *args: Any, actor: Actor, invoice: Invoice, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.invoice = invoice

    def submit(self) -> Any:
        return self.call(services.payment_record, invoice=self.invoice, **self.cleaned_data)


class CancelForm(ServiceForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the cancellation"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Kept with the cancellation invoice, e.g. wrong address."),
    )

    def __init__(self, *args: Any, actor: Actor, invoice: Invoice, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.invoice = invoice

    def submit(self) -> Invoice | None:
        return self.call(services.invoice_cancel, invoice=self.invoice, reason=self.cleaned_data["reason"])


# ---------------------------------------------------------------------------------------------
# The heads of orders and draft invoices: references and dates


class DocumentHeadForm(ServiceForm):
    """Some of a document's own fields, as the model labels and limits them; dates as date inputs."""

    model: type[Any]
    field_names: tuple[str, ...]
    field_sections: tuple[tuple[Any, tuple[str, ...]], ...]
    labels: dict[str, Any]
    service: Any
    argument: str

    def __init__(self, *args: Any, actor: Actor, document: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", model_to_dict(document, fields=self.field_names))
        super().__init__(*args, actor=actor, **kwargs)
        self.document = document
        self.fields.update(fields_for_model(self.model, fields=self.field_names))
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            if name in self.labels:
                field.label = self.labels[name]
        self.wide_fields = {"header_text", "footer_text"}

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(title), [self[name] for name in names]) for title, names in self.field_sections]

    def submit(self) -> Any:
        return self.call(type(self).service, **{self.argument: self.document}, **self.cleaned_data)


class OrderForm(DocumentHeadForm):
    model = Order
    field_names = ("customer_reference", "supply_date", "supply_period_start", "supply_period_end")
    field_sections = (
        (gettext_lazy("Reference"), ("customer_reference",)),
        (gettext_lazy("Date of supply"), ("supply_date", "supply_period_start", "supply_period_end")),
    )
    labels = {
        "customer_reference": gettext_lazy("Customer's order reference"),
        "supply_date": gettext_lazy("Date of supply"),
        "supply_period_start": gettext_lazy("Or: service period from"),
        "supply_period_end": gettext_lazy("Service period to"),
    }
    service = staticmethod(services.order_update)
    argument = "order"


class InvoiceForm(DocumentHeadForm):
    model = Invoice
    field_names = (
        "issue_date",
        "supply_date",
        "supply_period_start",
        "supply_period_end",
        "payment_terms_days",
        "customer_reference",
        "buyer_reference",
        "header_text",
        "footer_text",
    )
    field_sections = (
        (
            gettext_lazy("Dates and terms"),
            ("issue_date", "payment_terms_days", "supply_date", "supply_period_start", "supply_period_end"),
        ),
        (gettext_lazy("References"), ("customer_reference", "buyer_reference")),
        (gettext_lazy("Texts"), ("header_text", "footer_text")),
    )
    labels = {
        "issue_date": gettext_lazy("Invoice date (empty: the day it is finalized)"),
        "supply_date": gettext_lazy("Date of supply"),
        "supply_period_start": gettext_lazy("Or: service period from"),
        "supply_period_end": gettext_lazy("Service period to"),
        "payment_terms_days": gettext_lazy("Payment terms (days)"),
        "customer_reference": gettext_lazy("Customer's order reference"),
        "buyer_reference": gettext_lazy("Buyer reference (Leitweg-ID for public buyers)"),
        "header_text": gettext_lazy("Introduction"),
        "footer_text": gettext_lazy("Closing text"),
    }
    service = staticmethod(services.invoice_update)
    argument = "invoice"
