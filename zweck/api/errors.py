"""One error body for every failure the API reports.

Every non-2xx answer is ``{"detail": "...", "errors": [{"field": "emails.0", "message": "..."}]}``:
``detail`` says what went wrong in one sentence, ``errors`` lists the fields at fault
(``field`` is ``null`` for a problem with the request as a whole). Field paths use the
API's names (``organization_id``, ``participant_ids.2``), not the model's.

Nothing here logs a request body or an exception's message: both can carry personal
values. An unexpected exception is logged by its class and the request path only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from zweck.accounts.actors import Actor
from zweck.accounts.security import client_of, security_denial_record

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)


class FieldErrorOut(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    """The body of every error response."""

    detail: str
    errors: list[FieldErrorOut]


# The services name model fields; the API names the ids a client sends.
SERVICE_TO_API_FIELDS = {
    "owner": "owner_id",
    "organization": "organization_id",
    "stage": "stage_id",
    "deal": "deal_id",
    "participants": "participant_ids",
    "contacts": "contact_ids",
    # The request steps take their reasons as "reason".
    "decision_reason": "reason",
    "extension_reason": "reason",
}

# Services report a bad entry in a list as "<index>: <message>" under the list's name.
_INDEXED_MESSAGE = re.compile(r"^(\d+): (.*)$", re.DOTALL)

# Pydantic's messages are English only; the common ones are given in the product's words.
_PYDANTIC_MESSAGES: dict[str, Promise] = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("Unknown field."),
    "string_type": gettext_lazy("Enter text."),
    "string_too_long": gettext_lazy("Enter at most %(max_length)s characters."),
    "string_too_short": gettext_lazy("Enter at least %(min_length)s characters."),
    "string_unicode": gettext_lazy("Text must be valid Unicode."),
    "too_long": gettext_lazy("Enter at most %(max_length)s items."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "bool_type": gettext_lazy("Enter true or false."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "list_type": gettext_lazy("Enter a list."),
    "model_type": gettext_lazy("Enter an object."),
    "model_attributes_type": gettext_lazy("Enter an object."),
    "dict_type": gettext_lazy("Enter an object."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "greater_than_equal": gettext_lazy("Enter a value of at least %(ge)s."),
    "less_than_equal": gettext_lazy("Enter a value of at most %(le)s."),
    "timezone_aware": gettext_lazy("Enter a date and time with a time-zone offset."),
    "datetime_type": gettext_lazy("Enter a date and time (ISO 8601)."),
    "datetime_parsing": gettext_lazy("Enter a date and time (ISO 8601)."),
    "datetime_from_date_parsing": gettext_lazy("Enter a date and time (ISO 8601)."),
    "date_type": gettext_lazy("Enter a date (YYYY-MM-DD)."),
    "date_parsing": gettext_lazy("Enter a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": gettext_lazy("Enter a date (YYYY-MM-DD)."),
    "decimal_type": gettext_lazy("Enter a number."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "decimal_max_digits": gettext_lazy("Enter at most %(max_digits)s digits."),
    "decimal_max_places": gettext_lazy("Enter at most %(decimal_places)s decimal places."),
    "decimal_whole_digits": gettext_lazy("Enter at most %(whole_digits)s digits before the decimal point."),
    "finite_number": gettext_lazy("Enter a finite number."),
}


def error_body(detail: str, errors: Iterable[tuple[str | None, str]] = ()) -> dict[str, Any]:
    return {"detail": detail, "errors": [{"field": field, "message": message} for field, message in errors]}


def _pydantic_message(error: Mapping[str, Any]) -> str:
    context = error.get("ctx") or {}
    if error.get("type") == "value_error" and "error" in context:
        # Raised by the schemas' own validators, whose messages are already translated.
        return str(context["error"])
    template = _PYDANTIC_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return str(template) % dict(context)
    except (KeyError, TypeError, ValueError):
        return str(template)


def _pydantic_field(location: Iterable[object]) -> str | None:
    # ninja's location is (source, parameter name, *path); a body parameter's own
    # name means nothing to the client, a query or path parameter's name is the field.
    parts = [str(part) for part in location]
    source, rest = parts[0] if parts else "", parts[1:]
    if source == "body" and rest:
        rest = rest[1:]
    return ".".join(rest) or None


def validation_errors(exc: DjangoValidationError) -> list[tuple[str | None, str]]:
    """(field, message) pairs of a service's ``ValidationError``, in the API's field names."""
    if not hasattr(exc, "error_dict"):
        return [(None, message) for message in exc.messages]
    pairs: list[tuple[str | None, str]] = []
    for name, messages in exc.message_dict.items():
        head, _dot, tail = name.partition(".")
        api_name = SERVICE_TO_API_FIELDS.get(head, head) + (f".{tail}" if tail else "")
        for message in messages:
            indexed = _INDEXED_MESSAGE.match(message)
            if name == "__all__":
                pairs.append((None, message))
            elif indexed:
                pairs.append((f"{api_name}.{indexed.group(1)}", indexed.group(2)))
            else:
                pairs.append((api_name, message))
    return pairs


def install(api: NinjaAPI) -> None:
    """Register the handlers that give every failure the common body."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request, 401, error_body(_("Send a valid API token as “Authorization: Bearer <token>”."))
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            # ninja raises this for a body that is not JSON.
            return respond(request, 400, error_body(_("The request body is not valid JSON.")))
        return respond(request, exc.status_code, error_body(str(exc)))

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [(_pydantic_field(error.get("loc", ())), _pydantic_message(error)) for error in exc.errors]
        return respond(request, 422, error_body(_("The input is not valid."), errors))

    @api.exception_handler(DjangoValidationError)
    def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return respond(request, 422, error_body(_("The input is not valid."), validation_errors(exc)))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        actor = getattr(request, "auth", None)
        security_denial_record(
            client=client_of(request), actor=actor if isinstance(actor, Actor) else None, error=exc
        )
        return respond(request, 403, error_body(_("You do not have permission to do this.")))

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 404, error_body(_("Not found.")))

    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(Http404, not_found)

    @api.exception_handler(IntegrityError)
    def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # A concurrent write won the race for a unique value; the service's transaction
        # was rolled back, so nothing is half-written.
        return respond(request, 409, error_body(_("This conflicts with data that changed meanwhile.")))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if settings.DEBUG:
            raise exc
        logger.error("API error %s on %s %s", type(exc).__name__, request.method, request.path)
        return respond(request, 500, error_body(_("Something went wrong on our side.")))
