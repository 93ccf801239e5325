"""/sales: receivables — bank statements, the review list, overdue invoices, reminders, debt
collection, the DATEV export; and the order of a won deal. All need ``invoice.manage`` except
the won deal's order (``sales.change``).

- ``POST /sales/bank-statements`` (multipart ``file``): read a camt.053 statement, book what
  matches; a file that is not one answers 422 at ``file`` and stores nothing;
  ``GET /sales/bank-statements``;
- ``GET /sales/bank-transactions?state=review``: the credits read in (those waiting for review);
  ``POST /sales/bank-transactions/{id}/assign`` (``invoice_id``), ``…/dismiss`` (``note``);
- ``GET /sales/overdue``: the open invoices past their due date, with dunning level, days
  overdue and default interest to date;
- ``POST /sales/invoices/{id}/reminders``: send the next reminder or dunning notice (email with
  its PDF, through the outbox); ``GET /sales/invoices/{id}/reminders``;
  ``GET /sales/reminders/{id}/pdf``;
- ``POST /sales/invoices/{id}/collection`` (``recipient_id``): hand the claim to a debt
  collector of the register, a recorded disclosure;
- ``GET /sales/datev?from=…&to=…``: the DATEV Buchungsstapel (EXTF CSV) of a period;
- ``POST /sales/deals/{id}/order``: the order of a won deal's accepted quote.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from zweck.api import references
from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import InputSchema, ObjectId, Page, PageQuery, Text, page_of
from zweck.api.schemas.sales import OrderOut
from zweck.core.permissions import Permission
from zweck.crm import selectors as crm_selectors
from zweck.sales import camt, dunning, receivables, selectors, services
from zweck.sales.datev import datev_export
from zweck.sales.models.receivables import TransactionState
from zweck.sales.reminder_printing import reminder_file_name, reminder_pdf

router = Router(tags=["sales receivables"])

NO_QUOTE_TO_ORDER = gettext_lazy("The deal has no accepted quote without an order yet; accept a quote first.")


class BankStatementOut(Schema):
    id: int
    identifier: str
    account_iban: str
    from_date: date | None
    to_date: date | None
    file_name: str
    credit_count: int
    matched_count: int
    review_count: int
    known_count: int
    created_at: datetime


class ImportOut(Schema):
    statements: list[BankStatementOut]
    credits: int
    matched: int
    review: int
    known: int


class BankTransactionOut(Schema):
    id: int
    statement_id: int
    amount: Decimal
    currency: str
    booking_date: date | None
    value_date: date | None
    payer_name: str
    payer_iban: str
    remittance: str
    state: str
    review_reason: str
    note: str
    payment_ids: list[int]

    @staticmethod
    def resolve_payment_ids(credit: Any) -> list[int]:
        return [payment.pk for payment in credit.payments.all()]


class TransactionFilter(InputSchema):
    state: TransactionState | None = None


class AssignIn(InputSchema):
    invoice_id: ObjectId
    note: Text = Field("", max_length=300)


class DismissIn(InputSchema):
    note: Text = Field(..., max_length=300)


class OverdueOut(Schema):
    invoice_id: int
    number: str
    buyer_name: str
    currency: str
    due_date: date
    days_overdue: int
    open_amount: Decimal
    interest: Decimal
    last_level: str | None
    next_level: str | None
    handed_over: bool


class ReminderOut(Schema):
    id: int
    invoice_id: int
    level: str
    sent_on: date
    pay_by: date
    days_overdue: int
    open_amount: Decimal
    fee: Decimal
    flat_fee: Decimal
    interest_rate: Decimal
    interest: Decimal
    total: Decimal
    email: str


class CollectionIn(InputSchema):
    recipient_id: ObjectId
    note: Text = Field("", max_length=300)


class CollectionOut(Schema):
    id: int
    invoice_id: int
    recipient_id: int
    disclosure_id: int | None
    handed_over_on: date
    amount: Decimal
    note: str


class DatevQuery(InputSchema):
    first_day: date = Field(..., alias="from")
    last_day: date = Field(..., alias="to")


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["Cache-Control"] = "no-store"
    return response


# --- bank statements ----------------------------------------------------------------------


@router.post("/bank-statements", response=answers(ImportOut, 201))
def upload_bank_statement(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Read a camt.053 statement: credits that match an open invoice are booked as payments,
    the rest wait for review. A file that is not a statement (or too large, or read before)
    answers 422 at ``file``; nothing is stored then."""
    actor = actor_of(request)
    # One byte more than a statement may have: ``camt.parse`` refuses the file as too large.
    result = receivables.bank_statement_import(
        actor=actor, data=file.read(camt.MAX_BYTES + 1), file_name=file.name or ""
    )
    return Status(
        201,
        {
            "statements": result.statements,
            "credits": result.credits,
            "matched": result.matched,
            "review": result.review,
            "known": result.known,
        },
    )


@router.get("/bank-statements", response=answers(Page[BankStatementOut]))
def list_bank_statements(request: HttpRequest, page: Query[PageQuery]) -> Any:
    return page_of(receivables.bank_statement_list(actor=actor_of(request)), page)


@router.get("/bank-transactions", response=answers(Page[BankTransactionOut]))
def list_bank_transactions(
    request: HttpRequest, filters: Query[TransactionFilter], page: Query[PageQuery]
) -> Any:
    """The credits read in, the newest first; ``state=review``: the review list."""
    rows = receivables.bank_transaction_list(actor=actor_of(request), state=filters.state)
    return page_of(rows.prefetch_related("payments"), page)


