"""The owner finds mail the server could not send and sends it again, in a real browser, on a
desktop and on a phone, in English and German. Screenshots land in
``test-artifacts/screenshots/`` (``outgoing-mail-*.png``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from zweck.accounts.services import user_set_language
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.outbox.models import MailStatus, OutgoingMail
from zweck.outbox.services import MAX_ATTEMPTS
from zweck.web.tests.test_browser import PASSWORD, browser, screenshot  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
HEADINGS = {"en": "Outgoing email", "de": "Ausgehende E-Mails"}
RESEND = {"en": "Send again", "de": "Erneut senden"}


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_owner_sends_a_failed_mail_again(
    browser: Browser,  # noqa: F811
    live_server: Any,
    settings: Any,
    device: str,
    language: str,
) -> None:
    with translation.override("de"):
        if language == "de" and translation.gettext("Outgoing email") == "Outgoing email":
            pytest.skip("The German catalogue does not have the outbox's texts yet.")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    owner = make_actor(Role.OWNER)
    # the member's own language decides the pages' language once signed in
    user_set_language(actor=owner, language=language)
    for number in range(3):
        OutgoingMail.objects.create(
            workspace_id=owner.workspace_id,
            from_email="zweck@example.com",
            recipients=[f"anfrage{number}.sehr.lange.adresse@kunde-mit-langem-namen.example.com"],
            subject=f"Bitte bestätigen Sie Ihre Datenschutzanfrage Nummer {number}",
            body="Text",
            status=MailStatus.FAILED if number else MailStatus.PENDING,
            attempts=MAX_ATTEMPTS if number else 2,
            last_error="ConnectionRefusedError",
        )
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[device], locale=language)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page: Page = context.new_page()
    page.set_default_timeout(10_000)
    assert owner.user is not None
    page.goto("/app/login/")
    page.locator("#id_username").fill(owner.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()

    page.goto("/app/outgoing-mail/")
    expect(page.locator("h1")).to_have_text(HEADINGS[language])
    expect(page.get_by_role("button", name=RESEND[language])).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[device]["width"]
    screenshot(page, f"outgoing-mail-{device}-{language}")

    page.get_by_role("button", name=RESEND[language]).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name=RESEND[language])).to_have_count(2)
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 1
    context.close()
