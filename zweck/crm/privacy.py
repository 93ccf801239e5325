"""Register declarations for the CRM: organizations, persons, activities, deals."""

from collections.abc import Callable

from django.db.models import Max
from django.db.models.functions import Coalesce

from zweck.core.register import NOT_PERSONAL, Erasure, Mask, Personal, base_fields, register
from zweck.crm import models as crm
from zweck.crm import search

# A person's own record and contact details serve every purpose that applies to some group of
# contacts: which of them applies to one person follows their group (the activities'
# ``subject_categories``), so an "other contact" is only answered (Art. 5(1)(b) GDPR).
CONTACT_ACTIVITIES = (
    "contact_management",
    "client_relationship",
    "management_reporting",
    "service_delivery",
    "answering_enquiries",
)
# Finding a contact is part of managing contacts, never of reporting.
SEARCH_ACTIVITIES = ("contact_management", "client_relationship")

register.declare(
    crm.Tag,
    fields=base_fields(name=NOT_PERSONAL),
)
register.declare(
    crm.Organization,
    # An organization is not a data subject; its general email or phone can still name a
    # person (info@ is fine, anna.schmidt@ is not), so they are treated as personal.
    fields=base_fields(
        name=Personal("user.contact.organization", provided=True),
        legal_form=NOT_PERSONAL,
        vat_id=NOT_PERSONAL,
        industry=NOT_PERSONAL,
        industry_code=NOT_PERSONAL,
        website=NOT_PERSONAL,
        email=Personal("user.contact.email"),
        phone=Personal("user.contact.phone_number"),
        relationship_types=NOT_PERSONAL,
        owner=Personal("user.unique_id", mask=Mask.NONE),
        notes=Personal("user.content.private", free_text=True),
        search_text=Personal("user.contact"),
        archived_at=NOT_PERSONAL,
        relationship_ended_on=NOT_PERSONAL,
    ),
    activities=("contact_management", "client_relationship"),
    retention="business_relationship",
    clocks={"relationship_ended": "relationship_ended_on"},
)
register.declare(
    crm.Organization.tags.through,
    fields={"id": NOT_PERSONAL, "organization": NOT_PERSONAL, "tag": NOT_PERSONAL},
)
register.declare(
    crm.OrganizationAddress,
    fields=base_fields(
        organization=NOT_PERSONAL,
        kind=NOT_PERSONAL,
        street=Personal("user.contact.address.street"),
        postal_code=Personal("user.contact.address.postal_code"),
        city=Personal("user.contact.address.city"),
        country=Personal("user.contact.address.country"),
    ),
    activities=("contact_management",),
    retention="business_relationship",
    clocks={"relationship_ended": "organization__relationship_ended_on"},
)
register.declare(
    crm.Person,
    subject="self",
    fields=base_fields(
        salutation=Personal("user.demographic.gender", provided=True),
        title=Personal("user.name", provided=True),
        first_name=Personal("user.name.first", provided=True),
        last_name=Personal("user.name.last", provided=True, mask=Mask.REDACT),
        position=Personal("user.job_title", provided=True),
        language=Personal("user.demographic.language", provided=True),
        subject_category=NOT_PERSONAL,
        source=NOT_PERSONAL,
        source_note=Personal("user.content.private"),
        owner=Personal("user.unique_id", mask=Mask.NONE),
        notes=Personal("user.content.private", free_text=True),
        search_text=Personal("user.contact"),
        archived_at=NOT_PERSONAL,
        restricted_at=NOT_PERSONAL,
        relationship_ended_on=Personal("user.contact", mask=Mask.NONE),
        relationship_end_inherited=NOT_PERSONAL,
    ),
    activities=CONTACT_ACTIVITIES,
    retention="business_relationship",
    erasure=Erasure.DELETE,
    clocks={
        "relationship_ended": "relationship_ended_on",
        # The last meeting, call or note with the person; their record's creation without one.
        "last_contact": Coalesce(
            Max(Coalesce("activity_links__activity__starts_at", "activity_links__activity__created_at")),
            "created_at",
        ),
    },
)
register.declare(
    crm.PersonEmail,
    subject="person",
    fields=base_fields(
        person=NOT_PERSONAL,
        email=Personal("user.contact.email", provided=True),
        label=NOT_PERSONAL,
        is_primary=NOT_PERSONAL,
    ),
    activities=CONTACT_ACTIVITIES,
    retention="business_relationship",
)
register.declare(
    crm.PersonPhone,
    subject="person",
    fields=base_fields(
        person=NOT_PERSONAL,
        number=Personal("user.contact.phone_number", provided=True),
        label=NOT_PERSONAL,
        is_primary=NOT_PERSONAL,
    ),
    activities=CONTACT_ACTIVITIES,
    retention="business_relationship",
)
register.declare(
    crm.OrganizationMembership,
    subject="person",
    fields=base_fields(
        person=NOT_PERSONAL,
        organization=Personal("user.workplace", provided=True),
        role=Personal("user.job_title", provided=True),
        is_primary=NOT_PERSONAL,
    ),
    activities=CONTACT_ACTIVITIES,
    retention="business_relationship",
)
register.declare(
    crm.Activity,
    subject="participants",
    fields=base_fields(
        kind=NOT_PERSONAL,
        subject=Personal("user.content.private", free_text=True),
        body=Personal("user.content.private", free_text=True),
        starts_at=Personal("user.behavior"),
        ends_at=Personal("user.behavior"),
        due_at=NOT_PERSONAL,
        done_at=NOT_PERSONAL,
        location=Personal("user.location.imprecise"),
        # That the call was recorded, with the participants' consent: collected only while the
        # workspace records calls. Once the call is anonymized, the flag alone names no one.
        is_recorded=Personal("user.behavior", mask=Mask.NONE, activities=("call_recording",)),
        owner=Personal("user.unique_id", mask=Mask.NONE),
        organization=NOT_PERSONAL,
        deal=NOT_PERSONAL,
    ),
    activities=("client_relationship", "service_delivery", "answering_enquiries"),
    # Meeting notes, calls and tasks are the history of a relationship, not commercial letters
    # (§ 257(1) Nr. 2–3 HGB): no statutory period keeps them once the subject asks for erasure.
    retention="business_relationship",
    erasure=Erasure.ANONYMIZE,
)
register.declare(
    crm.ActivityParticipant,
    subject="person",
    fields=base_fields(activity=NOT_PERSONAL, person=NOT_PERSONAL),
    # Taking part in a meeting or call with us, or being answered by email or phone.
    activities=("client_relationship", "service_delivery", "answering_enquiries"),
    retention="business_relationship",
)
register.declare(
    crm.PipelineStage,
    fields=base_fields(
        name=NOT_PERSONAL,
        position=NOT_PERSONAL,
        default_probability=NOT_PERSONAL,
        is_active=NOT_PERSONAL,
    ),
)
register.declare(
    crm.Deal,
    subject="contacts",
    fields=base_fields(
        title=Personal("user.content.private", free_text=True),
        organization=NOT_PERSONAL,
        stage=NOT_PERSONAL,
        amount=NOT_PERSONAL,
        currency=NOT_PERSONAL,
        expected_close_on=NOT_PERSONAL,
        probability=NOT_PERSONAL,
        status=NOT_PERSONAL,
        close_reason=Personal("user.content.private", free_text=True),
        closed_at=NOT_PERSONAL,
        owner=Personal("user.unique_id", mask=Mask.NONE),
        archived_at=NOT_PERSONAL,
    ),
    activities=("client_relationship", "quotes_and_orders"),
    # A deal is a sales opportunity; the quotes and invoices that are commercial letters or
    # vouchers are records of their own with their statutory periods.
    retention="business_relationship",
    erasure=Erasure.ANONYMIZE,
)
register.declare(
    crm.DealContact,
    subject="person",
    fields=base_fields(deal=NOT_PERSONAL, person=NOT_PERSONAL, role=Personal("user.job_title")),
    activities=("client_relationship",),
    retention="business_relationship",
)
register.declare(
    crm.SearchPosting,
    # The words a person is found by (derived from their names, addresses, numbers and
    # organizations); rewritten with the person, erased with them.
    subject="person",
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "person": NOT_PERSONAL,
        "word": Personal("user.contact"),
        # The person's surname and first name, lower-cased: the order of search results.
        "sort_key": Personal("user.name"),
    },
    activities=SEARCH_ACTIVITIES,
    retention="business_relationship",
    derived=True,
)
register.declare(
    crm.SearchWord,
    # The workspace's search dictionary: the distinct words of all postings, without any
    # link to a person. A word nobody is found by any more is removed
    # (zweck.crm.search.search_words_prune).
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "key": Personal("user.name", mask=Mask.NONE),
        "word": Personal("user.name", mask=Mask.NONE),
    },
    activities=SEARCH_ACTIVITIES,
    retention="business_relationship",
    derived=True,
)


@register.on_erasure
def _prune_search_dictionary(workspace_id: int, person_ids: list[int]) -> Callable[[], None]:
    """Words only the erased persons were found by (an email's local part, a rare name)
    must leave the search dictionary with them."""
    words = set(
        crm.SearchPosting.objects.in_workspace(workspace_id)
        .filter(person_id__in=person_ids)
        .values_list("word", flat=True)
    )

    def finish() -> None:
        search.search_words_prune(workspace_id=workspace_id, words=words)

    return finish
