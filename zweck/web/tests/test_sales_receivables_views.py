"""Receivables pages: a bank statement read in and its match result, the review list (assign,
dismiss), overdue invoices with level, days and interest, a reminder sent with its PDF through
the outbox to the real SMTP server of the test, a claim handed to a debt collector, the DATEV
download; bad input answered at the field with nothing written; the permission matrix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from email.message import Message
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.core.services import save_scoped
from zweck.core.tests.smtp import Inbox
from zweck.crm.models import Organization
from zweck.crm.tests.factories import make_organization, make_person
from zweck.outbox.models import MailStatus, OutgoingMail
from zweck.outbox.testing import outbox_deliver
from zweck.privacy.models import Disclosure
from zweck.privacy.services import recipient_create, register_defaults_install
from zweck.sales import camt
from zweck.sales.dunning import reminder_send
from zweck.sales.models import (
    BankStatement,
    BankTransaction,
    CollectionHandover,
    Invoice,
    Payment,
    Reminder,
)
from zweck.sales.tests.camt_samples import Entry, statement
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

Members = Callable[[str], tuple[Client, Actor]]


def open_invoice(actor: Actor, organization: Organization, number: str, gross: str, *, due: date) -> Invoice:
    return save_scoped(
        Invoice(
            organization=organization,
            status="finalized",
            series="RE-",
            number=number,
            issue_date=due - timedelta(days=14),
            due_date=due,
            finalized_at=timezone.now(),
            buyer_name=organization.name,
            buyer_email="buchhaltung@kunde.example.com",
            supplier_name="Nordlicht Consulting GmbH",
            supplier_email="rechnung@nordlicht.example.com",
            supplier_iban="DE02120300000000202051",
            gross_total=Decimal(gross),
            language="de",
        ),
        actor=actor,
    )


@pytest.fixture
def customer(owner: Actor) -> Organization:
    return make_organization(owner, "Beispiel GmbH")


@pytest.fixture
def accounting(member_client: Members) -> tuple[Client, Actor]:
    return member_client(Role.ACCOUNTING)


def _upload(client: Client, data: bytes, name: str = "auszug.xml") -> Any:
    return client.post("/app/sales/receivables/", {"file": SimpleUploadedFile(name, data, "text/xml")})


# --- bank statements ----------------------------------------------------------------------------


def test_a_statement_read_in_shows_what_it_booked_and_what_waits(
    accounting: tuple[Client, Actor], owner: Actor, customer: Organization
) -> None:
    client, _actor = accounting
    invoice = open_invoice(owner, customer, "RE-2026-0001", "119.00", due=date(2026, 11, 15))
    data = statement(
        [
            Entry(Decimal("119.00"), "Rechnung RE-2026-0001", reference="A1"),
            Entry(Decimal("42.00"), "Spende", reference="A2", payer="Unbekannt AG"),
        ]
    )

    response = _upload(client, data)

    stored = BankStatement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/app/sales/receivables/statements/{stored.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "STMT-2026-11-20" in page and "RE-2026-0001" in page and "Unbekannt AG" in page
    assert (stored.credit_count, stored.matched_count, stored.review_count) == (2, 1, 1)
    assert list(Payment.objects.filter(invoice=invoice).values_list("amount", flat=True)) == [
        Decimal("119.00")
    ]
    assert "1 credit waits for review." in client.get("/app/sales/receivables/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Datum;Betrag\n01.11.2026;10,00\n", "it is not readable XML"),
        (b"<?xml version='1.0'?><Invoice xmlns='urn:example'/>", "camt.053"),
    ],
)
def test_a_file_that_is_no_statement_is_refused_at_the_field(
    accounting: tuple[Client, Actor], data: bytes, message: str
) -> None:
    client, _actor = accounting

    response = _upload(client, data, "liste.csv")

    page = response.content.decode()
    assert response.status_code == 422
    assert 'aria-invalid="true"' in page and message in page
    assert not BankStatement.objects.exists() and not BankTransaction.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(
    accounting: tuple[Client, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _actor = accounting
    monkeypatch.setattr(camt, "MAX_BYTES", 1024 * 1024)

    response = _upload(client, b"<a>" + b"x" * (1024 * 1024) + b"</a>")

    assert response.status_code == 422
    assert "The file is larger than 1 MB" in response.content.decode()
    assert not BankStatement.objects.exists()


def test_a_statement_read_twice_is_refused_and_books_nothing_twice(
    accounting: tuple[Client, Actor], owner: Actor, customer: Organization
) -> None:
    client, _actor = accounting
    open_invoice(owner, customer, "RE-2026-0001", "119.00", due=date(2026, 11, 15))
    data = statement([Entry(Decimal("119.00"), "RE-2026-0001", reference="A1")])
    _upload(client, data)

    response = _upload(client, data)

    assert response.status_code == 422
    assert "was read in on" in response.content.decode()
    assert BankStatement.objects.count() == 1 and Payment.objects.count() == 1


# --- review list ---------------------------------------------------------------------------------


@pytest.fixture
def waiting(owner: Actor, customer: Organization) -> BankTransaction:
    from zweck.sales.receivables import bank_statement_import

    bank_statement_import(
        actor=owner, data=statement([Entry(Decimal("80.00"), "Danke", reference="R1", payer="Fremd KG")])
    )
    return BankTransaction.objects.get()


def test_staff_assign_a_credit_to_an_invoice_by_its_number(
    accounting: tuple[Client, Actor], owner: Actor, customer: Organization, waiting: BankTransaction
) -> None:
    client, _actor = accounting
    invoice = open_invoice(owner, customer, "RE-2026-0007", "80.00", due=date(2026, 11, 15))
    page = client.get("/app/sales/receivables/review/").content.decode()
    assert "Fremd KG" in page and '<option value="RE-2026-0007">' in page

    response = client.post(
        f"/app/sales/receivables/credits/{waiting.pk}/assign/",
        {
            f"assign-{waiting.pk}-invoice": "re-2026-0007",
            f"assign-{waiting.pk}-note": "Kunde zahlte für Tochter",
        },
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.state, waiting.note) == ("assigned", "Kunde zahlte für Tochter")
    assert list(Payment.objects.filter(invoice=invoice).values_list("amount", "source")) == [
        (Decimal("80.00"), "bank_import")
    ]
    assert AuditEvent.objects.filter(action="bank_transaction.assign", object_id=str(waiting.pk)).exists()
    assert "Fremd KG" not in client.get("/app/sales/receivables/review/").content.decode()


def test_an_unknown_invoice_number_is_refused_at_the_field_and_books_nothing(
    accounting: tuple[Client, Actor], waiting: BankTransaction
) -> None:
    client, _actor = accounting

    response = client.post(
        f"/app/sales/receivables/credits/{waiting.pk}/assign/", {f"assign-{waiting.pk}-invoice": "RE-9999"}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "No invoice has the number RE-9999." in page
    assert f'id="id_assign-{waiting.pk}-invoice"' in page and 'aria-invalid="true"' in page
    waiting.refresh_from_db()
    assert waiting.state == "review" and not Payment.objects.exists()


def test_a_credit_is_not_booked_on_an_invoice_paid_in_full(
    accounting: tuple[Client, Actor], owner: Actor, customer: Organization, waiting: BankTransaction
) -> None:
    client, _actor = accounting
    paid = open_invoice(owner, customer, "RE-2026-0008", "80.00", due=date(2026, 11, 15))
    from zweck.sales.services import payment_record

    payment_record(actor=owner, invoice=paid, amount=Decimal("80.00"), paid_on=date(2026, 11, 10))

    response = client.post(
        f"/app/sales/receivables/credits/{waiting.pk}/assign/",
        {f"assign-{waiting.pk}-invoice": "RE-2026-0008"},
    )

    assert response.status_code == 422
    assert "Invoice RE-2026-0008 is paid in full" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == "review" and Payment.objects.count() == 1


def test_a_post_without_a_file_is_answered_at_the_field(accounting: tuple[Client, Actor]) -> None:
    client, _actor = accounting

    response = client.post("/app/sales/receivables/", {})

    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    assert not BankStatement.objects.exists()


def test_a_credit_is_dismissed_only_with_a_reason(
    accounting: tuple[Client, Actor], waiting: BankTransaction
) -> None:
    client, _actor = accounting
    url = f"/app/sales/receivables/credits/{waiting.pk}/dismiss/"

    refused = client.post(url, {f"dismiss-{waiting.pk}-note": "  "})
    waiting.refresh_from_db()
    assert refused.status_code == 422 and waiting.state == "review"

    done = client.post(url, {f"dismiss-{waiting.pk}-note": "Erstattung der Versicherung"})

    waiting.refresh_from_db()
    assert done.status_code == 302
    assert (waiting.state, waiting.note) == ("dismissed", "Erstattung der Versicherung")
    assert not Payment.objects.exists()


# --- overdue invoices, reminders, collection ----------------------------------------------------


def test_the_overdue_list_shows_days_level_and_interest(
    accounting: tuple[Client, Actor], owner: Actor, customer: Organization
) -> None:
    client, _actor = accounting
    today = timezone.localdate()
    open_invoice(owner, customer, "RE-2026-0011", "1000.00", due=today - timedelta(days=30))
    open_invoice(owner, customer, "RE-2026-0012", "50.00", due=today + timedelta(days=3))

    page = client.get("/app/sales/receivables/overdue/").content.decode()

    assert "RE-2026-0011" in page and "RE-2026-0012" not in page
    assert ">30<" in page
    assert "Send: Payment reminder" in page
    # 30 days of default interest (base rate + 9 points) on 1,000 €: more than zero.
    from zweck.sales.base_rate import default_interest

    interest = default_interest(Decimal("1000.00"), first_day=today - timedelta(days=29), last_day=today)
    assert interest > 0
    assert f"€{interest}" in page


def test_a_reminder_is_sent_with_its_pdf_through_the_outbox(
    accounting: tuple[Client, Actor],
    owner: Actor,
    customer: Organization,
    smtp_inbox: Inbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client, _actor = accounting
    invoice = open_invoice(
        owner, customer, "RE-2026-0021", "1000.00", due=timezone.localdate() - timedelta(days=10)
    )
    Invoice.objects.filter(pk=invoice.pk).update(language="en")

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/app/sales/invoices/{invoice.pk}/reminder/")
    assert response.status_code == 302
    reminder = Reminder.objects.get()
    assert reminder.level == "reminder"
    mail = OutgoingMail.objects.get()
    assert mail.status == MailStatus.PENDING and smtp_inbox.messages == []

    assert outbox_deliver() == 1

    (message,) = smtp_inbox.messages
    assert message["To"] == "buchhaltung@kunde.example.com"
    assert message["Reply-To"] == "rechnung@nordlicht.example.com"
    assert message["Subject"] == "Payment reminder: invoice RE-2026-0021"
    attachments = [part for part in message.walk() if part.get_filename()]
    assert [part.get_filename() for part in attachments] == ["payment-reminder-RE-2026-0021.pdf"]
    pdf = attachments[0].get_payload(decode=True)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    detail = client.get(f"/app/sales/invoices/{invoice.pk}/").content.decode()
    assert f"/app/sales/reminders/{reminder.pk}/pdf/" in detail
    download = client.get(f"/app/sales/reminders/{reminder.pk}/pdf/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    # Sent once: the next level waits for its day.
    again = client.post(f"/app/sales/invoices/{invoice.pk}/reminder/", follow=True)
    assert "not yet due for its next reminder" in again.content.decode()
    assert Reminder.objects.count() == 1


def _text_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode()
    return ""


def test_a_claim_is_handed_to_a_debt_collector_after_confirmation(
    accounting: tuple[Client, Actor], owner: Actor, customer: Organization, smtp_inbox: Inbox
) -> None:
    client, _actor = accounting
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
    today = timezone.localdate()
    due = today - timedelta(days=60)
    invoice = open_invoice(owner, customer, "RE-2026-0031", "500.00", due=due)
    person = make_person(owner, "Karla", "Kundin", organization=customer)
    Invoice.objects.filter(pk=invoice.pk).update(contact=person)
    for days in (7, 21, 35):
        reminder_send(actor=owner, invoice=invoice, on=due + timedelta(days=days))
    url = f"/app/sales/invoices/{invoice.pk}/collection/"
    assert "Inkasso Beispiel GmbH" in client.get(url).content.decode()
    assert "Hand to a debt collector" in client.get("/app/sales/receivables/overdue/").content.decode()

    unconfirmed = client.post(url, {"recipient": collector.pk})
    assert unconfirmed.status_code == 422 and not CollectionHandover.objects.exists()

    done = client.post(url, {"recipient": collector.pk, "confirm": "on", "note": "Akte 17"})

    assert done.status_code == 302
    handover = CollectionHandover.objects.get()
    assert (handover.invoice_id, handover.recipient_id, handover.amount) == (
        invoice.pk,
        collector.pk,
        Decimal("500.00"),
    )
    assert Disclosure.objects.filter(recipient=collector).count() == 1
    assert "With the debt collector" in client.get("/app/sales/receivables/overdue/").content.decode()
    twice = client.post(url, {"recipient": collector.pk, "confirm": "on"})
    assert twice.status_code == 422 and "already handed" in twice.content.decode()
    assert CollectionHandover.objects.count() == 1


# --- DATEV -----------------------------------------------------------------------------------------


def test_the_datev_export_downloads_a_period_and_refuses_a_wrong_one(
    accounting: tuple[Client, Actor], owner: Actor, customer: Organization
) -> None:
    client, _actor = accounting
    open_invoice(owner, customer, "RE-2026-0041", "119.00", due=date(2026, 11, 15))
    assert client.get("/app/sales/receivables/datev/").status_code == 200

    wrong = client.get("/app/sales/receivables/datev/", {"from": "2026-12-31", "to": "2026-01-01"})
    assert wrong.status_code == 422
    assert "The period cannot end before it starts." in wrong.content.decode()
    unreadable = client.get("/app/sales/receivables/datev/", {"from": "gestern", "to": "2026-01-01"})
    assert unreadable.status_code == 422

    response = client.get("/app/sales/receivables/datev/", {"from": "2026-10-01", "to": "2026-12-31"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "EXTF_Buchungsstapel_20261001_20261231.csv" in response["Content-Disposition"]
    assert response.content.startswith(b'"EXTF"')
    assert b"RE-2026-0041" in response.content


# --- who may -------------------------------------------------------------------------------------


PAGES = [
    "/app/sales/receivables/",
    "/app/sales/receivables/review/",
    "/app/sales/receivables/overdue/",
    "/app/sales/receivables/datev/",
]


def test_the_pages_answer_by_permission_and_workspace(
    member_client: Members, owner: Actor, customer: Organization, waiting: BankTransaction, stranger: Actor
) -> None:
    invoice = open_invoice(owner, customer, "RE-2026-0051", "80.00", due=date(2026, 11, 1))
    statement_url = f"/app/sales/receivables/statements/{waiting.statement_id}/"
    assign = f"/app/sales/receivables/credits/{waiting.pk}/assign/"
    posted = {f"assign-{waiting.pk}-invoice": "RE-2026-0051"}
    for url in [*PAGES, statement_url]:
        assert Client().get(url).status_code == 302
    assert Client().post(assign, posted).status_code == 302
    sales, _actor = member_client(Role.SALES)
    for url in [*PAGES, statement_url]:
        assert sales.get(url).status_code == 403
    assert sales.post(assign, posted).status_code == 403
    assert sales.post(f"/app/sales/invoices/{invoice.pk}/reminder/").status_code == 403
    other = client_for(stranger)
    assert other.get(statement_url).status_code == 404
    assert other.post(assign, posted).status_code == 404
    assert other.post(f"/app/sales/invoices/{invoice.pk}/reminder/").status_code == 404
    # nothing changed by the refused calls
    waiting.refresh_from_db()
    assert waiting.state == "review" and not Payment.objects.exists() and not Reminder.objects.exists()
    accounting, _actor = member_client(Role.ACCOUNTING)
    for url in [*PAGES, statement_url]:
        assert accounting.get(url).status_code == 200, url


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_pages_are_accessible(
    accounting: tuple[Client, Actor],
    owner: Actor,
    customer: Organization,
    waiting: BankTransaction,
    language: str,
) -> None:
    from zweck.web.tests.accessibility import accessibility_problems

    client, _actor = accounting
    client.cookies["django_language"] = language
    invoice = open_invoice(
        owner, customer, "RE-2026-0061", "80.00", due=timezone.localdate() - timedelta(days=9)
    )
    pages = [
        *PAGES,
        f"/app/sales/receivables/statements/{waiting.statement_id}/",
        f"/app/sales/invoices/{invoice.pk}/collection/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert accessibility_problems(response.content.decode()) == [], url
