"""Writes for sales: the catalogue, quotes, orders, invoices, payments and the billing settings.

Invariants:
- every write is one transaction with its audit event (ids and field names, never a value);
- a refused input raises ``ValidationError`` naming the field (``lines.2.quantity`` for a line)
  before anything is written;
- a finalized invoice is never changed (the models refuse it too): a correction is a
  cancellation invoice with a number of its own, which negates every line;
- invoice numbers come from ``DocumentCounter`` under ``select_for_update`` in the finalizing
  transaction: unique per workspace and series, without gaps, also under concurrent finalization.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.eu import vat as eu_vat

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.core.services import apply_changes, require_same_workspace, save_scoped
from zweck.crm.choices import AddressKind, DealStatus
from zweck.crm.models import Deal, Organization, Person
from zweck.crm.validators import normalize_vat_id
from zweck.sales.choices import (
    REASONS_NEEDING_BUYER_VAT_ID,
    DocumentKind,
    InvoiceKind,
    InvoiceStatus,
    OrderStatus,
    PaymentMethod,
    PaymentSource,
    QuoteStatus,
    Unit,
    VatRate,
    ZeroRateReason,
)
from zweck.sales.models import (
    DocumentCounter,
    Invoice,
    InvoiceCancellation,
    InvoiceLine,
    InvoiceTaxTotal,
    Order,
    OrderLine,
    Payment,
    Product,
    Quote,
    QuoteLine,
    SalesSettings,
)
from zweck.sales.models.base import DocumentLine, SalesDocument
from zweck.sales.models.invoices import finalized_refusal
from zweck.sales.totals import HUNDRED, LineFigures, cents, document_totals
from zweck.sales.validators import normalize_iban

PRODUCT_FIELDS = (
    "name",
    "number",
    "description",
    "unit",
    "unit_net_price",
    "vat_rate",
    "zero_rate_reason",
    "is_active",
)
DOCUMENT_FIELDS = (
    "contact",
    "owner",
    "currency",
    "language",
    "header_text",
    "footer_text",
    "discount_percent",
)
QUOTE_FIELDS = (*DOCUMENT_FIELDS, "deal", "issue_date", "valid_until")
ORDER_FIELDS = (
    *DOCUMENT_FIELDS,
    "customer_reference",
    "supply_date",
    "supply_period_start",
    "supply_period_end",
)
INVOICE_FIELDS = (
    *DOCUMENT_FIELDS,
    "issue_date",
    "supply_date",
    "supply_period_start",
    "supply_period_end",
    "payment_terms_days",
    "buyer_reference",
    "customer_reference",
)
SETTINGS_FIELDS = (
    "legal_name",
    "street",
    "postal_code",
    "city",
    "country",
    "tax_number",
    "vat_id",
    "contact_point",
    "email",
    "phone",
    "iban",
    "bic",
    "bank_name",
    "register_court",
    "register_number",
    "managing_directors",
    "invoice_prefix",
    "quote_prefix",
    "order_prefix",
    "default_payment_terms_days",
    "quote_validity_days",
    "small_business",
)


@dataclass(frozen=True)
class LineInput:
    """One line as the caller gives it; a product fills what is left out."""

    description: str = ""
    quantity: Decimal = Decimal("1")
    unit_net_price: Decimal | None = None
    vat_rate: int | None = None
    zero_rate_reason: str | None = None
    unit: str | None = None
    discount_percent: Decimal = Decimal("0")
    product: Product | None = None
    deducts_invoice: Invoice | None = field(default=None, compare=False)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# The largest amount the money columns hold (14 digits, 2 of them decimals).
LARGEST_AMOUNT = Decimal("999999999999.99")


def _plus_days(day: date, days: int, field: str) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError as error:
        raise ValidationError({field: _("The date lies outside the supported range.")}) from error


def _subjects(document: SalesDocument) -> list[int]:
    return [document.contact_id] if document.contact_id else []


# --- settings and catalogue ----------------------------------------------------------------


def sales_settings_get(*, actor: Actor) -> SalesSettings:
    """The workspace's billing settings (the shipped defaults while none are saved)."""
    actor.require(Permission.SALES_VIEW)
    found = SalesSettings.objects.in_workspace(actor.workspace_id).first()
    return found or SalesSettings(workspace_id=actor.workspace_id)


@transaction.atomic
def sales_settings_update(*, actor: Actor, **changes: Any) -> SalesSettings:
    """Change the workspace's business details, bank account and number prefixes."""
    actor.require(Permission.INVOICE_MANAGE)
    settings = SalesSettings.objects.in_workspace(actor.workspace_id).select_for_update().first()
    settings = settings or SalesSettings(workspace_id=actor.workspace_id)
    if "vat_id" in changes:
        changes["vat_id"] = normalize_vat_id(str(changes["vat_id"] or ""))
    if "iban" in changes:
        changes["iban"] = normalize_iban(str(changes["iban"] or ""))
    if "bic" in changes:
        changes["bic"] = str(changes["bic"] or "").replace(" ", "").upper()
    adding = settings._state.adding
    changed = apply_changes(settings, changes, allowed=SETTINGS_FIELDS)
    if adding or changed:
        save_scoped(settings, actor=actor, changed=None if adding else changed)
        audit_record(actor=actor, action="salessettings.update", instance=settings, changed_fields=changed)
    return settings


