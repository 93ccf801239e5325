"""The one-line search document of persons and organizations.

Kept in ``search_text`` by the services, lower-cased: names, email addresses, phone
numbers as digits (international and national form, so a number typed either way is
found) and organization names. Search matches against it (trigram index on PostgreSQL).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

from zweck.crm.validators import DEFAULT_PHONE_REGION

_NOT_DIGIT = re.compile(r"\D+")
_PHONE_LIKE = re.compile(r"^[\d\s+()/.\-]{5,}$")


def phone_digit_forms(e164: str) -> list[str]:
    """``+4930123456`` → ``["4930123456", "030123456"]``."""
    forms = [e164.lstrip("+")]
    try:
        parsed = phonenumbers.parse(e164, None)
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        forms.append(_NOT_DIGIT.sub("", national))
    except phonenumbers.NumberParseException:
        pass
    return forms


def looks_like_phone(query: str) -> bool:
    return bool(_PHONE_LIKE.match(query.strip())) and sum(c.isdigit() for c in query) >= 5


def phone_query_digits(query: str) -> str:
    """Digits to look for when someone types a phone number in any format."""
    digits = _NOT_DIGIT.sub("", query)
    if query.strip().startswith("00"):
        digits = digits[2:]
    return digits


def normalize_text(value: str) -> str:
    return " ".join(value.lower().split())


def compose(
    *, names: Iterable[str], emails: Iterable[str] = (), phones: Iterable[str] = (), extra: Iterable[str] = ()
) -> str:
    parts: list[str] = [" ".join(name for name in names if name)]
    parts.extend(emails)
    for phone in phones:
        parts.extend(phone_digit_forms(phone))
    parts.extend(value for value in extra if value)
    return normalize_text(" ".join(part for part in parts if part))


__all__ = [
    "DEFAULT_PHONE_REGION",
    "compose",
    "looks_like_phone",
    "normalize_text",
    "phone_digit_forms",
    "phone_query_digits",
]
