"""Direct transmission of a portability export to another controller (Art. 20(2) GDPR): the
privacy officer creates a signed link for a portability request and hands it to the controller
the subject named; whoever holds the link downloads the export, without an account, until the
link expires.

Invariants:
- a link is signed with the installation's secret (``django.core.signing``, its own salt) and
  carries only ids, the format and its expiry: the request, the workspace, and the action-log
  line that recorded its creation; changing any of it breaks the signature;
- a link is created only for a portability request whose requester's identity is verified, with
  person records linked, that was not refused; only in a format the portability export offers;
- a link works until ``expires_at`` (``settings.ZWECK["TRANSMISSION_LINK_DAYS"]`` after its
  creation, fixed in the link); afterwards it is refused as expired (``LinkExpired``), and once
  the request no longer allows it (refused, or its records erased) as withdrawn
  (``LinkWithdrawn``); a link whose signature, request or creation line does not check out is
  refused as unknown (``LinkInvalid``), so nothing tells a guesser more than that;
- the export is made from the register at each download, so data erased or restricted after
  the link was created is not handed over;
- each creation and each download is a line in the request's action log and an audit event,
  holding ids, the format and dates, never the link itself or a personal value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.privacy import exports
from zweck.privacy.dsr import RequestStateError, request_log
from zweck.privacy.models import DataSubjectRequest, RequestAction
from zweck.privacy.request_models import Decision, RequestKind, VerificationState

_SALT = "zweck.privacy.transmission"
CREATED = "transmission.link_created"
DOWNLOADED = "transmission.downloaded"


class LinkInvalid(Exception):
    """The link is not one this installation made (tampered or unknown), or its request is gone."""


class LinkGone(Exception):
    """The link was made here but no longer gives the export."""


class LinkExpired(LinkGone):
    """The link's time is up."""


class LinkWithdrawn(LinkGone):
    """The request no longer allows the transmission: refused since, or its records erased."""


@dataclass(frozen=True)
class TransmissionLink:
    token: str
    fmt: str
    expires_at: datetime
    request_id: int


@dataclass(frozen=True)
class Transmission:
    body: bytes
    fmt: str
    request_id: int


def link_lifetime() -> timedelta:
    return timedelta(days=settings.ZWECK["TRANSMISSION_LINK_DAYS"])


def _subject_ids(request: DataSubjectRequest) -> list[int]:
    return sorted(request.persons.values_list("pk", flat=True))


def _require_transmittable(request: DataSubjectRequest) -> list[int]:
    if request.kind != RequestKind.PORTABILITY:
        raise RequestStateError(_("Only the export of a portability request is transmitted."))
    if request.verification != VerificationState.VERIFIED:
        raise RequestStateError(_("The requester's identity is not verified yet."))
    if request.decision == Decision.REFUSED:
        raise RequestStateError(_("The request was refused."))
    ids = _subject_ids(request)
    if not ids:
        raise RequestStateError(_("Name the person records the request covers first."))
    return ids


@transaction.atomic
def transmission_link_create(
    *, actor: Actor, request: DataSubjectRequest, fmt: str = "json", now: datetime | None = None
) -> TransmissionLink:
    """A signed link to the portability export of ``request`` for another controller, valid for
    ``link_lifetime()`` from ``now``."""
    actor.require(Permission.PRIVACY_MANAGE)
    exports.export_choice_check(formats=exports.PORTABILITY_FORMATS, fmt=fmt)
    locked = DataSubjectRequest.objects.select_for_update().get(
        pk=request.pk, workspace_id=actor.workspace_id
    )
    subject_ids = _require_transmittable(locked)
    # Whole seconds: the link carries its expiry as a timestamp.
    expires_at = ((now or timezone.now()) + link_lifetime()).replace(microsecond=0)
    line = request_log(
        request=locked,
        actor=actor,
        action=CREATED,
        note=f"{fmt} → {timezone.localtime(expires_at):%Y-%m-%d %H:%M}",
    )
    audit_record(
        actor=actor,
        action="dsr.transmission_link",
        instance=locked,
        subject_ids=subject_ids,
        changed_fields=["transmission_link"],
    )
    token = signing.dumps(
        {"r": locked.pk, "w": locked.workspace_id, "a": line.pk, "f": fmt, "e": int(expires_at.timestamp())},
        salt=_SALT,
        compress=True,
    )
    return TransmissionLink(token=token, fmt=fmt, expires_at=expires_at, request_id=locked.pk)


def _load(token: str, now: datetime) -> tuple[DataSubjectRequest, int, str]:
    try:
        payload = signing.loads(token, salt=_SALT)
        request_id, workspace_id, line_id = int(payload["r"]), int(payload["w"]), int(payload["a"])
        fmt, expires = str(payload["f"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise LinkInvalid from error
    request = (
        DataSubjectRequest.objects.select_for_update()
        .select_related("workspace")
        .filter(pk=request_id, workspace_id=workspace_id)
        .first()
    )
    created = RequestAction.objects.filter(
        pk=line_id, request_id=request_id, workspace_id=workspace_id, action=CREATED
    ).exists()
    if request is None or not created or fmt not in exports.PORTABILITY_FORMATS:
        raise LinkInvalid
    if now.timestamp() >= expires:
        raise LinkExpired
    return request, line_id, fmt


@transaction.atomic
def transmission_download(*, token: str, now: datetime | None = None) -> Transmission:
    """The portability export behind a link, for whoever holds it; ``LinkGone`` once its time is
    up or the request no longer allows it, ``LinkInvalid`` for anything this installation did
    not sign or no longer has. The download's log line names the creation's line."""
    request, line_id, fmt = _load(token, now or timezone.now())
    try:
        subject_ids = _require_transmittable(request)
    except RequestStateError as error:
        raise LinkWithdrawn from error
    system = Actor.system(request.workspace)
    body = exports.portability_export(workspace=request.workspace, person_ids=subject_ids, fmt=fmt)
    request_log(
        request=request,
        actor=system,
        action=DOWNLOADED,
        note=f"#{line_id}, {fmt}",
    )
    audit_record(
        actor=system,
        action="dsr.transmission_download",
        instance=request,
        subject_ids=subject_ids,
    )
    return Transmission(body=body, fmt=fmt, request_id=request.pk)
