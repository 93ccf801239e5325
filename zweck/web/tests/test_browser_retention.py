"""In a real browser: a contact's relationship is marked ended on their page, the privacy officer
reads the retention forecast and sweeps by hand after confirming.

Screenshots land in ``test-artifacts/screenshots/`` (``relationship-*.png``, ``retention-*.png``),
on a desktop (1440×900) and a phone (390×844), in English and German.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Person
from zweck.crm.services import activity_create, person_relationship_end
from zweck.crm.tests.factories import make_organization, make_person
from zweck.privacy.labels import date_text
from zweck.privacy.models import RetentionRule
from zweck.privacy.services import register_defaults_install
from zweck.web.tests.test_browser import VIEWPORTS, browser, log_in, page, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["browser", "page"]

SIZES = VIEWPORTS


def screenshots(page: Page, name: str, language: str) -> None:
    """The page as it is now, on a desktop and on a phone."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        screenshot(page, f"{name}-{language}-{size}")
    page.set_viewport_size(SIZES["desktop"])


def rule_section(page: Page, name: str) -> Any:
    return page.locator("section.retention-rule", has=page.get_by_role("heading", name=name, exact=True))


def test_a_relationship_ends_and_the_officer_sweeps(page: Page, live_server: Any) -> None:
    # given a workspace with the shipped register, contact data kept a year after the relationship
    owner = make_actor(Role.OWNER)
    register_defaults_install(actor=owner)
    RetentionRule.objects.in_workspace(owner.workspace_id).filter(key="business_relationship").update(
        years=1, from_end_of_year=False
    )
    today = timezone.localdate()
    organization = make_organization(owner, name="Nordlicht Beratung GmbH")
    johanna = make_person(
        owner,
        first_name="Johanna",
        last_name="Mustermann",
        email="johanna@example.com",
        organization=organization,
    )
    for number in range(3):
        gone = make_person(owner, first_name="Greta", last_name=f"Vergangen{number}")
        person_relationship_end(actor=owner, person=gone, ended_on=today - timedelta(days=800 + number))
        activity_create(actor=owner, kind=ActivityKind.CALL, subject="Abschlussgespräch", participants=[gone])
    soon = make_person(owner, first_name="Sören", last_name="Bald")
    person_relationship_end(actor=owner, person=soon, ended_on=today - timedelta(days=350))
    log_in(page, owner)

    # when the relationship with Johanna is marked ended on her page
    page.goto(f"/app/contacts/{johanna.pk}/")
    page.get_by_text("Mark the relationship ended").click()
    ended = today - timedelta(days=30)
    page.get_by_label("Relationship ended on").fill(ended.isoformat())
    screenshots(page, "relationship-form", "en")
    page.get_by_role("button", name="Mark ended on this day").click()

    # then the page says so, with the day as English writes it
    expect(page.locator(".messages")).to_contain_text(f"is marked ended on {date_text(ended, 'en')}")
    expect(page.locator("#relationship")).to_contain_text(f"Relationship ended on {date_text(ended, 'en')}")
    johanna.refresh_from_db()
    assert johanna.relationship_ended_on == ended

    # and a day too far ahead is refused at the field
    page.get_by_text("Change the end of the relationship").click()
    page.get_by_label("Relationship ended on").fill((today + timedelta(days=800)).isoformat())
    page.get_by_role("button", name="Mark ended on this day").click()
    expect(page.locator("#relationship .errorlist")).to_contain_text("no later than a year from today")
    screenshots(page, "relationship-refused", "en")

    # when the officer reads the retention page
    page.get_by_role("link", name="Retention", exact=True).click()
    expect(page.locator("h1")).to_have_text("Retention")
    expect(page.get_by_role("heading", name="Contact and relationship data")).to_be_visible()
    contacts = rule_section(page, "Contact and relationship data")
    expect(contacts).to_contain_text("Persons")
    page.get_by_role("link", name="Next 30 days").click()
    soon_text = date_text(today + timedelta(days=21), "en")
    expect(rule_section(page, "Contact and relationship data")).to_contain_text(soon_text)
    screenshots(page, "retention", "en")

    # and sweeps now, after confirming
    page.get_by_role("button", name="Sweep now").click()
    expect(page.locator("h1")).to_have_text("Sweep now?")
    expect(page.locator("article")).to_contain_text("Persons (Contact and relationship data): 3")
    screenshots(page, "retention-confirm", "en")
    page.get_by_role("button", name="Sweep now").click()

    # then the report shows what the sweep did, and the expired contacts are gone
    expect(page.locator(".messages")).to_contain_text("The sweep is done")
    expect(page.locator("table.retention")).to_contain_text("Persons")
    assert not Person.objects.filter(last_name__startswith="Vergangen").exists()
    assert Person.objects.filter(pk__in=[johanna.pk, soon.pk]).count() == 2
    screenshots(page, "retention-report", "en")

    # the same pages in German
    switch_language(page, "de")
    page.goto(f"/app/contacts/{johanna.pk}/")
    expect(page.locator("#relationship")).to_contain_text(date_text(ended, "de"))
    page.locator("#relationship summary").click()
    screenshots(page, "relationship-form", "de")
    page.goto("/app/privacy/retention/?days=30")
    expect(page.get_by_role("heading", name="Kontakt- und Beziehungsdaten")).to_be_visible()
    expect(rule_section(page, "Kontakt- und Beziehungsdaten")).to_contain_text(
        date_text(today + timedelta(days=21), "de")
    )
    screenshots(page, "retention", "de")
