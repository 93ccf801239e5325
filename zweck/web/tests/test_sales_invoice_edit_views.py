"""The lines of a draft invoice edited in the staff UI (a finalized one stays as issued), and the
order of a won deal made from its page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.crm.services import deal_close
from zweck.crm.tests.factories import make_deal
from zweck.sales.models import Invoice, InvoiceLine, Order
from zweck.sales.services import invoice_create, invoice_finalize, quote_accept, quote_create, quote_send
from zweck.sales.tests.conftest import Shop, consulting, make_shop
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

SUPPLY = {"supply_date": "2026-11-30"}


@pytest.fixture
def shop(owner: Actor, actor_with_role: Any) -> Shop:
    return make_shop(owner, actor_with_role(Role.ACCOUNTING))


@pytest.fixture
def draft(shop: Shop) -> Invoice:
    return invoice_create(actor=shop.owner, organization=shop.customer, lines=[consulting("10", "120")])


def _edit_data(lines: list[dict[str, str]], **head: str) -> dict[str, str]:
    data = {
        "issue_date": "",
        "payment_terms_days": "14",
        "supply_date": "2026-11-30",
        "supply_period_start": "",
        "supply_period_end": "",
        "customer_reference": "",
        "buyer_reference": "",
        "header_text": "",
        "footer_text": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        **head,
    }
    for index, line in enumerate(lines):
        defaults = {
            "unit": "HUR",
            "vat_rate": "19",
            "discount_percent": "",
            "zero_rate_reason": "",
            "product": "",
        }
        for name, value in {**defaults, **line}.items():
            data[f"lines-{index}-{name}"] = value
    return data


def test_the_lines_of_a_draft_invoice_are_changed_and_audited(shop: Shop, draft: Invoice) -> None:
    client = client_for(shop.accountant)
    url = f"/app/sales/invoices/{draft.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'name="lines-0-description"' in page and "Beratung</textarea>" in page

    response = client.post(
        url,
        _edit_data(
            [
                {"description": "Beratung vor Ort", "quantity": "8", "unit_net_price": "130"},
                {
                    "description": "Reisekosten",
                    "quantity": "1",
                    "unit": "LS",
                    "unit_net_price": "90",
                    "vat_rate": "19",
                },
            ],
            customer_reference="PO-77",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    lines = list(draft.lines.order_by("position").values_list("description", "quantity", "unit_net_price"))
    assert lines == [
        ("Beratung vor Ort", Decimal("8.000"), Decimal("130.00")),
        ("Reisekosten", Decimal("1.000"), Decimal("90.00")),
    ]
    assert (draft.net_total, draft.gross_total, draft.customer_reference) == (
        Decimal("1130.00"),
        Decimal("1344.70"),
        "PO-77",
    )
    assert AuditEvent.objects.filter(action="invoice.update", object_id=str(draft.pk)).exists()


def test_a_negative_quantity_is_answered_at_the_line_and_nothing_changes(shop: Shop, draft: Invoice) -> None:
    client = client_for(shop.accountant)

    response = client.post(
        f"/app/sales/invoices/{draft.pk}/edit/",
        _edit_data([{"description": "Beratung", "quantity": "-3", "unit_net_price": "120"}]),
    )

    assert response.status_code == 422
    assert response.context["lines"].forms[0].errors["quantity"]
    assert list(InvoiceLine.objects.filter(invoice=draft).values_list("quantity", flat=True)) == [
        Decimal("10.000")
    ]
    draft.refresh_from_db()
    assert draft.net_total == Decimal("1200.00")


def test_adding_a_line_to_a_draft_invoice_saves_nothing_yet(shop: Shop, draft: Invoice) -> None:
    client = client_for(shop.accountant)
    data = _edit_data([{"description": "Beratung", "quantity": "10", "unit_net_price": "120"}])
    data["add_line"] = "1"

    response = client.post(f"/app/sales/invoices/{draft.pk}/edit/", data)

    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 2
    assert InvoiceLine.objects.filter(invoice=draft).count() == 1


def test_a_finalized_invoice_offers_no_editing_and_refuses_a_post(shop: Shop, draft: Invoice) -> None:
    client = client_for(shop.accountant)
    url = f"/app/sales/invoices/{draft.pk}/edit/"
    client.post(url, _edit_data([{"description": "Beratung", "quantity": "10", "unit_net_price": "120"}]))
    finalized = invoice_finalize(actor=shop.accountant, invoice=Invoice.objects.get(pk=draft.pk))
    before = list(InvoiceLine.objects.filter(invoice=finalized).values_list("description", "quantity"))

    detail = client.get(f"/app/sales/invoices/{finalized.pk}/").content.decode()
    response = client.post(
        url, _edit_data([{"description": "Anders", "quantity": "1", "unit_net_price": "1"}])
    )

    assert url not in detail
    assert response.status_code == 302
    assert (
        list(InvoiceLine.objects.filter(invoice=finalized).values_list("description", "quantity")) == before
    )
    assert Invoice.objects.get(pk=finalized.pk).gross_total == finalized.gross_total


def test_a_won_deal_becomes_an_order_from_its_page(shop: Shop) -> None:
    deal = make_deal(shop.owner, organization=shop.customer)
    quote = quote_create(actor=shop.owner, organization=shop.customer, deal=deal, lines=[consulting()])
    quote_send(actor=shop.owner, quote=quote)
    quote_accept(actor=shop.owner, quote=quote)
    client = client_for(shop.owner)
    deal_url = f"/app/deals/{deal.pk}/"
    order_url = f"/app/sales/deals/{deal.pk}/order/"
    assert order_url not in client.get(deal_url).content.decode()
    refused = client.post(order_url, follow=True)
    assert "Only a won deal becomes an order." in refused.content.decode() and not Order.objects.exists()
    deal_close(actor=shop.owner, deal=deal, won=True)
    assert order_url in client.get(deal_url).content.decode()

    response = client.post(order_url)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/app/sales/orders/{order.pk}/"
    assert (order.quote_id, order.deal_id) == (quote.pk, deal.pk)
    assert order_url not in client.get(deal_url).content.decode()
    assert "no accepted quote" in client.post(order_url, follow=True).content.decode()
    assert Order.objects.count() == 1


def test_only_who_may_change_sales_makes_the_order(shop: Shop, member_client: Any, stranger: Actor) -> None:
    deal = make_deal(shop.owner, organization=shop.customer)
    quote = quote_create(actor=shop.owner, organization=shop.customer, deal=deal, lines=[consulting()])
    quote_send(actor=shop.owner, quote=quote)
    quote_accept(actor=shop.owner, quote=quote)
    deal_close(actor=shop.owner, deal=deal, won=True)
    order_url = f"/app/sales/deals/{deal.pk}/order/"
    reader, _actor = member_client(Role.READ_ONLY)

    assert Client().post(order_url).status_code == 302
    assert reader.post(order_url).status_code == 403
    assert client_for(stranger).post(order_url).status_code == 404
    assert not Order.objects.exists()
