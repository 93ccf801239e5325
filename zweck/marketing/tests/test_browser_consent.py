"""Double opt-in and the preference centre in a real browser, in German, on a desktop and on a
phone: the marketer takes the sign-up form, a reader signs up, opens the link from the email a
real SMTP server received, confirms, and withdraws with one click; staff see the consent and its
proof. No page scrolls sideways. Screenshots land in ``test-artifacts/screenshots/``
(``consent-*.png``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from zweck.accounts.services import user_set_language
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.core.tests.smtp import Inbox
from zweck.marketing.models import ConsentRecord
from zweck.web.tests.test_browser import PASSWORD, browser, no_horizontal_scrolling, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def _de(text: str) -> str:
    with translation.override("de"):
        return translation.gettext(text)


def _shot(page: Page, name: str) -> None:
    no_horizontal_scrolling(page)
    expect(page.locator("h1")).to_have_count(1)
    screenshot(page, name)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_sign_up_confirm_and_withdraw_in_german(
    browser: Browser,  # noqa: F811
    live_server: Any,
    smtp_inbox: Inbox,
    device: str,
) -> None:
    owner = make_actor(Role.OWNER)
    owner.workspace.legal_name = "Nordlicht Beratung GmbH"
    owner.workspace.save(update_fields=["legal_name"])
    user_set_language(actor=owner, language="de")
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[device], locale="de-DE")
    context.add_cookies([{"name": "django_language", "value": "de", "url": live_server.url}])
    staff: Page = context.new_page()
    staff.set_default_timeout(15_000)
    assert owner.user is not None
    staff.goto("/app/login/")
    staff.locator("#id_username").fill(owner.user.email)
    staff.locator("#id_password").fill(PASSWORD)
    staff.locator("#id_password").press("Enter")
    staff.wait_for_url("**/app/")
    # the marketer takes the code of a German form for the newsletter and invitations
    staff.goto("/app/consents/signup-form/")
    staff.locator("input[name=purposes][value=newsletter]").check()
    staff.locator("input[name=purposes][value=event_invitations]").check()
    staff.locator("#id_language").select_option("de")
    staff.locator("#id_language").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(staff.locator("pre.code-block")).to_be_visible()
    _shot(staff, f"consent-signup-code-{device}-de")
    hosted = staff.locator("section a").first.get_attribute("href")
    assert hosted is not None
    # a reader, without any session, signs up on the form
    reader = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS[device], locale="de-DE"
    ).new_page()
    reader.set_default_timeout(15_000)
    reader.goto(hosted)
    expect(reader.locator("html")).to_have_attribute("lang", "de")
    _shot(reader, f"consent-signup-form-{device}-de")
    reader.locator("#id_email").fill("kein-eintrag")
    reader.locator("#id_email").evaluate("element => element.removeAttribute('required')")
    reader.locator("#id_email").evaluate("element => element.setAttribute('type', 'text')")
    reader.get_by_role("button", name=_de("Sign up")).click()
    expect(reader.locator(".error-summary")).to_be_visible()
    _shot(reader, f"consent-signup-error-{device}-de")
    expect(reader.locator("#purposes-error")).to_be_visible()
    reader.locator("input[name=purposes][value=newsletter]").check()
    reader.locator("input[name=purposes][value=event_invitations]").check()
    reader.locator("#id_email").fill("lena.leser@example.com")
    reader.locator("#id_first_name").fill("Lena")
    reader.locator("#id_last_name").fill("Leser")
    reader.get_by_role("button", name=_de("Sign up")).click()
    expect(reader.locator("h1")).to_have_text(_de("Please check your inbox"))
    _shot(reader, f"consent-signup-sent-{device}-de")
    # the link from the email the SMTP server received
    for _ in range(50):
        if smtp_inbox.messages:
            break
        reader.wait_for_timeout(100)
    body = smtp_inbox.messages[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    link = re.search(r"(/privacy/signup/confirm/\S+/)", body)
    assert link is not None
    assert ConsentRecord.objects.count() == 0
    reader.goto(link.group(1))
    _shot(reader, f"consent-confirm-{device}-de")
    reader.get_by_role("button", name=_de("Confirm sign-up")).click()
    expect(reader.locator("h1")).to_have_text(_de("Your consents"))
    expect(reader.locator(".badge-on")).to_have_count(2)
    _shot(reader, f"consent-preferences-{device}-de")
    assert ConsentRecord.objects.filter(kind="grant").count() == 2
    # one click withdraws the newsletter, effective at once
    reader.get_by_role("button", name=_de("Withdraw: %(purpose)s") % {"purpose": _de("Newsletter")}).click()
    expect(reader.locator(".badge-on")).to_have_count(1)
    assert ConsentRecord.objects.filter(kind="withdrawal", purpose="newsletter").count() == 1
    _shot(reader, f"consent-preferences-withdrawn-{device}-de")
    # staff see both on the contact page, and the proof of the confirmed invitation consent
    person_id = ConsentRecord.objects.values_list("person_id", flat=True).first()
    staff.goto(f"/app/contacts/{person_id}/")
    expect(staff.locator(".consent-item")).to_have_count(2)
    staff.locator("#consents-heading").scroll_into_view_if_needed()
    _shot(staff, f"consent-contact-{device}-de")
    invitation = ConsentRecord.objects.get(kind="grant", purpose="event_invitations")
    staff.goto(f"/app/consents/{invitation.pk}/proof/")
    expect(staff.locator("body")).to_contain_text("lena.leser@example.com")
    _shot(staff, f"consent-proof-{device}-de")
    staff.goto(f"/app/contacts/{person_id}/consents/new/")
    _shot(staff, f"consent-record-{device}-de")
    context.close()
