"""The privacy officer reads an erasure plan in German in a real browser and confirms it.

Screenshots land in ``test-artifacts/screenshots/`` (``erasure-plan*.png``).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Person
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_person
from zweck.privacy.dsr import dsr_link_persons, dsr_open, dsr_verify
from zweck.privacy.request_models import RequestChannel, RequestKind
from zweck.privacy.services import register_defaults_install
from zweck.web.tests.test_browser import browser, log_in, page, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["browser", "page"]


def test_the_officer_reads_the_plan_and_must_confirm_the_erasure(page: Page, live_server: Any) -> None:
    # given an erasure request about Frieda, who took part in a call
    officer = make_actor(Role.PRIVACY_OFFICER)
    register_defaults_install(actor=officer)
    owner: Actor = make_actor(Role.OWNER, officer.workspace)
    frieda = make_person(owner, first_name="Frieda", last_name="Beispiel", email="frieda@example.com")
    activity_create(
        actor=owner,
        kind=ActivityKind.CALL,
        subject="Rückfrage zum Angebot",
        starts_at=timezone.now(),
        participants=[frieda],
    )
    request = dsr_open(actor=officer, kind=RequestKind.ERASURE, channel=RequestChannel.LETTER)
    dsr_verify(actor=officer, request=request)
    dsr_link_persons(actor=officer, request=request, person_ids=[frieda.pk])
    log_in(page, officer)
    switch_language(page, "de")

    # when the officer opens the plan
    page.goto(f"/app/privacy/requests/{request.pk}/plan/")

    # then it reads in German, by record
    expect(page.locator("h1")).to_have_text(f"Löschplan #{request.pk}")
    expect(page.get_by_role("heading", name="E-Mail-Adresse", exact=True)).to_be_visible()
    expect(page.locator("table.plan").first).to_contain_text("Frieda Beispiel")
    expect(page.get_by_text("Anruf: Rückfrage zum Angebot")).to_be_visible()
    screenshot(page, "erasure-plan")

    # when the officer submits without ticking the confirmation, nothing is erased
    page.get_by_role("button", name="Löschung ausführen").click()
    expect(page.locator("#error-summary")).to_contain_text("Es wurde nichts gelöscht.")
    assert Person.objects.filter(pk=frieda.pk).exists()
    screenshot(page, "erasure-plan-refused")

    # when the officer confirms, the erasure is carried out
    page.get_by_label("Ich habe den Plan gelesen").check()
    page.get_by_role("button", name="Löschung ausführen").click()
    expect(page.locator(".messages")).to_contain_text("Löschung")
    assert not Person.objects.filter(pk=frieda.pk).exists()
