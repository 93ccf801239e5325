"""Writes for the CRM. Every function takes the acting ``Actor`` and records an audit event."""

from zweck.crm.services.activities import activity_complete, activity_create, activity_delete, activity_update
from zweck.crm.services.deals import (
    deal_archive,
    deal_close,
    deal_create,
    deal_delete,
    deal_move,
    deal_reopen,
    deal_update,
    pipeline_install_defaults,
    pipeline_stage_create,
    pipeline_stage_update,
)
from zweck.crm.services.organizations import (
    AddressInput,
    organization_archive,
    organization_create,
    organization_delete,
    organization_update,
)
from zweck.crm.services.persons import (
    EmailInput,
    MembershipInput,
    PhoneInput,
    person_archive,
    person_create,
    person_delete,
    person_refresh_search_text,
    person_update,
)

__all__ = [
    "AddressInput",
    "EmailInput",
    "MembershipInput",
    "PhoneInput",
    "activity_complete",
    "activity_create",
    "activity_delete",
    "activity_update",
    "deal_archive",
    "deal_close",
    "deal_create",
    "deal_delete",
    "deal_move",
    "deal_reopen",
    "deal_update",
    "organization_archive",
    "organization_create",
    "organization_delete",
    "organization_update",
    "person_archive",
    "person_create",
    "person_delete",
    "person_refresh_search_text",
    "person_update",
    "pipeline_install_defaults",
    "pipeline_stage_create",
    "pipeline_stage_update",
]
