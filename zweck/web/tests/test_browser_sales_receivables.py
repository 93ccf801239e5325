"""Receivables in a real browser, in German, on a desktop and a phone: a statement read in and its
result, a credit assigned from the review list, a reminder sent from the overdue list, the
handover to a debt collector, the DATEV period and a draft invoice's lines. Screenshots land in
``test-artifacts/screenshots/``; no page scrolls sideways."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.crm.tests.factories import make_person
from zweck.privacy.services import recipient_create, register_defaults_install
from zweck.sales.dunning import reminder_send
from zweck.sales.models import BankTransaction, Invoice, Reminder
from zweck.sales.services import invoice_create
from zweck.sales.tests.camt_samples import Entry, statement
from zweck.sales.tests.conftest import consulting, make_shop
from zweck.web.tests.test_browser import browser, screenshot  # noqa: F401 - the browser fixture
from zweck.web.tests.test_browser_security_log import (
    DESKTOP,
    PHONE,
    _no_horizontal_scrolling,
    _page,
    _sign_in,
)
from zweck.web.tests.test_sales_receivables_views import open_invoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accountant(transactional_db: None) -> dict[str, Any]:
    owner = make_actor(Role.OWNER)
    accountant = make_actor(Role.ACCOUNTING, owner.workspace)
    User.objects.filter(pk=accountant.user_id).update(language="de")
    shop = make_shop(owner, accountant)
    register_defaults_install(actor=owner)
    recipient_create(
        actor=owner,
        name="Inkasso Nord GmbH",
        role="controller",
        service_en="Debt collection",
        service_de="Inkasso",
        country="DE",
        activity_keys=[],
    )
    today = timezone.localdate()
    customer = shop.customer
    open_invoice(owner, customer, "RE-2026-0101", "119.00", due=today - timedelta(days=3))
    open_invoice(owner, customer, "RE-2026-0102", "1428.00", due=today - timedelta(days=10))
    open_invoice(owner, customer, "RE-2026-0104", "595.00", due=today - timedelta(days=12))
    long_overdue = open_invoice(owner, customer, "RE-2026-0103", "2380.00", due=today - timedelta(days=50))
    Invoice.objects.filter(pk=long_overdue.pk).update(
        contact=make_person(owner, "Karla", "Kundin", organization=customer)
    )
    for days in (7, 21, 35):
        reminder_send(actor=owner, invoice=long_overdue, on=long_overdue.due_date + timedelta(days=days))  # type: ignore[operator]
    draft = invoice_create(
        actor=owner,
        organization=customer,
        lines=[consulting("10", "120"), consulting("2", "15.50", vat_rate=7)],
    )
    return {"actor": accountant, "draft": draft, "long_overdue": long_overdue}


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_accounting_works_through_its_receivables(
    browser: Browser,  # noqa: F811
    live_server: Any,
    accountant: dict[str, Any],
    device: str,
    tmp_path: Path,
) -> None:
    actor: Actor = accountant["actor"]
    page = _page(browser, live_server, DESKTOP if device == "desktop" else PHONE, "de")
    _sign_in(page, actor)

    # A file that is not a statement: the error stands at the field, nothing is read in.
    wrong = tmp_path / "umsaetze.csv"
    wrong.write_bytes(b"Datum;Betrag\n01.12.2026;119,00\n")
    page.goto("/app/sales/receivables/")
    page.locator("#id_file").set_input_files(str(wrong))
    page.locator("form.export-form button[type=submit]").click()
    expect(page.locator("#id_file")).to_have_attribute("aria-invalid", "true")
    screenshot(page, f"receivables-upload-error-{device}-de")
    _no_horizontal_scrolling(page)

    # The statement: one credit names its invoice, two wait for review.
    camt = tmp_path / "auszug.xml"
    camt.write_bytes(
        statement(
            [
                Entry(Decimal("119.00"), "Rechnung RE-2026-0101", reference="B1", payer="Kunde AG"),
                Entry(
                    Decimal("1428.00"),
                    "Danke fuer die Beratung",
                    reference="B2",
                    payer="Muster Holding GmbH",
                ),
                Entry(Decimal("12.34"), "Zinsgutschrift 4. Quartal", reference="B3", payer="Beispielbank eG"),
            ]
        )
    )
    page.locator("#id_file").set_input_files(str(camt))
    page.locator("form.export-form button[type=submit]").click()
    expect(page.locator("#match-result")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("RE-2026-0101")
    screenshot(page, f"receivables-statement-{device}-de")
    _no_horizontal_scrolling(page)

    # The review list: the credit from the daughter company is assigned by number.
    page.goto("/app/sales/receivables/review/")
    expect(page.locator("article.credit-card")).to_have_count(2)
    screenshot(page, f"receivables-review-{device}-de")
    _no_horizontal_scrolling(page)
    daughter = BankTransaction.objects.get(key="B2")
    page.locator(f"#id_assign-{daughter.pk}-invoice").fill("RE-2026-0102")
    page.locator(f"#credit-{daughter.pk} form").first.locator("button[type=submit]").click()
    expect(page.locator("article.credit-card")).to_have_count(1)

    # The overdue list: RE-2026-0104 is due for its reminder, RE-2026-0103 for the debt collector.
    page.goto("/app/sales/receivables/overdue/")
    expect(page.locator("tbody").first).to_contain_text("RE-2026-0103")
    screenshot(page, f"receivables-overdue-{device}-de")
    _no_horizontal_scrolling(page)
    long_overdue = accountant["long_overdue"]
    page.locator(f"a[href='/app/sales/invoices/{long_overdue.pk}/collection/']").click()
    expect(page.locator("#id_recipient")).to_be_visible()
    screenshot(page, f"receivables-collection-{device}-de")
    _no_horizontal_scrolling(page)

    page.goto("/app/sales/receivables/datev/")
    expect(page.locator("#id_from")).to_be_visible()
    screenshot(page, f"receivables-datev-{device}-de")
    _no_horizontal_scrolling(page)

    page.goto(f"/app/sales/invoices/{accountant['draft'].pk}/edit/")
    expect(page.locator("#id_lines-1-description")).to_be_visible()
    screenshot(page, f"invoice-lines-edit-{device}-de")
    _no_horizontal_scrolling(page)
    assert Reminder.objects.count() == 3
    page.context.close()
