"""Two-factor sign-in, the account security page and the members page in a real browser (Debian's
Chromium, driven by Playwright), on a desktop and on a phone, in German. Screenshots land in
``test-artifacts/screenshots/``."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from zweck.accounts.actors import Actor
from zweck.accounts.models import TwoFactorDevice, User
from zweck.accounts.services import token_create
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.web.tests.test_browser import PASSWORD, browser, screenshot  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def _page(browser: Browser, live_server: Any, device: str) -> Page:  # noqa: F811
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[device], locale="de")
    context.add_cookies([{"name": "django_language", "value": "de", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _password_step(page: Page, user: User) -> None:
    page.goto("/app/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def _no_horizontal_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # type: ignore[index]


@pytest.fixture
def owner(transactional_db: None) -> Actor:
    owner = make_actor(Role.OWNER)
    User.objects.filter(pk=owner.user_id).update(language="de", full_name="Olga Inhaberin")
    for role, name in ((Role.SALES, "Sven Vertrieb"), (Role.ACCOUNTING, "Berta Buchhaltung")):
        member = make_actor(role, owner.workspace)
        User.objects.filter(pk=member.user_id).update(full_name=name)
    token_create(actor=owner, name="Berichte", scope="read")
    return owner


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_member_sets_up_two_factors_and_signs_in_with_a_code(
    browser: Browser,  # noqa: F811
    live_server: Any,
    owner: Actor,
    device: str,
) -> None:
    assert owner.user is not None
    page = _page(browser, live_server, device)
    _password_step(page, owner.user)
    expect(page.locator("html")).to_have_attribute("lang", "de")

    # the account page: two factors off, this browser's session, the token
    page.goto("/app/account/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#sessions-heading + p + div tbody tr")).to_have_count(1)
    expect(page.locator("#tokens-heading ~ div tbody tr")).to_have_count(1)
    _no_horizontal_scrolling(page)
    screenshot(page, f"account-security-{device}-de")

    # set up: the QR code is drawn, the key can be typed instead
    page.locator("a[href='/app/account/two-factor/']").click()
    expect(page.locator("img.qr-code")).to_be_visible()
    page.locator("details summary").click()
    secret = re.sub(r"\s", "", page.locator(".secret").inner_text())
    assert secret == TwoFactorDevice.objects.get(user=owner.user).secret
    _no_horizontal_scrolling(page)
    screenshot(page, f"two-factor-enrol-{device}-de")
    page.locator("#id_code").fill(pyotp.TOTP(secret).now())
    page.locator("#id_code").press("Enter")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    recovery = page.locator(".recovery-codes li").first.inner_text().strip()
    _no_horizontal_scrolling(page)
    screenshot(page, f"two-factor-recovery-codes-{device}-de")

    page.locator("a[href='/app/account/']").click()
    expect(page.locator("a[href='/app/account/two-factor/off/']")).to_be_visible()

    # another browser: the password leads to the second step
    page = _page(browser, live_server, device)
    _password_step(page, owner.user)
    expect(page).to_have_url(re.compile(r"/app/login/two-factor/$"))
    page.locator("#id_code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.locator("#id_code").press("Enter")
    expect(page.locator("#id_code_error, .errorlist")).not_to_have_count(0)
    _no_horizontal_scrolling(page)
    screenshot(page, f"two-factor-second-step-{device}-de")
    # a recovery code signs in once
    page.locator("#id_code").fill(recovery)
    page.locator("#id_code").press("Enter")
    expect(page).to_have_url(re.compile(r"/app/$"))
    expect(page.locator(".message-warning")).to_contain_text("9")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_owner_manages_members(
    browser: Browser,  # noqa: F811
    live_server: Any,
    owner: Actor,
    device: str,
) -> None:
    assert owner.user is not None
    page = _page(browser, live_server, device)
    _password_step(page, owner.user)
    page.goto("/app/settings/members/")
    expect(page.locator("table").first.locator("tbody tr")).to_have_count(3)
    page.locator("#id_email").fill("neu@example.com")
    page.locator("#id_role").select_option("marketing")
    page.locator("form[action='/app/settings/members/invite/'] button").click()
    page.wait_for_load_state()
    expect(page.locator("#invitations-heading")).to_be_visible()
    _no_horizontal_scrolling(page)
    screenshot(page, f"members-{device}-de")
    page.locator("a[href$='/deactivate/']").first.click()
    expect(page.locator("h1")).to_contain_text("Berta Buchhaltung")
    _no_horizontal_scrolling(page)
    screenshot(page, f"member-deactivate-{device}-de")
