"""Field validators for CRM data: VAT IDs, phone numbers, relationship types."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumValidationError

from zweck.crm.choices import RelationshipType

DEFAULT_PHONE_REGION = "DE"


def normalize_vat_id(value: str) -> str:
    """The compact form (``DE 136 695 976`` → ``DE136695976``); unparseable input is
    returned trimmed, so ``validate_vat_id`` reports it instead of an exception escaping."""
    if not value:
        return ""
    try:
        return eu_vat.compact(value)
    except StdnumValidationError:
        return value.strip()


def validate_vat_id(value: str) -> None:
    """An EU VAT identification number with a valid check digit (e.g. DE + 9 digits)."""
    if not value:
        return
    if not eu_vat.is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid EU VAT ID."), params={"value": value}, code="invalid_vat"
        )


def validate_industry_code(value: str) -> None:
    """A WZ 2008 / NACE Rev. 2 section (A–U) or division (01–99)."""
    from zweck.crm.industries import INDUSTRIES

    if value and value not in INDUSTRIES:
        raise ValidationError(
            _("%(value)s is not a WZ 2008 section (A–U) or division (01–99)."),
            params={"value": value},
            code="invalid_industry_code",
        )


def validate_relationship_types(value: object) -> None:
    if not isinstance(value, list) or any(item not in RelationshipType.values for item in value):
        raise ValidationError(
            _("Relationship must be a list of: %(choices)s."),
            params={"choices": ", ".join(RelationshipType.values)},
            code="invalid_relationship",
        )


def normalize_phone(value: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """A phone number in E.164 (``+4930123456``); raises ``ValidationError`` when not a number."""
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("%(value)s is not a phone number."), params={"value": value}, code="invalid_phone"
        ) from error
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("%(value)s is not a phone number."), params={"value": value}, code="invalid_phone"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value: str) -> None:
    if not value.startswith("+") or normalize_phone(value) != value:
        raise ValidationError(_("Store phone numbers in E.164 form."), code="invalid_phone")
