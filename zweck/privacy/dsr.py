"""Data-subject requests: services (``dsr_*``) and selectors, from receipt to answer.

Every step is one transaction with its audit event (ids and field names only) and a line in
the request's own action log. Repeating an open request of the same kind from the same
address returns the open request instead of a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.privacy import exports
from zweck.privacy.deadlines import (
    extension_possible,
    request_due_on,
    request_extended_due_on,
    working_days_of,
)
from zweck.privacy.erasure import ErasureResult, keyed_digest, person_erase
from zweck.privacy.models import DataSubjectRequest, MarketingSuppression, RequestAction
from zweck.privacy.notifications import email_after_commit, recipient_notifications_create
from zweck.privacy.periods import PeriodError
from zweck.privacy.request_models import (
    Decision,
    ObjectionScope,
    RequestKind,
    RequestStatus,
    VerificationState,
)
from zweck.privacy.restriction import person_restrict, person_restriction_lift
from zweck.privacy.subjects import contact_declarations, identifiers_of, in_workspace, subject_declaration

# A receipt a moment ahead of this server's clock (another machine's clock) is still now.
CLOCK_TOLERANCE = timedelta(minutes=5)


class RequestStateError(ValidationError):
    """The request is not in a state that allows this step."""


def request_log(*, request: DataSubjectRequest, actor: Actor, action: str, note: str = "") -> RequestAction:
    """One line in the request's action log (inside the caller's transaction)."""
    return RequestAction.objects.create(
        workspace_id=request.workspace_id, request=request, actor_id=actor.user_id, action=action, note=note
    )


def _subject_ids(request: DataSubjectRequest) -> list[int]:
    return sorted(request.persons.values_list("pk", flat=True))


def _audit(
    actor: Actor,
    request: DataSubjectRequest,
    action: str,
    changed: Iterable[str] = (),
    details: dict[str, Any] | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        instance=request,
        subject_ids=_subject_ids(request),
        changed_fields=changed,
        details=details,
    )


def _locked(actor: Actor, request: DataSubjectRequest) -> DataSubjectRequest:
    return DataSubjectRequest.objects.select_for_update().get(pk=request.pk, workspace_id=actor.workspace_id)


def _persons_in_workspace(actor: Actor, person_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(person_ids))
    found = list(
        in_workspace(subject_declaration(), actor.workspace_id)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    if len(found) != len(ids):
        raise ValidationError({"person_ids": _("No such person.")})
    return found


@transaction.atomic
def dsr_open(
    *,
    actor: Actor,
    kind: str,
    channel: str,
    received_at: datetime | None = None,
    requester_email: str = "",
    requester_name: str = "",
    requester_phone: str = "",
    requester_organization: str = "",
    details: str = "",
    objection_scope: str = "",
    person_ids: Iterable[int] = (),
) -> DataSubjectRequest:
    """Record a request as received; its answer is due one calendar month later, on the next
    working day where that month ends on a weekend or public holiday (Art. 12(3); see
    ``deadlines``)."""
    actor.require(Permission.PRIVACY_MANAGE)
    email = requester_email.strip().lower()
    if email:
        repeated = (
            DataSubjectRequest.objects.filter(
                workspace_id=actor.workspace_id,
                kind=kind,
                requester_email=email,
                status__in=(RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS),
            )
            .order_by("pk")
            .first()
        )
        if repeated is not None:
            request_log(request=repeated, actor=actor, action="request.repeated")
            _audit(actor, repeated, "dsr.repeat")
            return repeated
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError({"received_at": _("A request cannot be received in the future.")})
    try:
        due_on = request_due_on(
            timezone.localdate(received_at), working_days=working_days_of(actor.workspace)
        )
    except (PeriodError, OverflowError) as error:
        raise ValidationError({"received_at": _("The date lies outside the supported range.")}) from error
    if kind == RequestKind.OBJECTION and not objection_scope:
        objection_scope = ObjectionScope.DIRECT_MARKETING
    request = DataSubjectRequest(
        workspace_id=actor.workspace_id,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
        kind=kind,
        channel=channel,
        received_at=received_at,
        due_on=due_on,
        requester_email=email,
        requester_name=requester_name.strip(),
        requester_phone=requester_phone.strip(),
        requester_organization=requester_organization.strip(),
        details=details,
        objection_scope=objection_scope if kind == RequestKind.OBJECTION else "",
    )
    request.full_clean()
    request.save()
    ids = _persons_in_workspace(actor, person_ids)
    if ids:
        request.persons.set(ids)
    _audit(actor, request, "dsr.open")
    request_log(request=request, actor=actor, action="request.received")
    return request


def _save(
    actor: Actor, request: DataSubjectRequest, changed: list[str], action: str, note: str = ""
) -> DataSubjectRequest:
    request.updated_by_id = actor.user_id
    request.updated_at = timezone.now()
    request.full_clean()
    request.save(update_fields=[*changed, "updated_at", "updated_by"])
    _audit(actor, request, action, changed)
    request_log(request=request, actor=actor, action=action, note=note)
    return request


@transaction.atomic
def dsr_verify(
    *, actor: Actor, request: DataSubjectRequest, verified: bool = True, note: str = ""
) -> DataSubjectRequest:
    """Record the outcome of the identity check (Art. 12(6) GDPR)."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    locked.verification = VerificationState.VERIFIED if verified else VerificationState.FAILED
    locked.verified_at = timezone.now() if verified else None
    return _save(actor, locked, ["verification", "verified_at"], "dsr.verify", note)


