"""The controller's details every notice and record of processing names (Art. 13(1)(a)–(b),
30(1)(a) GDPR): the workspace's name, address, representative, data-protection officer,
supervisory authority, federal state and privacy portal, changed by the workspace's owner.

Invariants: one service changes them (``controller_update``), in one transaction with its
audit event; a new federal state moves the deadlines of the open requests
(``workspace_federal_state_set``); every notice whose text changes gets a new version.
"""

from __future__ import annotations

from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.accounts.services import workspace_update
from zweck.core.permissions import Permission
from zweck.privacy.notice_versions import notice_versions_refresh
from zweck.privacy.request_deadlines import workspace_federal_state_set

# The details the owner may change, in the order the settings page, the API and the command
# show them. The short name (slug), the contract and the currency are not the controller's facts.
CONTROLLER_FIELDS = (
    "name",
    "legal_name",
    "street",
    "postal_code",
    "city",
    "country",
    "federal_state",
    "email",
    "phone",
    "website",
    "privacy_portal_url",
    "representative",
    "dpo_name",
    "dpo_email",
    "dpo_phone",
    "supervisory_authority",
    "supervisory_authority_url",
)


def controller_get(*, actor: Actor) -> Workspace:
    """The actor's workspace as it is stored now; every member may read its controller details,
    which every notice publishes anyway."""
    return Workspace.objects.get(pk=actor.workspace_id)


@transaction.atomic
def controller_update(*, actor: Actor, **changes: Any) -> Workspace:
    """Change the controller's details; only the workspace's owner may (``workspace.manage``)."""
    actor.require(Permission.WORKSPACE_MANAGE)
    unknown = sorted(set(changes) - set(CONTROLLER_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if "country" in changes:
        changes["country"] = str(changes["country"] or "").strip().upper()
        if pycountry.countries.get(alpha_2=changes["country"]) is None:
            raise ValidationError({"country": _("Enter a country as its two-letter ISO code, such as DE.")})
    state_before = controller_get(actor=actor).federal_state
    # One validation of all changes together: a country outside Germany with no federal state.
    workspace = workspace_update(actor=actor, **changes)
    if workspace.federal_state != state_before:
        # The deadlines of the open requests follow the new state's public holidays.
        workspace = workspace_federal_state_set(actor=actor, federal_state=workspace.federal_state)
    notice_versions_refresh(actor=actor)
    return workspace
