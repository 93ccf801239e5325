"""The sales pages: who may see and do what, forms that answer bad input at the field, the quote
lines that grow without JavaScript, and the way from a quote to a paid invoice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.crm.models import Organization, Person
from zweck.crm.services import AddressInput
from zweck.crm.tests.factories import make_deal, make_organization, make_person
from zweck.sales import services
from zweck.sales.choices import InvoiceStatus
from zweck.sales.models import Invoice, Payment, Product, Quote, SalesSettings
from zweck.sales.tests.factories import SalesDocuments, make_sales_documents
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

Build = Callable[[str], tuple[Client, Actor]]


@pytest.fixture
def customer(owner: Actor) -> tuple[Organization, Person]:
    services.sales_settings_update(
        actor=owner,
        legal_name="Zweck Demo GmbH",
        street="Hafenstraße 1",
        postal_code="20457",
        city="Hamburg",
        vat_id="DE136695976",
    )
    organization = make_organization(
        owner,
        name="Nordlicht Beratung GmbH",
        addresses=[AddressInput("Am Markt 3", "Bremen", "28195", "DE")],
    )
    person = make_person(owner, first_name="Jana", last_name="Beispiel", organization=organization)
    return organization, person


@pytest.fixture
def documents(owner: Actor, customer: tuple[Organization, Person]) -> SalesDocuments:
    organization, person = customer
    made = make_sales_documents(owner, organization=organization, contact=person)
    made.invoice = services.invoice_update(actor=owner, invoice=made.invoice, supply_date=date(2026, 11, 30))
    return made


def _pages(documents: SalesDocuments) -> list[str]:
    return [
        reverse("staff:sales_quote_list"),
        reverse("staff:sales_quote_detail", args=[documents.quote.pk]),
        reverse("staff:sales_order_list"),
        reverse("staff:sales_order_detail", args=[documents.order.pk]),
        reverse("staff:sales_invoice_list"),
        reverse("staff:sales_invoice_detail", args=[documents.invoice.pk]),
        reverse("staff:sales_product_list"),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, documents: SalesDocuments) -> None:
    for url in [*_pages(documents), reverse("staff:sales_settings")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/app/login/")


def test_every_page_opens_for_a_salesperson(member_client: Build, documents: SalesDocuments) -> None:
    client, _actor = member_client(Role.SALES)
    for url in _pages(documents):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Traceback" not in response.content


def test_a_member_without_the_sales_permission_is_refused(
    member_client: Build, documents: SalesDocuments
) -> None:
    client, _actor = member_client(Role.SERVICE)
    for url in _pages(documents):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("staff:sales_quote_create")).status_code == 403


def test_another_workspace_sees_nothing(stranger: Actor, documents: SalesDocuments) -> None:
    client = client_for(stranger)
    for url in _pages(documents)[1::2]:
        assert client.get(url).status_code == 404, url


def test_the_navigation_shows_sales_only_to_those_who_may_see_it(
    member_client: Build, documents: SalesDocuments
) -> None:
    seller, _ = member_client(Role.SALES)
    service, _ = member_client(Role.SERVICE)
    sales_url = reverse("staff:sales_quote_list")
    assert f'href="{sales_url}"' in seller.get(reverse("staff:dashboard")).content.decode()
    assert f'href="{sales_url}"' not in service.get(reverse("staff:dashboard")).content.decode()


def test_a_salesperson_prepares_but_does_not_finalize_or_book_payments(
    member_client: Build, documents: SalesDocuments
) -> None:
    client, _actor = member_client(Role.SALES)
    invoice = documents.invoice
    page = client.get(reverse("staff:sales_invoice_detail", args=[invoice.pk])).content.decode()
    assert reverse("staff:sales_invoice_finalize", args=[invoice.pk]) not in page
    events = AuditEvent.objects.count()

    response = client.post(reverse("staff:sales_invoice_finalize", args=[invoice.pk]))

    assert response.status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.DRAFT
    assert invoice.number is None
    assert client.get(reverse("staff:sales_settings")).status_code == 403
    assert AuditEvent.objects.count() == events


def test_accounting_sees_the_finalize_button_and_the_settings(
    member_client: Build, documents: SalesDocuments
) -> None:
    client, _actor = member_client(Role.ACCOUNTING)
    invoice = documents.invoice
    page = client.get(reverse("staff:sales_invoice_detail", args=[invoice.pk])).content.decode()
    assert reverse("staff:sales_invoice_finalize", args=[invoice.pk]) in page
    assert client.get(reverse("staff:sales_settings")).status_code == 200


def test_the_settings_answer_a_bad_iban_and_vat_id_at_their_fields(owner: Actor) -> None:
    client = client_for(owner)
    data = _settings_data(iban="DE00 1234 5678 9012 3456 78", vat_id="DE123")

    response = client.post(reverse("staff:sales_settings"), data)

    assert response.status_code == 422
    form = response.context["form"]
    assert "IBAN" in " ".join(form.errors["iban"])
    assert form.errors["vat_id"]
    assert not SalesSettings.objects.filter(workspace_id=owner.workspace_id, iban__startswith="DE00").exists()


def test_the_settings_are_saved(owner: Actor) -> None:
    client = client_for(owner)
    data = _settings_data(iban="DE89 3704 0044 0532 0130 00", vat_id="DE 136 695 976")

    response = client.post(reverse("staff:sales_settings"), data)

    assert response.status_code == 302
    settings = SalesSettings.objects.get(workspace_id=owner.workspace_id)
    assert settings.iban == "DE89370400440532013000"
    assert settings.vat_id == "DE136695976"
    assert settings.legal_name == "Nordlicht Consulting GmbH"


def _settings_data(**overrides: str) -> dict[str, str]:
    return {
        "legal_name": "Nordlicht Consulting GmbH",
        "street": "Hafenstraße 1",
        "postal_code": "20457",
        "city": "Hamburg",
        "country": "DE",
        "managing_directors": "",
        "vat_id": "",
        "tax_number": "",
        "register_court": "",
        "register_number": "",
        "contact_point": "Buchhaltung",
        "email": "rechnung@nordlicht.example.com",
        "phone": "",
        "iban": "",
        "bic": "",
        "bank_name": "",
        "invoice_prefix": "RE-",
        "quote_prefix": "AN-",
        "order_prefix": "AB-",
        "default_payment_terms_days": "14",
        "quote_validity_days": "30",
        **overrides,
    }


def test_a_product_with_a_bad_price_is_answered_at_the_field(owner: Actor) -> None:
    client = client_for(owner)
    response = client.post(
        reverse("staff:sales_product_create"),
        {"name": "Beratung", "unit": "HUR", "unit_net_price": "1e40", "vat_rate": "19", "is_active": "on"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["unit_net_price"]
    assert not Product.objects.exists()


def _quote_data(organization: Organization, lines: list[dict[str, str]], **head: str) -> dict[str, str]:
    data = {
        "organization": str(organization.pk),
        "contact": "",
        "deal": "",
        "issue_date": "2026-12-01",
        "valid_until": "",
        "language": "de",
        "discount_percent": "",
        "header_text": "",
        "footer_text": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        **head,
    }
    for index, line in enumerate(lines):
        row = {
            "product": "",
            "description": "",
            "quantity": "",
            "unit": "HUR",
            "unit_net_price": "",
            "discount_percent": "",
            "vat_rate": "19",
            "zero_rate_reason": "",
            **line,
        }
        data.update({f"lines-{index}-{name}": value for name, value in row.items()})
    return data


def test_adding_a_line_shows_one_more_and_saves_nothing(
    owner: Actor, customer: tuple[Organization, Person]
) -> None:
    client = client_for(owner)
    data = _quote_data(customer[0], [{"description": "Workshop", "quantity": "1", "unit_net_price": "900"}])
    data["add_line"] = "1"

    response = client.post(reverse("staff:sales_quote_create"), data)

    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 2
    assert 'name="lines-1-description"' in response.content.decode()
    assert "Workshop" in response.content.decode()
    assert not Quote.objects.exists()


def test_a_negative_quantity_is_answered_at_the_line(
    owner: Actor, customer: tuple[Organization, Person]
) -> None:
    client = client_for(owner)
    data = _quote_data(customer[0], [{"description": "Workshop", "quantity": "-2", "unit_net_price": "900"}])

    response = client.post(reverse("staff:sales_quote_create"), data)

    assert response.status_code == 422
    assert response.context["lines"].forms[0].errors["quantity"]
    assert "greater than zero" in response.content.decode()
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    "line",
    [
        {"description": "x", "quantity": "abc", "unit_net_price": "1"},
        {"description": "x", "quantity": "1", "unit_net_price": "1", "vat_rate": "16"},
        {"description": "x", "quantity": "1", "unit_net_price": "1", "vat_rate": "0"},
        {"description": "x", "quantity": "1", "unit_net_price": "1", "discount_percent": "150"},
        {"description": "x\x00", "quantity": "1", "unit_net_price": "1"},
        {"description": "x", "quantity": "1" * 30, "unit_net_price": "1"},
        {"product": "999999", "quantity": "1"},
    ],
)
def test_bad_lines_never_answer_500(
    owner: Actor, customer: tuple[Organization, Person], line: dict[str, str]
) -> None:
    client = client_for(owner)
    response = client.post(reverse("staff:sales_quote_create"), _quote_data(customer[0], [line]))
    # A NUL character is refused by the request guard before the form (400); the rest at the field.
    assert response.status_code == (400 if any("\x00" in value for value in line.values()) else 422)
    assert not Quote.objects.exists()


def test_a_broken_management_form_is_answered_without_500(
    owner: Actor, customer: tuple[Organization, Person]
) -> None:
    client = client_for(owner)
    data = _quote_data(customer[0], [])
    data["lines-TOTAL_FORMS"] = "x"
    response = client.post(reverse("staff:sales_quote_create"), data)
    assert response.status_code == 422
    assert not Quote.objects.exists()


def test_a_quote_is_saved_with_its_lines_and_totals_per_rate(
    owner: Actor, customer: tuple[Organization, Person]
) -> None:
    client = client_for(owner)
    data = _quote_data(
        customer[0],
        [
            {"description": "Beratung", "quantity": "10", "unit_net_price": "120"},
            {
                "description": "Fachbuch",
                "quantity": "2",
                "unit": "C62",
                "unit_net_price": "50",
                "vat_rate": "7",
            },
            {},
        ],
    )

    response = client.post(reverse("staff:sales_quote_create"), data)

    assert response.status_code == 302
    quote = Quote.objects.get()
    assert [line.description for line in quote.lines.all()] == ["Beratung", "Fachbuch"]
    assert quote.net_total == Decimal("1300.00")
    assert quote.tax_total == Decimal("235.00")
    page = client.get(response["Location"]).content.decode()
    assert "€1,300.00" in page and "€228.00" in page and "€7.00" in page


def test_a_product_fills_its_line(owner: Actor, customer: tuple[Organization, Person]) -> None:
    client = client_for(owner)
    client.post(
        reverse("staff:sales_product_create"),
        {
            "name": "Tagessatz",
            "description": "Beratung vor Ort",
            "unit": "DAY",
            "unit_net_price": "1200",
            "vat_rate": "19",
            "is_active": "on",
        },
    )
    product = Product.objects.get()
    data = _quote_data(customer[0], [{"product": str(product.pk), "quantity": "3", "unit": "HUR"}])

    response = client.post(reverse("staff:sales_quote_create"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    line = Quote.objects.get().lines.get()
    assert line.description == "Tagessatz"
    assert line.unit == "HUR"
    assert line.unit_net_price == Decimal("1200")
    assert line.net_amount == Decimal("3600.00")


def test_the_organization_and_the_deal_list_their_quotes(
    owner: Actor, customer: tuple[Organization, Person], documents: SalesDocuments
) -> None:
    client = client_for(owner)
    organization = customer[0]
    page = client.get(reverse("staff:organization_detail", args=[organization.pk])).content.decode()
    assert reverse("staff:sales_quote_detail", args=[documents.quote.pk]) in page
    assert reverse("staff:sales_invoice_detail", args=[documents.invoice.pk]) in page
    deal = make_deal(owner, organization=organization, title="Rahmenvertrag")
    page = client.get(reverse("staff:deal_detail", args=[deal.pk])).content.decode()
    assert f"{reverse('staff:sales_quote_create')}?deal={deal.pk}&amp;organization={organization.pk}" in page


def test_a_new_quote_from_a_deal_names_the_deal(owner: Actor, customer: tuple[Organization, Person]) -> None:
    client = client_for(owner)
    deal = make_deal(owner, organization=customer[0], title="Rahmenvertrag")
    response = client.get(
        f"{reverse('staff:sales_quote_create')}?deal={deal.pk}&organization={customer[0].pk}"
    )
    form = response.context["form"]
    assert form["deal"].value() == deal.pk
    assert form["organization"].value() == customer[0].pk


def test_a_payment_form_answers_bad_input_at_the_field(owner: Actor, documents: SalesDocuments) -> None:
    client = client_for(owner)
    invoice = _finalized(client, documents.invoice)
    payments = Payment.objects.count()

    response = client.post(
        reverse("staff:sales_invoice_payment", args=[invoice.pk]),
        {"paid_on": "2026-13-40", "amount": "zwölf", "method": "bank_transfer", "reference": ""},
    )

    assert response.status_code == 422
    form = response.context["payment_form"]
    assert form.errors["paid_on"] and form.errors["amount"]
    assert Payment.objects.count() == payments


def _finalized(client: Client, invoice: Invoice) -> Invoice:
    response = client.post(reverse("staff:sales_invoice_finalize", args=[invoice.pk]))
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.FINALIZED
    return invoice


def test_finalizing_twice_is_refused_with_a_message(owner: Actor, documents: SalesDocuments) -> None:
    client = client_for(owner)
    invoice = _finalized(client, documents.invoice)
    number = invoice.number

    response = client.post(reverse("staff:sales_invoice_finalize", args=[invoice.pk]), follow=True)

    assert response.status_code == 200
    invoice.refresh_from_db()
    assert invoice.number == number


def test_the_invoice_list_shows_the_payment_status(owner: Actor, documents: SalesDocuments) -> None:
    client = client_for(owner)
    _finalized(client, documents.invoice)
    # the factory's invoice came with a payment of its whole amount
    page = client.get(reverse("staff:sales_invoice_list")).content.decode()
    assert page.count("badge badge-paid") == 1
    page = client.get(reverse("staff:sales_invoice_list"), {"payment": "open"}).content.decode()
    assert "badge badge-paid" not in page
    assert "No invoices match the search." in page


def test_unknown_filters_are_ignored(owner: Actor, documents: SalesDocuments) -> None:
    client = client_for(owner)
    for url in ("sales_quote_list", "sales_order_list", "sales_invoice_list"):
        response = client.get(
            reverse(f"staff:{url}"), {"status": "nonsense", "payment": "x", "sort": "pk; drop"}
        )
        assert response.status_code == 200


def test_empty_lists_say_what_they_are_for(owner: Actor) -> None:
    client = client_for(owner)
    page = client.get(reverse("staff:sales_quote_list")).content.decode()
    assert "empty-state" in page
    assert reverse("staff:sales_quote_create") in page


def test_the_draft_invoice_takes_its_date_of_supply_and_refuses_a_reversed_period(
    owner: Actor, documents: SalesDocuments
) -> None:
    client = client_for(owner)
    url = reverse("staff:sales_invoice_edit", args=[documents.invoice.pk])
    data = {
        "issue_date": "",
        "supply_date": "",
        "supply_period_start": "2026-11-30",
        "supply_period_end": "2026-11-01",
        "payment_terms_days": "30",
        "customer_reference": "PO-4711",
        "buyer_reference": "",
        "header_text": "",
        "footer_text": "",
    }

    refused = client.post(url, data)

    assert refused.status_code == 422
    assert refused.context["form"].errors["supply_period_end"]
    documents.invoice.refresh_from_db()
    assert documents.invoice.customer_reference == ""

    saved = client.post(url, {**data, "supply_period_end": "2026-12-31"})

    assert saved.status_code == 302
    documents.invoice.refresh_from_db()
    assert documents.invoice.customer_reference == "PO-4711"
    assert documents.invoice.payment_terms_days == 30


def test_a_finalized_invoice_is_cancelled_by_a_cancellation_invoice(
    owner: Actor, documents: SalesDocuments
) -> None:
    client = client_for(owner)
    invoice = _finalized(client, documents.invoice)
    url = reverse("staff:sales_invoice_cancel", args=[invoice.pk])
    assert "cancellation invoice" in client.get(url).content.decode()

    response = client.post(url, {"reason": "Falsche Anschrift"})

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    cancellation = Invoice.objects.exclude(pk=invoice.pk).get()
    assert cancellation.gross_total == -invoice.gross_total
    assert response["Location"] == reverse("staff:sales_invoice_detail", args=[cancellation.pk])
    page = client.get(reverse("staff:sales_invoice_detail", args=[invoice.pk])).content.decode()
    assert reverse("staff:sales_invoice_cancel", args=[invoice.pk]) not in page
    # a second cancellation is refused with a message, and nothing more is written
    again = client.post(url, {"reason": ""})
    assert again.status_code == 422
    assert Invoice.objects.count() == 2


def test_the_whole_way_from_quote_to_paid_invoice(
    owner: Actor, customer: tuple[Organization, Person]
) -> None:
    client = client_for(owner)
    data = _quote_data(customer[0], [{"description": "Beratung", "quantity": "10", "unit_net_price": "120"}])
    client.post(reverse("staff:sales_quote_create"), data)
    quote = Quote.objects.get()
    for step in ("send", "accept", "order"):
        response = client.post(reverse(f"staff:sales_quote_{step}", args=[quote.pk]))
        assert response.status_code == 302
    order = quote.order
    client.post(
        reverse("staff:sales_order_edit", args=[order.pk]),
        {
            "customer_reference": "",
            "supply_date": "2026-11-30",
            "supply_period_start": "",
            "supply_period_end": "",
        },
    )
    response = client.post(
        reverse("staff:sales_order_invoice", args=[order.pk]), {"kind": "partial", "percent": "30"}
    )
    partial = Invoice.objects.get()
    assert response["Location"] == reverse("staff:sales_invoice_detail", args=[partial.pk])
    _finalized(client, partial)
    client.post(reverse("staff:sales_order_invoice", args=[order.pk]), {"kind": "final", "percent": ""})
    final = Invoice.objects.exclude(pk=partial.pk).get()
    final = _finalized(client, final)
    assert partial.gross_total + final.gross_total == Decimal("1428.00")

    client.post(
        reverse("staff:sales_invoice_payment", args=[final.pk]),
        {
            "paid_on": "2026-12-03",
            "amount": str(final.gross_total),
            "method": "bank_transfer",
            "reference": "",
        },
    )

    page = client.get(reverse("staff:sales_invoice_detail", args=[final.pk])).content.decode()
    assert 'id="payment-status">Paid<' in page.replace('class="badge badge-paid" ', "")


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("de", "1.533,93", "1533.93"),
        ("de", "1533,93", "1533.93"),
        ("de", "1.533", "1533"),
        ("de", "12,5", "12.5"),
        ("en", "1,533.93", "1533.93"),
        ("en", "12.5", "12.5"),
        ("en", "1 533.93 €", "1533.93"),
    ],
)
def test_amounts_are_read_as_the_language_writes_them(language: str, typed: str, expected: str) -> None:
    from django.utils import translation

    from zweck.web.staff.sales_forms import LocalDecimalField

    field = LocalDecimalField(max_digits=14, decimal_places=2, localize=True)
    with translation.override(language):
        assert field.clean(typed) == Decimal(expected)
