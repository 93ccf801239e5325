"""/privacy/requests: data-subject requests for the privacy officer — the queue, each step of a
request, the erasure plan, the exports — and the same operations by email address.
/privacy/notifications: the recipient notifications (Art. 19 GDPR) those steps leave, tracked
until each recipient confirms."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.privacy import dsr
from zweck.privacy.erasure import erasure_plan
from zweck.privacy.exports import media_type
from zweck.privacy.mention_decisions import mention_decide, request_possible_mentions
from zweck.privacy.models import DataSubjectRequest
from zweck.privacy.notifications import (
    recipient_notification_confirm,
    recipient_notification_get,
    recipient_notification_list,
)
from zweck.privacy.request_models import RequestChannel, RequestKind
from zweck.privacy.subjects import subject_candidates

router = Router(tags=["privacy requests"])
notifications_router = Router(tags=["privacy requests"])

ExportFormat = Literal["json", "html", "pdf", "zip", "csv"]


class RequestIn(Schema):
    kind: RequestKind
    channel: RequestChannel
    received_at: datetime | None = None
    requester_email: str = ""
    requester_name: str = ""
    requester_phone: str = ""
    requester_organization: str = ""
    details: str = ""
    objection_scope: str = ""
    person_ids: list[int] = []


class RequestOut(Schema):
    id: int
    kind: str
    channel: str
    status: str
    received_at: datetime
    due_on: date
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


class PersonsIn(Schema):
    person_ids: list[int]


class ExtendIn(Schema):
    reason: str


class DecideIn(Schema):
    decision: str
    reason: str = ""


class CandidateOut(Schema):
    person_id: int
    display_name: str
    evidence: list[str]


class SubjectEraseIn(Schema):
    email: str
    dry_run: bool = True


class MentionDecisionIn(Schema):
    key: str
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
    status: str | None = None
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


def _read(request: HttpRequest, request_id: int) -> DataSubjectRequest:
    return dsr.dsr_get(actor=actor_of(request), request_id=request_id)


@router.get("", response=answers(Page[RequestOut]))
def list_privacy_requests(request: HttpRequest, filters: Query[RequestFilter], page: Query[PageQuery]) -> Any:
    """The request queue, the nearest deadline first."""
    rows = dsr.dsr_list(actor=actor_of(request), status=filters.status, open_only=filters.open_only)
    return page_of(rows.prefetch_related("persons"), page)


@router.post("", response=answers(RequestOut, 201))
def open_privacy_request(request: HttpRequest, payload: RequestIn) -> Any:
    """Record a request received by email, phone or letter."""
    actor = actor_of(request)
    opened = dsr.dsr_open(actor=actor, **payload.model_dump())
    return Status(201, _read(request, opened.pk))


@router.get("/subjects", response=answers(list[CandidateOut]))
def find_privacy_subjects(
    request: HttpRequest, email: str = "", phone: str = "", name: str = "", organization: str = ""
) -> Any:
    """Person records that may be the subject, with the evidence of each match."""
    return subject_candidates(
        actor=actor_of(request), email=email, phone=phone, name=name, organization=organization
    )


@router.get("/subject-export", response={200: None})
def export_privacy_subject(request: HttpRequest, email: str, format: ExportFormat = "json") -> Any:
    """The access export for the person records with ``email`` (``zweck dsr export``)."""
    try:
        body = dsr.subject_export_by_email(actor=actor_of(request), email=email, fmt=format)
    except dsr.SubjectNotFoundError as error:
        raise Http404 from error
    return HttpResponse(body, content_type=media_type(format))


@router.post("/subject-erase", response=answers(dict[str, Any]))
def erase_privacy_subject(request: HttpRequest, payload: SubjectEraseIn) -> Any:
    """The erasure plan for the person records with ``email``, executed unless ``dry_run``."""
    try:
        return dsr.subject_erase_by_email(
            actor=actor_of(request), email=payload.email, dry_run=payload.dry_run
        )
    except dsr.SubjectNotFoundError as error:
        raise Http404 from error


@router.get("/{request_id}", response=answers(RequestOut))
def read_privacy_request(request: HttpRequest, request_id: ObjectId) -> Any:
    return _read(request, request_id)


@router.post("/{request_id}/verify", response=answers(RequestOut))
def verify_privacy_request(request: HttpRequest, request_id: ObjectId) -> Any:
    """Record that the requester's identity is confirmed."""
    dsr.dsr_verify(actor=actor_of(request), request=_read(request, request_id))
    return _read(request, request_id)


@router.put("/{request_id}/persons", response=answers(RequestOut))
def link_privacy_request_persons(request: HttpRequest, request_id: ObjectId, payload: PersonsIn) -> Any:
    """Name the person records the request covers."""
    dsr.dsr_link_persons(
        actor=actor_of(request), request=_read(request, request_id), person_ids=payload.person_ids
    )
    return _read(request, request_id)


