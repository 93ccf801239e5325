"""From a deal to a paid invoice in a real browser, in German: a quote written from the deal (a
second line added without JavaScript's help), sent, accepted, ordered, invoiced, finalized and
paid. Then every sales page on a desktop and on a phone, in German and English, without
scrolling sideways. Screenshots land in ``test-artifacts/screenshots/`` (``sales-*.png``)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from zweck.accounts.actors import Actor
from zweck.accounts.services import user_set_language
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.crm.models import Deal
from zweck.crm.services import AddressInput
from zweck.crm.tests.factories import make_deal, make_organization, make_person, make_stages
from zweck.sales import services
from zweck.sales.choices import InvoiceStatus
from zweck.sales.models import Invoice, Order, Product, Quote
from zweck.sales.tests.factories import make_sales_documents
from zweck.web.tests.test_browser import (
    PASSWORD,
    VIEWPORTS,
    browser,
    no_horizontal_scrolling,
    page,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser", "page"]


def _german(text: str) -> str:
    with translation.override("de"):
        return translation.gettext(text)


def _log_in(page: Page, actor: Actor) -> None:
    assert actor.user is not None
    page.goto("/app/login/")
    page.locator("#id_username").fill(actor.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/app/")


@pytest.fixture
def accountant(transactional_db: None) -> Actor:
    """An owner (who also keeps the books) of a workspace with a pipeline, a customer and a deal."""
    owner = make_actor(Role.OWNER)
    make_stages(owner)
    organization = make_organization(
        owner, name="Nordlicht Beratung GmbH", addresses=[AddressInput("Am Markt 3", "Bremen", "28195", "DE")]
    )
    make_person(owner, first_name="Jana", last_name="Beispiel", organization=organization)
    make_deal(owner, organization=organization, title="Rahmenvertrag 2027")
    return owner


def test_from_deal_to_paid_invoice_in_german(page: Page, accountant: Actor) -> None:
    user_set_language(actor=accountant, language="de")
    _log_in(page, accountant)
    expect(page.locator("html")).to_have_attribute("lang", "de")

    # the company's details every invoice names
    page.goto("/app/sales/settings/")
    page.locator("#id_legal_name").fill("Zweck Demo GmbH")
    page.locator("#id_street").fill("Hafenstraße 1")
    page.locator("#id_postal_code").fill("20457")
    page.locator("#id_city").fill("Hamburg")
    page.locator("#id_vat_id").fill("DE 136 695 976")
    page.locator("#id_iban").fill("DE00 1234")
    page.locator("form.settings-form button[type=submit]").click()
    expect(page.locator("#id_iban + .errorlist, .errorlist").first).to_be_visible()
    screenshot(page, "sales-flow-settings-error-de")
    page.locator("#id_iban").fill("DE89 3704 0044 0532 0130 00")
    page.locator("form.settings-form button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()

    # from the deal, a new quote for its organization
    page.goto("/app/deals/")
    page.locator("table a", has_text="Rahmenvertrag 2027").click()
    page.locator("a[href*='/app/sales/quotes/new/?deal=']").click()
    expect(page.locator("#id_organization option:checked")).to_have_text("Nordlicht Beratung GmbH")
    page.locator("#id_lines-0-description").fill("Beratung Datenschutz")
    page.locator("#id_lines-0-quantity").fill("10")
    page.locator("#id_lines-0-unit").select_option("HUR")
    page.locator("#id_lines-0-unit_net_price").fill("120")
    page.locator("button[name=add_line]").click()
    expect(page.locator("#id_lines-1-description")).to_be_visible()
    expect(page.locator("#id_lines-0-description")).to_have_value("Beratung Datenschutz")
    page.locator("#id_lines-1-description").fill("Fachbuch DSGVO")
    page.locator("#id_lines-1-quantity").fill("2")
    page.locator("#id_lines-1-unit").select_option("C62")
    page.locator("#id_lines-1-unit_net_price").fill("49,50")
    page.locator("#id_lines-1-vat_rate").select_option("7")
    screenshot(page, "sales-flow-quote-form-de")
    page.locator(".page-actions button[type=submit]").click()

    # the quote: German money, totals per rate; sent, accepted, ordered
    expect(page.locator(".totals")).to_contain_text("1.299,00\N{NO-BREAK SPACE}€")
    expect(page.locator(".totals")).to_contain_text("228,00\N{NO-BREAK SPACE}€")
    expect(page.locator(".totals")).to_contain_text("6,93\N{NO-BREAK SPACE}€")
    quote = Quote.objects.get()
    assert quote.deal is not None and quote.deal.title == "Rahmenvertrag 2027"
    page.locator(f"form[action='/app/sales/quotes/{quote.pk}/send/'] button").click()
    page.locator(f"form[action='/app/sales/quotes/{quote.pk}/accept/'] button").click()
    screenshot(page, "sales-flow-quote-accepted-de")
    page.locator(f"form[action='/app/sales/quotes/{quote.pk}/order/'] button").click()
    order = Order.objects.get()
    expect(page).to_have_url(re.compile(rf"/app/sales/orders/{order.pk}/$"))
    screenshot(page, "sales-flow-order-de")

    # the day of supply, which every invoice states
    page.locator(f"a[href='/app/sales/orders/{order.pk}/edit/']").click()
    page.locator("#id_supply_date").fill("2026-11-30")
    page.locator("form.settings-form button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()

    # the final invoice of the order, finalized with the first number
    page.locator("input[name=kind][value=final]").check()
    page.locator(f"form[action='/app/sales/orders/{order.pk}/invoice/'] button[type=submit]").click()
    invoice = Invoice.objects.get()
    expect(page).to_have_url(re.compile(rf"/app/sales/invoices/{invoice.pk}/$"))
    page.locator(f"form[action='/app/sales/invoices/{invoice.pk}/finalize/'] button").click()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.FINALIZED and invoice.number
    expect(page.locator("h1")).to_contain_text(invoice.number)
    gross = f"{invoice.gross_total:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert gross == "1.533,93"

    # a payment of the whole amount: the invoice is paid
    page.locator("#id_paid_on").fill("2026-12-03")
    page.locator("#id_amount").fill(gross)
    page.locator(f"form[action='/app/sales/invoices/{invoice.pk}/payment/'] button").click()
    expect(page.locator("#payment-status")).to_have_class(re.compile("badge-paid"))
    expect(page.locator("#payment-status")).to_have_text(_german("Paid"))
    expect(page.locator("#outstanding")).to_have_text("0,00\N{NO-BREAK SPACE}€")
    no_horizontal_scrolling(page)
    screenshot(page, "sales-flow-invoice-paid-de")

    # the list says so too
    page.goto("/app/sales/invoices/")
    expect(page.locator("tbody .badge-paid")).to_have_count(1)


def _pages(actor: Actor) -> dict[str, str]:
    """Every sales page of a workspace holding one document of each kind."""
    quote = Quote.objects.get()
    order = Order.objects.get()
    invoice = Invoice.objects.get()
    product = Product.objects.get()
    return {
        "organization": f"/app/organizations/{quote.organization_id}/",
        "deal": f"/app/deals/{Deal.objects.get().pk}/",
        "quotes": "/app/sales/",
        "quote": f"/app/sales/quotes/{quote.pk}/",
        "quote-new": "/app/sales/quotes/new/",
        "orders": "/app/sales/orders/",
        "order": f"/app/sales/orders/{order.pk}/",
        "invoices": "/app/sales/invoices/",
        "invoice": f"/app/sales/invoices/{invoice.pk}/",
        "invoice-cancel": f"/app/sales/invoices/{invoice.pk}/cancel/",
        "products": "/app/sales/products/",
        "product": f"/app/sales/products/{product.pk}/edit/",
        "settings": "/app/sales/settings/",
    }


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_sales_page_fits_the_screen(
    browser: Browser, accountant: Actor, live_server: Any, device: str, language: str
) -> None:
    services.sales_settings_update(
        actor=accountant,
        legal_name="Zweck Demo GmbH",
        street="Hafenstraße 1",
        postal_code="20457",
        city="Hamburg",
        vat_id="DE136695976",
        iban="DE89370400440532013000",
    )
    organization = make_organization(
        accountant, name="Südwind Handels AG", addresses=[AddressInput("Kaistraße 5", "Kiel", "24103", "DE")]
    )
    documents = make_sales_documents(accountant, organization=organization, contact=None)
    services.product_create(
        actor=accountant, name="Tagessatz Beratung", unit="DAY", unit_net_price=Decimal("1200")
    )
    invoice = services.invoice_update(
        actor=accountant, invoice=documents.invoice, supply_date=date(2026, 11, 30)
    )
    services.invoice_finalize(actor=accountant, invoice=invoice)
    user_set_language(actor=accountant, language=language)
    # The browser's own locale too, so date fields read 03.12.2026 in German.
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS[device], locale="de-DE" if language == "de" else "en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    _log_in(page, accountant)
    for name, url in _pages(accountant).items():
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        expect(page.locator("html")).to_have_attribute("lang", language)
        no_horizontal_scrolling(page)
        screenshot(page, f"sales-{name}-{device}-{language}")
    context.close()
