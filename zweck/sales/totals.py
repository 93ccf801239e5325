"""The arithmetic of a sales document, pure and in ``Decimal``: no database, no floats.

Rules (§ 14(4) Nr. 7–8 UStG; EN 16931 BR-CO-10 to BR-CO-17, BR-S-08, BR-DEC):
- a line's net amount is quantity × unit price less the line's discount, rounded to the cent;
- lines are grouped by VAT rate and reason for no VAT; a document discount reduces each group's
  net amount, rounded to the cent per group;
- the tax of a group is its net amount × rate, rounded once per group (never per line, so the
  invoice's tax equals what the rate gives on its net amount);
- a line deducting a partial invoice (on a final invoice) carries the partial invoice's own tax
  for its rate: the document discount does not touch it, and the final invoice's tax is the tax
  on the whole less the tax already invoiced (§ 14(5) UStG), so partial and final invoices add up
  to the cent to what one invoice would have been;
- rounding is commercial (half away from zero), so a cancellation, which negates every price,
  comes to exactly the negated totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    """``value`` rounded to the cent, halves away from zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_net_amount(quantity: Decimal, unit_net_price: Decimal, discount_percent: Decimal = ZERO) -> Decimal:
    return cents(quantity * unit_net_price * (HUNDRED - discount_percent) / HUNDRED)


@dataclass(frozen=True)
class LineFigures:
    quantity: Decimal
    unit_net_price: Decimal
    vat_rate: int
    zero_rate_reason: str = ""
    discount_percent: Decimal = ZERO
    # Set on a line that deducts a partial invoice: that invoice's tax for the rate, negative.
    deducted_tax: Decimal | None = None


@dataclass(frozen=True)
class TaxGroup:
    """The net amount and tax of one VAT rate (and reason for no VAT) on a document."""

    vat_rate: int
    zero_rate_reason: str
    lines_net_amount: Decimal  # the lines' net amounts added up, before the document discount
    net_amount: Decimal
    tax_amount: Decimal

    @property
    def discount_amount(self) -> Decimal:
        return self.lines_net_amount - self.net_amount


@dataclass(frozen=True)
class Totals:
    line_amounts: tuple[Decimal, ...]
    groups: tuple[TaxGroup, ...]  # highest rate first

    @property
    def lines_net_total(self) -> Decimal:
        return sum((group.lines_net_amount for group in self.groups), ZERO)

    @property
    def discount_amount(self) -> Decimal:
        return sum((group.discount_amount for group in self.groups), ZERO)

    @property
    def net_total(self) -> Decimal:
        return sum((group.net_amount for group in self.groups), ZERO)

    @property
    def tax_total(self) -> Decimal:
        return sum((group.tax_amount for group in self.groups), ZERO)

    @property
    def gross_total(self) -> Decimal:
        return self.net_total + self.tax_total


def document_totals(lines: Iterable[LineFigures], discount_percent: Decimal = ZERO) -> Totals:
    """The line amounts, tax groups and totals of a document with ``lines`` and a document
    discount of ``discount_percent``."""
    amounts: list[Decimal] = []
    sums: dict[tuple[int, str], Decimal] = {}
    deducted: dict[tuple[int, str], tuple[Decimal, Decimal]] = {}
    for line in lines:
        amount = line_net_amount(line.quantity, line.unit_net_price, line.discount_percent)
        amounts.append(amount)
        key = (int(line.vat_rate), line.zero_rate_reason)
        sums.setdefault(key, ZERO)
        if line.deducted_tax is None:
            sums[key] += amount
        else:
            net, tax = deducted.get(key, (ZERO, ZERO))
            deducted[key] = (net + amount, tax + line.deducted_tax)
    groups = []
    for (rate, reason), lines_net in sorted(sums.items(), key=lambda item: (-item[0][0], item[0][1])):
        net = cents(lines_net * (HUNDRED - discount_percent) / HUNDRED)
        tax = cents(net * rate / HUNDRED)
        deducted_net, deducted_tax = deducted.get((rate, reason), (ZERO, ZERO))
        groups.append(
            TaxGroup(rate, reason, lines_net + deducted_net, net + deducted_net, tax + deducted_tax)
        )
    return Totals(line_amounts=tuple(amounts), groups=tuple(groups))
