"""Small building blocks every domain service uses to validate, stamp and save a row."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sized
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zweck.core.models import WorkspaceScopedModel
from zweck.core.register import uncollected_fields
from zweck.core.scoping import MASKED_FIELDS

if TYPE_CHECKING:
    from zweck.accounts.actors import Actor


def apply_changes(
    instance: models.Model, changes: Mapping[str, Any], *, allowed: Collection[str]
) -> list[str]:
    """Set the given attributes on ``instance``; return the names of those whose value changed.

    Unknown names are refused rather than ignored, so a typo never silently drops input.
    """
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    changed = []
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _holds_a_value(instance: models.Model, name: str) -> bool:
    model_field = instance._meta.get_field(name)
    value = getattr(instance, model_field.attname)  # type: ignore[union-attr]
    return value not in (None, "", [], {}) and value != model_field.get_default()  # type: ignore[union-attr]


def refuse_uncollected(instance: models.Model, *, workspace_id: int, written: Collection[str] | None) -> None:
    """Refuse a value for a field the workspace does not collect (every processing activity it
    serves is switched off). ``written``: the fields being written, ``None`` for a new row.
    Emptying such a field is allowed: it only removes data."""
    names = uncollected_fields(workspace_id, type(instance))
    refused = sorted(
        name for name in names if (written is None or name in written) and _holds_a_value(instance, name)
    )
    if refused:
        raise ValidationError(
            {
                name: _(
                    "This workspace does not collect this information: every purpose it would "
                    "serve is switched off in the privacy register."
                )
                for name in refused
            }
        )


def save_scoped[M: WorkspaceScopedModel](
    instance: M, *, actor: Actor, changed: Collection[str] | None = None
) -> M:
    """Validate and save a workspace-scoped row as ``actor``.

    ``changed`` is ``None`` for a new row; otherwise only those fields (and the update
    stamps) are written, so concurrent edits of other fields are not overwritten.
    """
    masked_fields = set(getattr(instance, MASKED_FIELDS, ()))
    whole_row = changed is None and not instance._state.adding
    masked = sorted(masked_fields if whole_row else masked_fields & set(changed or ()))
    if masked:
        # The text was read with a restricted person's mentions hidden: writing it back would
        # erase what may only be stored.
        raise ValidationError(
            {
                name: _(
                    "This text mentions a person whose processing is restricted; it can be changed "
                    "once the restriction is lifted."
                )
                for name in masked
            }
        )
    refuse_uncollected(
        instance, workspace_id=actor.workspace_id, written=None if instance._state.adding else changed or ()
    )
    now = timezone.now()
    if instance._state.adding:
        instance.workspace_id = actor.workspace_id
        instance.created_by_id = actor.user_id
        instance.created_at = now
    instance.updated_by_id = actor.user_id
    instance.updated_at = now
    instance.full_clean()
    if instance._state.adding or changed is None:
        instance.save()
    else:
        instance.save(update_fields=[*changed, "updated_at", "updated_by"])
    return instance


def require_same_workspace(actor: Actor, **related: models.Model | None) -> None:
    """Refuse references to rows of another workspace as if they did not exist."""
    errors = {}
    for name, instance in related.items():
        if instance is not None and getattr(instance, "workspace_id", None) != actor.workspace_id:
            errors[name] = _("No such object.")
    if errors:
        raise ValidationError(errors)


def require_at_most(field: str, items: Sized, limit: int) -> None:
    """Refuse a collection longer than its limit (``zweck.core.limits``), on the field that
    carries it, before anything of it is written."""
    if len(items) > limit:
        raise ValidationError(
            {
                field: ngettext("Enter at most %(limit)d entry.", "Enter at most %(limit)d entries.", limit)
                % {"limit": limit}
            },
            code="too_many",
        )
