"""/privacy/requests: data-subject requests for the privacy officer — the queue, each step of a
request, the erasure plan, the exports (each kind of request its own), the links that hand a
portability export to another controller — and the same operations by email address.
/privacy/notifications: the recipient notifications (Art. 19 GDPR) those steps leave, tracked
until each recipient confirms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.api.schemas.privacy_requests import (
    AccessExportQuery,
    CandidateOut,
    DecideIn,
    ExtendIn,
    MentionDecisionIn,
    NotificationFilter,
    NotificationOut,
    PersonsIn,
    PortabilityExportQuery,
    PossibleMentionOut,
    RequestFilter,
    RequestIn,
    RequestOut,
    SubjectEraseIn,
    SubjectExportQuery,
    SubjectSearch,
    TransmissionLinkIn,
    TransmissionLinkOut,
)
from zweck.privacy import dsr
from zweck.privacy.erasure import erasure_plan
from zweck.privacy.erasure_words import plan_in_words
from zweck.privacy.exports import FORMATS, PORTABILITY_FORMATS, format_list, formats_of, media_type
from zweck.privacy.labels import language_of
from zweck.privacy.mention_decisions import mention_decide, request_possible_mentions
from zweck.privacy.models import DataSubjectRequest
from zweck.privacy.notifications import (
    recipient_notification_confirm,
    recipient_notification_get,
    recipient_notification_list,
)
from zweck.privacy.request_models import RequestKind
from zweck.privacy.subjects import subject_candidates
from zweck.privacy.transmission import transmission_link_create

router = Router(tags=["privacy requests"])
notifications_router = Router(tags=["privacy requests"])


def _file_answers(formats: tuple[str, ...], description: str) -> dict[str, Any]:
    """The media types a download operation answers with, for the OpenAPI document."""
    return {
        "responses": {
            200: {"description": description, "content": {media_type(f).split(";")[0]: {} for f in formats}}
        }
    }


def _language() -> str:
    """The language the request asked for (``Accept-Language``, chosen by the locale middleware)."""
    return language_of(translation.get_language())


def _read(request: HttpRequest, request_id: int) -> DataSubjectRequest:
    return dsr.dsr_get(actor=actor_of(request), request_id=request_id)


@router.get("", response=answers(Page[RequestOut]))
def list_privacy_requests(request: HttpRequest, filters: Query[RequestFilter], page: Query[PageQuery]) -> Any:
    """The request queue, the nearest deadline first."""
    actor = actor_of(request)
    rows = dsr.dsr_list(actor=actor, status=filters.status, open_only=filters.open_only)
    return page_of(rows.prefetch_related("persons"), page, reader=actor, filters=filters.model_fields_set)


@router.post("", response=answers(RequestOut, 201))
def open_privacy_request(request: HttpRequest, payload: RequestIn) -> Any:
    """Record a request received by email, phone or letter."""
    actor = actor_of(request)
    opened = dsr.dsr_open(actor=actor, **payload.model_dump())
    return Status(201, _read(request, opened.pk))


@router.get("/subjects", response=answers(list[CandidateOut]))
def find_privacy_subjects(request: HttpRequest, search: Query[SubjectSearch]) -> Any:
    """Person records that may be the subject, with the evidence of each match."""
    return subject_candidates(actor=actor_of(request), **search.model_dump())


@router.get(
    "/subject-export",
    response=answers(None),
    openapi_extra=_file_answers(FORMATS, "The access export in the format asked for."),
)
def export_privacy_subject(request: HttpRequest, query: Query[SubjectExportQuery]) -> Any:
    """The access export for the person records with ``email`` (``zweck dsr export``)."""
    try:
        body = dsr.subject_export_by_email(
            actor=actor_of(request), email=query.email, fmt=query.format, lang=query.lang
        )
    except dsr.SubjectNotFoundError as error:
        raise Http404 from error
    return HttpResponse(body, content_type=media_type(query.format))


@router.post("/subject-erase", response=answers(dict[str, Any]))
def erase_privacy_subject(request: HttpRequest, payload: SubjectEraseIn) -> Any:
    """The erasure plan for the person records with ``email``, executed unless ``dry_run``."""
    try:
        return dsr.subject_erase_by_email(
            actor=actor_of(request), email=payload.email, dry_run=payload.dry_run, lang=_language()
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
    """Extend the deadline once by two further months, counted from receipt, up to and including
    the original due date (Art. 12(3) GDPR); the new date, like the first, ends on a working day."""
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
    """Per record: delete, anonymize which fields how, or keep under which hold until when;
    ``readable`` says it in words, in the language of the ``Accept-Language`` header."""
    found = _read(request, request_id)
    persons = [p.pk for p in found.persons.all()]
    plan = erasure_plan(actor=actor_of(request), person_ids=persons, request=found)
    return {**plan.as_dict(), "readable": plan_in_words(plan, _language()).as_dict()}


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


def _export_of(found: DataSubjectRequest, *, portability: bool) -> None:
    """Refuse the export operation that does not belong to the request's kind, naming the one
    that does."""
    if (found.kind == RequestKind.PORTABILITY) == portability:
        return
    if found.kind == RequestKind.PORTABILITY:
        message = _(
            "Request #%(id)s is a portability request: its export is at "
            "/api/v1/privacy/requests/%(id)s/portability-export, as %(formats)s."
        )
    else:
        message = _(
            "Request #%(id)s is not a portability request: its export is the access export at "
            "/api/v1/privacy/requests/%(id)s/access-export, as %(formats)s."
        )
    raise ValidationError(message % {"id": found.pk, "formats": format_list(formats_of(found.kind))})


def _export(
    request: HttpRequest, request_id: int, *, portability: bool, fmt: str, lang: str = "en"
) -> HttpResponse:
    found = _read(request, request_id)
    _export_of(found, portability=portability)
    body = dsr.dsr_export(actor=actor_of(request), request=found, fmt=fmt, lang=lang)
    return HttpResponse(body, content_type=media_type(fmt))


@router.get(
    "/{request_id}/access-export",
    response=answers(None),
    openapi_extra=_file_answers(FORMATS, "The access export in the format asked for."),
)
def export_privacy_request_access(
    request: HttpRequest, request_id: ObjectId, query: Query[AccessExportQuery]
) -> Any:
    """The access export (Art. 15 GDPR) of any request except a portability request: the copy of
    the subject's data with the Art. 15(1) facts, as JSON, an HTML or PDF report, or a ZIP of all
    three. A portability request answers 422 here: its export is ``portability-export``."""
    return _export(request, request_id, portability=False, fmt=query.format, lang=query.lang)


@router.get(
    "/{request_id}/portability-export",
    response=answers(None),
    openapi_extra=_file_answers(PORTABILITY_FORMATS, "The portability export in the format asked for."),
)
def export_privacy_request_portability(
    request: HttpRequest, request_id: ObjectId, query: Query[PortabilityExportQuery]
) -> Any:
    """The portability export (Art. 20 GDPR) of a portability request: what the subject provided,
    processed on consent or contract, as JSON or CSV. Any other request answers 422 here: its
    export is ``access-export``."""
    return _export(request, request_id, portability=True, fmt=query.format)


@router.post("/{request_id}/transmission-links", response=answers(TransmissionLinkOut, 201))
def create_privacy_transmission_link(
    request: HttpRequest, request_id: ObjectId, payload: TransmissionLinkIn
) -> Any:
    """Direct transmission (Art. 20(2) GDPR): a signed link to the portability export of a
    portability request, to hand to the controller the subject named. It works without a token
    until it expires (``ZWECK_TRANSMISSION_LINK_DAYS``, 7 days by default); its creation and each
    download are logged on the request. Any other kind of request answers 422."""
    link = transmission_link_create(
        actor=actor_of(request), request=_read(request, request_id), fmt=payload.format
    )
    url = request.build_absolute_uri(reverse("public:transmission_download", args=[link.token]))
    return Status(
        201, {"request_id": link.request_id, "url": url, "format": link.fmt, "expires_at": link.expires_at}
    )


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
