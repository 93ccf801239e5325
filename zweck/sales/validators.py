"""Field validators of the sales documents: amounts, percentages, bank details."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException


def validate_positive(value: Decimal) -> None:
    """A quantity: more than zero (a credit is a cancellation invoice, not a negative quantity)."""
    if value is not None and value <= 0:
        raise ValidationError(_("Enter a quantity greater than zero."), code="not_positive")


def validate_percent(value: Decimal) -> None:
    if value is not None and not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(_("Enter a percentage from 0 to 100."), code="invalid_percent")


def normalize_iban(value: str) -> str:
    """The compact form (``DE89 3704 ...`` → ``DE8937040044...``); unparseable input trimmed."""
    if not value:
        return ""
    try:
        return str(IBAN(value, allow_invalid=True).compact)
    except SchwiftyException:
        return value.strip()


def validate_iban(value: str) -> None:
    """An IBAN with a valid country, length, bank code where known, and check digits."""
    if not value:
        return
    try:
        IBAN(value)
    except SchwiftyException as error:
        raise ValidationError(
            _("%(value)s is not a valid IBAN."), params={"value": value}, code="invalid_iban"
        ) from error


def validate_bic(value: str) -> None:
    if not value:
        return
    try:
        BIC(value)
    except SchwiftyException as error:
        raise ValidationError(
            _("%(value)s is not a valid BIC."), params={"value": value}, code="invalid_bic"
        ) from error
