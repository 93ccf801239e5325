"""The controller's details of the caller's workspace, as the privacy notices name them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ninja import Field, Schema

from zweck.accounts.models import FederalState, Workspace
from zweck.api.schemas.base import InputSchema, Text, length, partial


class WorkspaceChange(InputSchema):
    """The details the owner may change; emails, web addresses and the country are checked by
    the service as the model checks them."""

    name: Text = Field(min_length=1, max_length=length(Workspace, "name"))
    legal_name: Text = Field("", max_length=length(Workspace, "legal_name"))
    street: Text = Field("", max_length=length(Workspace, "street"))
    postal_code: Text = Field("", max_length=length(Workspace, "postal_code"))
    city: Text = Field("", max_length=length(Workspace, "city"))
    country: Text = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code.")
    federal_state: FederalState = Field(
        FederalState.NONE,
        description="German federal state (ISO 3166-2:DE without 'DE-'), whose public holidays "
        "move request deadlines; empty for the nationwide holidays only.",
    )
    email: Text = Field("", max_length=length(Workspace, "email"))
    phone: Text = Field("", max_length=length(Workspace, "phone"))
    website: Text = Field("", max_length=length(Workspace, "website"))
    privacy_portal_url: Text = Field(
        "",
        max_length=length(Workspace, "privacy_portal_url"),
        description="Where contacts make requests; empty: the installation's own privacy portal.",
    )
    representative: Text = Field("", max_length=2000, description="Art. 27 GDPR; only outside the EU.")
    dpo_name: Text = Field("", max_length=length(Workspace, "dpo_name"))
    dpo_email: Text = Field("", max_length=length(Workspace, "dpo_email"))
    dpo_phone: Text = Field("", max_length=length(Workspace, "dpo_phone"))
    supervisory_authority: Text = Field("", max_length=length(Workspace, "supervisory_authority"))
    supervisory_authority_url: Text = Field("", max_length=length(Workspace, "supervisory_authority_url"))


if TYPE_CHECKING:
    WorkspacePatch = WorkspaceChange
else:
    WorkspacePatch = partial(
        WorkspaceChange, "WorkspacePatch", "Changes to the controller's details; fields left out stay."
    )


class WorkspaceOut(Schema):
    slug: str
    name: str
    legal_name: str
    street: str
    postal_code: str
    city: str
    country: str
    federal_state: str
    email: str
    phone: str
    website: str
    privacy_portal_url: str
    privacy_portal: str = Field(description="The portal address the notices name.")
    representative: str
    dpo_name: str
    dpo_email: str
    dpo_phone: str
    supervisory_authority: str
    supervisory_authority_url: str

    @staticmethod
    def resolve_privacy_portal(workspace: Workspace) -> str:
        from zweck.privacy.documents import portal_address

        return portal_address(workspace)
