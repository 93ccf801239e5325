"""Who is acting: a user in one workspace with the permissions of their role.

Every service and selector takes an ``Actor``. The CLI and background work act as the
system actor of a workspace, which has every permission and no user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from zweck.accounts.models import Membership, User, Workspace
from zweck.core.permissions import Permission, Role, permissions_for


class MissingPermission(PermissionDenied):
    """A refusal because the actor lacks ``permissions`` (the security log names them)."""

    def __init__(self, permissions: list[Permission]) -> None:
        super().__init__(f"Missing permission: {', '.join(permissions)}")
        self.permissions = tuple(permissions)


@dataclass(frozen=True)
class Actor:
    workspace: Workspace
    user: User | None
    role: str
    permissions: frozenset[Permission] = field(default_factory=frozenset)

    @classmethod
    def for_membership(cls, membership: Membership) -> Actor:
        return cls(
            workspace=membership.workspace,
            user=membership.user,
            role=membership.role,
            permissions=permissions_for(membership.role),
        )

    @classmethod
    def system(cls, workspace: Workspace) -> Actor:
        """The workspace acting through its own machinery (CLI, scheduled sweeps)."""
        return cls(workspace=workspace, user=None, role=Role.OWNER, permissions=frozenset(Permission))

    @property
    def workspace_id(self) -> int:
        return self.workspace.pk

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, *permissions: Permission) -> None:
        missing = [permission for permission in permissions if permission not in self.permissions]
        if missing:
            raise MissingPermission(missing)
