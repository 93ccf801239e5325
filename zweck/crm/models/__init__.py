from zweck.crm.models.activities import Activity, ActivityParticipant
from zweck.crm.models.deals import Deal, DealContact, PipelineStage
from zweck.crm.models.organizations import Organization, OrganizationAddress, Tag
from zweck.crm.models.persons import OrganizationMembership, Person, PersonEmail, PersonPhone
from zweck.crm.models.search import SearchPosting, SearchWord

__all__ = [
    "Activity",
    "ActivityParticipant",
    "Deal",
    "DealContact",
    "Organization",
    "OrganizationAddress",
    "OrganizationMembership",
    "Person",
    "PersonEmail",
    "PersonPhone",
    "PipelineStage",
    "SearchPosting",
    "SearchWord",
    "Tag",
]