@router.post("/bank-transactions/{transaction_id}/assign", response=answers(BankTransactionOut))
def assign_bank_transaction(request: HttpRequest, transaction_id: ObjectId, payload: AssignIn) -> Any:
    """Book a credit of the review list as a payment of the invoice (its whole amount)."""
    actor = actor_of(request)
    with transaction.atomic():
        credit = receivables.bank_transaction_get(actor=actor, transaction_id=transaction_id)
        invoice = references._one(selectors.invoice_list(actor=actor), payload.invoice_id, "invoice_id")
        assert invoice is not None
        receivables.bank_transaction_assign(actor=actor, credit=credit, invoice=invoice, note=payload.note)
        return receivables.bank_transaction_list(actor=actor).prefetch_related("payments").get(pk=credit.pk)


@router.post("/bank-transactions/{transaction_id}/dismiss", response=answers(BankTransactionOut))
def dismiss_bank_transaction(request: HttpRequest, transaction_id: ObjectId, payload: DismissIn) -> Any:
    """Take a credit off the review list without booking it; ``note`` says why."""
    actor = actor_of(request)
    with transaction.atomic():
        credit = receivables.bank_transaction_get(actor=actor, transaction_id=transaction_id)
        receivables.bank_transaction_dismiss(actor=actor, credit=credit, note=payload.note)
        return receivables.bank_transaction_list(actor=actor).prefetch_related("payments").get(pk=credit.pk)


# --- overdue invoices, reminders, collection ------------------------------------------------


@router.get("/overdue", response=answers(list[OverdueOut]))
def list_overdue(request: HttpRequest) -> Any:
    """The open invoices past their due date today, the longest overdue first."""
    rows = dunning.overdue_rows(actor=actor_of(request), on=timezone.localdate())
    return [
        {
            "invoice_id": row.invoice.pk,
            "number": row.invoice.number,
            "buyer_name": row.invoice.buyer_name,
            "currency": row.invoice.currency,
            "due_date": row.invoice.due_date,
            "days_overdue": row.days_overdue,
            "open_amount": row.open_amount,
            "interest": row.interest,
            "last_level": row.last_level,
            "next_level": row.next_level,
            "handed_over": row.handed_over,
        }
        for row in rows
    ]


@router.post("/invoices/{invoice_id}/reminders", response=answers(ReminderOut, 201))
def send_reminder(request: HttpRequest, invoice_id: ObjectId) -> Any:
    """Send the invoice's next reminder or dunning notice today: an email with the letter as
    PDF, through the outbox. 422 when the invoice is not due for one."""
    actor = actor_of(request)
    with transaction.atomic():
        invoice = selectors.invoice_get(actor=actor, invoice_id=invoice_id)
        return Status(201, dunning.reminder_send(actor=actor, invoice=invoice, on=timezone.localdate()))


@router.get("/invoices/{invoice_id}/reminders", response=answers(list[ReminderOut]))
def list_reminders(request: HttpRequest, invoice_id: ObjectId) -> Any:
    actor = actor_of(request)
    invoice = selectors.invoice_get(actor=actor, invoice_id=invoice_id)
    return list(dunning.reminder_list(actor=actor, invoice_id=invoice.pk))


@router.get("/reminders/{reminder_id}/pdf", response=answers(None))
def download_reminder_pdf(request: HttpRequest, reminder_id: ObjectId) -> HttpResponse:
    """The reminder's letter as PDF, as it was sent."""
    reminder = dunning.reminder_get(actor=actor_of(request), reminder_id=reminder_id)
    return _download(reminder_pdf(reminder), "application/pdf", reminder_file_name(reminder))


@router.post("/invoices/{invoice_id}/collection", response=answers(CollectionOut, 201))
def hand_over_claim(request: HttpRequest, invoice_id: ObjectId, payload: CollectionIn) -> Any:
    """Hand the claim to a debt collector (a recipient of the register) after the second
    dunning notice; the disclosure of the contact person's data is recorded with it."""
    actor = actor_of(request)
    with transaction.atomic():
        invoice = selectors.invoice_get(actor=actor, invoice_id=invoice_id)
        recipient = references._one(
            dunning.collector_choices(actor=actor), payload.recipient_id, "recipient_id"
        )
        assert recipient is not None
        handover = dunning.collection_handover(
            actor=actor, invoice=invoice, recipient=recipient, on=timezone.localdate(), note=payload.note
        )
        return Status(201, handover)


# --- DATEV ----------------------------------------------------------------------------------


@router.get("/datev", response=answers(None))
def download_datev(request: HttpRequest, period: Query[DatevQuery]) -> HttpResponse:
    """The period's invoices and payments as a DATEV Buchungsstapel (EXTF CSV, Windows-1252);
    a period the wrong way round or longer than a year answers 422 at ``from`` or ``to``."""
    content = datev_export(actor=actor_of(request), first_day=period.first_day, last_day=period.last_day)
    name = f"EXTF_Buchungsstapel_{period.first_day:%Y%m%d}_{period.last_day:%Y%m%d}.csv"
    return _download(content, "text/csv; charset=windows-1252", name)


# --- won deals --------------------------------------------------------------------------------


@router.post("/deals/{deal_id}/order", response=answers(OrderOut, 201))
def order_won_deal(request: HttpRequest, deal_id: ObjectId) -> Any:
    """The order of a won deal: made from its newest accepted quote that has no order yet.
    422 when the deal is not won or has no such quote."""
    actor = actor_of(request)
    actor.require(Permission.SALES_CHANGE)
    with transaction.atomic():
        deal = crm_selectors.deal_get(actor=actor, deal_id=deal_id)
        order = services.deal_won_order_create(actor=actor, deal=deal)
        if order is None:
            raise ValidationError({"deal": NO_QUOTE_TO_ORDER})
        return Status(201, selectors.order_get(actor=actor, order_id=order.pk))
