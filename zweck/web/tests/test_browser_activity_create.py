"""A processing activity the workspace adds itself, in a real browser: the New processing activity
form on a desktop and on a phone, in German and English, refused at its fields and then saved.
Screenshots land in ``test-artifacts/screenshots/``."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from zweck.accounts.actors import Actor
from zweck.privacy.models import ProcessingActivity, RetentionRule
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

SIZES = list(VIEWPORTS.items())


@pytest.mark.parametrize(("size", "viewport"), SIZES)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_privacy_officer_adds_a_processing_activity(
    page: Page, owner_with_register: Actor, size: str, viewport: dict[str, int], lang: str
) -> None:
    page.set_viewport_size(viewport)
    log_in(page, owner_with_register)
    if lang == "de":
        switch_language(page, "de")
    page.goto("/app/privacy/register/")
    page.locator("a[href='/app/privacy/register/activities/new/']").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    no_horizontal_scrolling(page)
    screenshot(page, f"activity-new-{size}-{lang}")

    # a key the workspace has, and no data categories: refused at both fields, nothing lost
    page.locator("#id_key").fill("newsletters_and_invitations")
    page.locator("#id_name_en").fill("Photos at trade fairs")
    page.locator("#id_name_de").fill("Fotos auf Messen")
    page.locator("#id_purpose_en").fill("Showing our stand and the conversations at it on our website.")
    page.locator("#id_purpose_de").fill(
        "Unseren Messestand und die Gespräche dort auf unserer Website zeigen."
    )
    page.locator("input[name=subject_categories][value=business_contact]").check()
    page.locator("#id_legal_basis").select_option("a")
    page.locator("#id_data_use").select_option("marketing.advertising.first_party")
    letters = RetentionRule.objects.get(workspace=owner_with_register.workspace, key="business_letters")
    page.locator("#id_retention").select_option(label=letters.name_de if lang == "de" else letters.name_en)
    page.locator("form[novalidate] button[type=submit]").click()
    expect(page.locator("#id_key_error")).to_be_visible()
    expect(page.locator("#id_data_categories_error")).to_be_visible()
    expect(page.locator("#id_name_en")).to_have_value("Photos at trade fairs")
    no_horizontal_scrolling(page)
    screenshot(page, f"activity-new-error-{size}-{lang}")

    page.locator("#id_key").fill("trade_fair_photos")
    page.locator("input[name=data_categories][value='user.content.self_image']").check()
    page.locator("input[name=data_categories][value='user.name']").check()
    page.locator("form[novalidate] button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#activities-heading")).to_be_visible()
    name = "Fotos auf Messen" if lang == "de" else "Photos at trade fairs"
    expect(page.get_by_role("rowheader", name=name)).to_be_visible()
    screenshot(page, f"activity-added-{size}-{lang}")
    activity = ProcessingActivity.objects.get(
        workspace=owner_with_register.workspace, key="trade_fair_photos"
    )
    assert activity.data_categories == ["user.content.self_image", "user.name"]
