"""Reminders and dunning notices: which overdue invoice is due for which level, what it claims
(fee, the flat fee of § 288(5) BGB, default interest of § 288(2) BGB), and sending it.

Invariants:
- levels follow each other: a payment reminder, then the first, then the second dunning notice,
  each once per invoice, each only when the invoice is that many days overdue and still open;
- the flat fee of €40 is claimed once per claim (§ 288(5) BGB), with the first dunning notice;
  interest runs from the day after the due date (§ 286(2) Nr. 1 BGB) to the day of the notice;
- the letter is stored as sent (a business letter, § 257(1) Nr. 3 HGB) with its audit event in
  one transaction; the email, with the letter as PDF, is queued in the outbox in that
  transaction and leaves only after it commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import override

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.core.services import require_same_workspace, save_scoped
from zweck.outbox.services import Attachment, mail_queue
from zweck.privacy.disclosure_models import DisclosurePurpose
from zweck.privacy.disclosures import disclosure_record
from zweck.privacy.models import Recipient
from zweck.sales.base_rate import FLAT_FEE, default_interest, default_rate_on
from zweck.sales.datev import receivables_settings_of
from zweck.sales.models import CollectionHandover, Invoice, Reminder
from zweck.sales.models.receivables import LEVEL_ORDER, ReminderLevel
from zweck.sales.printing import supplier_of
from zweck.sales.receivables import open_invoices

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Claim:
    """What a notice of ``level`` claims for an invoice on ``on``."""

    level: str
    days_overdue: int
    open_amount: Decimal
    fee: Decimal
    flat_fee: Decimal
    interest_rate: Decimal
    interest: Decimal

    @property
    def total(self) -> Decimal:
        return self.open_amount + self.fee + self.flat_fee + self.interest


@dataclass(frozen=True)
class Overdue:
    invoice: Invoice
    open_amount: Decimal
    days_overdue: int
    next_level: str | None


def _sent_levels(invoice: Invoice) -> set[str]:
    return set(Reminder.objects.filter(invoice=invoice).values_list("level", flat=True))


def next_level(sent: set[str], days_overdue: int, days_for: dict[str, int]) -> str | None:
    """The first level not yet sent, when the invoice is overdue long enough for it."""
    for level in LEVEL_ORDER:
        if level in sent:
            continue
        return level if days_overdue >= days_for[level] else None
    return None


def overdue_list(*, actor: Actor, on: date) -> list[Overdue]:
    """The open invoices past their due date on ``on``, the longest overdue first, with the
    level each is due for (None when it waits for the next step's day)."""
    actor.require(Permission.INVOICE_MANAGE)
    settings = receivables_settings_of(actor.workspace_id)
    days_for: dict[str, int] = {str(level): settings.days_for(level) for level in LEVEL_ORDER}
    invoices = (
        open_invoices(workspace_id=actor.workspace_id).filter(due_date__lt=on).order_by("due_date", "pk")
    )
    sent: dict[int, set[str]] = {}
    for invoice_id, level in Reminder.objects.in_workspace(actor.workspace_id).values_list(
        "invoice_id", "level"
    ):
        sent.setdefault(invoice_id, set()).add(level)
    found = []
    for invoice in invoices:
        assert invoice.due_date is not None
        days = (on - invoice.due_date).days
        found.append(
            Overdue(
                invoice=invoice,
                open_amount=invoice.gross_total - invoice.paid,  # type: ignore[attr-defined]
                days_overdue=days,
                next_level=next_level(sent.get(invoice.pk, set()), days, days_for),
            )
        )
    return found


@dataclass(frozen=True)
class OverdueRow:
    """An overdue invoice as the overdue list shows it: the last level sent, and the default
    interest run up to ``on`` (when the workspace charges it)."""

    invoice: Invoice
    open_amount: Decimal
    days_overdue: int
    last_level: str | None
    next_level: str | None
    interest: Decimal
    handed_over: bool

    @property
    def last_level_label(self) -> str:
        return str(ReminderLevel(self.last_level).label) if self.last_level else ""

    @property
    def next_level_label(self) -> str:
        return str(ReminderLevel(self.next_level).label) if self.next_level else ""


def overdue_rows(*, actor: Actor, on: date) -> list[OverdueRow]:
    """``overdue_list`` with what the page shows besides: the last level sent, the interest to
    date, and whether the claim went to a debt collector."""
    rows = overdue_list(actor=actor, on=on)
    settings = receivables_settings_of(actor.workspace_id)
    ids = [row.invoice.pk for row in rows]
    sent: dict[int, set[str]] = {}
    for invoice_id, level in (
        Reminder.objects.in_workspace(actor.workspace_id)
        .filter(invoice_id__in=ids)
        .values_list("invoice_id", "level")
    ):
        sent.setdefault(invoice_id, set()).add(level)
    handed = set(
        CollectionHandover.objects.in_workspace(actor.workspace_id)
        .filter(invoice_id__in=ids)
        .values_list("invoice_id", flat=True)
    )
    found = []
    for row in rows:
        levels = sent.get(row.invoice.pk, set())
        last = next((level for level in reversed(LEVEL_ORDER) if level in levels), None)
        interest = ZERO
        if settings.charge_interest and row.invoice.due_date is not None and row.days_overdue > 0:
            interest = default_interest(
                row.open_amount, first_day=row.invoice.due_date + timedelta(days=1), last_day=on
            )
        found.append(
            OverdueRow(
                invoice=row.invoice,
                open_amount=row.open_amount,
                days_overdue=row.days_overdue,
                last_level=last,
                next_level=row.next_level,
                interest=interest,
                handed_over=row.invoice.pk in handed,
            )
        )
    return found


def reminder_list(*, actor: Actor, invoice_id: int | None = None) -> QuerySet[Reminder]:
    """The reminders sent, the newest first (those of one invoice when given)."""
    rows = Reminder.objects.visible_to(actor, Permission.INVOICE_MANAGE)
    if invoice_id is not None:
        rows = rows.filter(invoice_id=invoice_id)
    return rows.select_related("invoice").order_by("-sent_on", "-pk")


def reminder_get(*, actor: Actor, reminder_id: int) -> Reminder:
    return reminder_list(actor=actor).get(pk=reminder_id)


def collector_choices(*, actor: Actor) -> QuerySet[Recipient]:
    """The recipients of the register a claim can be handed to."""
    return Recipient.objects.visible_to(actor, Permission.INVOICE_MANAGE).order_by("name")


def claim_for(*, actor: Actor, invoice: Invoice, open_amount: Decimal, level: str, on: date) -> Claim:
    settings = receivables_settings_of(actor.workspace_id)
    assert invoice.due_date is not None
    days = (on - invoice.due_date).days
    interest = ZERO
    rate = ZERO
    if settings.charge_interest and level != ReminderLevel.REMINDER:
        first_day = invoice.due_date + timedelta(days=1)
        interest = default_interest(open_amount, first_day=first_day, last_day=on)
        rate = default_rate_on(on)
    flat_fee = FLAT_FEE if settings.charge_flat_fee and level == ReminderLevel.FIRST_NOTICE else ZERO
    return Claim(
        level=level,
        days_overdue=days,
        open_amount=open_amount,
        fee=settings.fee_for(level),
        flat_fee=flat_fee,
        interest_rate=rate,
        interest=interest,
    )


def _letter(invoice: Invoice, claim: Claim, pay_by: date) -> tuple[str, str]:
    with override(invoice.language or "de"):
        title = str(ReminderLevel(claim.level).label)
        lines = [
            _("Invoice %(number)s of %(date)s, due on %(due)s, is not yet paid in full.")
            % {"number": invoice.number, "date": invoice.issue_date, "due": invoice.due_date},
            "",
            _("Open amount: %(amount)s %(currency)s")
            % {"amount": claim.open_amount, "currency": invoice.currency},
        ]
        if claim.fee:
            lines.append(
                _("Dunning fee: %(amount)s %(currency)s")
                % {"amount": claim.fee, "currency": invoice.currency}
            )
        if claim.flat_fee:
            lines.append(
                _("Flat fee for default (§ 288(5) BGB): %(amount)s %(currency)s")
                % {"amount": claim.flat_fee, "currency": invoice.currency}
            )
        if claim.interest:
            lines.append(
                _("Default interest at %(rate)s %% a year (§ 288(2) BGB): %(amount)s %(currency)s")
                % {"rate": claim.interest_rate, "amount": claim.interest, "currency": invoice.currency}
            )
        lines += [
            _("Total: %(amount)s %(currency)s") % {"amount": claim.total, "currency": invoice.currency},
            "",
            _("Please pay by %(date)s, quoting the invoice number.") % {"date": pay_by},
            _("If you have paid in the meantime, please disregard this letter."),
            "",
            invoice.supplier_name,
        ]
        subject = _("%(title)s: invoice %(number)s") % {"title": title, "number": invoice.number}
    return subject, "\n".join(lines)


@transaction.atomic
def reminder_send(*, actor: Actor, invoice: Invoice, on: date) -> Reminder:
    """Send the invoice's next reminder or dunning notice by email and keep its copy.
    ``ValidationError`` when the invoice is not due for one, or has no address to send to."""
    actor.require(Permission.INVOICE_MANAGE)
    if invoice.workspace_id != actor.workspace_id:
        raise ValidationError({"invoice": _("No such invoice.")})
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk, workspace_id=actor.workspace_id)
    due = {row.invoice.pk: row for row in overdue_list(actor=actor, on=on)}.get(locked.pk)
    if due is None:
        raise ValidationError({"invoice": _("This invoice is not overdue and open.")})
    if due.next_level is None:
        raise ValidationError({"invoice": _("This invoice is not yet due for its next reminder.")})
    if not locked.buyer_email:
        raise ValidationError({"invoice": _("The invoice names no email address to send the reminder to.")})
    settings = receivables_settings_of(actor.workspace_id)
    claim = claim_for(actor=actor, invoice=locked, open_amount=due.open_amount, level=due.next_level, on=on)
    pay_by = on + timedelta(days=settings.payment_days)
    subject, text = _letter(locked, claim, pay_by)
    reminder = save_scoped(
        Reminder(
            invoice=locked,
            level=claim.level,
            sent_on=on,
            pay_by=pay_by,
            days_overdue=claim.days_overdue,
            open_amount=claim.open_amount,
            fee=claim.fee,
            flat_fee=claim.flat_fee,
            interest_rate=claim.interest_rate,
            interest=claim.interest,
            total=claim.total,
            email=locked.buyer_email,
            subject=subject[:200],
            text=text,
        ),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="reminder.send",
        instance=reminder,
        subject_ids=[locked.contact_id] if locked.contact_id else [],
        changed_fields=["level", "total"],
    )
    from zweck.sales.reminder_printing import reminder_file_name, reminder_pdf

    mail_queue(
        to=locked.buyer_email,
        subject=subject,
        body=text,
        workspace_id=actor.workspace_id,
        reply_to=[email for email in [supplier_of(locked).email] if email],
        attachments=[
            Attachment(
                name=reminder_file_name(reminder),
                content=reminder_pdf(reminder),
                content_type="application/pdf",
            )
        ],
    )
    return reminder