@router.post("/{request_id}/extend", response=answers(RequestOut))
def extend_privacy_request(request: HttpRequest, request_id: ObjectId, payload: ExtendIn) -> Any:
    """Extend the deadline once by two months, within the first month (Art. 12(3) GDPR)."""
    dsr.dsr_extend(actor=actor_of(request), request=_read(request, request_id), reason=payload.reason)
    return _read(request, request_id)


@router.post("/{request_id}/decide", response=answers(RequestOut))
def decide_privacy_request(request: HttpRequest, request_id: ObjectId, payload: DecideIn) -> Any:
    dsr.dsr_decide(
        actor=actor_of(request),
        request=_read(request, request_id),
        decision=payload.decision,
        reason=payload.reason,
    )
    return _read(request, request_id)


@router.get("/{request_id}/erasure-plan", response=answers(dict[str, Any]))
def read_privacy_request_erasure_plan(request: HttpRequest, request_id: ObjectId) -> Any:
    """Per record: delete, anonymize which fields how, or keep under which hold until when."""
    found = _read(request, request_id)
    persons = [p.pk for p in found.persons.all()]
    return erasure_plan(actor=actor_of(request), person_ids=persons, request=found).as_dict()


@router.get("/{request_id}/possible-mentions", response=answers(list[PossibleMentionOut]))
def list_privacy_request_possible_mentions(request: HttpRequest, request_id: ObjectId) -> Any:
    """Terms that may name the subject (initial and surname, a shared surname, another umlaut
    spelling), each with the decision taken on this request: confirmed, dismissed or none."""
    found = _read(request, request_id)
    return [
        mention.as_dict() for mention in request_possible_mentions(actor=actor_of(request), request=found)
    ]


@router.post("/{request_id}/possible-mentions/decide", response=answers(PossibleMentionOut))
def decide_privacy_request_possible_mention(
    request: HttpRequest, request_id: ObjectId, payload: MentionDecisionIn
) -> Any:
    """Confirm a possible mention (then erased and exported like a certain one) or dismiss it."""
    actor = actor_of(request)
    found = _read(request, request_id)
    mention_decide(actor=actor, request=found, key=payload.key, decision=payload.decision)
    decided = request_possible_mentions(actor=actor, request=found)
    return next(mention.as_dict() for mention in decided if mention.mention.key == payload.key)


@router.post("/{request_id}/erase", response=answers(dict[str, Any]))
def erase_privacy_request(request: HttpRequest, request_id: ObjectId) -> Any:
    """Execute the erasure plan of an erasure request."""
    result = dsr.dsr_erase(actor=actor_of(request), request=_read(request, request_id))
    return result.plan.as_dict()


@router.post("/{request_id}/restrict", response=answers(RequestOut))
def restrict_privacy_request(request: HttpRequest, request_id: ObjectId) -> Any:
    dsr.dsr_restrict(actor=actor_of(request), request=_read(request, request_id))
    return _read(request, request_id)


@router.post("/{request_id}/objection", response=answers(RequestOut))
def record_privacy_objection(request: HttpRequest, request_id: ObjectId) -> Any:
    dsr.objection_record(actor=actor_of(request), request=_read(request, request_id))
    return _read(request, request_id)


@router.get("/{request_id}/export", response={200: None})
def export_privacy_request(request: HttpRequest, request_id: ObjectId, format: ExportFormat = "json") -> Any:
    """The copy for an access (json, html, pdf, zip) or portability (json, csv) request."""
    body = dsr.dsr_export(actor=actor_of(request), request=_read(request, request_id), fmt=format)
    return HttpResponse(body, content_type=media_type(format))


@notifications_router.get("", response=answers(Page[NotificationOut]))
def list_recipient_notifications(
    request: HttpRequest, filters: Query[NotificationFilter], page: Query[PageQuery]
) -> Any:
    """Recipient notifications (Art. 19 GDPR), the oldest first; ``pending=true`` for those
    still waiting for the recipient's confirmation."""
    rows = recipient_notification_list(actor=actor_of(request), pending_only=filters.pending)
    return page_of(rows, page)


@notifications_router.post("/{notification_id}/confirm", response=answers(NotificationOut))
def confirm_recipient_notification(request: HttpRequest, notification_id: ObjectId) -> Any:
    """Record that the recipient confirmed the notification; a second confirmation is refused."""
    actor = actor_of(request)
    notification = recipient_notification_get(actor=actor, notification_id=notification_id)
    recipient_notification_confirm(actor=actor, notification=notification)
    return recipient_notification_get(actor=actor, notification_id=notification_id)
