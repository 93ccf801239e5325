"""The app shell: navigation by role, the current entry, the global search, error pages,
the demo's settings and the formats of dates and numbers per language."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import gettext

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Permission, Role
from zweck.crm.tests.factories import make_deal, make_organization, make_person
from zweck.web.errors import server_error
from zweck.web.staff.navigation import SECTIONS, USER_MENU, navigation_for
from zweck.web.staff.search import search_groups
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def _labels(actor: Actor, path: str = "/app/") -> list[str]:
    navigation = navigation_for(actor, path)
    return [str(link.label) for section in navigation.sections for link in section.links]


# Navigation --------------------------------------------------------------------------------


def test_every_entry_names_a_page_that_exists_and_a_permission_of_the_enum() -> None:
    owner = Actor.system(make_actor(Role.OWNER).workspace)
    # when
    navigation = navigation_for(owner, "/app/")
    # then: the owner (every permission) sees every entry, so none names a missing page
    assert sum(len(section.links) for section in navigation.sections) == sum(len(s.entries) for s in SECTIONS)
    assert len(navigation.user_links) == len(USER_MENU)
    for section in SECTIONS:
        for entry in section.entries:
            assert entry.permission is None or entry.permission in Permission


def test_a_salesperson_sees_work_and_sales_but_no_privacy_or_admin_pages(workspace: object) -> None:
    seller = make_actor(Role.SALES)
    # when
    labels = _labels(seller)
    # then
    assert labels == [
        "Dashboard",
        "Organizations",
        "Contacts",
        "Deals",
        "Pipeline",
        "Calendar",
        "Tasks",
        "Quotes & invoices",
        "Revenue",
        # A salesperson reads the customers' tickets, without working on them.
        "Tickets",
    ]


def test_a_privacy_officer_sees_the_privacy_section_and_no_sales_pages() -> None:
    officer = make_actor(Role.PRIVACY_OFFICER)
    # when
    navigation = navigation_for(officer, "/app/")
    # then
    section_labels = [str(section.label) for section in navigation.sections]
    assert "Privacy" in section_labels
    assert "Requests" in _labels(officer)
    assert "Quotes & invoices" not in _labels(officer)
    assert "Contract" not in _labels(officer)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/app/", "Dashboard"),
        ("/app/deals/", "Deals"),
        ("/app/deals/12/", "Deals"),
        ("/app/deals/board/", "Pipeline"),
        ("/app/pipeline/3/edit/", "Pipeline"),
        ("/app/contacts/5/edit/", "Contacts"),
        ("/app/privacy/notifications/", "Requests"),
        ("/app/settings/sessions/", "Settings"),
        ("/app/my-data/", "My data"),
        ("/app/search/", None),
    ],
)
def test_the_current_entry_is_the_one_whose_address_the_page_lies_under(
    path: str, current: str | None
) -> None:
    owner = make_actor(Role.OWNER)
    # when
    navigation = navigation_for(owner, path)
    # then
    assert (str(navigation.current.label) if navigation.current else None) == current
    marked = [link for section in navigation.sections for link in section.links if link.current]
    marked += [link for link in navigation.user_links if link.current]
    assert len(marked) == (1 if current else 0)


def test_the_page_shows_only_the_links_of_the_members_role() -> None:
    seller = make_actor(Role.SALES)
    client = client_for(seller)
    # when
    page = html(client.get("/app/contacts/"))
    # then
    assert 'href="/app/contacts/" data-tooltip-label="Contacts" aria-current="page"' in page
    assert 'href="/app/deals/board/"' in page
    assert 'href="/app/audit/"' not in page
    assert 'href="/app/privacy/requests/"' not in page
    assert 'href="/app/settings/workspace/"' not in page


def test_the_user_menu_offers_the_workspace_switch_only_to_members_of_several_workspaces() -> None:
    seller = make_actor(Role.SALES)
    client = client_for(seller)
    assert 'id="workspace-switch"' not in html(client.get("/app/"))
    # given a seat in a second workspace
    second = make_actor(Role.READ_ONLY)
    from zweck.accounts.models import Membership

    Membership.objects.create(user=seller.user, workspace=second.workspace, role=Role.READ_ONLY)
    # when
    page = html(client.get("/app/"))
    # then
    assert 'id="workspace-switch"' in page
    assert f'value="{second.workspace_id}"' in page


# Global search -----------------------------------------------------------------------------


def test_the_search_finds_contacts_organizations_and_deals_of_the_own_workspace_only() -> None:
    owner = make_actor(Role.OWNER)
    seller = make_actor(Role.SALES, owner.workspace)
    organization = make_organization(owner, name="Bergmann Maschinenbau GmbH")
    make_person(owner, first_name="Marie", last_name="Bergmann", organization=organization)
    make_deal(owner, organization=organization, title="Wartungsvertrag Bergmann")
    stranger = make_actor(Role.OWNER)
    make_person(stranger, first_name="Bernd", last_name="Bergmann")
    client = client_for(seller)
    # when
    response = client.get("/app/search/", {"q": "bergmann"}, headers={"HX-Request": "true"})
    # then
    page = html(response)
    assert response.status_code == 200
    assert "<html" not in page  # only the drop-down
    assert "Marie Bergmann" in page
    assert "Bergmann Maschinenbau GmbH" in page
    assert "Wartungsvertrag Bergmann" in page
    assert "Bernd" not in page
    assert 'data-count="3"' in page


def test_a_role_without_deals_gets_no_deals_from_the_search() -> None:
    owner = make_actor(Role.OWNER)
    make_deal(owner, title="Wartungsvertrag Bergmann")
    make_person(owner, first_name="Marie", last_name="Bergmann")
    # A role that sees contacts but not deals (none ships today; a custom one may).
    reader = replace(owner, permissions=frozenset({Permission.CRM_VIEW}))
    request = SimpleNamespace(actor=reader)
    # when
    groups = search_groups(request, "bergmann", 5)  # type: ignore[arg-type]
    # then
    assert [(str(group.label), [hit.title for hit in group.hits]) for group in groups] == [
        ("Contacts", ["Marie Bergmann"])
    ]


def test_without_javascript_the_search_is_a_page_in_the_shell() -> None:
    seller = make_actor(Role.SALES)
    make_person(seller, first_name="Marie", last_name="Bergmann")
    # when
    response = client_for(seller).get("/app/search/", {"q": "  Bergmann  "})
    # then
    page = html(response)
    assert "<h1>Results for “Bergmann”</h1>" in page
    assert 'class="sidebar"' in page
    assert "Marie Bergmann" in page


def test_an_empty_or_overlong_search_answers_without_error() -> None:
    client = client_for(make_actor(Role.SALES))
    assert client.get("/app/search/", headers={"HX-Request": "true"}).content.strip() == b""
    response = client.get("/app/search/", {"q": "x" * 5000}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Nothing matches" in html(response)


def test_the_search_asks_anonymous_visitors_to_sign_in() -> None:
    response = Client().get("/app/search/", {"q": "bergmann"})
    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/")


# Error pages -------------------------------------------------------------------------------


def test_a_missing_page_is_shown_inside_the_shell_in_the_members_language() -> None:
    seller = make_actor(Role.SALES)
    client = client_for(seller)
    client.cookies["django_language"] = "de"
    # when
    response = client.get("/app/no-such-page/")
    # then
    page = html(response)
    assert response.status_code == 404
    assert '<html lang="de">' in page
    assert ">Übersicht<" in page  # the navigation, in German
    with translation.override("de"):
        assert gettext("Page not found") in page
    assert "Traceback" not in page


def test_a_record_of_another_workspace_is_a_404_inside_the_shell() -> None:
    stranger = make_actor(Role.OWNER)
    person = make_person(stranger)
    # when
    response = client_for(make_actor(Role.SALES)).get(f"/app/contacts/{person.pk}/")
    # then
    assert response.status_code == 404
    assert 'class="sidebar"' in html(response)
    assert "Page not found" in html(response)


def test_a_page_the_role_may_not_open_is_a_403_inside_the_shell() -> None:
    # when
    response = client_for(make_actor(Role.SALES)).get("/app/audit/")
    # then
    page = html(response)
    assert response.status_code == 403
    assert "You may not open this page" in page
    assert 'class="sidebar"' in page


def test_anonymous_visitors_get_a_plain_404_without_the_staff_frame() -> None:
    response = Client().get("/privacy/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in html(response)
    assert 'class="sidebar"' not in html(response)


def test_the_500_page_reads_nothing_from_the_database(django_assert_num_queries: object) -> None:
    request = RequestFactory().get("/app/contacts/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    # when
    with django_assert_num_queries(0):  # type: ignore[operator]
        response = server_error(request)
    # then
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.parametrize(("debug", "expected"), [(None, "False"), ("1", "True")])
def test_the_demo_settings_show_debug_pages_only_when_a_developer_asks(
    tmp_path: Path, debug: str | None, expected: str
) -> None:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("ZWECK_") and name not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    environment["ZWECK_DATA_DIR"] = str(tmp_path)
    if debug is not None:
        environment["ZWECK_DEBUG"] = debug
    # when
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.development as d; print(d.DEBUG)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    # then
    assert result.stdout.strip() == expected


# Dates and numbers -------------------------------------------------------------------------

_SAMPLE = Template(
    '{% load l10n staff %}{{ day|date:"SHORT_DATE_FORMAT" }} | {{ moment|date:"SHORT_DATETIME_FORMAT" }} | '
    "{{ moment }} | {{ amount|money }} | {{ amount }}"
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            "02.12.2026 | 02.12.2026, 14:30 | 2. Dezember 2026, 14:30 | 1.234,56\N{NO-BREAK SPACE}€ | 1234,56",
        ),
        ("en", "2 Dec 2026 | 2 Dec 2026, 14:30 | 2 Dec 2026, 14:30 | €1,234.56 | 1234.56"),
    ],
)
def test_dates_and_numbers_are_written_the_european_way_in_each_language(
    language: str, expected: str
) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    context = Context(
        {
            "day": date(2026, 12, 2),
            "moment": datetime(2026, 12, 2, 14, 30, tzinfo=berlin),
            "amount": Decimal("1234.56"),
        }
    )
    with translation.override(language):
        assert _SAMPLE.render(context) == expected


def test_english_reads_typed_dates_day_first() -> None:
    from django import forms

    field = forms.DateField()
    with translation.override("en"):
        assert field.clean("02/12/2026") == date(2026, 12, 2)
        assert field.clean("2026-12-02") == date(2026, 12, 2)
