"""The stylesheet of generated documents (notices, records of processing), written into a
document that travels alone (a PDF, a downloaded HTML file). Pages served by Zweck link the same
file instead, so no page carries an inline style (Content-Security-Policy)."""

from __future__ import annotations

from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

DOCUMENT_CSS = "privacy/document.css"


@cache
def _stylesheet() -> str:
    path = finders.find(DOCUMENT_CSS)
    if not path or isinstance(path, list):
        raise FileNotFoundError(DOCUMENT_CSS)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@register.simple_tag
def document_css() -> SafeString:
    # Our own file, not user input.
    return mark_safe(_stylesheet())  # noqa: S308
