"""Data-subject requests and the recipient notifications they leave.

Each kind of request offers its own export formats: a portability request (Art. 20 GDPR) is
exported as JSON or CSV, every other request as the access export (Art. 15 GDPR): JSON, an HTML
or PDF report, or a ZIP of all three. The two exports have their own operations, so each offers
exactly its formats.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from zweck.api.schemas.base import InputSchema, Moment, ObjectId, Text, length
from zweck.privacy.models import DataSubjectRequest
from zweck.privacy.request_models import Decision, ObjectionScope, RequestChannel, RequestKind, RequestStatus


def _limit(name: str) -> int:
    return length(DataSubjectRequest, name)


class RequestIn(InputSchema):
    """A request received by email, phone or letter."""

    kind: RequestKind
    channel: RequestChannel
    received_at: Moment | None = Field(None, description="When it arrived; now when left out.")
    requester_email: Text = Field("", max_length=_limit("requester_email"))
    requester_name: Text = Field("", max_length=_limit("requester_name"))
    requester_phone: Text = Field("", max_length=_limit("requester_phone"))
    requester_organization: Text = Field("", max_length=_limit("requester_organization"))
    details: Text = ""
    objection_scope: ObjectionScope = Field(
        ObjectionScope.NONE, description="For an objection; direct marketing when left empty."
    )
    person_ids: list[ObjectId] = Field(default_factory=list, description="The person records it covers.")


class RequestOut(Schema):
    id: int
    kind: str
    channel: str
    status: str
    received_at: datetime
    due_on: date = Field(
        description="One month after receipt; the next working day where that is a Saturday, "
        "Sunday or public holiday of the workspace's federal state."
    )
    extended_due_on: date | None
    deadline: date
    verification: str
    assignee_id: int | None
    decision: str
    decision_reason: str
    person_ids: list[int]

    @staticmethod
    def resolve_person_ids(obj: DataSubjectRequest) -> list[int]:
        return sorted(person.pk for person in obj.persons.all())


class PersonsIn(InputSchema):
    person_ids: list[ObjectId]


class ExtendIn(InputSchema):
    reason: Text


class DecideIn(InputSchema):
    decision: Decision
    reason: Text = ""


class CandidateOut(Schema):
    person_id: int
    display_name: str
    evidence: list[str]


class SubjectSearch(Schema):
    email: Text = Field("", max_length=254)
    phone: Text = Field("", max_length=40)
    name: Text = Field("", max_length=200)
    organization: Text = Field("", max_length=200)


class SubjectEraseIn(InputSchema):
    email: Text = Field(max_length=254)
    dry_run: bool = True


class MentionDecisionIn(InputSchema):
    key: Text = Field(max_length=200, description="The possible mention's key, as listed.")
    decision: Literal["confirm", "dismiss"]


class PossibleMentionOut(Schema):
    key: str
    data_set: str
    name: str
    id: int
    field: str
    field_name: str
    term: str
    reason: str
    reason_text: str
    excerpt: str
    decision: str


class RequestFilter(Schema):
    status: RequestStatus | None = None
    open_only: bool = False


class NotificationOut(Schema):
    id: int
    recipient_id: int
    recipient_name: str
    request_id: int | None
    subject_id: int
    action: str
    status: str
    created_at: datetime
    confirmed_at: datetime | None

    @staticmethod
    def resolve_recipient_name(obj: Any) -> str:
        return str(obj.recipient.name)


class NotificationFilter(Schema):
    pending: bool = False


AccessFormat = Literal["json", "html", "pdf", "zip"]
PortabilityFormat = Literal["json", "csv"]
Language = Literal["en", "de"]


class AccessExportQuery(Schema):
    format: AccessFormat = Field(
        "json", description="JSON, a readable HTML or PDF report, or a ZIP with all three."
    )
    lang: Language = Field("en", description="The language of the report and of the register's facts.")


class PortabilityExportQuery(Schema):
    format: PortabilityFormat = Field(
        "json", description="One JSON document, or a CSV of (data set, row, field, value)."
    )


class SubjectExportQuery(AccessExportQuery):
    email: Text = Field(max_length=254, description="The subject's email address.")


class TransmissionLinkIn(InputSchema):
    format: PortabilityFormat = Field("json", description="The format the other controller receives.")


class TransmissionLinkOut(Schema):
    """A link to the portability export for another controller (Art. 20(2) GDPR). Whoever holds
    it downloads the export without a token until ``expires_at``; shown only in this answer."""

    request_id: int
    url: str
    format: str
    expires_at: datetime
