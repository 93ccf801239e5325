"""The workspace's sign-in and security log."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from zweck.accounts.models import SecurityEvent, SecurityEventKind
from zweck.api.schemas.base import FilterSchema, ObjectId


class SecurityEventFilter(FilterSchema):
    kind: SecurityEventKind | None = Field(None, description="Only entries of this kind.")
    user_id: ObjectId | None = Field(None, description="Only entries about this member.")


class SecurityEventOut(Schema):
    """One entry: when, what, who (if known), from which address and client."""

    id: int
    created_at: datetime
    kind: str = Field(description=", ".join(SecurityEventKind.values))
    channel: str = Field(description="web, api, admin or system")
    user_id: int | None
    token_id: int | None = Field(description="The API token of a token_used entry.")
    ip_address: str | None
    user_agent: str
    missing_permissions: list[str] = Field(
        description="For permission_denied: the permissions the refused action needed (may be empty)."
    )

    @staticmethod
    def resolve_missing_permissions(event: SecurityEvent) -> list[str]:
        return [code.strip() for code in event.detail.split(",") if code.strip()]
