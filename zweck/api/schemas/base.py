"""Building blocks every API schema uses: strict input, safe text, ids, moments, pages."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, create_model

from zweck.audit.services import audit_bulk_read, object_type_of

if TYPE_CHECKING:
    from zweck.accounts.actors import Actor

# The largest id a BIGINT primary key can hold; larger numbers are refused as input
# instead of reaching the database as a value it cannot compare.
MAX_ID = 2**63 - 1


def plain_text(value: str) -> str:
    # PostgreSQL cannot store NUL, and no database can encode an unpaired surrogate:
    # both are refused here rather than failing inside the database.
    if "\x00" in value:
        raise ValueError(_("Text may not contain the NUL character."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(_("Text must be valid Unicode.")) from error
    return value


def _storable(value: datetime) -> datetime:
    # 0001-01-01T00:00+01:00 is a valid moment that has no UTC representation. Moments are
    # passed on in UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise ValueError(_("The date lies outside the supported range.")) from error


Text = Annotated[str, AfterValidator(plain_text)]
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
Moment = Annotated[AwareDatetime, AfterValidator(_storable)]


def length(model: type[models.Model], field: str) -> int:
    """The ``max_length`` of a model's text field, so schema and model never disagree."""
    max_length = getattr(model._meta.get_field(field), "max_length", None)
    assert max_length is not None, f"{model.__name__}.{field} has no max_length"
    return max_length


class InputSchema(Schema):
    """A request body or query: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class FilterSchema(Schema):
    """Query parameters of a list endpoint; ``selector_arguments`` feeds the selector."""

    def selector_arguments(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


def partial(schema: type[Schema], name: str, doc: str) -> Any:
    """``schema`` with every field optional, for PATCH: what is left out stays unchanged.

    A field left out is not in ``model_dump(exclude_unset=True)``; a field sent as
    ``null`` is still checked against its type, so only nullable fields may be cleared.
    """
    fields: dict[str, Any] = {}
    for field_name, info in schema.model_fields.items():
        optional = copy.copy(info)
        optional.default, optional.default_factory = None, None
        fields[field_name] = (info.annotation, optional)
    return create_model(name, __base__=schema, __doc__=doc, **fields)


class RelationshipEndIn(InputSchema):
    """The end of a business relationship: the day it ended, or ``null`` while it continues."""

    ended_on: date | None = Field(
        description="The day the relationship ended (1900-01-01 up to a year from today), or null: "
        "it continues. The retention periods that count from the end of the relationship start here."
    )


class PageQuery(Schema):
    limit: int = Field(
        settings.ZWECK["DEFAULT_PAGE_SIZE"],
        ge=1,
        le=settings.ZWECK["MAX_PAGE_SIZE"],
        description="How many rows to return.",
    )
    offset: int = Field(0, ge=0, le=2**31 - 1, description="How many rows to skip.")


class Page[T](Schema):
    """One page of a list, with the number of rows across all pages."""

    items: list[T]
    count: int
    limit: int
    offset: int


def page_of[M: models.Model](
    rows: models.QuerySet[M],
    page: PageQuery,
    *,
    reader: Actor | None = None,
    filters: Iterable[str] = (),
) -> dict[str, Any]:
    """Slice a (stably ordered) queryset; two queries: the count and the page.

    With ``reader``, a page of a list of personal data whose query matched the bulk-read
    threshold or more is recorded in the audit trail (with the names of ``filters``).
    """
    items = list(rows[page.offset : page.offset + page.limit])
    count = rows.count()
    if reader is not None:
        audit_bulk_read(
            actor=reader,
            action=f"{rows.model._meta.model_name}.list",
            object_type=object_type_of(rows.model),
            count=count,
            returned=len(items),
            filters=filters,
        )
    return {"items": items, "count": count, "limit": page.limit, "offset": page.offset}
