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
- ``in_workspace`` is the bare tenant boundary beneath it, for the privacy engine's operations
  over the whole register (erasure, access export, retention), which act for the workspace
  itself and must see everything it stores.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, Protocol, Self, cast

from django.db import models

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


class WorkspaceQuerySet[M: models.Model](models.QuerySet[M]):
    """The queryset of every model that carries a ``workspace``."""

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
        return cast(Self, queryset)


# The default manager of workspace rows, with ``visible_to`` and ``in_workspace``.
WorkspaceManager = models.Manager.from_queryset(WorkspaceQuerySet)


def related_visible[Q: models.QuerySet[Any]](
    queryset: Q, lookup: str, visible: models.QuerySet[Any], value: Any
) -> Q:
    """``queryset`` filtered by the related row ``value`` through ``lookup``, answering as if a
    related row the actor may not see were not there (a restricted person filters to nothing)."""
    return queryset.filter(**{f"{lookup}__in": visible.filter(pk=value).values("pk")})
