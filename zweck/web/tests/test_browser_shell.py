"""The app shell in a real browser: the main pages at 1440×900 and 390×844, in English and
German, without sideways scrolling; the phone menu; the global search from the keyboard; the
sidebar remembering that it was collapsed. Screenshots land in ``test-artifacts/screenshots/``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from zweck.accounts.actors import Actor
from zweck.crm.tests.factories import make_deal, make_organization, make_person
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

COLLAPSED = re.compile(r"\bsidebar-collapsed\b")
MAIN_PAGES = {
    "dashboard": "/app/",
    "organizations": "/app/organizations/",
    "contacts": "/app/contacts/",
    "deals": "/app/deals/",
    "board": "/app/deals/board/",
    "calendar": "/app/calendar/",
    "tasks": "/app/tasks/",
    "sales": "/app/sales/",
    "requests": "/app/privacy/requests/",
    "register": "/app/privacy/register/",
    "audit": "/app/audit/",
    "search": "/app/search/?q=Bergmann",
    "not-found": "/app/no-such-page/",
}


@pytest.fixture
def workspace_with_records(owner_with_register: Actor) -> Actor:
    """An owner whose workspace has the records the pages list, with long German names."""
    owner = owner_with_register
    organization = make_organization(owner, name="Bergmann Maschinenbau und Anlagentechnik GmbH & Co. KG")
    make_person(
        owner,
        first_name="Hans-Peter",
        last_name="Bergmann-Schönfeld",
        email="hans-peter.bergmann-schoenfeld@bergmann-maschinenbau.example.com",
        organization=organization,
    )
    make_person(owner, first_name="Marie", last_name="Bergmann", organization=organization)
    make_deal(owner, organization=organization, title="Wartungsvertrag Druckluftanlagen 2027", amount=123456)
    return owner


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_main_pages_fit_the_desktop_and_the_phone(
    page: Page, workspace_with_records: Actor, lang: str
) -> None:
    log_in(page, workspace_with_records)
    if lang == "de":
        switch_language(page, "de")
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        for name, path in MAIN_PAGES.items():
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", lang)
            expect(page.locator("h1")).to_have_count(1)
            # The shell's own height stays within the top bar (UX: at most 64 px).
            assert page.locator(".topbar").bounding_box()["height"] <= 64  # type: ignore[index]
            no_horizontal_scrolling(page)
            if size == "desktop":
                # The sidebar is one column, and no label in it is cut off.
                lefts = page.eval_on_selector_all(
                    ".nav-link", "links => links.map(l => l.getBoundingClientRect().left)"
                )
                assert len(set(lefts)) == 1
                cut = page.eval_on_selector_all(
                    ".nav-label",
                    "labels => labels.filter(l => l.scrollWidth > l.clientWidth).map(l => l.textContent)",
                )
                assert cut == []
            screenshot(page, f"shell-{name}-{size}-{lang}")


@pytest.mark.parametrize("lang", ["en", "de"])
def test_on_a_phone_the_navigation_opens_behind_the_menu_button(
    page: Page, workspace_with_records: Actor, lang: str
) -> None:
    page.set_viewport_size(VIEWPORTS["phone"])
    log_in(page, workspace_with_records)
    if lang == "de":
        switch_language(page, "de")
    sidebar = page.locator("#sidebar")
    menu = page.locator("[data-shell-menu]")
    expect(sidebar).not_to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")

    # Open: the sidebar slides in and the current page's link has the focus.
    menu.click()
    expect(sidebar).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sidebar.locator('a[aria-current="page"]')).to_be_focused()
    no_horizontal_scrolling(page)
    screenshot(page, f"shell-menu-open-phone-{lang}")

    # Tab stays inside the open menu.
    for _ in range(30):
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('sidebar').contains(document.activeElement)")

    # Escape closes it and gives the focus back to the button.
    page.keyboard.press("Escape")
    expect(sidebar).not_to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()

    # A link in the menu leads to its page.
    menu.click()
    sidebar.get_by_role("link", name="Kontakte" if lang == "de" else "Contacts").click()
    expect(page).to_have_url(re.compile(r"/app/contacts/$"))
    expect(sidebar).not_to_be_visible()

    # The backdrop closes it too.
    menu.click()
    expect(sidebar).to_be_visible()
    page.mouse.click(380, 400)
    expect(sidebar).not_to_be_visible()


def test_the_global_search_is_used_from_the_keyboard(page: Page, workspace_with_records: Actor) -> None:
    page.set_viewport_size(VIEWPORTS["desktop"])
    log_in(page, workspace_with_records)
    search = page.locator("#global-search")

    page.keyboard.press("Control+k")
    expect(search).to_be_focused()
    search.press_sequentially("Bergmann", delay=20)
    results = page.locator("#global-search-results")
    expect(results.locator(".search-hit")).to_have_count(4)
    expect(search).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#global-search-status")).to_have_text("4 matches")
    screenshot(page, "shell-search-desktop-en")

    page.keyboard.press("ArrowDown")
    expect(results.locator(".search-hit").nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(results.locator(".search-hit").nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(search).to_be_focused()

    # Escape closes the list; Enter on a match opens it.
    page.keyboard.press("Escape")
    expect(results.locator(".search-hit")).to_have_count(0)
    search.press_sequentially(" ", delay=20)
    search.fill("Wartungsvertrag")
    expect(results.locator(".search-hit")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Wartungsvertrag Druckluftanlagen 2027")


def test_the_sidebar_stays_collapsed_after_a_reload(page: Page, workspace_with_records: Actor) -> None:
    page.set_viewport_size(VIEWPORTS["desktop"])
    log_in(page, workspace_with_records)
    collapse = page.locator("[data-shell-collapse]")
    expect(page.locator(".sidebar .nav-label").first).to_be_visible()

    collapse.click()
    expect(collapse).to_have_attribute("aria-pressed", "true")
    width = page.locator("#sidebar").bounding_box()["width"]  # type: ignore[index]
    assert width < 80
    page.goto("/app/contacts/")
    expect(page.locator("html")).to_have_class(COLLAPSED)
    expect(page.locator("[data-shell-collapse]")).to_have_attribute("aria-pressed", "true")
    no_horizontal_scrolling(page)
    screenshot(page, "shell-collapsed-desktop-en")

    page.locator("[data-shell-collapse]").click()
    page.reload()
    expect(page.locator("html")).not_to_have_class(COLLAPSED)


def test_the_user_menu_holds_the_language_own_pages_and_sign_out(
    page: Page, workspace_with_records: Actor
) -> None:
    page.set_viewport_size(VIEWPORTS["desktop"])
    log_in(page, workspace_with_records)
    menu = page.locator("details.user-menu")
    menu.locator("summary").click()
    expect(menu.get_by_role("link", name="My data")).to_be_visible()
    expect(menu.get_by_role("link", name="Password")).to_be_visible()
    expect(menu.get_by_role("link", name="Settings")).to_be_visible()
    screenshot(page, "shell-user-menu-desktop-en")
    page.keyboard.press("Escape")
    expect(menu.get_by_role("link", name="My data")).not_to_be_visible()

    menu.locator("summary").click()
    menu.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/app/login/"))


def test_in_a_low_window_the_sidebar_scrolls_and_shows_the_current_page(
    page: Page, workspace_with_records: Actor
) -> None:
    page.set_viewport_size({"width": 1440, "height": 480})
    log_in(page, workspace_with_records)
    # when: a page whose entry lies below the window's bottom edge
    page.goto("/app/audit/")
    # then: the sidebar scrolled by itself, the page did not
    current = page.locator('.sidebar-nav [aria-current="page"]')
    expect(current).to_be_in_viewport()
    assert page.evaluate("document.querySelector('.sidebar-nav').scrollTop") > 0
    assert page.evaluate("window.scrollY") == 0
    no_horizontal_scrolling(page)
