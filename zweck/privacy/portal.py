"""The public privacy portal's services: a request from anyone, verified by a signed link sent to
the address given, then a status page and the export behind a second signed link.

Invariants:
- before verification the portal answers the same whether or not the address is known: every
  submission creates a request and sends the same email to the address given; nothing about
  the workspace's data is shown until the link in that email is opened;
- a verification link is signed, expires after ``VERIFY_MAX_AGE`` and works once; the status
  link it leads to is signed and expires after ``ACCESS_MAX_AGE``;
- only person records with exactly the verified address are linked to a portal request, so
  no one obtains another person's data by naming them;
- submissions are rate-limited per client IP and per address, counted in the database by
  ``zweck.accounts.throttle`` (shared by every server process; keyed digests, no plain value).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import ThrottleKey, ThrottleScope, Workspace
from zweck.accounts.throttle import DEFAULT_LIMITS, TooManyAttempts, keys_for, throttle_hit
from zweck.privacy import dsr
from zweck.privacy.models import DataSubjectRequest
from zweck.privacy.notifications import email_after_commit
from zweck.privacy.request_models import ObjectionScope, RequestChannel, RequestKind, VerificationState
from zweck.privacy.subjects import find_candidates

VERIFY_MAX_AGE = 24 * 60 * 60
ACCESS_MAX_AGE = 14 * 24 * 60 * 60
RATE_PER_IP = DEFAULT_LIMITS[(ThrottleScope.PORTAL, ThrottleKey.IP)].attempts
RATE_PER_ADDRESS = DEFAULT_LIMITS[(ThrottleScope.PORTAL, ThrottleKey.ADDRESS)].attempts
_SALT_VERIFY = "zweck.privacy.portal.verify"
_SALT_ACCESS = "zweck.privacy.portal.access"


class PortalError(Exception):
    """A portal call that cannot be answered; ``message`` is safe to show anyone."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RateLimited(PortalError):
    pass


class LinkInvalid(PortalError):
    pass


def _token(request: DataSubjectRequest, salt: str) -> str:
    return signing.dumps({"r": request.pk, "w": request.workspace_id}, salt=salt)


def _load(token: str, salt: str, max_age: int) -> DataSubjectRequest:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkInvalid(_("This link has expired. Please submit your request again.")) from error
    except signing.BadSignature as error:
        raise LinkInvalid(_("This link is not valid.")) from error
    found = DataSubjectRequest.objects.filter(pk=payload["r"], workspace_id=payload["w"]).first()
    if found is None:
        raise LinkInvalid(_("This link is not valid."))
    return found


def _check_rate(client_ip: str, email: str) -> None:
    """Count the submission for the client and the address; refuse beyond the portal's limits
    (``zweck.accounts.throttle``: 10 an hour per client IP, 3 an hour per address)."""
    try:
        throttle_hit(ThrottleScope.PORTAL, keys_for(address=email, ip=client_ip))
    except TooManyAttempts as error:
        raise RateLimited(error.refusal.message) from error


@dataclass(frozen=True)
class Links:
    verify_path: str


@transaction.atomic
def portal_request_submit(
    *,
    workspace: Workspace,
    kind: str,
    email: str,
    name: str = "",
    details: str = "",
    objection_scope: str = "",
    client_ip: str = "",
    base_url: str = "",
) -> None:
    """Receive a request from the portal and send the verification link to ``email``. Returns
    nothing: the answer must not depend on whether the address is known."""
    email = email.strip().lower()
    _check_rate(client_ip, email)
    if kind not in RequestKind.values:
        raise PortalError(_("Choose a right."))
    if kind == RequestKind.OBJECTION and objection_scope not in ObjectionScope.values:
        objection_scope = ObjectionScope.DIRECT_MARKETING
    system = Actor.system(workspace)
    request = dsr.dsr_open(
        actor=system,
        kind=kind,
        channel=RequestChannel.PORTAL,
        requester_email=email,
        requester_name=name,
        details=details,
        objection_scope=objection_scope,
    )
    link = base_url + reverse("public:request_verify", args=[_token(request, _SALT_VERIFY)])
    email_after_commit(
        workspace_id=workspace.pk,
        to=email,
        subject=_("Please confirm your privacy request"),
        body=_(
            "We received a privacy request for this email address. If you sent it, open this link "
            "within 24 hours to confirm it:\n\n%(link)s\n\nIf you did not send it, ignore this email."
        )
        % {"link": link},
    )


@transaction.atomic
def portal_request_verify(*, token: str) -> str:
    """Open a verification link: the request is verified and linked to the person records with
    exactly this address. Returns the status link's token. A used link is refused."""
    request = _load(token, _SALT_VERIFY, VERIFY_MAX_AGE)
    request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    if request.verification != VerificationState.PENDING:
        raise LinkInvalid(_("This link has already been used. Use the status link we showed you."))
    system = Actor.system(request.workspace)
    dsr.dsr_verify(actor=system, request=request, note="portal link")
    matches = find_candidates(workspace_id=request.workspace_id, email=request.requester_email)
    if matches:
        dsr.dsr_link_persons(actor=system, request=request, person_ids=[c.person_id for c in matches])
    if request.kind == RequestKind.OBJECTION and request.objection_scope == ObjectionScope.DIRECT_MARKETING:
        dsr.objection_record(actor=system, request=request)
    return _token(request, _SALT_ACCESS)


def portal_request_status(*, token: str) -> DataSubjectRequest:
    """The request behind a status link."""
    request = _load(token, _SALT_ACCESS, ACCESS_MAX_AGE)
    if request.verification != VerificationState.VERIFIED:
        raise LinkInvalid(_("This link is not valid."))
    return request


def portal_export(*, token: str, fmt: str) -> bytes:
    """The copy of the subject's data behind a status link (access or portability requests)."""
    request = portal_request_status(token=token)
    if request.kind not in (RequestKind.ACCESS, RequestKind.PORTABILITY):
        raise LinkInvalid(_("This request has no download."))
    if not request.persons.exists():
        raise LinkInvalid(_("We hold no personal data about this email address."))
    return dsr.dsr_export(actor=Actor.system(request.workspace), request=request, fmt=fmt)
