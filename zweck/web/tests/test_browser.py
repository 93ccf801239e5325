"""A day's work in a real browser: Debian's Chromium, driven by Playwright, against a live server.

Screenshots of the main pages land in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect, sync_playwright

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.crm.choices import ActivityKind, DealStatus
from zweck.crm.models import Activity, Deal
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_person, make_stages
from zweck.privacy.services import register_defaults_install

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing at /usr/bin/chromium (scripts/ensure-packages installs it).")
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an event loop in this thread; the database calls the
        # live server's fixtures make from here are still synchronous and safe.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                ],
            )
            yield browser
            browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def seller(transactional_db: None) -> Actor:
    actor = make_actor(Role.SALES)
    make_stages(make_actor(Role.OWNER, actor.workspace))
    return actor


# The two sizes every page is looked at in.
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def owner_with_register(transactional_db: None) -> Actor:
    """An owner of a workspace with the shipped register."""
    owner = make_actor(Role.OWNER)
    register_defaults_install(actor=owner)
    return owner


def no_horizontal_scrolling(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def open_user_menu(page: Page) -> None:
    """Open the user menu in the top bar (workspace, language, own pages, sign-out)."""
    menu = page.locator("details.user-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    expect(page.locator("#language-switch")).to_be_visible()


def switch_language(page: Page, language: str) -> None:
    """Choose ``language`` in the user menu and wait for the page in it."""
    open_user_menu(page)
    page.locator("#language-switch").select_option(language)
    page.locator("#language-switch").locator("xpath=..").locator("button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, actor: Actor) -> None:
    assert actor.user is not None
    page.goto("/app/login/")
    page.locator("#id_username").fill(actor.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_contain_text("Hello")


def test_a_days_work_in_german(page: Page, seller: Actor) -> None:
    # Log in and switch to German.
    log_in(page, seller)
    switch_language(page, "de")
    expect(page.get_by_role("link", name="Übersicht")).to_be_visible()
    screenshot(page, "dashboard")

    # Create an organization.
    page.get_by_role("link", name="Organisationen").click()
    page.get_by_role("button", name="Neue Organisation").click()
    page.get_by_label("Name", exact=True).fill("Nordlicht Beratung GmbH")
    page.get_by_label("Kunde", exact=True).check()
    page.get_by_label("Straße und Hausnummer").fill("Hafenstraße 12")
    page.get_by_label("Postleitzahl").fill("20457")
    page.get_by_label("Ort", exact=True).fill("Hamburg")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("h1")).to_have_text("Nordlicht Beratung GmbH")
    screenshot(page, "organization")

    # Create a person there.
    page.get_by_role("button", name="Neuer Kontakt hier").click()
    page.get_by_label("Vorname").fill("Johanna")
    page.get_by_label("Nachname").fill("Mustermann")
    page.get_by_label("E-Mail-Adressen").fill("johanna.mustermann@example.com")
    page.get_by_label("Telefonnummern").fill("040 1234567")
    page.get_by_label("Rolle in der Organisation").fill("Einkauf")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("h1")).to_have_text("Johanna Mustermann")
    expect(page.locator("#privacy-heading + dl")).to_contain_text("Geschäftskontakt")
    screenshot(page, "person")

    # Log a call in place.
    page.get_by_text("Aktivität erfassen oder Aufgabe planen").click()
    page.get_by_label("Art", exact=True).select_option("call")
    page.get_by_label("Betreff", exact=True).fill("Rückfrage zum Angebot")
    page.get_by_role("button", name="Aktivität speichern").click()
    expect(page.locator("#activity-panel .timeline")).to_contain_text("Rückfrage zum Angebot")
    assert Activity.objects.get().kind == ActivityKind.CALL

    # Find her again by typing a misspelled name.
    make_person(seller, first_name="Otto", last_name="Normalverbraucher")
    page.get_by_role("link", name="Kontakte").click()
    page.get_by_label("Suche", exact=True).press_sequentially("Mustremann", delay=20)
    results = page.locator("#results tbody")
    expect(results).to_contain_text("Johanna Mustermann")
    expect(results).not_to_contain_text("Otto Normalverbraucher")
    screenshot(page, "contacts")

    # Open a deal, move it on the board, and win it.
    page.get_by_role("link", name="Organisationen").click()
    page.get_by_role("link", name="Nordlicht Beratung GmbH").click()
    page.get_by_role("button", name="Neue Verkaufschance").click()
    page.get_by_label("Titel", exact=True).fill("Rahmenvertrag 2026")
    page.get_by_label("Betrag", exact=True).fill("12500")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("h1")).to_have_text("Rahmenvertrag 2026")
    page.get_by_role("link", name="Pipeline", exact=True).click()
    card = page.locator(".deal-card", has_text="Rahmenvertrag 2026")
    card.get_by_label("Phase von Rahmenvertrag 2026").select_option(label="Verhandlung")
    card.get_by_role("button", name="Verschieben").click()
    expect(page.get_by_role("region", name="Verhandlung (1)")).to_contain_text("Rahmenvertrag 2026")
    expect(page.get_by_role("region", name="Lead (0)")).not_to_contain_text("Rahmenvertrag 2026")
    screenshot(page, "pipeline")
    page.locator(".deal-card", has_text="Rahmenvertrag 2026").get_by_role("link", name="Gewonnen").click()
    page.get_by_label("Grund", exact=True).fill("Bestes Angebot")
    page.get_by_role("button", name="Abschließen").click()
    expect(page.get_by_text("Verkaufschance Rahmenvertrag 2026 gewonnen.")).to_be_visible()
    deal = Deal.objects.get()
    assert (deal.status, deal.close_reason, deal.stage.name) == (
        DealStatus.WON,
        "Bestes Angebot",
        "Negotiation",
    )
    screenshot(page, "deal")

    # The week view and the deal list, for the record.
    page.get_by_role("link", name="Kalender").click()
    expect(page.locator("h1")).to_contain_text("Termine")
    screenshot(page, "week")


def test_editing_an_activity_from_a_contacts_timeline(page: Page, seller: Actor) -> None:
    person = make_person(seller, first_name="Johanna", last_name="Mustermann")
    activity_create(
        actor=seller,
        kind=ActivityKind.CALL,
        subject="Rückfrage zum Angebot",
        participants=[person],
        starts_at=timezone.now(),
        done_at=timezone.now(),
        owner=seller.user,
    )
    log_in(page, seller)

    page.goto(f"/app/contacts/{person.pk}/")
    page.locator("#activity-panel .timeline").get_by_role("link", name="Rückfrage zum Angebot").click()
    expect(page.locator("h1")).to_have_text("Rückfrage zum Angebot")
    page.get_by_role("button", name="Edit", exact=True).click()
    page.get_by_label("Subject", exact=True).fill("Rückfrage zum Rahmenvertrag")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("h1")).to_have_text("Rückfrage zum Rahmenvertrag")
    expect(page.get_by_text("Changes saved.")).to_be_visible()
    assert Activity.objects.get().subject == "Rückfrage zum Rahmenvertrag"


def test_the_contact_list_on_a_phone(page: Page, seller: Actor) -> None:
    make_person(seller, first_name="Johanna", last_name="Mustermann")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, seller)

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Contacts").click()

    expect(page.locator("#results")).to_contain_text("Johanna Mustermann")
    screenshot(page, "contacts-phone")
