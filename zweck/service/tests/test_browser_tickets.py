"""A technician's morning at the service desk in a real browser, in German, on a desktop and on a
phone: a ticket arrives by email, the queue shows it with what is overdue standing out, the
technician answers it and resolves another, and the customer answers through the link in the
email. Screenshots land in ``test-artifacts/screenshots/`` (``tickets-*.png``)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Browser, Page, expect

from zweck.accounts.services import user_set_language
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.crm.tests.factories import make_organization, make_person
from zweck.service import services
from zweck.service.choices import TicketStatus
from zweck.service.mail_in import mail_in
from zweck.service.models import Ticket, TicketMessage
from zweck.service.tests.factories import SUPPORT, make_desk, make_ticket
from zweck.web.tests.test_browser import PASSWORD, browser, screenshot  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
MAIL = (
    "From: Klara Kunde <klara.kunde@kunde-ag.example.com>\r\n"
    f"To: {SUPPORT}\r\n"
    "Subject: Drucker im zweiten Obergeschoss druckt seit heute früh nicht mehr\r\n"
    "Message-ID: <drucker-1@kunde-ag.example.com>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    "Guten Morgen,\r\nder Drucker im 2. OG zeigt Papierstau, obwohl keiner da ist.\r\nViele Grüße\r\nKlara Kunde\r\n"
).encode()


def _no_sideways_scroll(page: Page, device: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[device]["width"]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_technicians_morning_in_german(
    browser: Browser,  # noqa: F811
    live_server: Any,
    settings: Any,
    tmp_path: Any,
    device: str,
) -> None:
    with translation.override("de"):
        if translation.gettext("New ticket") == "New ticket":
            pytest.skip("The German catalogue does not have the service desk's texts yet.")
    settings.DATA_DIR = tmp_path
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    owner = make_actor(Role.OWNER)
    technician = make_actor(Role.SERVICE, owner.workspace)
    user_set_language(actor=technician, language="de")
    make_desk(owner)
    customer = make_organization(owner, "Kunde AG")
    make_person(owner, "Klara", "Kunde", email="klara.kunde@kunde-ag.example.com", organization=customer)
    # the night's tickets: one overdue, one due soon, one for later
    late = make_ticket(
        owner,
        make_person(owner, "Bernd", "Berger", organization=customer),
        subject="VPN-Zugang für neuen Mitarbeiter",
        priority="high",
    )
    Ticket.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(hours=3))
    soon = make_ticket(
        owner, subject="Outlook fragt ständig nach dem Passwort", priority="urgent", assignee=technician.user
    )
    Ticket.objects.filter(pk=soon.pk).update(sla_due_at=timezone.now() + timedelta(minutes=40))
    make_ticket(owner, subject="Neue Lizenz für Grafikprogramm", priority="low")
    opened = mail_in(raw=MAIL)
    assert opened.outcome == "opened"

    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[device], locale="de-DE")
    context.add_cookies([{"name": "django_language", "value": "de", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    assert technician.user is not None
    page.goto("/app/login/")
    page.locator("#id_username").fill(technician.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()

    # the queue: most urgent first, overdue marked
    page.goto("/app/tickets/")
    expect(page.locator("h1")).to_have_text("Tickets")
    expect(page.locator(".sla-overdue").first).to_be_visible()
    first_row = page.locator("table.ticket-queue tbody tr").first
    expect(first_row).to_contain_text("VPN-Zugang")
    expect(first_row.locator(".sla-overdue")).to_be_visible()
    _no_sideways_scroll(page, device)
    screenshot(page, f"tickets-queue-{device}-de")

    # the ticket from the email, answered
    page.get_by_role("link", name=re.compile("Drucker im zweiten")).first.click()
    expect(page.locator("h1")).to_contain_text("Drucker im zweiten Obergeschoss")
    expect(page.locator(".ticket-text").first).to_contain_text("Papierstau")
    _no_sideways_scroll(page, device)
    page.locator("#id_body").fill(
        "Guten Morgen Frau Kunde,\nbitte öffnen Sie einmal die hintere Klappe; wir schauen sonst um 11 Uhr vorbei."
    )
    page.get_by_role("button", name="Senden", exact=True).click()
    expect(page.get_by_text("Die Antwort ist unterwegs.")).to_be_visible()
    screenshot(page, f"tickets-detail-{device}-de")
    ticket = Ticket.objects.get(pk=opened.ticket_id)
    assert ticket.status == TicketStatus.WAITING and ticket.first_response_at is not None

    # an internal note
    page.get_by_label("Interne Notiz").check()
    page.locator("#id_body").fill("Tonerkartusche liegt im Lager, Fach 3.")
    page.get_by_role("button", name="Senden", exact=True).click()
    expect(page.get_by_text("Die Notiz wurde hinzugefügt.")).to_be_visible()

    # a wrong file: refused at the field, the text kept
    page.locator("#id_body").fill("Hier das Diagnoseprogramm")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "diagnose.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}]
    )
    page.get_by_role("button", name="Senden", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("diagnose.exe")
    expect(page.locator("#id_body")).to_have_value("Hier das Diagnoseprogramm")

    # the customer answers through the link in the email, without an account
    customer_page = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[device], locale="de-DE")
    customer_page.add_cookies([{"name": "django_language", "value": "de", "url": live_server.url}])
    visitor = customer_page.new_page()
    visitor.goto(services.ticket_link_url(ticket).removeprefix(settings.ZWECK_PUBLIC_URL))
    expect(visitor.locator("h1")).to_contain_text("T-")
    expect(visitor.get_by_text("hintere Klappe")).to_be_visible()
    assert visitor.get_by_text("Tonerkartusche").count() == 0
    _no_sideways_scroll(visitor, device)
    visitor.get_by_label("Ihre Antwort").fill("Danke, das war es! Ein Blatt steckte fest.")
    visitor.get_by_role("button", name="Antwort senden").click()
    expect(visitor.get_by_text("Vielen Dank. Ihre Antwort wurde dem Ticket hinzugefügt.")).to_be_visible()
    screenshot(visitor, f"tickets-customer-{device}-de")
    customer_page.close()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert TicketMessage.objects.filter(ticket=ticket, author_kind="requester", channel="portal").count() == 1

    # resolved from the ticket's side panel
    page.goto(f"/app/tickets/{ticket.pk}/")
    page.locator("#ticket-status").select_option("resolved")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_text("Das Ticket wurde geändert.")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED and ticket.resolved_at is not None

    # an out-of-office reply that belongs to no ticket waits under held email
    mail_in(
        raw=MAIL.replace(
            b"Message-ID: <drucker-1@", b"Auto-Submitted: auto-replied\r\nMessage-ID: <ooo-1@"
        ).replace(b"Subject: Drucker", b"Subject: Abwesend: Drucker")
    )
    page.goto("/app/tickets/held-mail/")
    expect(page.locator("h1")).to_have_text("Zurückgehaltene E-Mails")
    expect(page.get_by_text("Automatische Antwort ohne zugehöriges Ticket")).to_be_visible()
    _no_sideways_scroll(page, device)
    screenshot(page, f"tickets-held-mail-{device}-de")
    context.close()
