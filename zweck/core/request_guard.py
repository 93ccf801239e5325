"""The first check every request passes: hostile input is refused before any view reads it.

Invariants:
- A body larger than ``limits.REQUEST_BODY_MAX_BYTES`` (or ``UPLOAD_BODY_MAX_BYTES`` on the
  routes that take file uploads) is answered 413 before it is read.
- A NUL character in a query parameter or a form field (name or value) is answered 400
  (422 with the field named, in the API): no database stores it and PostgreSQL refuses it
  with a driver error deep in a query.
- The API gets its common error body (``{"detail", "errors"}``), the pages a short text.
Nothing here logs the request's content: it may carry personal values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from zweck.core import limits

API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def body_limit(path: str) -> int:
    """The largest body a request to ``path`` may send."""
    if path in limits.UPLOAD_ROUTES or any(
        re.match(pattern, path) for pattern in limits.UPLOAD_ROUTE_PATTERNS
    ):
        return limits.UPLOAD_BODY_MAX_BYTES
    return limits.REQUEST_BODY_MAX_BYTES


def _fields_with_nul(pairs: Iterable[tuple[str, list[str]]]) -> list[str]:
    return sorted(
        {
            name.replace("\x00", "")
            for name, values in pairs
            if "\x00" in name or any("\x00" in v for v in values)
        }
    )


def refusal(
    request: HttpRequest, status: int, detail: str, fields: Iterable[str] = (), message: str = ""
) -> HttpResponse:
    """The answer to a refused request: the API's error body or a short page text."""
    if request.path.startswith(API_PREFIX):
        body = {"detail": detail, "errors": [{"field": name, "message": message} for name in fields]}
        return HttpResponse(json.dumps(body), status=status, content_type="application/json")
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


class RequestGuardMiddleware:
    """Refuse oversized bodies and NUL characters before a view sees the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self.check(request)
        if refused is not None:
            return refused
        return self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        if _content_length(request) > body_limit(request.path):
            return self.too_large(request)
        nul = _("Text may not contain the NUL character.")
        try:
            fields = _fields_with_nul(request.GET.lists())
            if not fields and request.method == "POST" and request.content_type in FORM_TYPES:
                fields = _fields_with_nul(request.POST.lists())
        except RequestDataTooBig:
            return self.too_large(request)
        except TooManyFieldsSent:
            return refusal(request, 400, _("The request sends too many fields."))
        if fields:
            status = 422 if request.path.startswith(API_PREFIX) else 400
            return refusal(request, status, _("The input is not valid."), fields, nul)
        return None

    def too_large(self, request: HttpRequest) -> HttpResponse:
        megabytes = body_limit(request.path) // (1024 * 1024)
        return refusal(
            request, 413, _("The request is too large: send at most %(size)d MB.") % {"size": megabytes}
        )

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A body without a Content-Length that turns out too large while a view reads it.
        if isinstance(exception, RequestDataTooBig):
            return self.too_large(request)
        return None
