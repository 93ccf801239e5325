"""The security log and "my data" in a real browser (Debian's Chromium, driven by Playwright),
on a desktop and on a phone, in English and German. Screenshots land in
``test-artifacts/screenshots/``."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from zweck.accounts.actors import Actor
from zweck.accounts.models import SecurityEvent, SecurityEventKind, User
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.privacy.services import register_defaults_install
from zweck.web.tests.test_browser import PASSWORD, browser, screenshot  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def _page(browser: Browser, live_server: Any, viewport: dict[str, int], language: str) -> Page:  # noqa: F811
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale=language)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _sign_in(page: Page, actor: Actor, password: str = PASSWORD) -> None:
    assert actor.user is not None
    page.goto("/app/login/")
    page.locator("#id_username").fill(actor.user.email)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def _no_horizontal_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # type: ignore[index]


@pytest.fixture
def owner_with_log(transactional_db: None) -> Actor:
    owner = make_actor(Role.OWNER)
    register_defaults_install(actor=owner)
    sales = make_actor(Role.SALES, owner.workspace)
    for number in range(30):
        SecurityEvent.objects.create(
            workspace_id=owner.workspace_id,
            user=sales.user,
            kind=SecurityEventKind.SIGN_IN if number % 3 else SecurityEventKind.PERMISSION_DENIED,
            channel="web",
            ip_address=f"2001:db8:85a3::8a2e:370:{number:04x}",
            user_agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.5 Safari/605.1.15",
            detail="" if number % 3 else "privacy.view",
        )
    return owner


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_owner_reads_the_log_and_a_member_their_data(
    browser: Browser,  # noqa: F811
    live_server: Any,
    owner_with_log: Actor,
    language: str,
    device: str,
) -> None:
    viewport = DESKTOP if device == "desktop" else PHONE
    # signing in switches the pages to the user's own language
    User.objects.filter(pk=owner_with_log.user_id).update(language=language)
    page = _page(browser, live_server, viewport, language)
    # a failed attempt, then the real sign-in, both through the login form
    _sign_in(page, owner_with_log, "not the password at all")
    _sign_in(page, owner_with_log)
    expect(page.locator("h1")).to_be_visible()

    page.goto("/app/security-log/")
    heading = "Security log" if language == "en" else "Sicherheitsprotokoll"
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("#results tbody")).to_contain_text("2001:db8:85a3::8a2e:370:1d")
    screenshot(page, f"security-log-{device}-{language}")
    _no_horizontal_scrolling(page)
    # the browser's own sign-in is in the log, with Chromium's user agent
    page.locator("#log-kind").select_option("sign_in_failed")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody")).to_contain_text("Chrome")

    page.goto("/app/my-data/")
    expect(page.locator("h1")).to_have_text("My data" if language == "en" else "Meine Daten")
    screenshot(page, f"my-data-{device}-{language}")
    _no_horizontal_scrolling(page)
    with page.expect_download() as download:
        page.locator("a[download]").first.click()
    assert download.value.suggested_filename.startswith("my-data-")
    page.context.close()
