"""Sign-in, lockout, unlock, the password page and the session settings in a real browser, with
the Content-Security-Policy in force: no page may report a violation. Screenshots (desktop and
phone, English and German) land in ``test-artifacts/screenshots/``."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from zweck.accounts.models import ThrottleKey, ThrottleScope
from zweck.accounts.tests.factories import make_actor
from zweck.accounts.throttle import DEFAULT_LIMITS, keys_for, throttle_count
from zweck.core.permissions import Role
from zweck.privacy.services import register_defaults_install
from zweck.web.tests.test_browser import PASSWORD, SCREENSHOTS, browser  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ACCOUNT_LIMIT = DEFAULT_LIMITS[(ThrottleScope.SIGN_IN, ThrottleKey.ACCOUNT)].attempts


def _page(
    chromium: Browser, live_server: Any, viewport: dict[str, int], language: str
) -> tuple[Page, list[str]]:
    context = chromium.new_context(base_url=live_server.url, viewport=viewport, locale=language)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    return page, violations


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, timeout=60_000)


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/app/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_lockout_unlock_password_and_sessions_without_policy_violations(
    browser: Browser,  # noqa: F811
    live_server: Any,
    language: str,
    size: str,
) -> None:
    owner = make_actor(Role.OWNER)
    register_defaults_install(actor=owner)
    member = make_actor(Role.SALES, owner.workspace)
    assert owner.user is not None and member.user is not None
    # The pages speak the owner's saved language after sign-in.
    owner.user.language = language
    owner.user.save(update_fields=["language"])
    page, violations = _page(browser, live_server, VIEWPORTS[size], language)
    name = f"sign-in-{size}-{language}"

    # a member's account gets locked: the login page says so
    for _attempt in range(ACCOUNT_LIMIT):
        throttle_count(ThrottleScope.SIGN_IN, keys_for(account=member.user.email, ip="192.0.2.1")[:1])
    _sign_in(page, member.user.email, PASSWORD)
    expect(page.locator("[role=alert]")).to_be_visible()
    assert page.url.endswith("/app/login/")
    _shot(page, f"{name}-locked")

    # the owner sees the lock on the security log and lifts it
    _sign_in(page, owner.user.email, PASSWORD)
    page.goto("/app/security-log/")
    expect(page.locator("#locked-heading")).to_be_visible()
    _shot(page, f"{name}-security-log")
    page.locator(".locked-members button").click()
    page.wait_for_load_state()
    expect(page.locator("#locked-heading")).to_have_count(0)

    # the password page and the session settings
    page.goto("/app/password/")
    expect(page.locator("h1")).to_have_count(1)
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password1").fill("short")
    page.locator("#id_new_password2").fill("short")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    _shot(page, f"{name}-password")
    page.goto("/app/settings/sessions/")
    expect(page.locator("#id_session_idle_minutes")).to_have_value("30")
    _shot(page, f"{name}-sessions")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[size]["width"]

    # the API documentation runs from local files under the same policy
    page.goto("/api/v1/docs")
    # The schema of every route takes a while to build on a busy machine.
    expect(page.locator("#swagger-ui .info .title").first).to_be_visible(timeout=60_000)
    _shot(page, f"{name}-api-docs")

    assert violations == []
