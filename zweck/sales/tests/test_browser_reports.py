"""The revenue report in a real browser (Debian's Chromium): desktop and phone, English and
German; the charts render, nothing scrolls sideways. Screenshots go to /tmp/shots-salesreports/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from zweck.sales.tests.conftest import Shop
from zweck.sales.tests.test_reports import books  # noqa: F401 - the invoices fixture
from zweck.web.tests.test_browser import PASSWORD, browser  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-salesreports")


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_the_revenue_report_renders_on_desktop_and_phone(
    browser: Browser,  # noqa: F811
    live_server: Any,
    books: Shop,  # noqa: F811
    language: str,
    viewport: dict[str, int],
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale=language)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    assert books.owner.user is not None
    page.goto("/app/login/")
    page.locator("#id_username").fill(books.owner.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    page.goto("/app/reports/revenue/?start=2026-01-01&end=2026-12-31")
    assert page.locator("svg.chart-svg rect.chart-bar").count() == 12
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"revenue-{language}-{viewport['width']}.png"), full_page=True)
    context.close()