@transaction.atomic
def collection_handover(
    *, actor: Actor, invoice: Invoice, recipient: Recipient, on: date, note: str = ""
) -> CollectionHandover:
    """Hand an overdue claim to a debt collector of the register, after the second dunning
    notice: the handover and the disclosure of the contact person's data to the recipient are
    recorded together (Art. 15(1)(c), Art. 19 GDPR)."""
    actor.require(Permission.INVOICE_MANAGE)
    require_same_workspace(actor, invoice=invoice, recipient=recipient)
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk, workspace_id=actor.workspace_id)
    due = {row.invoice.pk: row for row in overdue_list(actor=actor, on=on)}.get(locked.pk)
    if due is None:
        raise ValidationError({"invoice": _("This invoice is not overdue and open.")})
    if ReminderLevel.SECOND_NOTICE not in _sent_levels(locked):
        raise ValidationError({"invoice": _("Send the second dunning notice before handing the claim over.")})
    if CollectionHandover.objects.filter(invoice=locked).exists():
        raise ValidationError({"invoice": _("This claim was already handed to a debt collector.")})
    disclosures = disclosure_record(
        actor=actor,
        recipient=recipient,
        person_ids=[locked.contact_id] if locked.contact_id else [],
        purpose=DisclosurePurpose.DEBT_COLLECTION,
        data_set="sales.Invoice",
        record_id=locked.pk,
        categories=["user.name", "user.contact.address", "user.contact.email", "user.payment"],
        disclosed_on=on,
    )
    handover = save_scoped(
        CollectionHandover(
            invoice=locked,
            recipient=recipient,
            disclosure=disclosures[0] if disclosures else None,
            handed_over_on=on,
            amount=due.open_amount,
            note=note[:300],
        ),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="collection.handover",
        instance=handover,
        subject_ids=[locked.contact_id] if locked.contact_id else [],
        changed_fields=["recipient", "amount"],
    )
    return handover
