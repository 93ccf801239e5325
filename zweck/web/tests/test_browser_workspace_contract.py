"""An owner reads the end of the contract and downloads the whole workspace in a real browser,
on a desktop and on a phone, in German and in English.

Screenshots land in ``test-artifacts/screenshots/`` (``workspace-contract-*.png``).
"""

from __future__ import annotations

import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from zweck.accounts.services import user_set_language
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.crm.tests.factories import make_person
from zweck.privacy.offboarding import workspace_contract_set, workspaces_warn
from zweck.web.tests.test_browser import PASSWORD, VIEWPORTS, browser, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["browser"]

HEADINGS = {"en": "Contract and deletion", "de": "Vertrag und Löschung"}


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_owner_reads_the_dates_and_downloads_the_workspace(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Any, device: str, language: str
) -> None:
    # given a workspace whose contract ends in a week, warned 30 days before its deletion
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    owner = make_actor(Role.OWNER)
    make_person(owner, "Rita", "Beispiel")
    today = timezone.localdate()
    workspace_contract_set(workspace=owner.workspace, ends_on=today + timedelta(days=7), today=today)
    assert workspaces_warn(today + timedelta(days=7)) == 1
    user_set_language(actor=owner, language=language)
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[device], accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)

    # when the owner signs in (in their own language) and opens the contract page
    assert owner.user is not None
    page.goto("/app/login/")
    page.locator("#id_username").fill(owner.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/app/")
    expect(page.locator("#deletion-notice")).to_be_visible()
    screenshot(page, f"workspace-deletion-notice-{device}-{language}")
    page.locator("#deletion-notice a").click()

    # then the dates and the download are there, without scrolling sideways
    expect(page.locator("h1")).to_have_text(HEADINGS[language])
    deletion = today + timedelta(days=37)
    shown = deletion.strftime("%d.%m.%Y") if language == "de" else f"{deletion.day} {deletion:%b %Y}"
    expect(page.locator(".facts")).to_contain_text(shown)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[device]["width"]
    screenshot(page, f"workspace-contract-{device}-{language}")

    # when the owner downloads the workspace
    with page.expect_download() as download_info:
        page.locator("a[href='/app/workspace/export.zip']").click()
    saved = tmp_path / "workspace.zip"
    download_info.value.save_as(saved)

    # then it is a ZIP with a manifest and the contacts
    with zipfile.ZipFile(saved) as archive:
        assert "manifest.json" in archive.namelist()
        assert b"Rita" in archive.read("data/crm.person.jsonl")
    context.close()
