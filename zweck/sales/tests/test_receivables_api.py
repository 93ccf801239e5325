"""Receivables through the API: a camt.053 statement read in, the review list assigned and
dismissed, the overdue list, a reminder sent with its PDF through the outbox to the real SMTP
server of the test, a claim handed to a debt collector, the DATEV export, and a won deal's
order; bad input answers 422 at the field with nothing written; the permission matrix."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.api.tests.support import Api, api_as
from zweck.core.permissions import Role
from zweck.core.tests.smtp import Inbox
from zweck.crm.models import Organization
from zweck.crm.services import deal_close
from zweck.crm.tests.factories import make_deal, make_organization
from zweck.outbox.models import OutgoingMail
from zweck.outbox.testing import outbox_deliver
from zweck.privacy.services import recipient_create, register_defaults_install
from zweck.sales.dunning import reminder_send
from zweck.sales.models import (
    BankStatement,
    BankTransaction,
    CollectionHandover,
    Invoice,
    Order,
    Payment,
    Reminder,
)
from zweck.sales.services import quote_accept, quote_create, quote_send
from zweck.sales.tests.camt_samples import Entry, statement
from zweck.sales.tests.conftest import Shop, consulting
from zweck.web.tests.test_sales_receivables_views import open_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(owner: Actor) -> Organization:
    return make_organization(owner, "Beispiel GmbH")


@pytest.fixture
def accounting(actor_with_role: Any) -> Api:
    return api_as(actor_with_role(Role.ACCOUNTING))


def _upload(api: Api, data: bytes, name: str = "auszug.xml") -> Any:
    return api.upload("/sales/bank-statements", {"file": SimpleUploadedFile(name, data, "text/xml")})


def test_a_statement_is_read_in_and_its_review_list_worked_through(
    accounting: Api, owner: Actor, customer: Organization
) -> None:
    booked = open_invoice(owner, customer, "RE-2026-0001", "119.00", due=date(2026, 11, 15))
    other = open_invoice(owner, customer, "RE-2026-0002", "60.00", due=date(2026, 11, 15))
    data = statement(
        [
            Entry(Decimal("119.00"), "RE-2026-0001", reference="A1"),
            Entry(Decimal("60.00"), "Danke", reference="A2", payer="Tochter KG"),
            Entry(Decimal("5.00"), "Zinsen", reference="A3", payer="Bank"),
        ]
    )

    response = _upload(accounting, data)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["credits"], body["matched"], body["review"], body["known"]) == (3, 1, 2, 0)
    assert body["statements"][0]["identifier"] == "STMT-2026-11-20"
    assert Payment.objects.get().invoice_id == booked.pk
    waiting = accounting.get("/sales/bank-transactions", state="review").json()["items"]
    assert sorted(row["payer_name"] for row in waiting) == ["Bank", "Tochter KG"]
    daughter = next(row["id"] for row in waiting if row["payer_name"] == "Tochter KG")
    interest = next(row["id"] for row in waiting if row["payer_name"] == "Bank")

    assigned = accounting.post(f"/sales/bank-transactions/{daughter}/assign", {"invoice_id": other.pk})
    dismissed = accounting.post(f"/sales/bank-transactions/{interest}/dismiss", {"note": "Zinsgutschrift"})

    assert assigned.status_code == 200 and assigned.json()["state"] == "assigned"
    assert assigned.json()["payment_ids"] == [Payment.objects.get(invoice=other).pk]
    assert dismissed.status_code == 200 and dismissed.json()["state"] == "dismissed"
    assert accounting.get("/sales/bank-transactions", state="review").json()["items"] == []
    again = accounting.post(f"/sales/bank-transactions/{interest}/dismiss", {"note": "noch mal"})
    assert again.status_code == 422
    assert again.json()["errors"] == [{"field": "state", "message": "This credit was already dealt with."}]


def test_a_file_that_is_no_statement_answers_422_at_the_field(accounting: Api) -> None:
    response = _upload(accounting, b"Datum;Betrag\n", "liste.csv")

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "file", "message": "This file is not a camt.053 bank statement (it is not readable XML)."}
    ]
    assert not BankStatement.objects.exists()


def test_an_unknown_invoice_is_refused_at_its_field_and_books_nothing(
    accounting: Api, owner: Actor, stranger: Actor
) -> None:
    from zweck.sales.receivables import bank_statement_import

    bank_statement_import(actor=owner, data=statement([Entry(Decimal("80.00"), "Danke", reference="R1")]))
    credit = BankTransaction.objects.get()
    foreign = open_invoice(
        stranger, make_organization(stranger, "Fremd AG"), "RE-1", "80.00", due=date(2026, 1, 1)
    )

    response = accounting.post(f"/sales/bank-transactions/{credit.pk}/assign", {"invoice_id": foreign.pk})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "invoice_id"
    credit.refresh_from_db()
    assert credit.state == "review" and not Payment.objects.exists()


def test_overdue_invoices_get_their_reminder_with_the_letter_attached(
    accounting: Api, owner: Actor, customer: Organization, smtp_inbox: Inbox
) -> None:
    today = timezone.localdate()
    invoice = open_invoice(owner, customer, "RE-2026-0011", "1000.00", due=today - timedelta(days=10))
    Invoice.objects.filter(pk=invoice.pk).update(language="en")

    overdue = accounting.get("/sales/overdue").json()
    assert [
        (row["number"], row["days_overdue"], row["next_level"], row["last_level"]) for row in overdue
    ] == [("RE-2026-0011", 10, "reminder", None)]
    assert Decimal(overdue[0]["interest"]) > 0

    sent = accounting.post(f"/sales/invoices/{invoice.pk}/reminders")

    assert sent.status_code == 201, sent.content
    assert sent.json()["level"] == "reminder"
    assert OutgoingMail.objects.get().attachments[0]["content_type"] == "application/pdf"
    outbox_deliver()
    (message,) = smtp_inbox.messages
    assert message["To"] == "buchhaltung@kunde.example.com"
    assert message["Subject"] == "Payment reminder: invoice RE-2026-0011"
    assert [part.get_filename() for part in message.walk() if part.get_filename()] == [
        "payment-reminder-RE-2026-0011.pdf"
    ]
    pdf = accounting.get(f"/sales/reminders/{sent.json()['id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    refused = accounting.post(f"/sales/invoices/{invoice.pk}/reminders")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "invoice"
    assert Reminder.objects.count() == 1
    assert [row["last_level"] for row in accounting.get("/sales/overdue").json()] == ["reminder"]


def test_a_claim_is_handed_to_a_debt_collector(accounting: Api, owner: Actor, customer: Organization) -> None:
    register_defaults_install(actor=owner)
    collector = recipient_create(
        actor=owner,
        name="Inkasso Beispiel GmbH",
        role="controller",
        service_en="Debt collection",
        service_de="Inkasso",
        country="DE",
        activity_keys=[],
    )
    due = timezone.localdate() - timedelta(days=60)
    invoice = open_invoice(owner, customer, "RE-2026-0031", "500.00", due=due)
    early = accounting.post(f"/sales/invoices/{invoice.pk}/collection", {"recipient_id": collector.pk})
    assert early.status_code == 422 and not CollectionHandover.objects.exists()
    for days in (7, 21, 35):
        reminder_send(actor=owner, invoice=invoice, on=due + timedelta(days=days))

    unknown = accounting.post(f"/sales/invoices/{invoice.pk}/collection", {"recipient_id": 999999})
    response = accounting.post(f"/sales/invoices/{invoice.pk}/collection", {"recipient_id": collector.pk})

    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "recipient_id"
    assert response.status_code == 201, response.content
    assert (response.json()["recipient_id"], Decimal(response.json()["amount"])) == (
        collector.pk,
        Decimal("500.00"),
    )
    assert response.json()["disclosure_id"] is None  # the invoice names no contact person


def test_the_datev_export_of_a_period(accounting: Api, owner: Actor, customer: Organization) -> None:
    open_invoice(owner, customer, "RE-2026-0041", "119.00", due=date(2026, 11, 15))

    response = accounting.get("/sales/datev", **{"from": "2026-10-01", "to": "2026-12-31"})
    wrong = accounting.get("/sales/datev", **{"from": "2026-12-31", "to": "2026-10-01"})

    assert response.status_code == 200
    assert response.content.startswith(b'"EXTF"') and b"RE-2026-0041" in response.content
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == [{"field": "to", "message": "The period cannot end before it starts."}]


def test_a_won_deal_becomes_the_order_of_its_accepted_quote(shop: Shop) -> None:
    api = api_as(shop.owner)
    deal = make_deal(shop.owner, organization=shop.customer)
    quote = quote_create(actor=shop.owner, organization=shop.customer, deal=deal, lines=[consulting()])
    quote_send(actor=shop.owner, quote=quote)
    quote_accept(actor=shop.owner, quote=quote)

    open_deal = api.post(f"/sales/deals/{deal.pk}/order")
    assert open_deal.status_code == 422 and open_deal.json()["errors"][0]["field"] == "deal_id"
    deal_close(actor=shop.owner, deal=deal, won=True)

    response = api.post(f"/sales/deals/{deal.pk}/order")

    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert (response.json()["id"], order.quote_id, order.deal_id) == (order.pk, quote.pk, deal.pk)
    again = api.post(f"/sales/deals/{deal.pk}/order")
    assert again.status_code == 422
    assert "no accepted quote" in again.json()["errors"][0]["message"]
    assert Order.objects.count() == 1


def test_who_may_call_the_receivables_endpoints(
    owner: Actor, customer: Organization, actor_with_role: Any, stranger: Actor
) -> None:
    invoice = open_invoice(owner, customer, "RE-2026-0051", "80.00", due=date(2026, 11, 1))
    calls = [
        ("GET", "/sales/bank-statements"),
        ("GET", "/sales/bank-transactions"),
        ("GET", "/sales/overdue"),
        ("POST", f"/sales/invoices/{invoice.pk}/reminders"),
    ]
    anonymous = Api()
    seller = api_as(actor_with_role(Role.SALES))
    other = api_as(stranger)
    for method, path in calls:
        assert anonymous.call(method, path).status_code == 401
        assert seller.call(method, path).status_code == 403
    assert other.post(f"/sales/invoices/{invoice.pk}/reminders").status_code == 404
    assert other.get("/sales/bank-statements").json()["items"] == []
    assert seller.get("/sales/datev", **{"from": "2026-01-01", "to": "2026-01-31"}).status_code == 403
    assert not Reminder.objects.exists() and not OutgoingMail.objects.exists()