def _require_vat_treatment(instance: Product | DocumentLine, prefix: str = "") -> None:
    """The rule the models' ``clean`` and constraints hold, said before anything else fails."""
    if instance.vat_rate not in VatRate.values:
        raise ValidationError(
            {
                f"{prefix}vat_rate": _("%(rate)s is not a VAT rate Zweck knows (19, 7 or 0).")
                % {"rate": instance.vat_rate}
            }
        )


@transaction.atomic
def product_create(*, actor: Actor, name: str, unit_net_price: Decimal, **details: Any) -> Product:
    """Add a product or service to the catalogue."""
    actor.require(Permission.SALES_CHANGE)
    product = Product(name=name, unit_net_price=unit_net_price)
    apply_changes(product, details, allowed=PRODUCT_FIELDS)
    _require_vat_treatment(product)
    save_scoped(product, actor=actor)
    audit_record(actor=actor, action="product.create", instance=product)
    return product


@transaction.atomic
def product_update(*, actor: Actor, product: Product, **changes: Any) -> Product:
    actor.require(Permission.SALES_CHANGE)
    require_same_workspace(actor, product=product)
    changed = apply_changes(product, changes, allowed=PRODUCT_FIELDS)
    if changed:
        _require_vat_treatment(product)
        save_scoped(product, actor=actor, changed=changed)
        audit_record(actor=actor, action="product.update", instance=product, changed_fields=changed)
    return product


# --- lines and totals ----------------------------------------------------------------------


