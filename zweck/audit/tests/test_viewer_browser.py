"""The audit viewer in a real browser (Debian's Chromium) at desktop and phone width, in English
and German: the page fits the screen, its filters work, a former member keeps their label.
Screenshots land in ``/tmp/shots-auditchain/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from zweck.accounts.models import User
from zweck.accounts.tests.factories import make_actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Role
from zweck.web.tests.test_browser import (  # noqa: F401 (fixtures)
    VIEWPORTS,
    browser,
    log_in,
    no_horizontal_scrolling,
    page,
    switch_language,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-auditchain")


def test_the_audit_trail_at_every_size_and_language(page: Page) -> None:  # noqa: F811
    owner = make_actor(Role.OWNER)
    colleague = make_actor(Role.SALES, owner.workspace)
    for index, (actor, action, fields) in enumerate(
        [
            (owner, "person.create", []),
            (colleague, "person.update", ["last_name", "position"]),
            (colleague, "activity.delete", []),
            (owner, "person.export", []),
        ]
    ):
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=action,
                object_type="crm.activity" if action.startswith("activity") else "crm.person",
                object_id=100 + index,
                subject_ids=[100 + index],
                changed_fields=fields,
                details={"count": 1234, "format": "csv"} if action == "person.export" else None,
            )
    User.objects.filter(pk=colleague.user_id).delete()
    log_in(page, owner)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for language in ("en", "de"):
        for size, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)  # type: ignore[arg-type]
            page.goto("/app/audit/")
            if language == "de" and page.locator("html").get_attribute("lang") != "de":
                switch_language(page, "de")
                page.goto("/app/audit/")
            expect(page.locator("h1")).to_have_count(1)
            expect(page.locator("tbody")).to_contain_text("last_name, position")
            expect(page.locator("tbody")).to_contain_text("user-")
            no_horizontal_scrolling(page)
            page.screenshot(path=str(SHOTS / f"audit-{language}-{size}.png"), full_page=True)
    page.set_viewport_size(VIEWPORTS["desktop"])  # type: ignore[arg-type]
    page.goto("/app/audit/?action=person.update")
    expect(page.locator("tbody tr")).to_have_count(1)
    page.goto("/app/audit/?subject=abc")
    expect(page.locator("[role=alert]")).to_be_visible()
    page.screenshot(path=str(SHOTS / "audit-de-refused-filter.png"), full_page=True)
