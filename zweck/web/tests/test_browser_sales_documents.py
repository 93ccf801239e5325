"""Received invoices in a real browser, desktop and phone, English and German; screenshots land in
``test-artifacts/screenshots/``."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.crm.tests.factories import make_organization
from zweck.sales.incoming import supplier_invoice_import
from zweck.sales.tests.document_factories import make_finalized_invoice
from zweck.web.tests.test_browser import browser, screenshot  # noqa: F401 - the browser fixture
from zweck.web.tests.test_browser_security_log import (
    DESKTOP,
    PHONE,
    _no_horizontal_scrolling,
    _page,
    _sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accountant(transactional_db: None) -> Actor:
    owner = make_actor(Role.OWNER)
    organization = make_organization(owner, "Kunde Handels AG")
    invoice = make_finalized_invoice(owner, organization=organization, contact=None)
    from zweck.sales.einvoice import invoice_xml

    supplier_invoice_import(actor=owner, data=invoice_xml(invoice, profile="xrechnung"), file_name="re.xml")
    return make_actor(Role.ACCOUNTING, owner.workspace)


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_accounting_reviews_received_invoices(
    browser: Browser,  # noqa: F811
    live_server: Any,
    accountant: Actor,
    language: str,
    device: str,
) -> None:
    User.objects.filter(pk=accountant.user_id).update(language=language)
    page = _page(browser, live_server, DESKTOP if device == "desktop" else PHONE, language)
    _sign_in(page, accountant)
    page.goto("/app/sales/supplier-invoices/")
    expect(page.locator("tbody")).to_contain_text("Nordlicht Consulting GmbH")
    screenshot(page, f"supplier-invoices-{device}-{language}")
    _no_horizontal_scrolling(page)
    page.locator("tbody a").first.click()
    expect(page.locator("h1")).to_contain_text("RE-2026-0001")
    screenshot(page, f"supplier-invoice-{device}-{language}")
    _no_horizontal_scrolling(page)
    page.context.close()