@transaction.atomic
def dsr_assign(*, actor: Actor, request: DataSubjectRequest, assignee: User | None) -> DataSubjectRequest:
    """Give the request to a member of the workspace (or to no one)."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    if (
        assignee is not None
        and not assignee.memberships.filter(workspace_id=actor.workspace_id, is_active=True).exists()
    ):
        raise ValidationError({"assignee": _("No such member.")})
    locked.assignee = assignee
    return _save(actor, locked, ["assignee"], "dsr.assign")


@transaction.atomic
def dsr_link_persons(
    *, actor: Actor, request: DataSubjectRequest, person_ids: Iterable[int]
) -> DataSubjectRequest:
    """Name the person records the request covers (several where the register holds duplicates)."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    locked.persons.set(_persons_in_workspace(actor, person_ids))
    if locked.status == RequestStatus.RECEIVED:
        locked.status = RequestStatus.IN_PROGRESS
    return _save(actor, locked, ["status"], "dsr.link_persons")


@transaction.atomic
def dsr_extend(
    *, actor: Actor, request: DataSubjectRequest, reason: str, today: date | None = None
) -> DataSubjectRequest:
    """Extend the deadline once by two further months (Art. 12(3) GDPR), up to and including the
    original due date, with reasons; the subject is told of the extension and its reasons."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    today = today or timezone.localdate()
    received_on = timezone.localdate(locked.received_at)
    working_days = working_days_of(actor.workspace)
    if locked.extended_due_on is not None:
        raise RequestStateError(_("The deadline has already been extended once."))
    if not reason.strip():
        raise ValidationError({"extension_reason": _("Give the reasons for the extension.")})
    if not extension_possible(received_on, today, working_days=working_days):
        raise RequestStateError(
            _("The deadline can only be extended up to and including the original due date, %(due)s.")
            % {"due": request_due_on(received_on, working_days=working_days).isoformat()}
        )
    locked.extended_due_on = request_extended_due_on(received_on, working_days=working_days)
    locked.extension_reason = reason.strip()
    locked.extension_notified_at = timezone.now()
    email_after_commit(
        workspace_id=actor.workspace_id,
        to=locked.requester_email,
        subject=_("Your request: we need more time"),
        body=_(
            "We received your request on %(received)s. Because of %(reason)s we will answer by "
            "%(due)s at the latest (Art. 12(3) GDPR)."
        )
        % {
            "received": received_on.isoformat(),
            "reason": locked.extension_reason,
            "due": locked.extended_due_on.isoformat(),
        },
    )
    return _save(
        actor, locked, ["extended_due_on", "extension_reason", "extension_notified_at"], "dsr.extend", reason
    )


@transaction.atomic
def dsr_decide(
    *, actor: Actor, request: DataSubjectRequest, decision: str, reason: str = ""
) -> DataSubjectRequest:
    """Close the request with its decision and reasons (a refusal needs reasons, Art. 12(4))."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    if not locked.is_open:
        raise RequestStateError(_("The request is already closed."))
    if decision not in (Decision.GRANTED, Decision.PARTLY_GRANTED, Decision.REFUSED):
        raise ValidationError({"decision": _("Choose a decision.")})
    if decision != Decision.GRANTED and not reason.strip():
        raise ValidationError({"decision_reason": _("Give the reasons for the decision.")})
    locked.decision = decision
    locked.decision_reason = reason
    locked.status = RequestStatus.REJECTED if decision == Decision.REFUSED else RequestStatus.COMPLETED
    locked.completed_at = timezone.now()
    return _save(actor, locked, ["decision", "decision_reason", "status", "completed_at"], "dsr.decide")


