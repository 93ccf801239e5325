"""The caller's own identity and their API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from zweck.accounts.models import ApiToken
from zweck.api.schemas.base import InputSchema, Moment, Text, length


class UserOut(Schema):
    id: int
    email: str
    full_name: str
    language: str


class MeWorkspaceOut(Schema):
    """The workspace a token acts in (``GET /workspace`` gives all of its details)."""

    id: int
    name: str
    slug: str
    federal_state: str = Field(
        description="ISO 3166-2:DE code of the federal state whose public holidays end request "
        "deadlines a working day later; empty for the nationwide holidays only."
    )


class MeOut(Schema):
    """Who the token acts as: the user, the workspace, the role and what it permits."""

    user: UserOut
    workspace: MeWorkspaceOut
    role: str
    permissions: list[str]

    @staticmethod
    def resolve_permissions(actor: object) -> list[str]:
        return sorted(getattr(actor, "permissions", ()))


class TokenIn(InputSchema):
    name: Text = Field(min_length=1, max_length=length(ApiToken, "name"))
    expires_at: Moment | None = Field(
        None, description="When the token stops working; without it, 90 days from now."
    )
    scope: Literal["read", "write"] = Field(
        "write", description="`read`: only GET requests; `write`: reading and changing."
    )


class TokenOut(Schema):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    scope: str


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret itself. It is shown only in this response; store it now.")
