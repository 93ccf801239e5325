"""/api/v1/sales: the way from quote to paid invoice, refusals with 422 at the field, and who may do what."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from zweck.accounts.actors import Actor
from zweck.api.tests.support import Api, api_as, snapshot
from zweck.core.permissions import Role
from zweck.sales.models import Invoice
from zweck.sales.tests.conftest import Shop, make_shop

pytestmark = pytest.mark.django_db

LINE = {"description": "Beratung", "quantity": "10", "unit": "HUR", "unit_net_price": "120", "vat_rate": 19}


@pytest.fixture
def shop(owner: Actor, actor_with_role: Callable[[str], Actor]) -> Shop:
    return make_shop(owner, actor_with_role(Role.ACCOUNTING))


def _fields(response: Any) -> dict[str | None, str]:
    return {item["field"]: item["message"] for item in response.json()["errors"]}


def test_quote_to_order_to_invoice_to_payment(shop: Shop) -> None:
    seller, accounting = api_as(shop.owner), api_as(shop.accountant)
    product = seller.post("/sales/products", {"name": "Workshop", "unit": "DAY", "unit_net_price": "1400"})
    assert product.status_code == 201, product.content
    quote = seller.post(
        "/sales/quotes",
        {
            "organization_id": shop.customer.pk,
            "contact_id": shop.contact.pk,
            "lines": [LINE, {"product_id": product.json()["id"], "quantity": "2"}],
        },
    )
    assert quote.status_code == 201, quote.content
    assert quote.json()["gross_total"] == "4760.00"
    quote_id = quote.json()["id"]
    assert seller.post(f"/sales/quotes/{quote_id}/send").json()["status"] == "sent"
    assert seller.post(f"/sales/quotes/{quote_id}/accept").json()["status"] == "accepted"
    order = seller.post(f"/sales/quotes/{quote_id}/order", {"supply_date": "2026-11-30"})
    assert order.status_code == 201, order.content
    invoice = seller.post(f"/sales/orders/{order.json()['id']}/invoices", {"kind": "invoice"})
    assert invoice.status_code == 201, invoice.content
    invoice_id = invoice.json()["id"]

    # accounting issues it
    finalized = accounting.post(f"/sales/invoices/{invoice_id}/finalize")
    assert finalized.status_code == 200, finalized.content
    body = finalized.json()
    assert (body["status"], body["buyer_name"], body["payment_status"]) == ("finalized", "Kunde AG", "open")
    assert body["number"].startswith("RE-")
    assert [t["tax_amount"] for t in body["tax_totals"]] == ["760.00"]

    paid = accounting.post(
        f"/sales/invoices/{invoice_id}/payments", {"amount": "4760.00", "paid_on": "2026-12-02"}
    )
    assert paid.status_code == 201, paid.content
    assert accounting.get(f"/sales/invoices/{invoice_id}").json()["payment_status"] == "paid"
    assert accounting.get("/sales/invoices", payment_status="paid").json()["count"] == 1


def test_a_finalized_invoice_answers_422_to_every_change_and_stays(shop: Shop) -> None:
    accounting = api_as(shop.accountant)
    created = accounting.post(
        "/sales/invoices", {"organization_id": shop.customer.pk, "supply_date": "2026-11-30", "lines": [LINE]}
    )
    invoice_id = created.json()["id"]
    assert accounting.post(f"/sales/invoices/{invoice_id}/finalize").status_code == 200
    before = snapshot()

    changed = accounting.patch(f"/sales/invoices/{invoice_id}", {"footer_text": "Neu"})
    again = accounting.post(f"/sales/invoices/{invoice_id}/finalize")
    deleted = accounting.delete(f"/sales/invoices/{invoice_id}")

    assert (changed.status_code, again.status_code, deleted.status_code) == (422, 422, 422)
    assert "status" in _fields(changed) and "status" in _fields(again)
    assert snapshot() == before
    cancelled = accounting.post(f"/sales/invoices/{invoice_id}/cancel", {"reason": "Falscher Empfänger"})
    assert cancelled.status_code == 201, cancelled.content
    assert (cancelled.json()["kind"], cancelled.json()["cancels_id"], cancelled.json()["gross_total"]) == (
        "cancellation",
        invoice_id,
        "-1428.00",
    )
    assert accounting.get(f"/sales/invoices/{invoice_id}").json()["cancelled_by_id"] == cancelled.json()["id"]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({**LINE, "quantity": "-1"}, "lines.0.quantity"),
        ({**LINE, "vat_rate": 16}, "lines.0.vat_rate"),
        ({**LINE, "vat_rate": 0, "zero_rate_reason": "whatever"}, "lines.0.zero_rate_reason"),
        ({**LINE, "product_id": 999999}, "lines.0.product_id"),
    ],
)
def test_bad_lines_answer_422_at_the_line_and_write_nothing(
    shop: Shop, line: dict[str, Any], field: str
) -> None:
    api = api_as(shop.owner)
    before = snapshot()
    response = api.post("/sales/quotes", {"organization_id": shop.customer.pk, "lines": [line]})
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.SALES, 403), (Role.SERVICE, 403), (Role.ACCOUNTING, 200)],
)
def test_who_may_finalize(
    shop: Shop, actor_with_role: Callable[[str], Actor], role: str, status: int
) -> None:
    created = api_as(shop.owner).post(
        "/sales/invoices", {"organization_id": shop.customer.pk, "supply_date": "2026-11-30", "lines": [LINE]}
    )
    response = api_as(actor_with_role(role)).post(f"/sales/invoices/{created.json()['id']}/finalize")
    assert response.status_code in ((status,) if status == 200 else (403, 404))
    finalized = Invoice.objects.get(pk=created.json()["id"]).status == "finalized"
    assert finalized is (status == 200)


def test_other_workspaces_and_anonymous_callers_see_nothing(shop: Shop, stranger: Actor) -> None:
    created = api_as(shop.owner).post(
        "/sales/invoices", {"organization_id": shop.customer.pk, "lines": [LINE]}
    )
    invoice_id = created.json()["id"]
    assert api_as(stranger).get(f"/sales/invoices/{invoice_id}").status_code == 404
    assert api_as(stranger).get("/sales/invoices").json()["count"] == 0
    assert api_as(stranger).post(f"/sales/invoices/{invoice_id}/finalize").status_code == 404
    assert api_as(shop.owner).__class__(None).get("/sales/invoices").status_code == 401


def test_the_invoice_list_reads_a_fixed_number_of_queries(
    shop: Shop, django_assert_max_num_queries: Callable[[int], Any]
) -> None:
    api = api_as(shop.accountant)
    for _ in range(5):
        api.post("/sales/invoices", {"organization_id": shop.customer.pk, "lines": [LINE, LINE]})
    with django_assert_max_num_queries(12):
        response = api.get("/sales/invoices")
    assert response.json()["count"] == 5


def _sales_operations() -> list[tuple[str, str]]:
    from zweck.api.urls import api as zweck_api

    schema = zweck_api.get_openapi_schema()
    return sorted(
        (method.upper(), path.removeprefix("/api/v1"))
        for path, methods in schema["paths"].items()
        for method in methods
        if path.startswith("/api/v1/sales/")
    )


SALES_OPERATIONS = _sales_operations()


@pytest.mark.parametrize(("method", "path"), SALES_OPERATIONS, ids=[f"{m} {p}" for m, p in SALES_OPERATIONS])
def test_every_sales_operation_refuses_anonymous_callers_and_members_without_sales_permissions(
    shop: Shop, actor_with_role: Callable[[str], Actor], method: str, path: str
) -> None:
    created = api_as(shop.owner).post(
        "/sales/invoices", {"organization_id": shop.customer.pk, "lines": [LINE]}
    )
    url = re.sub(r"\{[^}]+\}", str(created.json()["id"]), path)
    # The service role holds none of the sales permissions (a body it sends may be refused first).
    service_api = api_as(actor_with_role(Role.SERVICE))
    before = snapshot()

    anonymous = Api(None).call(method, url, {})
    service = service_api.call(method, url, {} if method != "GET" else None)

    assert anonymous.status_code == 401
    assert service.status_code in (403, 422), service.content
    assert snapshot() == before