def _require_ready(request: DataSubjectRequest) -> list[int]:
    if request.verification != VerificationState.VERIFIED:
        raise RequestStateError(_("The requester's identity is not verified yet."))
    if not request.is_open:
        raise RequestStateError(_("The request is already closed."))
    ids = _subject_ids(request)
    if not ids:
        raise RequestStateError(_("Name the person records the request covers first."))
    return ids


@transaction.atomic
def dsr_erase(*, actor: Actor, request: DataSubjectRequest, today: date | None = None) -> ErasureResult:
    """Carry out an erasure request: the plan, executed in this transaction, and the answer."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    ids = _require_ready(locked)
    result = person_erase(actor=actor, person_ids=ids, request=locked, today=today)
    locked.decision = Decision.GRANTED if not result.kept else Decision.PARTLY_GRANTED
    locked.decision_reason = (
        ""
        if not result.kept
        else _("Records under a statutory or legal hold are kept, restricted, until the hold ends.")
    )
    locked.status = RequestStatus.COMPLETED
    locked.completed_at = timezone.now()
    _save(actor, locked, ["decision", "decision_reason", "status", "completed_at"], "dsr.erase")
    return result


@transaction.atomic
def dsr_restrict(*, actor: Actor, request: DataSubjectRequest) -> DataSubjectRequest:
    """Carry out a restriction request (Art. 18 GDPR)."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    ids = _require_ready(locked)
    person_restrict(actor=actor, person_ids=ids, request=locked, reason=locked.details)
    locked.status = RequestStatus.COMPLETED
    locked.decision = Decision.GRANTED
    locked.completed_at = timezone.now()
    return _save(actor, locked, ["status", "decision", "completed_at"], "dsr.restrict")


