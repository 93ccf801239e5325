"""The one way a workspace's rows are read: ``Model.objects.visible_to(actor, permission)``.

Invariants:
- every read of tenant data on behalf of someone goes through ``visible_to``: it checks the
  permission, keeps the actor's workspace only and then applies every filter registered here
  (the privacy app registers restriction and legal holds at start-up; a later app can add its
  own). Selectors never write a workspace or restriction filter by hand;
- ``Purpose.USE`` (the default) is every ordinary use of data; ``Purpose.STORAGE`` shows what
  is kept but may not be used (restricted subjects, rows under a hold) and is open only to
  those who may read the privacy register: the privacy officer and the workspace's own
  machinery;
- rows read as model instances pass through the registered row maskers (values() and
  aggregates do not: they serve counts and the engine's own reads);
- ``in_workspace`` is the bare tenant boundary beneath it, for the privacy engine's operations
  over the whole register (erasure, access export, retention), which act for the workspace
  itself and must see everything it stores.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, Self, cast

from django.db import models
from django.db.models.query import ModelIterable

from zweck.core.permissions import Permission

if TYPE_CHECKING:
    from zweck.accounts.actors import Actor


class Purpose(enum.StrEnum):
    """Why rows are read: to use them, or to see what is stored (Art. 18(2) GDPR)."""

    USE = "use"
    STORAGE = "storage"


class ScopeFilter(Protocol):
    def __call__(
        self, queryset: models.QuerySet[Any], *, actor: Actor, purpose: Purpose
    ) -> models.QuerySet[Any]:
        """``queryset`` without what ``actor`` may not see for ``purpose``."""
        ...


_scope_filters: list[ScopeFilter] = []


def add_scope_filter(scope_filter: ScopeFilter) -> ScopeFilter:
    """Apply ``scope_filter`` to every ``visible_to`` read (usable as a decorator); an app
    registers its filters from ``AppConfig.ready``."""
    if scope_filter not in _scope_filters:
        _scope_filters.append(scope_filter)
    return scope_filter


def scope_filters() -> tuple[ScopeFilter, ...]:
    return tuple(_scope_filters)


RowMask = Callable[[models.Model], None]
# The attribute a row mask sets on a row to name the fields it changed; ``save_scoped`` refuses
# to write those fields back.
MASKED_FIELDS = "_masked_fields"


class RowMasker(Protocol):
    def __call__(self, model: type[models.Model], *, actor: Actor, purpose: Purpose) -> RowMask | None:
        """What to hide in each row of ``model`` read by ``actor`` for ``purpose`` (``None``:
        nothing). Called once per evaluated queryset, when its rows are first read."""
        ...


_row_maskers: list[RowMasker] = []


def add_row_masker(masker: RowMasker) -> RowMasker:
    """Apply ``masker`` to the rows every ``visible_to`` read yields as model instances (the
    privacy app hides restricted people's mentions in other records' text this way)."""
    if masker not in _row_maskers:
        _row_maskers.append(masker)
    return masker


class MaskingModelIterable(ModelIterable):
    """Model instances, each passed through the registered row maskers of its read."""

    def __iter__(self) -> Iterator[Any]:
        queryset = self.queryset
        actor, purpose = queryset._scope  # type: ignore[attr-defined]
        masks = [
            mask for masker in _row_maskers if (mask := masker(queryset.model, actor=actor, purpose=purpose))
        ]
        for row in super().__iter__():
            for mask in masks:
                mask(row)
            yield row


class WorkspaceQuerySet[M: models.Model](models.QuerySet[M]):
    """The queryset of every model that carries a ``workspace``."""

    # The actor and purpose of a ``visible_to`` read, carried through every chained call.
    _scope: tuple[Actor, Purpose] | None = None

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._scope = self._scope
        return cast(Self, clone)

    def in_workspace(self, workspace_id: int) -> Self:
        """The rows of one workspace, nothing else filtered (see the module's invariants)."""
        return self.filter(workspace_id=workspace_id)

    def visible_to(
        self, actor: Actor, permission: Permission | None, *, purpose: Purpose = Purpose.USE
    ) -> Self:
        """What ``actor`` may read of these rows for ``purpose``.

        ``permission`` is what the read needs (``PermissionDenied`` otherwise); ``None`` only
        for rows every member of the workspace may read about their own workspace.
        """
        if permission is not None:
            actor.require(permission)
        if purpose is Purpose.STORAGE:
            actor.require(Permission.PRIVACY_VIEW)
        queryset: models.QuerySet[Any] = self.in_workspace(actor.workspace_id)
        for scope_filter in _scope_filters:
            queryset = scope_filter(queryset, actor=actor, purpose=purpose)
        if _row_maskers:
            queryset = queryset.all()
            queryset._scope = (actor, purpose)  # type: ignore[attr-defined]
            queryset._iterable_class = MaskingModelIterable
        return cast(Self, queryset)


class PurposeLimit(Protocol):
    """Purpose limitation by group of data subjects (Art. 5(1)(b) GDPR): the register says which
    processing activities apply to which group; a subject is used for a record only where one
    of the record's activities applies to them. The privacy app registers the one limit."""

    def usable(
        self, queryset: models.QuerySet[Any], *, workspace_id: int, activities: tuple[str, ...]
    ) -> models.QuerySet[Any]:
        """``queryset`` (of data subjects) without those none of ``activities`` applies to."""
        ...

    def refusal(self, subject: models.Model, *, workspace_id: int, activities: tuple[str, ...]) -> str:
        """Why ``subject`` may not be used for ``activities``, in words for the user."""
        ...


_purpose_limits: list[PurposeLimit] = []


def add_purpose_limit(limit: PurposeLimit) -> PurposeLimit:
    """Apply ``limit`` wherever subjects are chosen for a record (``usable_for``, ``require_usable``)."""
    if limit not in _purpose_limits:
        _purpose_limits.append(limit)
    return limit


def _record_activities(record: type[models.Model]) -> tuple[str, ...]:
    from zweck.core.register import register

    declaration = register.get(record)
    return declaration.activities if declaration is not None else ()


def usable_for[Q: models.QuerySet[Any]](queryset: Q, *, workspace_id: int, record: type[models.Model]) -> Q:
    """The subjects of ``queryset`` whose data may be used for ``record`` (a deal's contact, an
    activity's participant): some processing activity the register declares for ``record``
    applies to their group. For the subjects a picker offers."""
    activities = _record_activities(record)
    for limit in _purpose_limits:
        queryset = cast(Q, limit.usable(queryset, workspace_id=workspace_id, activities=activities))
    return queryset


def require_usable(
    *, workspace_id: int, field: str, subjects: Iterable[models.Model], record: type[models.Model]
) -> None:
    """Refuse (``ValidationError`` on ``field``) to use any of ``subjects`` for ``record`` where
    none of the record's processing activities applies to their group."""
    from django.core.exceptions import ValidationError

    chosen = list(subjects)
    if not chosen or not _purpose_limits:
        return
    activities = _record_activities(record)
    model = type(chosen[0])
    messages = []
    for limit in _purpose_limits:
        allowed = set(
            limit.usable(
                model._default_manager.filter(pk__in=[subject.pk for subject in chosen]),
                workspace_id=workspace_id,
                activities=activities,
            ).values_list("pk", flat=True)
        )
        messages += [
            limit.refusal(subject, workspace_id=workspace_id, activities=activities)
            for subject in chosen
            if subject.pk not in allowed
        ]
    if messages:
        raise ValidationError({field: messages})


# The default manager of workspace rows, with ``visible_to`` and ``in_workspace``.
WorkspaceManager = models.Manager.from_queryset(WorkspaceQuerySet)


def related_visible[Q: models.QuerySet[Any]](
    queryset: Q, lookup: str, visible: models.QuerySet[Any], value: Any
) -> Q:
    """``queryset`` filtered by the related row ``value`` through ``lookup``, answering as if a
    related row the actor may not see were not there (a restricted person filters to nothing)."""
    return queryset.filter(**{f"{lookup}__in": visible.filter(pk=value).values("pk")})