def _build_lines[L: DocumentLine](actor: Actor, model: type[L], inputs: Sequence[LineInput]) -> list[L]:
    """Line rows (unsaved) from ``inputs``, validated one by one; errors name ``lines.N.field``."""
    errors: dict[str, list[str]] = {}
    lines: list[L] = []
    for index, given in enumerate(inputs):
        product = given.product
        if product is not None:
            require_same_workspace(actor, product=product)
        line = model(
            position=index + 1,
            product=product,
            description=given.description or (product.name if product else ""),
            quantity=given.quantity,
            unit=given.unit or (product.unit if product else Unit.PIECE),
            unit_net_price=given.unit_net_price
            if given.unit_net_price is not None
            else (product.unit_net_price if product else None),
            discount_percent=given.discount_percent,
            vat_rate=given.vat_rate
            if given.vat_rate is not None
            else (product.vat_rate if product else None),
            zero_rate_reason=given.zero_rate_reason
            if given.zero_rate_reason is not None
            else (product.zero_rate_reason if product and given.vat_rate in (None, product.vat_rate) else ""),
        )
        if given.deducts_invoice is not None and isinstance(line, InvoiceLine):
            line.deducts_invoice = given.deducts_invoice
        line.workspace_id = actor.workspace_id
        parent = {QuoteLine: "quote", OrderLine: "order", InvoiceLine: "invoice"}[model]
        try:
            line.full_clean(exclude=[parent, "net_amount", "workspace"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(f"lines.{index}.{name}", []).extend(messages)
        lines.append(line)
    if errors:
        raise ValidationError(errors)
    return lines


def _require_buyer_vat_id(organization: Organization, lines: Sequence[DocumentLine]) -> None:
    """Reverse charge and intra-community supplies need the buyer's valid VAT ID (§ 14a UStG);
    an intra-community supply one of another member state (§ 6a(1) UStG)."""
    errors: dict[str, str] = {}
    vat_id = organization.vat_id or ""
    for index, line in enumerate(lines):
        reason = line.zero_rate_reason
        if reason not in REASONS_NEEDING_BUYER_VAT_ID:
            continue
        label = ZeroRateReason(reason).label
        if not vat_id or not eu_vat.is_valid(vat_id):
            errors[f"lines.{index}.zero_rate_reason"] = _(
                "%(reason)s needs the customer's valid VAT ID; add it to the organization first."
            ) % {"reason": label}
        elif reason == ZeroRateReason.INTRA_COMMUNITY and eu_vat.compact(vat_id).startswith("DE"):
            errors[f"lines.{index}.zero_rate_reason"] = _(
                "An intra-community supply goes to a customer with a VAT ID of another EU member state."
            )
    if errors:
        raise ValidationError(errors)


def _replace_lines(document: Quote | Order | Invoice, lines: Sequence[DocumentLine]) -> None:
    """Store ``lines`` as the document's lines and its totals (the document saved by the caller)."""
    totals = document_totals(
        (
            LineFigures(
                line.quantity,
                line.unit_net_price,
                line.vat_rate,
                line.zero_rate_reason,
                line.discount_percent,
                _deducted_tax(line),
            )
            for line in lines
        ),
        document.discount_percent,
    )
    amounts = [*totals.line_amounts, totals.net_total, totals.tax_total, totals.gross_total]
    if any(abs(amount) > LARGEST_AMOUNT for amount in amounts):
        raise ValidationError({"lines": _("The amounts of this document are too large.")})
    related = document.lines
    if isinstance(document, Invoice):
        InvoiceLine.objects.filter(invoice=document).delete()
        InvoiceTaxTotal.objects.filter(invoice=document).delete()
    else:
        related.all().delete()
    for line, amount in zip(lines, totals.line_amounts, strict=True):
        line.net_amount = amount
        setattr(line, {Quote: "quote", Order: "order", Invoice: "invoice"}[type(document)], document)
        line.workspace_id = document.workspace_id
        line.created_by_id = line.updated_by_id = document.updated_by_id
    type(lines[0]).objects.bulk_create(lines) if lines else None
    if isinstance(document, Invoice):
        InvoiceTaxTotal.objects.bulk_create(
            InvoiceTaxTotal(
                invoice=document,
                workspace_id=document.workspace_id,
                vat_rate=group.vat_rate,
                zero_rate_reason=group.zero_rate_reason,
                net_amount=group.net_amount,
                tax_amount=group.tax_amount,
                created_by_id=document.updated_by_id,
                updated_by_id=document.updated_by_id,
            )
            for group in totals.groups
        )
    document.net_total, document.tax_total = totals.net_total, totals.tax_total
    document.gross_total = totals.gross_total


def _deducted_tax(line: DocumentLine) -> Decimal | None:
    """For a line deducting a partial invoice: that invoice's tax for the line's rate, with the
    line's sign (negative on a final invoice, positive on its cancellation)."""
    partial_id = getattr(line, "deducts_invoice_id", None)
    if partial_id is None:
        return None
    tax = (
        InvoiceTaxTotal.objects.filter(
            invoice_id=partial_id, vat_rate=line.vat_rate, zero_rate_reason=line.zero_rate_reason
        )
        .values_list("tax_amount", flat=True)
        .first()
    ) or Decimal("0.00")
    return tax.copy_sign(line.unit_net_price) if tax else tax


def _recompute_totals(document: Quote | Order | Invoice) -> None:
    lines = list(document.lines.all())
    for line in lines:
        line.pk = None
        line._state.adding = True
    _replace_lines(document, lines)


def _save_document(
    actor: Actor,
    document: Quote | Order | Invoice,
    *,
    lines: Sequence[LineInput] | None,
    changed: list[str] | None,
) -> list[str]:
    """Validate and save a draft document with its lines; the names of what changed."""
    line_model: Any = {Quote: QuoteLine, Order: OrderLine, Invoice: InvoiceLine}[type(document)]
    built: list[DocumentLine] | None = _build_lines(actor, line_model, lines) if lines is not None else None
    require_same_workspace(actor, organization=document.organization, contact=document.contact)
    if built is not None:
        _require_buyer_vat_id(document.organization, built)
    adding = document._state.adding
    totals = ["net_total", "tax_total", "gross_total"]
    if adding:
        save_scoped(document, actor=actor)
    elif changed:
        save_scoped(document, actor=actor, changed=changed)
    if built is not None:
        _replace_lines(document, built)
    elif "discount_percent" in (changed or []):
        _recompute_totals(document)
    if built is not None or "discount_percent" in (changed or []):
        type(document).objects.filter(pk=document.pk).update(
            net_total=document.net_total, tax_total=document.tax_total, gross_total=document.gross_total
        )
        return [*(changed or []), "lines", *totals] if built is not None else [*(changed or []), *totals]
    return list(changed or [])


def _require_contact_of(organization: Organization, contact: Person | None) -> None:
    if contact is not None and not contact.memberships.filter(organization=organization).exists():
        raise ValidationError({"contact": _("The contact person does not work for this customer.")})


# --- number ranges -------------------------------------------------------------------------


def _next_number(actor: Actor, *, kind: str, prefix: str, year: int) -> tuple[int, str]:
    """The next number of a range, under a row lock held to the end of the caller's transaction:
    a concurrent finalization waits here, so numbers are given once and in order, without gaps."""
    counters = DocumentCounter.objects.in_workspace(actor.workspace_id)
    lookup = {"kind": kind, "series": prefix, "year": year}
    if not counters.filter(**lookup).exists():
        try:
            with transaction.atomic():
                save_scoped(DocumentCounter(**lookup), actor=actor)
        except (IntegrityError, ValidationError):
            pass  # another transaction created it meanwhile: its row is locked below
    counter = counters.select_for_update().get(**lookup)
    sequence = counter.next_number
    counters.filter(pk=counter.pk).update(next_number=models.F("next_number") + 1, updated_at=timezone.now())
    return sequence, f"{prefix}{year}-{sequence:04d}"


# --- quotes --------------------------------------------------------------------------------


@transaction.atomic
def quote_create(
    *,
    actor: Actor,
    organization: Organization,
    lines: Sequence[LineInput] = (),
    contact: Person | None = None,
    deal: Deal | None = None,
    **details: Any,
) -> Quote:
    """A draft quote for ``organization``."""
    actor.require(Permission.SALES_CHANGE)
    require_same_workspace(actor, organization=organization, deal=deal)
    _require_contact_of(organization, contact)
    if deal is not None and deal.organization_id != organization.pk:
        raise ValidationError({"deal": _("The deal belongs to another customer.")})
    quote = Quote(organization=organization, contact=contact, deal=deal)
    apply_changes(quote, details, allowed=QUOTE_FIELDS)
    _save_document(actor, quote, lines=lines, changed=None)
    audit_record(actor=actor, action="quote.create", instance=quote, subject_ids=_subjects(quote))
    return quote


def _locked[D: models.Model](model: type[D], actor: Actor, document: D) -> D:
    require_same_workspace(actor, document=document)
    return model.objects.in_workspace(actor.workspace_id).select_for_update().get(pk=document.pk)  # type: ignore[attr-defined]


@transaction.atomic
def quote_update(
    *, actor: Actor, quote: Quote, lines: Sequence[LineInput] | None = None, **changes: Any
) -> Quote:
    """Change a draft quote; a quote sent stays as it was sent."""
    actor.require(Permission.SALES_CHANGE)
    quote = _locked(Quote, actor, quote)
    if quote.status != QuoteStatus.DRAFT:
        raise ValidationError({"status": _("A quote that was sent cannot be changed; make a new one.")})
    changed = apply_changes(quote, changes, allowed=QUOTE_FIELDS)
    _require_contact_of(quote.organization, quote.contact)
    changed = _save_document(actor, quote, lines=lines, changed=changed)
    if changed:
        audit_record(
            actor=actor,
            action="quote.update",
            instance=quote,
            changed_fields=changed,
            subject_ids=_subjects(quote),
        )
    return quote


@transaction.atomic
def quote_send(*, actor: Actor, quote: Quote, today: date | None = None) -> Quote:
    """Mark a draft quote as sent: it gets its number, date and validity and is kept as sent."""
    actor.require(Permission.SALES_CHANGE)
    quote = _locked(Quote, actor, quote)
    if quote.status != QuoteStatus.DRAFT:
        raise ValidationError({"status": _("This quote was already sent.")})
    if not quote.lines.exists():
        raise ValidationError({"lines": _("A quote needs at least one line.")})
    settings = sales_settings_get_for(actor)
    quote.issue_date = quote.issue_date or _today(today)
    quote.valid_until = quote.valid_until or _plus_days(
        quote.issue_date, settings.quote_validity_days, "issue_date"
    )
    _sequence, quote.number = _next_number(
        actor, kind=DocumentKind.QUOTE, prefix=settings.quote_prefix, year=quote.issue_date.year
    )
    quote.status, quote.sent_at = QuoteStatus.SENT, timezone.now()
    changed = ["issue_date", "valid_until", "number", "status", "sent_at"]
    save_scoped(quote, actor=actor, changed=changed)
    audit_record(
        actor=actor, action="quote.send", instance=quote, changed_fields=changed, subject_ids=_subjects(quote)
    )
    return quote


def _decide(actor: Actor, quote: Quote, status: str, today: date | None) -> Quote:
    actor.require(Permission.SALES_CHANGE)
    quote = _locked(Quote, actor, quote)
    if quote.status != QuoteStatus.SENT:
        raise ValidationError(
            {"status": _("Only a quote that was sent and not yet decided can be accepted or declined.")}
        )
    if status == QuoteStatus.ACCEPTED and quote.valid_until and quote.valid_until < _today(today):
        raise ValidationError(
            {"valid_until": _("This quote expired on %(day)s.") % {"day": quote.valid_until}}
        )
    quote.status, quote.decided_at = status, timezone.now()
    save_scoped(quote, actor=actor, changed=["status", "decided_at"])
    audit_record(
        actor=actor,
        action=f"quote.{status}",
        instance=quote,
        changed_fields=["status"],
        subject_ids=_subjects(quote),
    )
    return quote


@transaction.atomic
def quote_accept(*, actor: Actor, quote: Quote, today: date | None = None) -> Quote:
    return _decide(actor, quote, QuoteStatus.ACCEPTED, today)


@transaction.atomic
def quote_decline(*, actor: Actor, quote: Quote, today: date | None = None) -> Quote:
    return _decide(actor, quote, QuoteStatus.DECLINED, today)


def sales_settings_get_for(actor: Actor) -> SalesSettings:
    """The settings for a write (no permission of their own: the write checked its own)."""
    found = SalesSettings.objects.in_workspace(actor.workspace_id).first()
    return found or SalesSettings(workspace_id=actor.workspace_id)


# --- orders --------------------------------------------------------------------------------


def _copy_lines(source: Sequence[DocumentLine]) -> list[LineInput]:
    return [
        LineInput(
            description=line.description,
            quantity=line.quantity,
            unit_net_price=line.unit_net_price,
            vat_rate=line.vat_rate,
            zero_rate_reason=line.zero_rate_reason,
            unit=line.unit,
            discount_percent=line.discount_percent,
            product=line.product,
        )
        for line in source
    ]


@transaction.atomic
def order_create_from_quote(
    *, actor: Actor, quote: Quote, today: date | None = None, **details: Any
) -> Order:
    """The order of an accepted quote, with the quote's lines, discount and texts."""
    actor.require(Permission.SALES_CHANGE)
    quote = _locked(Quote, actor, quote)
    if quote.status != QuoteStatus.ACCEPTED:
        raise ValidationError({"quote": _("Only an accepted quote becomes an order.")})
    if Order.objects.filter(quote=quote).exists():
        raise ValidationError({"quote": _("This quote already has its order.")})
    settings = sales_settings_get_for(actor)
    order = Order(
        organization=quote.organization,
        contact=quote.contact,
        owner=quote.owner,
        quote=quote,
        deal=quote.deal,
        currency=quote.currency,
        language=quote.language,
        discount_percent=quote.discount_percent,
        order_date=_today(today),
    )
    apply_changes(order, details, allowed=(*ORDER_FIELDS, "order_date"))
    _sequence, order.number = _next_number(
        actor, kind=DocumentKind.ORDER, prefix=settings.order_prefix, year=order.order_date.year
    )
    _save_document(actor, order, lines=_copy_lines(list(quote.lines.all())), changed=None)
    audit_record(actor=actor, action="order.create", instance=order, subject_ids=_subjects(order))
    return order


@transaction.atomic
def order_update(*, actor: Actor, order: Order, **changes: Any) -> Order:
    """Change an order's references and supply dates (its lines are the accepted quote's)."""
    actor.require(Permission.SALES_CHANGE)
    order = _locked(Order, actor, order)
    changed = apply_changes(
        order,
        changes,
        allowed=(
            "customer_reference",
            "supply_date",
            "supply_period_start",
            "supply_period_end",
            "owner",
            "contact",
        ),
    )
    if changed:
        save_scoped(order, actor=actor, changed=changed)
        audit_record(
            actor=actor,
            action="order.update",
            instance=order,
            changed_fields=changed,
            subject_ids=_subjects(order),
        )
    return order


def _refresh_order_status(actor: Actor, order_id: int | None) -> None:
    if order_id is None:
        return
    order = Order.objects.in_workspace(actor.workspace_id).select_for_update().get(pk=order_id)
    if order.status == OrderStatus.CANCELLED:
        return
    issued = Invoice.objects.filter(order_id=order_id, status=InvoiceStatus.FINALIZED)
    if issued.filter(kind__in=[InvoiceKind.INVOICE, InvoiceKind.FINAL]).exists():
        status = OrderStatus.INVOICED
    elif issued.filter(kind=InvoiceKind.PARTIAL).exists():
        status = OrderStatus.PARTIALLY_INVOICED
    else:
        status = OrderStatus.OPEN
    if order.status != status:
        order.status = status
        save_scoped(order, actor=actor, changed=["status"])
        audit_record(
            actor=actor,
            action="order.update",
            instance=order,
            changed_fields=["status"],
            subject_ids=_subjects(order),
        )


@transaction.atomic
def deal_won_order_create(*, actor: Actor, deal: Deal, today: date | None = None) -> Order | None:
    """For a won deal, the order of its accepted quote (the newest without an order); None when
    the deal has no such quote."""
    actor.require(Permission.SALES_CHANGE)
    require_same_workspace(actor, deal=deal)
    if deal.status != DealStatus.WON:
        raise ValidationError({"deal": _("Only a won deal becomes an order.")})
    quote = (
        Quote.objects.in_workspace(actor.workspace_id)
        .filter(deal=deal, status=QuoteStatus.ACCEPTED, order__isnull=True)
        .order_by("-decided_at", "-pk")
        .first()
    )
    return order_create_from_quote(actor=actor, quote=quote, today=today) if quote else None


# --- invoices ------------------------------------------------------------------------------


@transaction.atomic
def invoice_create(
    *,
    actor: Actor,
    organization: Organization,
    lines: Sequence[LineInput] = (),
    contact: Person | None = None,
    kind: str = InvoiceKind.INVOICE,
    order: Order | None = None,
    **details: Any,
) -> Invoice:
    """A draft invoice; it gets its number when it is finalized."""
    actor.require(Permission.SALES_CHANGE)
    require_same_workspace(actor, organization=organization, order=order)
    _require_contact_of(organization, contact)
    if kind == InvoiceKind.CANCELLATION:
        raise ValidationError({"kind": _("A cancellation invoice is made by cancelling an invoice.")})
    if kind not in InvoiceKind.values:
        raise ValidationError({"kind": _("Unknown kind of invoice.")})
    settings = sales_settings_get_for(actor)
    invoice = Invoice(
        organization=organization,
        contact=contact,
        kind=kind,
        order=order,
        payment_terms_days=settings.default_payment_terms_days,
    )
    apply_changes(invoice, details, allowed=INVOICE_FIELDS)
    _save_document(actor, invoice, lines=lines, changed=None)
    audit_record(actor=actor, action="invoice.create", instance=invoice, subject_ids=_subjects(invoice))
    return invoice


@transaction.atomic
def invoice_create_from_order(
    *,
    actor: Actor,
    order: Order,
    kind: str = InvoiceKind.INVOICE,
    percent: Decimal | None = None,
    lines: Sequence[LineInput] | None = None,
    **details: Any,
) -> Invoice:
    """A draft invoice for ``order``: the whole order (``invoice``), a partial invoice (its own
    ``lines``, or ``percent`` of the order per VAT rate), or the final invoice, which lists the
    whole order and deducts every partial invoice issued for it (§ 14(5) UStG)."""
    actor.require(Permission.SALES_CHANGE)
    order = _locked(Order, actor, order)
    if order.status in (OrderStatus.INVOICED, OrderStatus.CANCELLED):
        raise ValidationError({"order": _("This order is already invoiced in full or cancelled.")})
    partials = list(
        Invoice.objects.filter(
            order=order, kind=InvoiceKind.PARTIAL, status=InvoiceStatus.FINALIZED
        ).order_by("sequence")
    )
    order_lines = _copy_lines(list(order.lines.all()))
    if kind == InvoiceKind.PARTIAL:
        if lines is None:
            if percent is None or not Decimal(0) < percent <= HUNDRED:
                raise ValidationError(
                    {"percent": _("Give the lines or a percentage from 0 to 100 of the order.")}
                )
            totals = document_totals(
                (
                    LineFigures(
                        line.quantity,
                        line.unit_net_price or Decimal(0),
                        line.vat_rate or 0,
                        line.zero_rate_reason or "",
                        line.discount_percent,
                    )
                    for line in order_lines
                ),
                order.discount_percent,
            )
            lines = [
                LineInput(
                    description=_("Partial payment of %(percent)s %% for order %(number)s")
                    % {"percent": percent.normalize(), "number": order.number},
                    quantity=Decimal(1),
                    unit=Unit.LUMP_SUM,
                    unit_net_price=cents(group.net_amount * percent / HUNDRED),
                    vat_rate=group.vat_rate,
                    zero_rate_reason=group.zero_rate_reason,
                )
                for group in totals.groups
            ]
    elif kind == InvoiceKind.FINAL:
        lines = [*order_lines, *_deductions(partials)]
    elif kind == InvoiceKind.INVOICE:
        if partials:
            raise ValidationError(
                {"kind": _("This order has partial invoices: its last invoice is the final invoice.")}
            )
        lines = order_lines
    else:
        raise ValidationError({"kind": _("Unknown kind of invoice.")})
    return invoice_create(
        actor=actor,
        organization=order.organization,
        contact=order.contact,
        kind=kind,
        order=order,
        lines=lines,
        currency=order.currency,
        language=order.language,
        owner=order.owner,
        discount_percent=Decimal(0) if kind == InvoiceKind.PARTIAL else order.discount_percent,
        customer_reference=order.customer_reference,
        supply_date=order.supply_date,
        supply_period_start=order.supply_period_start,
        supply_period_end=order.supply_period_end,
        **details,
    )


def _deductions(partials: Sequence[Invoice]) -> list[LineInput]:
    """One negative line per partial invoice and VAT rate: its net amount, at its rate."""
    lines = []
    for partial in partials:
        for total in partial.tax_totals.all():
            lines.append(
                LineInput(
                    description=_("Less partial invoice %(number)s of %(day)s")
                    % {"number": partial.number, "day": partial.issue_date},
                    quantity=Decimal(1),
                    unit=Unit.LUMP_SUM,
                    unit_net_price=-total.net_amount,
                    vat_rate=total.vat_rate,
                    zero_rate_reason=total.zero_rate_reason,
                    deducts_invoice=partial,
                )
            )
    return lines


def _locked_draft(actor: Actor, invoice: Invoice) -> Invoice:
    invoice = _locked(Invoice, actor, invoice)
    if invoice.status != InvoiceStatus.DRAFT:
        raise finalized_refusal()
    return invoice


@transaction.atomic
def invoice_update(
    *, actor: Actor, invoice: Invoice, lines: Sequence[LineInput] | None = None, **changes: Any
) -> Invoice:
    """Change a draft invoice; a finalized one is refused."""
    actor.require(Permission.SALES_CHANGE)
    try:
        invoice = _locked_draft(actor, invoice)
    except ValidationError as error:
        raise ValidationError({"status": error.messages}) from error
    changed = apply_changes(invoice, changes, allowed=INVOICE_FIELDS)
    _require_contact_of(invoice.organization, invoice.contact)
    if lines is not None and invoice.kind == InvoiceKind.CANCELLATION:
        raise ValidationError(
            {"lines": _("The lines of a cancellation invoice are those of the invoice it cancels.")}
        )
    changed = _save_document(actor, invoice, lines=lines, changed=changed)
    if changed:
        audit_record(
            actor=actor,
            action="invoice.update",
            instance=invoice,
            changed_fields=changed,
            subject_ids=_subjects(invoice),
        )
    return invoice


@transaction.atomic
def invoice_delete(*, actor: Actor, invoice: Invoice) -> None:
    """Delete a draft invoice (it has no number yet, so no gap arises)."""
    actor.require(Permission.SALES_CHANGE)
    try:
        invoice = _locked_draft(actor, invoice)
    except ValidationError as error:
        raise ValidationError({"status": error.messages}) from error
    invoice_id, subjects = invoice.pk, _subjects(invoice)
    invoice.delete()
    audit_record(
        actor=actor,
        action="invoice.delete",
        object_type="sales.invoice",
        object_id=invoice_id,
        subject_ids=subjects,
    )


def _buyer_address(organization: Organization) -> Any:
    addresses = list(organization.addresses.all())
    for kind in (AddressKind.BILLING, AddressKind.OFFICE):
        for address in addresses:
            if address.kind == kind:
                return address
    return addresses[0] if addresses else None


def _snapshot(invoice: Invoice, settings: SalesSettings) -> None:
    """Copy what the invoice says about buyer and supplier onto it (§ 14(4) Nr. 1–2 UStG)."""
    organization = invoice.organization
    name = organization.name
    if organization.legal_form and not name.endswith(organization.legal_form):
        name = f"{name} {organization.legal_form}"
    address = _buyer_address(organization)
    invoice.buyer_name = name
    invoice.buyer_street = address.street if address else ""
    invoice.buyer_postal_code = address.postal_code if address else ""
    invoice.buyer_city = address.city if address else ""
    invoice.buyer_country = address.country if address else ""
    invoice.buyer_vat_id = organization.vat_id
    contact = invoice.contact
    invoice.buyer_contact_name = (
        " ".join(p for p in (contact.first_name, contact.last_name) if p) if contact else ""
    )
    email = ""
    if contact is not None:
        primary = contact.emails.order_by("-is_primary", "pk").first()
        email = primary.email if primary else ""
    invoice.buyer_email = organization.email or email
    invoice.supplier_name = settings.legal_name
    invoice.supplier_street, invoice.supplier_postal_code = settings.street, settings.postal_code
    invoice.supplier_city, invoice.supplier_country = settings.city, settings.country
    invoice.supplier_tax_number, invoice.supplier_vat_id = settings.tax_number, settings.vat_id
    invoice.supplier_contact_point, invoice.supplier_email = settings.contact_point, settings.email
    invoice.supplier_phone = settings.phone
    invoice.supplier_iban, invoice.supplier_bic, invoice.supplier_bank_name = (
        settings.iban,
        settings.bic,
        settings.bank_name,
    )
    invoice.supplier_register_court = settings.register_court
    invoice.supplier_register_number = settings.register_number
    invoice.supplier_managing_directors = settings.managing_directors
    invoice.small_business = settings.small_business


def _missing_items(invoice: Invoice, lines: Sequence[InvoiceLine]) -> dict[str, str]:
    """The mandatory items of § 14(4) UStG the invoice would lack, by field."""
    missing: dict[str, str] = {}
    if not (invoice.supplier_name and invoice.supplier_street and invoice.supplier_city):
        missing["supplier_name"] = _(
            "Enter your company's legal name and full address in the billing settings."
        )
    if not (invoice.supplier_tax_number or invoice.supplier_vat_id):
        missing["supplier_tax_number"] = _("Enter your tax number or VAT ID in the billing settings.")
    if not (invoice.buyer_name and invoice.buyer_street and invoice.buyer_city):
        missing["organization"] = _("The customer needs a name and a full postal address.")
    if not (invoice.supply_date or (invoice.supply_period_start and invoice.supply_period_end)):
        missing["supply_date"] = _("Enter the date of supply or the period of the service.")
    if not lines:
        missing["lines"] = _("An invoice needs at least one line.")
    if invoice.small_business and any(
        line.zero_rate_reason != ZeroRateReason.SMALL_BUSINESS for line in lines
    ):
        missing["lines"] = _(
            "As a small business (§ 19 UStG) you charge no VAT: every line needs 0 % with that reason."
        )
    return missing


def _finalize(actor: Actor, invoice: Invoice, today: date | None) -> Invoice:
    """Number, snapshot and freeze a locked draft invoice."""
    settings = sales_settings_get_for(actor)
    lines = list(InvoiceLine.objects.filter(invoice=invoice).order_by("position", "pk"))
    _snapshot(invoice, settings)
    if invoice.kind == InvoiceKind.CANCELLATION:
        original = invoice.cancels_link.invoice
        for name in (
            "buyer_name",
            "buyer_contact_name",
            "buyer_street",
            "buyer_postal_code",
            "buyer_city",
            "buyer_country",
            "buyer_vat_id",
            "buyer_email",
        ):
            setattr(invoice, name, getattr(original, name))
    missing = _missing_items(invoice, lines)
    if missing:
        raise ValidationError(missing)
    _require_buyer_vat_id(invoice.organization, lines) if invoice.kind != InvoiceKind.CANCELLATION else None
    if invoice.kind != InvoiceKind.CANCELLATION and invoice.gross_total < 0:
        raise ValidationError(
            {"lines": _("An invoice cannot come to less than zero; cancel an invoice instead.")}
        )
    invoice.issue_date = invoice.issue_date or _today(today)
    invoice.due_date = _plus_days(invoice.issue_date, invoice.payment_terms_days, "issue_date")
    invoice.series = settings.invoice_prefix
    invoice.sequence, invoice.number = _next_number(
        actor, kind=DocumentKind.INVOICE, prefix=invoice.series, year=invoice.issue_date.year
    )
    invoice.status, invoice.finalized_at = InvoiceStatus.FINALIZED, timezone.now()
    # Saved whole: the draft becomes the voucher in one write (the model refuses any later one).
    save_scoped(invoice, actor=actor, changed=None)
    audit_record(
        actor=actor,
        action="invoice.finalize",
        instance=invoice,
        changed_fields=["status", "number"],
        subject_ids=_subjects(invoice),
    )
    return invoice


@transaction.atomic
def invoice_finalize(*, actor: Actor, invoice: Invoice, today: date | None = None) -> Invoice:
    """Issue a draft invoice: check the items § 14(4) UStG requires, copy buyer and supplier
    details onto it, give it the next number of its range. From then on it never changes."""
    actor.require(Permission.INVOICE_MANAGE)
    require_same_workspace(actor, invoice=invoice)
    invoice = Invoice.objects.in_workspace(actor.workspace_id).select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.DRAFT:
        raise ValidationError(
            {
                "status": _("This invoice is already finalized (number %(number)s).")
                % {"number": invoice.number}
            }
        )
    invoice = _finalize(actor, invoice, today)
    _refresh_order_status(actor, invoice.order_id)
    return invoice


@transaction.atomic
def invoice_cancel(*, actor: Actor, invoice: Invoice, today: date | None = None, reason: str = "") -> Invoice:
    """Cancel a finalized invoice by a cancellation invoice (Storno) with a number of its own,
    whose lines negate the invoice's; the invoice itself stays as issued, marked cancelled.
    Returns the cancellation invoice."""
    actor.require(Permission.INVOICE_MANAGE)
    require_same_workspace(actor, invoice=invoice)
    original = Invoice.objects.in_workspace(actor.workspace_id).select_for_update().get(pk=invoice.pk)
    if original.status == InvoiceStatus.DRAFT:
        raise ValidationError({"status": _("A draft is changed or deleted, not cancelled.")})
    if original.status == InvoiceStatus.CANCELLED:
        raise ValidationError({"status": _("This invoice is already cancelled.")})
    if original.kind == InvoiceKind.CANCELLATION:
        raise ValidationError(
            {"kind": _("A cancellation invoice cannot be cancelled; issue a new invoice instead.")}
        )
    if original.deducted_by.filter(invoice__status=InvoiceStatus.FINALIZED).exists():
        raise ValidationError(
            {"status": _("A final invoice deducts this partial invoice: cancel the final invoice first.")}
        )
    header = _("Cancellation of invoice %(number)s of %(day)s.") % {
        "number": original.number,
        "day": original.issue_date,
    }
    cancellation = Invoice(
        organization=original.organization,
        contact=original.contact,
        owner=original.owner,
        kind=InvoiceKind.CANCELLATION,
        order=original.order,
        currency=original.currency,
        language=original.language,
        discount_percent=original.discount_percent,
        header_text=f"{header} {reason}".strip(),
        supply_date=original.supply_date,
        supply_period_start=original.supply_period_start,
        supply_period_end=original.supply_period_end,
        payment_terms_days=0,
        buyer_reference=original.buyer_reference,
        customer_reference=original.customer_reference,
    )
    save_scoped(cancellation, actor=actor)
    save_scoped(InvoiceCancellation(invoice=original, cancellation=cancellation), actor=actor)
    negated = [
        InvoiceLine(
            position=line.position,
            product=line.product,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_net_price=-line.unit_net_price,
            discount_percent=line.discount_percent,
            vat_rate=line.vat_rate,
            zero_rate_reason=line.zero_rate_reason,
            deducts_invoice=line.deducts_invoice,
        )
        for line in original.lines.order_by("position", "pk")
    ]
    _replace_lines(cancellation, negated)
    cancellation = _finalize(actor, cancellation, today)
    original.status = InvoiceStatus.CANCELLED
    save_scoped(original, actor=actor, changed=["status"])
    audit_record(
        actor=actor,
        action="invoice.cancel",
        instance=original,
        changed_fields=["status"],
        subject_ids=_subjects(original),
    )
    _refresh_order_status(actor, original.order_id)
    return cancellation


# --- payments ------------------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    actor: Actor,
    invoice: Invoice,
    amount: Decimal,
    paid_on: date,
    method: str = PaymentMethod.BANK_TRANSFER,
    source: str = PaymentSource.MANUAL,
    **details: Any,
) -> Payment:
    """Record money received for a finalized invoice (negative: paid back)."""
    actor.require(Permission.INVOICE_MANAGE)
    require_same_workspace(actor, invoice=invoice)
    if invoice.status == InvoiceStatus.DRAFT:
        raise ValidationError({"invoice": _("Payments are recorded for finalized invoices only.")})
    payment = Payment(invoice=invoice, amount=amount, paid_on=paid_on, method=method, source=source)
    apply_changes(
        payment, details, allowed=("reference", "payer_name", "payer_iban", "bank_transaction_id", "note")
    )
    if payment.payer_iban:
        payment.payer_iban = normalize_iban(payment.payer_iban)
        from zweck.sales.validators import validate_iban

        try:
            validate_iban(payment.payer_iban)
        except ValidationError as error:
            raise ValidationError({"payer_iban": error.messages}) from error
    save_scoped(payment, actor=actor)
    audit_record(actor=actor, action="payment.record", instance=payment, subject_ids=_subjects(invoice))
    return payment