@transaction.atomic
def dsr_restriction_lift(*, actor: Actor, request: DataSubjectRequest, reason: str) -> int:
    """Lift the restriction of the request's person records, with reasons. The subject is told
    first (Art. 18(3) GDPR): ``person_restriction_lift`` records and sends the notice before the
    restriction ends. Returns how many records were restricted."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    ids = _subject_ids(locked)
    if not ids:
        raise RequestStateError(_("Name the person records the request covers first."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reasons for lifting the restriction.")})
    lifted = person_restriction_lift(actor=actor, person_ids=ids, request=locked, reason=reason.strip())
    if not lifted:
        raise RequestStateError(_("None of the request's person records is restricted."))
    _audit(actor, locked, "dsr.restriction_lift")
    return lifted


def suppression_digest(email: str) -> str:
    return keyed_digest("suppression", email)


def is_suppressed(*, workspace_id: int, email: str) -> bool:
    """Whether ``email`` objected to direct marketing (for the marketing app's sends)."""
    return MarketingSuppression.objects.filter(
        workspace_id=workspace_id, digest=suppression_digest(email)
    ).exists()


@transaction.atomic
def objection_record(*, actor: Actor, request: DataSubjectRequest) -> DataSubjectRequest:
    """Carry out an objection (Art. 21 GDPR). To direct marketing it is absolute: every address
    of the subject (and the requester's) goes on the suppression list at once. To processing on
    legitimate interests: the subject is restricted until the objection is decided."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    if locked.kind != RequestKind.OBJECTION:
        raise RequestStateError(_("This is not an objection."))
    if locked.objection_scope == ObjectionScope.DIRECT_MARKETING:
        ids = _subject_ids(locked)
        addresses = set(identifiers_of(workspace_id=actor.workspace_id, person_ids=ids).emails)
        if locked.requester_email:
            addresses.add(locked.requester_email)
        for address in sorted(addresses):
            MarketingSuppression.objects.get_or_create(
                workspace_id=actor.workspace_id,
                digest=suppression_digest(address),
                defaults={"request": locked, "created_by_id": actor.user_id, "updated_by_id": actor.user_id},
            )
        locked.decision = Decision.GRANTED
        locked.status = RequestStatus.COMPLETED
        locked.completed_at = timezone.now()
        return _save(actor, locked, ["decision", "status", "completed_at"], "objection.suppress")
    ids = _require_ready(locked)
    person_restrict(
        actor=actor, person_ids=ids, request=locked, reason=_("Objection pending (Art. 21(1) GDPR).")
    )
    locked.status = RequestStatus.IN_PROGRESS
    return _save(actor, locked, ["status"], "objection.restrict")


@transaction.atomic
def objection_decide(
    *, actor: Actor, request: DataSubjectRequest, compelling_grounds: bool, reason: str
) -> DataSubjectRequest:
    """Decide an objection to processing on legitimate interests. Without compelling grounds the
    processing stops for good (the subject stays restricted); with them, the restriction is
    lifted after the subject is told, and the grounds are recorded."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    if locked.objection_scope != ObjectionScope.LEGITIMATE_INTEREST:
        raise RequestStateError(_("Only an objection to processing on legitimate interests is decided."))
    if not locked.is_open:
        raise RequestStateError(_("The request is already closed."))
    if not reason.strip():
        raise ValidationError({"decision_reason": _("Give the reasons for the decision.")})
    if compelling_grounds:
        person_restriction_lift(actor=actor, person_ids=_subject_ids(locked), request=locked, reason=reason)
    locked.decision = Decision.REFUSED if compelling_grounds else Decision.GRANTED
    locked.decision_reason = reason
    locked.status = RequestStatus.REJECTED if compelling_grounds else RequestStatus.COMPLETED
    locked.completed_at = timezone.now()
    return _save(actor, locked, ["decision", "decision_reason", "status", "completed_at"], "objection.decide")


@transaction.atomic
def person_rectify(*, actor: Actor, request: DataSubjectRequest, person_id: int, **changes: Any) -> list[str]:
    """Correct a person's fields through the CRM's own service (Art. 16 GDPR); returns the names
    of the fields that changed. Recipients get a notification task (Art. 19 GDPR)."""
    from zweck.crm.models import Person
    from zweck.crm.services import person_change

    actor.require(Permission.PRIVACY_MANAGE)
    locked = _locked(actor, request)
    _require_ready(locked)
    if person_id not in _subject_ids(locked):
        raise ValidationError({"person_id": _("No such person.")})
    person = Person.objects.get(pk=person_id, workspace_id=actor.workspace_id)
    # The privacy officer corrects contact data in their privacy role, not as a CRM editor.
    rectifier = Actor(
        workspace=actor.workspace,
        user=actor.user,
        role=actor.role,
        permissions=actor.permissions | {Permission.CRM_CHANGE},
    )
    changed = sorted(person_change(actor=rectifier, person=person, **changes))
    if changed:
        recipient_notifications_create(
            actor=actor,
            declarations=contact_declarations(),
            person_ids=[person_id],
            action="rectification",
            request=locked,
        )
    request_log(request=locked, actor=actor, action="person.rectify", note=", ".join(changed))
    _audit(actor, locked, "dsr.rectify", changed)
    return changed


@transaction.atomic
def dsr_export(*, actor: Actor, request: DataSubjectRequest, fmt: str = "json", lang: str = "en") -> bytes:
    """The copy for a portability request (json, csv) or any other request (the access export:
    json, html, pdf, zip), recorded in the request's log. Another format is refused, naming the
    offered ones."""
    actor.require(Permission.PRIVACY_VIEW)
    locked = _locked(actor, request)
    exports.export_choice_check(formats=exports.formats_of(locked.kind), fmt=fmt, lang=lang)
    ids = _require_ready(locked) if locked.is_open else _subject_ids(locked)
    if locked.verification != VerificationState.VERIFIED:
        raise RequestStateError(_("The requester's identity is not verified yet."))
    if locked.kind == RequestKind.PORTABILITY:
        body = exports.portability_export(workspace=actor.workspace, person_ids=ids, fmt=fmt)
    else:
        body = exports.access_export(
            workspace=actor.workspace, person_ids=ids, fmt=fmt, lang=lang, request=locked
        )
    request_log(request=locked, actor=actor, action="export.generated", note=fmt)
    _audit(actor, locked, "dsr.export", details={"format": fmt, "count": len(ids)})
    return body


# ---------------------------------------------------------------- selectors


def dsr_list(
    *, actor: Actor, status: str | None = None, open_only: bool = False
) -> QuerySet[DataSubjectRequest]:
    """The workspace's requests, the nearest deadline first."""
    actor.require(Permission.PRIVACY_VIEW)
    requests = DataSubjectRequest.objects.filter(workspace_id=actor.workspace_id).select_related("assignee")
    if status:
        requests = requests.filter(status=status)
    if open_only:
        requests = requests.filter(status__in=(RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS))
    return requests.order_by("due_on", "pk")


def dsr_get(*, actor: Actor, request_id: int) -> DataSubjectRequest:
    """One request of the actor's workspace; ``DataSubjectRequest.DoesNotExist`` otherwise."""
    return (
        dsr_list(actor=actor)
        .prefetch_related("actions", "persons", "holds", "notifications")
        .get(pk=request_id)
    )


# ---------------------------------------------------------------- by address (CLI and API)


class SubjectNotFoundError(LookupError):
    """No person record of the workspace has this email address."""


def subject_ids_by_email(*, actor: Actor, email: str) -> list[int]:
    """Every person record with ``email`` (duplicates included); ``SubjectNotFoundError`` when none."""
    from zweck.privacy.subjects import subject_candidates

    candidates = subject_candidates(actor=actor, email=email) if email.strip() else []
    ids = sorted(candidate.person_id for candidate in candidates)
    if not ids:
        raise SubjectNotFoundError(_("No person record has this email address."))
    return ids


@transaction.atomic
def subject_export_by_email(*, actor: Actor, email: str, fmt: str = "json", lang: str = "en") -> bytes:
    """The access export for the person records with ``email``, recorded in the audit trail."""
    actor.require(Permission.PRIVACY_MANAGE)
    exports.export_choice_check(formats=exports.FORMATS, fmt=fmt, lang=lang)
    ids = subject_ids_by_email(actor=actor, email=email)
    body = exports.access_export(workspace=actor.workspace, person_ids=ids, fmt=fmt, lang=lang)
    audit_record(
        actor=actor,
        action="subject.export",
        object_type="crm.person",
        object_id=",".join(map(str, ids)),
        subject_ids=ids,
        details={"format": fmt, "count": len(ids)},
    )
    return body


def subject_erase_by_email(
    *, actor: Actor, email: str, dry_run: bool = True, lang: str = "en"
) -> dict[str, Any]:
    """The erasure plan for the person records with ``email``, executed unless ``dry_run``; a
    plan not executed comes with its words in ``lang`` (``readable``)."""
    from zweck.privacy.erasure import erasure_plan
    from zweck.privacy.erasure_words import plan_in_words

    actor.require(Permission.PRIVACY_MANAGE)
    ids = subject_ids_by_email(actor=actor, email=email)
    if dry_run:
        plan = erasure_plan(actor=actor, person_ids=ids)
        return {"executed": False, **plan.as_dict(), "readable": plan_in_words(plan, lang).as_dict()}
    result = person_erase(actor=actor, person_ids=ids)
    return {"executed": True, **result.plan.as_dict()}
