"""The register a workspace shapes, in a real browser: the owner's settings page and the portal's
notice history, on a desktop and on a phone, in German and English. Screenshots land in
``test-artifacts/screenshots/``."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from zweck.accounts.actors import Actor
from zweck.privacy.selectors import retention_rule_get
from zweck.privacy.services import retention_rule_update
from zweck.web.tests.test_browser import (
    VIEWPORTS,
    browser,
    log_in,
    no_horizontal_scrolling,
    owner_with_register,
    page,
    screenshot,
    switch_language,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser", "owner_with_register", "page"]

DESKTOP, PHONE = VIEWPORTS["desktop"], VIEWPORTS["phone"]
SIZES = list(VIEWPORTS.items())


@pytest.mark.parametrize(("size", "viewport"), SIZES)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_owner_changes_the_controllers_details_on_the_settings_page(
    page: Page, owner_with_register: Actor, size: str, viewport: dict[str, int], lang: str
) -> None:
    page.set_viewport_size(viewport)
    log_in(page, owner_with_register)
    if lang == "de":
        switch_language(page, "de")
    page.goto("/app/settings/workspace/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    no_horizontal_scrolling(page)
    screenshot(page, f"settings-{size}-{lang}")

    page.locator("#id_legal_name").fill("Nordlicht IT-Beratung GmbH")
    page.locator("#id_dpo_email").fill("not an address")
    page.locator("form.settings-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_legal_name")).to_have_value("Nordlicht IT-Beratung GmbH")
    screenshot(page, f"settings-error-{size}-{lang}")

    page.locator("#id_dpo_email").fill("dsb@nordlicht.example.com")
    page.locator("#id_federal_state").select_option("HH")
    page.locator("form.settings-form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    owner_with_register.workspace.refresh_from_db()
    assert owner_with_register.workspace.dpo_email == "dsb@nordlicht.example.com"


@pytest.mark.parametrize(("size", "viewport"), SIZES)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_portal_shows_the_notice_and_its_history(
    page: Page, owner_with_register: Actor, size: str, viewport: dict[str, int], lang: str
) -> None:
    owner = owner_with_register
    rule = retention_rule_get(actor=owner, key="business_letters")
    retention_rule_update(actor=owner, rule=rule, years=7)
    page.set_viewport_size(viewport)
    slug = owner.workspace.slug

    page.goto(f"/privacy/notice/client_contact/?workspace={slug}&lang={lang}")
    objection = page.locator("section.objection")
    expect(objection).to_be_visible()
    expect(objection.locator("h2")).to_contain_text("Art. 21")
    no_horizontal_scrolling(page)
    screenshot(page, f"notice-{size}-{lang}")

    page.locator(".version-line a").click()
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("ol.history > li")).to_have_count(2)
    expect(page.locator("ins").first).to_be_visible()
    expect(page.locator("del").first).to_be_visible()
    no_horizontal_scrolling(page)
    screenshot(page, f"notice-history-{size}-{lang}")


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_the_privacy_officer_switches_an_activity_off_on_the_register_page(
    page: Page, owner_with_register: Actor, size: str, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    log_in(page, owner_with_register)
    page.goto("/app/privacy/register/")
    page.get_by_role("button", name="Switch off Recording calls").click()
    expect(page.get_by_text("Recording calls is switched off")).to_be_visible()
    expect(page.get_by_role("button", name="Switch on Recording calls")).to_be_visible()
    screenshot(page, f"register-activities-{size}-en")
    page.goto(f"/privacy/notice/business_contact/?workspace={owner_with_register.workspace.slug}&lang=en")
    expect(page.locator("body")).not_to_contain_text("Recording calls")
