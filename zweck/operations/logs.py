"""Logs an operator can ship anywhere: one JSON object per line, and no personal values.

``RequestLogMiddleware`` gives every request an id (a well-formed ``X-Request-ID`` of the
proxy in front, or a new one), returns it in the answer's ``X-Request-ID`` and keeps the
request at hand for the log lines written while it is served. ``JsonFormatter`` writes each
record with its time, level, logger, message, the request id and the acting workspace and
user ids, and the exception. ``PersonalValueFilter``, on every handler, masks what could name a
person wherever it occurs, exceptions included: email addresses, phone numbers, IBANs, and the
value after any field name the register declares personal (``last_name='…'``,
``"email": "…"``, PostgreSQL's ``Key (email)=(…)``). The code logs ids, not values; the filter
is the net below that rule.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("zweck_log_request", default=None)
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# The local part without "/", "=" and quotes, which in a log line belong to the path or the
# key before the address rather than to it.
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&*+?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Seven or more digits, with the separators people write between them; dates and times
# (2026-12-03, 14:30:00) have fewer digits per run than a phone number.
PHONE = re.compile(r"(?<![\w.])(?:\+|00)?\d(?:[\s/().-]{0,2}\d){6,}(?![\w])")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
# Dates and times are kept: they come first in the alternation, so their digits never count
# as a phone number.
PHONE_OR_TIME = re.compile(
    r"(?P<time>\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|\b\d{2}:\d{2}(?::\d{2})?\b)|"
    + PHONE.pattern
)
MASK = "[redacted]"


@cache
def _field_value_pattern() -> re.Pattern[str]:
    """``name = value`` / ``"name": "value"`` / ``(name)=(value)`` for every personal field."""
    from zweck.core.register import register

    names: set[str] = set()
    for declaration in register:
        for name in declaration.personal_fields():
            field = declaration.model._meta.get_field(name)
            names.update({name, getattr(field, "column", None) or name})
    alternatives = "|".join(sorted((re.escape(name) for name in names), key=len, reverse=True))
    return re.compile(
        rf"""(?P<key>\(?["']?\b(?:{alternatives})\b["']?\)?\s*(?:=|:)\s*)"""
        r"""(?P<value>\((?:[^()]|\([^()]*\))*\)|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;)}\]]+)"""
    )


def _mask_field(match: re.Match[str]) -> str:
    value = match.group("value")
    if value[:1] in {"'", '"', "("}:
        return f"{match.group('key')}{value[0]}{MASK}{ {'(': ')'}.get(value[0], value[0]) }"
    return f"{match.group('key')}{MASK}"


def mask(text: str) -> str:
    """``text`` with every value that could name a person replaced."""
    text = _field_value_pattern().sub(_mask_field, text)
    text = EMAIL.sub(MASK, text)
    text = IBAN.sub(MASK, text)
    return PHONE_OR_TIME.sub(lambda match: match.group("time") or MASK, text)


class PersonalValueFilter(logging.Filter):
    """Masks the message (arguments merged in) and the exception text of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        record.exc_info = None if record.exc_text else record.exc_info
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def _actor_ids(request: HttpRequest | None) -> tuple[int | None, int | None]:
    if request is None:
        return None, None
    actor = getattr(request, "actor", None) or getattr(request, "auth", None)
    workspace_id = getattr(actor, "workspace_id", None)
    user_id = getattr(actor, "user_id", None)
    if user_id is None:
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    return workspace_id, user_id


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        # Django's request logger hands over its request; other lines take the one being served.
        request = getattr(record, "request", None) or _request.get()
        if not isinstance(request, HttpRequest):
            request = None
        workspace_id, user_id = _actor_ids(request)
        event: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request is not None:
            event["request_id"] = getattr(request, "request_id", None)
            event["method"] = request.method
            match = getattr(request, "resolver_match", None)
            event["view"] = match.view_name if match is not None else None
        if workspace_id is not None:
            event["workspace_id"] = workspace_id
        if user_id is not None:
            event["user_id"] = user_id
        if record.exc_text:
            event["exception"] = record.exc_text
        elif record.exc_info:
            event["exception"] = mask(self.formatException(record.exc_info))
        return json.dumps(event, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        response["X-Request-ID"] = request_id
        return response
