"""Bank statements read in and their credits matched to open invoices; what does not match waits
for staff to assign or dismiss it.

Invariants:
- an import is one transaction: a file that is not camt.053, or a statement of this account
  already read, stores nothing and changes nothing;
- a credit is stored once per bank reference (``BankTransaction.key``); a credit seen before is
  counted as known and books nothing;
- only booked credits in the invoice's currency are matched; only finalized invoices that are
  not cancellations and still have an open amount are candidates;
- a credit is matched automatically only when the invoice numbers its payment reference names,
  and its amount, leave no doubt: one named invoice with at least this much open (a partial
  payment when less), several named invoices whose open amounts add up to it exactly, or no
  number but exactly one open invoice of this amount from a payer whose name is the buyer's;
- every payment is written with its audit event in the same transaction; audit rows hold ids,
  never names, IBANs or texts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.core.services import save_scoped
from zweck.sales import camt
from zweck.sales.choices import InvoiceKind, InvoiceStatus, PaymentMethod, PaymentSource
from zweck.sales.models import BankStatement, BankTransaction, Invoice, Payment
from zweck.sales.models.receivables import TransactionState

REVIEW_REASONS = {
    "no_reference": gettext_lazy(
        "No invoice number in the payment reference, and no open invoice of this amount"
    ),
    "ambiguous_amount": gettext_lazy("Several open invoices of this amount"),
    "more_than_open": gettext_lazy("More than the invoice's open amount"),
    "sum_differs": gettext_lazy("Several invoices named; the amount is not their open total"),
    "not_open": gettext_lazy("The invoice named is paid, cancelled or not finalized"),
    "currency": gettext_lazy("Another currency than the invoice's"),
    "payer_differs": gettext_lazy("One open invoice of this amount, but the payer is not its buyer"),
}
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ImportResult:
    statements: list[BankStatement]
    credits: int
    matched: int
    review: int
    known: int


def _paid_subquery() -> Coalesce:
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(paid), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2))


def open_invoices(*, workspace_id: int) -> QuerySet[Invoice]:
    """Finalized invoices of the workspace that still have money open, with ``paid`` and the
    ``open_amount`` annotated. Read as stored: matching money to an invoice is bookkeeping, which
    a restriction of the contact person does not stop (Art. 18(2) GDPR: legal claims)."""
    return (
        Invoice.objects.in_workspace(workspace_id)
        .filter(status=InvoiceStatus.FINALIZED)
        .exclude(kind=InvoiceKind.CANCELLATION)
        .annotate(paid=_paid_subquery())
        .filter(gross_total__gt=F("paid"))
    )


def open_amount_of(invoice: Invoice) -> Decimal:
    paid = Payment.objects.filter(invoice=invoice).aggregate(total=Sum("amount"))["total"] or ZERO
    return invoice.gross_total - paid


def _normalized(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _words(text: str) -> set[str]:
    ignored = {"GMBH", "AG", "KG", "UG", "OHG", "CO", "MBH", "EK", "SE", "UND", "THE", "LTD", "INC"}
    return {word for word in re.findall(r"[0-9A-ZÄÖÜ]{3,}", text.upper()) if word not in ignored}


class _Matcher:
    """The open invoices of one workspace, indexed by their numbers, while a file is matched."""

    def __init__(self, workspace_id: int) -> None:
        self.invoices = {invoice.pk: invoice for invoice in open_invoices(workspace_id=workspace_id)}
        self.open = {pk: invoice.gross_total - invoice.paid for pk, invoice in self.invoices.items()}  # type: ignore[attr-defined]
        self.by_number: dict[str, int] = {}
        for pk, invoice in self.invoices.items():
            number = invoice.number or ""
            self.by_number[_normalized(number)] = pk
            if invoice.series and number.startswith(invoice.series):
                # Payers often leave the series prefix out: "2026-0042" for "RE-2026-0042".
                rest = _normalized(number[len(invoice.series) :])
                if len(rest) >= 6:
                    self.by_number.setdefault(rest, pk)
        self.workspace_id = workspace_id

    def named(self, remittance: str) -> tuple[list[int], bool]:
        """The open invoices the text names, and whether it names a number of a closed one."""
        text = _normalized(remittance)
        found = [pk for key, pk in self.by_number.items() if key and key in text]
        unique = sorted(set(found))
        # A shorter key inside a longer one ("RE20261" in "RE202610") is not a second invoice.
        numbers = {pk: _normalized(self.invoices[pk].number or "") for pk in unique}
        unique = [
            pk for pk in unique if not any(pk != other and numbers[pk] in numbers[other] for other in unique)
        ]
        closed = False
        if not unique:
            # A number the payer wrote that is an invoice, but not an open one.
            words = [word.strip(".,;:") for word in remittance.split()]
            closed = (
                bool(words)
                and Invoice.objects.in_workspace(self.workspace_id).filter(number__in=words[:50]).exists()
            )
        return unique, closed

    def decide(self, credit: camt.Transaction) -> tuple[list[tuple[int, Decimal]], str]:
        """The (invoice, amount) payments for ``credit``, or none and the reason to review it."""
        named, closed = self.named(credit.remittance)
        currency_of = {pk: self.invoices[pk].currency for pk in named}
        if named:
            if any(currency_of[pk] != credit.currency for pk in named):
                return [], "currency"
            if len(named) == 1:
                pk = named[0]
                if credit.amount > self.open[pk]:
                    return [], "more_than_open"
                return [(pk, credit.amount)], ""
            if sum(self.open[pk] for pk in named) == credit.amount:
                return [(pk, self.open[pk]) for pk in named], ""
            return [], "sum_differs"
        if closed:
            return [], "not_open"
        same_amount = [
            pk
            for pk, amount in self.open.items()
            if amount == credit.amount and self.invoices[pk].currency == credit.currency
        ]
        if not same_amount:
            return [], "no_reference"
        if len(same_amount) > 1:
            return [], "ambiguous_amount"
        pk = same_amount[0]
        if not (_words(credit.payer_name) & _words(self.invoices[pk].buyer_name)):
            return [], "payer_differs"
        return [(pk, credit.amount)], ""

    def booked(self, pk: int, amount: Decimal) -> None:
        self.open[pk] -= amount
        if self.open[pk] <= 0:
            self.open.pop(pk)
            self.by_number = {key: value for key, value in self.by_number.items() if value != pk}


def _payment_record(
    *,
    actor: Actor,
    invoice: Invoice,
    amount: Decimal,
    paid_on: date,
    credit: BankTransaction,
    suffix: str = "",
) -> Payment:
    """A payment from a bank credit, recorded by the sales service (with its audit event, in
    the caller's transaction)."""
    from zweck.sales.services import payment_record

    payment = payment_record(
        actor=actor,
        invoice=invoice,
        amount=amount,
        paid_on=paid_on,
        method=PaymentMethod.BANK_TRANSFER,
        source=PaymentSource.BANK_IMPORT,
        reference=credit.remittance[:300],
        payer_name=credit.payer_name,
        payer_iban=credit.payer_iban,
        bank_transaction_id=f"{credit.key}{suffix}"[:100],
    )
    credit.payments.add(payment)
    return payment


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def bank_statement_import(*, actor: Actor, data: bytes, file_name: str = "") -> ImportResult:
    """Read a camt.053 file: store its credits, record a payment for each that matches an open
    invoice, leave the rest for review. ``ValidationError`` on ``file`` when the file is not a
    statement or was read before; then nothing is stored."""
    actor.require(Permission.INVOICE_MANAGE)
    try:
        statements = camt.parse(data)
    except camt.CamtError as error:
        raise ValidationError({"file": str(error)}) from error
    matcher = _Matcher(actor.workspace_id)
    stored: list[BankStatement] = []
    totals = {"credits": 0, "matched": 0, "review": 0, "known": 0}
    for statement in statements:
        earlier = BankStatement.objects.in_workspace(actor.workspace_id).filter(
            account_iban=statement.account_iban, identifier=statement.identifier
        )
        if earlier.exists():
            raise ValidationError(
                {
                    "file": _("Statement %(id)s of this account was read in on %(date)s already.")
                    % {
                        "id": statement.identifier,
                        "date": timezone.localdate(earlier.get().created_at).isoformat(),
                    }
                }
            )
        row = save_scoped(
            BankStatement(
                identifier=statement.identifier,
                account_iban=statement.account_iban,
                version=statement.version,
                statement_created_at=statement.created_at
                if statement.created_at is None or timezone.is_aware(statement.created_at)
                else timezone.make_aware(statement.created_at),
                from_date=statement.from_date,
                to_date=statement.to_date,
                file_name=file_name[:200],
            ),
            actor=actor,
        )
        credits = [tx for tx in statement.transactions if tx.credit and tx.booked and tx.amount > 0]
        known = set(
            BankTransaction.objects.in_workspace(actor.workspace_id)
            .filter(key__in=[tx.key for tx in credits])
            .values_list("key", flat=True)
        )
        counts = {"credits": len(credits), "matched": 0, "review": 0, "known": 0}
        for credit in credits:
            if credit.key in known:
                counts["known"] += 1
                continue
            known.add(credit.key)
            decided, reason = ([], "more_than_open") if credit.reversal else matcher.decide(credit)
            state = TransactionState.MATCHED if decided else TransactionState.REVIEW
            stored_credit = save_scoped(
                BankTransaction(
                    statement=row,
                    key=credit.key,
                    amount=credit.amount,
                    currency=credit.currency or "EUR",
                    booking_date=credit.booking_date,
                    value_date=credit.value_date,
                    payer_name=credit.payer_name,
                    payer_iban=credit.payer_iban,
                    remittance=credit.remittance,
                    end_to_end_id=credit.end_to_end_id,
                    state=state,
                    review_reason=reason,
                    resolved_at=timezone.now() if decided else None,
                ),
                actor=actor,
            )
            paid_on = credit.booking_date or credit.value_date or timezone.localdate()
            for index, (pk, amount) in enumerate(decided):
                _payment_record(
                    actor=actor,
                    invoice=matcher.invoices[pk],
                    amount=amount,
                    paid_on=paid_on,
                    credit=stored_credit,
                    suffix="" if index == 0 else f"/{index + 1}",
                )
                matcher.booked(pk, amount)
            counts["matched" if decided else "review"] += 1
        row.credit_count, row.matched_count = counts["credits"], counts["matched"]
        row.review_count, row.known_count = counts["review"], counts["known"]
        save_scoped(
            row, actor=actor, changed=["credit_count", "matched_count", "review_count", "known_count"]
        )
        audit_record(
            actor=actor,
            action="bank_statement.import",
            instance=row,
            changed_fields=[f"{key}={value}" for key, value in counts.items()],
        )
        stored.append(row)
        for key, value in counts.items():
            totals[key] += value
    return ImportResult(statements=stored, **totals)


def bank_transaction_list(*, actor: Actor, state: str | None = None) -> QuerySet[BankTransaction]:
    """The workspace's bank credits, the newest first (only those in ``state`` when given).

    Read for use, by whoever manages invoices: reviewing credits is bookkeeping, and a credit
    names no contact person whose restriction would hide it (a storage read would also ask
    for ``privacy.view``, which accounting does not hold)."""
    rows = BankTransaction.objects.visible_to(actor, Permission.INVOICE_MANAGE)
    if state:
        rows = rows.filter(state=state)
    return rows.select_related("statement").order_by("-booking_date", "-pk")


def bank_statement_list(*, actor: Actor) -> QuerySet[BankStatement]:
    """The statements read in, the newest first."""
    return BankStatement.objects.visible_to(actor, Permission.INVOICE_MANAGE).order_by("-created_at", "-pk")


def bank_transaction_get(*, actor: Actor, transaction_id: int) -> BankTransaction:
    return bank_transaction_list(actor=actor).get(pk=transaction_id)


def invoice_by_number(*, actor: Actor, number: str) -> Invoice:
    """The workspace's invoice of that number; ``ValidationError`` on ``invoice`` otherwise."""
    wanted = number.strip()
    found = (
        Invoice.objects.visible_to(actor, Permission.INVOICE_MANAGE).filter(number__iexact=wanted).first()
        if wanted
        else None
    )
    if found is None:
        raise ValidationError({"invoice": _("No invoice has the number %(number)s.") % {"number": wanted}})
    return found


def review_list(*, actor: Actor) -> QuerySet[BankTransaction]:
    """The credits waiting for staff to assign or dismiss them."""
    return bank_transaction_list(actor=actor, state=TransactionState.REVIEW)


def _locked_for_review(actor: Actor, credit: BankTransaction) -> BankTransaction:
    locked = BankTransaction.objects.select_for_update().get(pk=credit.pk, workspace_id=actor.workspace_id)
    if locked.state != TransactionState.REVIEW:
        raise ValidationError({"state": _("This credit was already dealt with.")})
    return locked


@transaction.atomic
def bank_transaction_assign(
    *, actor: Actor, credit: BankTransaction, invoice: Invoice, note: str = ""
) -> BankTransaction:
    """Book a credit from the review list on ``invoice``: a payment of its whole amount."""
    actor.require(Permission.INVOICE_MANAGE)
    if invoice.workspace_id != actor.workspace_id:
        raise ValidationError({"invoice": _("No such invoice.")})
    locked = _locked_for_review(actor, credit)
    if invoice.status != InvoiceStatus.FINALIZED or invoice.kind == InvoiceKind.CANCELLATION:
        raise ValidationError({"invoice": _("Only a finalized invoice that is not cancelled can be paid.")})
    if invoice.currency != locked.currency:
        raise ValidationError({"invoice": _("The invoice is in another currency than the credit.")})
    if open_amount_of(invoice) <= 0:
        # Booking money on a paid invoice would only make a credit balance nobody asked for.
        raise ValidationError(
            {
                "invoice": _("Invoice %(number)s is paid in full; assign the credit to an open invoice.")
                % {"number": invoice.number}
            }
        )
    _payment_record(
        actor=actor,
        invoice=invoice,
        amount=locked.amount,
        paid_on=locked.booking_date or locked.value_date or timezone.localdate(),
        credit=locked,
    )
    locked.state = TransactionState.ASSIGNED
    locked.resolved_at = timezone.now()
    locked.note = note[:300]
    save_scoped(locked, actor=actor, changed=["state", "resolved_at", "note"])
    audit_record(
        actor=actor, action="bank_transaction.assign", instance=locked, changed_fields=["state", "note"]
    )
    return locked


@transaction.atomic
def bank_transaction_dismiss(*, actor: Actor, credit: BankTransaction, note: str) -> BankTransaction:
    """Take a credit off the review list without booking it (not a customer's payment)."""
    actor.require(Permission.INVOICE_MANAGE)
    if not note.strip():
        raise ValidationError({"note": _("Say why this credit is not a payment for an invoice.")})
    locked = _locked_for_review(actor, credit)
    locked.state = TransactionState.DISMISSED
    locked.resolved_at = timezone.now()
    locked.note = note.strip()[:300]
    save_scoped(locked, actor=actor, changed=["state", "resolved_at", "note"])
    audit_record(
        actor=actor, action="bank_transaction.dismiss", instance=locked, changed_fields=["state", "note"]
    )
    return locked


def credits_total(rows: Iterable[BankTransaction]) -> Decimal:
    return sum((row.amount for row in rows), ZERO)
