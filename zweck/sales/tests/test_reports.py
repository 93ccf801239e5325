"""Revenue reports and similar customers: exact figures from finalized invoices, cancellations,
payments and deals; the page, the downloads and the API; who may see them."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zweck.accounts.actors import Actor
from zweck.api.tests.support import api_as
from zweck.core.permissions import Role
from zweck.crm.services import AddressInput, organization_update
from zweck.crm.tests.factories import make_deal, make_organization
from zweck.sales import reports
from zweck.sales.services import (
    invoice_cancel,
    invoice_create,
    invoice_finalize,
    payment_record,
    product_create,
)
from zweck.sales.similar import similar_organizations
from zweck.sales.tests.conftest import SUPPLY, Shop, consulting
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)
ADDRESS = AddressInput(street="Weg 2", city="Köln", postal_code="50667")
PERIOD = reports.Period(date(2026, 9, 1), date(2026, 11, 30))


def _invoice(shop: Shop, day: date, *lines: object, organization: object = None) -> object:
    invoice = invoice_create(
        actor=shop.owner,
        organization=organization or shop.customer,
        lines=list(lines) or [consulting()],
        supply_date=day,
    )
    return invoice_finalize(actor=shop.accountant, invoice=invoice, today=day)


@pytest.fixture
def books(shop: Shop) -> Shop:
    """Sept: 1,200 net (paid); Oct: 600 + 240 for a second customer, the 600 cancelled in Nov;
    a draft that never counts; an open deal of 10,000 at 30 % closing in November."""
    advice = product_create(actor=shop.owner, name="Beratung", unit_net_price=Decimal("120"))
    training = product_create(actor=shop.owner, name="Schulung", unit_net_price=Decimal("240"))
    other = make_organization(shop.owner, "Zweitkunde GmbH", addresses=[ADDRESS])
    september = _invoice(shop, date(2026, 9, 10), consulting("10", "120", product=advice))
    payment_record(
        actor=shop.accountant, invoice=september, amount=september.gross_total, paid_on=date(2026, 9, 20)
    )
    cancelled = _invoice(shop, date(2026, 10, 5), consulting("5", "120", product=advice))
    _invoice(shop, date(2026, 10, 20), consulting("1", "240", product=training), organization=other)
    invoice_cancel(actor=shop.accountant, invoice=cancelled, today=date(2026, 11, 2))
    invoice_create(actor=shop.owner, organization=shop.customer, lines=[consulting("99")], **SUPPLY)
    make_deal(
        shop.owner,
        organization=other,
        amount=Decimal("10000"),
        probability=30,
        expected_close_on=date(2026, 11, 15),
    )
    return shop


def test_revenue_by_month_counts_finalized_invoices_and_cancellations_in_their_own_month(books: Shop) -> None:
    report = reports.revenue_report(actor=books.owner, period=PERIOD, today=TODAY)
    assert [(m.month, m.net, m.invoices) for m in report.months] == [
        (date(2026, 9, 1), Decimal("1200.00"), 1),
        (date(2026, 10, 1), Decimal("840.00"), 2),
        (date(2026, 11, 1), Decimal("-600.00"), 1),
    ]
    assert report.booked == Decimal("1440.00")
    assert [m.pipeline_weighted for m in report.months] == [
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("3000.00"),
    ]
    assert (report.pipeline_deals, report.pipeline_total, report.pipeline_weighted) == (
        1,
        Decimal("10000.00"),
        Decimal("3000.00"),
    )


def test_revenue_by_customer_product_and_owner(books: Shop) -> None:
    report = reports.revenue_report(
        actor=books.owner, period=PERIOD, today=TODAY, owner_names={}, labels={"no_owner": "Niemand"}
    )
    assert [(s.label, s.net) for s in report.customers] == [
        ("Kunde AG", Decimal("1200.00")),
        ("Zweitkunde GmbH", Decimal("240.00")),
    ]
    assert [(s.label, s.net) for s in report.products] == [
        ("Beratung", Decimal("1200.00")),
        ("Schulung", Decimal("240.00")),
    ]
    assert [(s.label, s.net, s.invoices) for s in report.owners] == [("Niemand", Decimal("1440.00"), 4)]


def test_receivables_are_open_gross_amounts_by_days_past_due(books: Shop) -> None:
    # The October invoice to the second customer (240 + 19 % = 285.60) fell due on 3 Nov.
    report = reports.revenue_report(actor=books.owner, period=PERIOD, today=TODAY)
    assert [(b.key, b.amount, b.invoices) for b in report.receivables] == [
        ("not_due", Decimal("0.00"), 0),
        ("1_30", Decimal("285.60"), 1),
        ("31_60", Decimal("0.00"), 0),
        ("61_90", Decimal("0.00"), 0),
        ("over_90", Decimal("0.00"), 0),
    ]
    later = reports.receivables_by_age(actor=books.owner, today=date(2027, 3, 1))
    assert [b.key for b in later if b.amount] == ["over_90"]


def test_a_period_outside_the_invoices_reports_nothing_and_a_backwards_period_is_refused(books: Shop) -> None:
    report = reports.revenue_report(
        actor=books.owner, period=reports.Period(date(2025, 1, 1), date(2025, 3, 31))
    )
    assert report.booked == Decimal("0.00") and report.customers == [] and len(report.months) == 3
    with pytest.raises(ValidationError) as refused:
        reports.period_from(start=date(2026, 5, 1), end=date(2026, 4, 1), preset=None, today=TODAY)
    assert "end" in refused.value.message_dict


def test_only_members_with_the_report_permission_see_the_report(books: Shop, actor_with_role: object) -> None:
    service = actor_with_role(Role.SERVICE)  # type: ignore[operator]
    with pytest.raises(PermissionDenied):
        reports.revenue_report(actor=service, period=PERIOD)
    assert client_for(service).get("/app/reports/revenue/").status_code == 403
    assert api_as(service).get("/reports/revenue").status_code == 403


def test_another_workspace_sees_none_of_the_figures(books: Shop, stranger: Actor) -> None:
    report = reports.revenue_report(actor=stranger, period=PERIOD, today=TODAY)
    assert report.booked == Decimal("0.00") and report.receivables_total == Decimal("0.00")


def test_the_page_shows_charts_and_tables_and_the_downloads_hold_the_figures(books: Shop) -> None:
    client = client_for(books.owner)
    page = client.get("/app/reports/revenue/?start=2026-09-01&end=2026-11-30", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg viewBox="0 0 720 260" role="img"' in html and '<title id="months-chart-title">' in html
    assert "Zweitkunde GmbH" in html and "Schulung" in html
    assert 'href="/app/reports/revenue/"' in html  # in the navigation
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get("/app/reports/revenue.csv?start=2026-09-01&end=2026-11-30").streaming_content
                ).decode()
            )
        )
    )
    assert ["2026-11", "-600.00", "1", "3000.00"] in rows
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get("/app/reports/revenue.xlsx?start=2026-09-01&end=2026-11-30").content)
    )
    customers = workbook.worksheets[1]
    assert [cell.value for cell in customers[2]] == ["Kunde AG", 1200.0, 3]


def test_a_bad_period_is_answered_at_the_field_not_with_an_error_page(books: Shop) -> None:
    client = client_for(books.owner)
    page = client.get("/app/reports/revenue/?start=2026-05-01&end=2026-04-01")
    assert page.status_code == 200
    assert b'id="id_end-error"' in page.content
    assert client.get("/app/reports/revenue/?start=kein-datum").status_code == 200
    assert client.get("/app/reports/revenue.csv?start=2026-05-01&end=2026-04-01").status_code == 400
    assert api_as(books.owner).get("/reports/revenue?start=2026-05-01&end=2026-04-01").status_code == 422


def test_the_api_returns_the_aggregates(books: Shop) -> None:
    response = api_as(books.owner).get("/reports/revenue?start=2026-09-01&end=2026-11-30")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["booked"] == "1440.00"
    assert [m["net"] for m in body["months"]] == ["1200.00", "840.00", "-600.00"]
    assert body["receivables"][1] == {"age": "1_30", "amount": "285.60", "invoices": 1}
    assert body["pipeline"]["weighted"] == "3000.00"


def test_similar_customers_rank_industry_products_and_tags(shop: Shop) -> None:
    advice = product_create(actor=shop.owner, name="Beratung", unit_net_price=Decimal("120"))
    organization_update(actor=shop.owner, organization=shop.customer, industry_code="62", tags=["Cloud"])
    same_division = make_organization(shop.owner, "Software Eins", industry_code="62")
    same_section = make_organization(shop.owner, "Telefon Zwei", industry_code="61")
    same_tag = make_organization(shop.owner, "Wolke Drei", industry_code="10", tags=["Cloud"])
    bought_too = make_organization(shop.owner, "Kauf Vier", industry_code="10", addresses=[ADDRESS])
    make_organization(shop.owner, "Fremd Fünf", industry_code="10")
    _invoice(shop, date(2026, 10, 1), consulting(product=advice))
    _invoice(shop, date(2026, 10, 2), consulting(product=advice), organization=bought_too)

    similar = similar_organizations(actor=shop.owner, organization=shop.customer)

    assert [(s.organization.name, s.score) for s in similar] == [
        (same_division.name, 4),
        (bought_too.name, 3),
        (same_section.name, 2),
        (same_tag.name, 1),
    ]
    response = api_as(shop.owner).get(f"/organizations/{shop.customer.pk}/similar")
    assert [item["name"] for item in response.json()] == [s.organization.name for s in similar]
    assert response.json()[1]["shared_products"] == 1
    page = client_for(shop.owner).get(f"/app/organizations/{shop.customer.pk}/")
    assert b"Software Eins" in page.content
