"""Turning ids in a request body into rows, through the selectors.

The selectors see only the actor's workspace (and only what the actor may see there),
so an id of another workspace, a restricted person or a typo all read the same:
"unknown", reported on the field that carried it. Nothing says whether the id exists
elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from zweck.accounts import selectors as account_selectors
from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.crm import selectors
from zweck.crm.models import Deal, Organization, Person, PipelineStage


def _resolve[M: models.Model](rows: models.QuerySet[M], ids: Sequence[int], fields: Sequence[str]) -> list[M]:
    # prefetch_related(None): the list views' prefetches are not needed to link rows.
    found = {row.pk: row for row in rows.filter(pk__in=set(ids)).prefetch_related(None)}
    missing = {
        field: object_id for field, object_id in zip(fields, ids, strict=True) if object_id not in found
    }
    if missing:
        raise ValidationError(
            {field: _("Unknown id %(id)s.") % {"id": object_id} for field, object_id in missing.items()}
        )
    return [found[object_id] for object_id in ids]


def _many[M: models.Model](rows: models.QuerySet[M], ids: Sequence[int], field: str) -> list[M]:
    """``field`` names the n-th id's place, e.g. ``"participant_ids.{index}"``."""
    return _resolve(rows, ids, [field.format(index=index) for index in range(len(ids))])


def _one[M: models.Model](rows: models.QuerySet[M], object_id: int | None, field: str) -> M | None:
    return None if object_id is None else _resolve(rows, [object_id], [field])[0]


def persons(actor: Actor, ids: Sequence[int], field: str) -> list[Person]:
    return _many(selectors.person_list(actor=actor, include_archived=True), ids, field)


def organizations(actor: Actor, ids: Sequence[int], field: str) -> list[Organization]:
    return _many(selectors.organization_list(actor=actor, include_archived=True), ids, field)


def organization(actor: Actor, object_id: int | None, field: str = "organization_id") -> Organization | None:
    return _one(selectors.organization_list(actor=actor, include_archived=True), object_id, field)


def deal(actor: Actor, object_id: int | None, field: str = "deal_id") -> Deal | None:
    return _one(selectors.deal_list(actor=actor, include_archived=True), object_id, field)


def stage(actor: Actor, object_id: int | None, field: str = "stage_id") -> PipelineStage | None:
    return _one(selectors.pipeline_stage_list(actor=actor, include_inactive=True), object_id, field)


def member(actor: Actor, user_id: int | None, field: str = "owner_id") -> User | None:
    """A user who is a member of the actor's workspace (owners of records must be)."""
    rows = User.objects.filter(pk__in=account_selectors.member_list(actor=actor).values("user_id"))
    return _one(rows, user_id, field)
