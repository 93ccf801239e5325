"""Formatting helpers for the staff templates: money, days, moments and counts per language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.templatetags.static import static
from django.utils import formats, timezone, translation
from django.utils.html import format_html

from zweck.accounts.actors import Actor
from zweck.crm.choices import RelationshipType
from zweck.crm.models import Activity
from zweck.crm.services.activities import activity_is_own
from zweck.privacy.labels import date_text, language_of, phone_text

register = template.Library()

# Where the currency sign goes in each interface language: German writes "1.234,50 €",
# English "€1,234.50". Codes without a sign are written out ("CHF 1.234,50").
_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£"}


@register.filter
def money(amount: Decimal | int | float | None, currency: str = "EUR") -> str:
    """An amount with two decimals, grouped and signed the way the active language writes money."""
    if amount is None:
        return ""
    number = formats.number_format(Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    sign = _SIGNS.get(currency, currency)
    if (translation.get_language() or "").startswith("de"):
        return f"{number}\N{NO-BREAK SPACE}{sign}"
    separator = "" if currency in _SIGNS else "\N{NO-BREAK SPACE}"
    return f"{sign}{separator}{number}"


@register.filter
def relationship_labels(values: list[str]) -> str:
    """The organization's relationship types in the interface language."""
    labels = dict(RelationshipType.choices)
    return ", ".join(str(labels.get(value, value)) for value in values or [])


@register.filter
def phone(number: str | None) -> str:
    """An E.164 number as people read it: ``+4930123456`` → ``+49 30 123456``."""
    return phone_text(number) if number else ""


@register.filter
def day(value: date | datetime | None) -> str:
    """A day as the interface language writes it: 02.12.2026 in German, 2 Dec 2026 in English
    (a moment: its day in the installation's time zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if timezone.is_naive(value) else timezone.localdate(value)
    return date_text(value, language_of(translation.get_language()))


@register.filter
def moment(value: datetime | None) -> str:
    """A moment in the installation's time zone as the interface language writes it:
    02.12.2026, 14:30 in German, 2 Dec 2026, 14:30 in English."""
    return date_text(value, language_of(translation.get_language())) if value else ""


@register.filter
def number(value: int | None) -> str:
    """A count grouped the way the interface language writes it: 12.345 or 12,345."""
    if value is None:
        return ""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def changeable_by(activity: Activity, actor: Actor) -> bool:
    """Whether ``actor`` may change ``activity`` (its owner, or a role that manages all)."""
    return activity_is_own(actor, activity)


@register.filter
def industry_label(code: str | None) -> str:
    """A WZ 2008 code with its title in the active language ("62 – Computer programming, …")."""
    from zweck.crm.industries import industry

    found = industry(code or "")
    return found.label if found is not None else ""


@register.simple_tag
def icon(name: str) -> str:
    """An icon of the staff UI's sprite (``static/vendor/lucide``), hidden from screen readers:
    the link or button it sits in names itself."""
    href = f"{static('vendor/lucide/icons.svg')}#{name}"
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false" width="20" height="20"><use href="{}"></use></svg>',
        href,
    )
