"""The privacy officer confirms or dismisses the possible mentions of a request's subject.

A decision is kept per request and per mention (row, field and the keyed hash of the term,
``MentionDecision``); a confirmed mention is from then on erased and exported like a certain
one, a dismissed one is left alone. The request's action log and the audit trail record each
decision with the row and field only, never the term.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.privacy.dsr import RequestStateError, request_log
from zweck.privacy.erasure import erasure_plan
from zweck.privacy.mentions import ReviewedMention, decisions_of, find_mentions, reviewed
from zweck.privacy.models import DataSubjectRequest, MentionDecision
from zweck.privacy.request_models import RequestKind
from zweck.privacy.subjects import contact_declarations, identifiers_of, rows_of

CONFIRM, DISMISS = "confirm", "dismiss"


def _person_ids(request: DataSubjectRequest) -> list[int]:
    return sorted(request.persons.values_list("pk", flat=True))


def request_possible_mentions(*, actor: Actor, request: DataSubjectRequest) -> list[ReviewedMention]:
    """The possible mentions of the request's subject with the decisions taken so far: for an
    erasure request those of its erasure plan, otherwise those in records that do not belong
    to the subject (the access export shows the subject's own records whole)."""
    actor.require(Permission.PRIVACY_VIEW)
    if request.workspace_id != actor.workspace_id:
        raise DataSubjectRequest.DoesNotExist
    ids = _person_ids(request)
    if not ids:
        return []
    if request.kind == RequestKind.ERASURE:
        return erasure_plan(actor=actor, person_ids=ids, request=request).possible_mentions
    identifiers = identifiers_of(workspace_id=actor.workspace_id, person_ids=ids)
    possible = find_mentions(workspace_id=actor.workspace_id, identifiers=identifiers).possible
    labels = {mention.declaration.label for mention in possible}
    own: set[tuple[str, int]] = set()
    for declaration in contact_declarations():
        if declaration.label in labels:
            rows = rows_of(declaration, workspace_id=actor.workspace_id, person_ids=ids)
            row_ids = [mention.row_id for mention in possible if mention.declaration is declaration]
            own |= {
                (declaration.label, pk) for pk in rows.filter(pk__in=row_ids).values_list("pk", flat=True)
            }
    others = [mention for mention in possible if (mention.declaration.label, mention.row_id) not in own]
    return reviewed(others, identifiers=identifiers, decisions=decisions_of(request))


@transaction.atomic
def mention_decide(*, actor: Actor, request: DataSubjectRequest, key: str, decision: str) -> MentionDecision:
    """Confirm (``"confirm"``) or dismiss (``"dismiss"``) the possible mention ``key`` of an
    open request; deciding again replaces the earlier decision."""
    actor.require(Permission.PRIVACY_MANAGE)
    locked = DataSubjectRequest.objects.select_for_update().get(
        pk=request.pk, workspace_id=actor.workspace_id
    )
    if decision not in (CONFIRM, DISMISS):
        raise ValidationError({"decision": _("Choose confirm or dismiss.")})
    if not locked.is_open:
        raise RequestStateError(_("The request is already closed."))
    found = next(
        (m for m in request_possible_mentions(actor=actor, request=locked) if m.mention.key == key), None
    )
    if found is None:
        raise ValidationError({"key": _("This request has no such possible mention.")})
    mention = found.mention
    confirmed = decision == CONFIRM
    where = {
        "workspace_id": actor.workspace_id,
        "request": locked,
        "data_set": mention.data_set,
        "row_id": mention.row_id,
        "field_name": mention.field,
        "term_digest": mention.digest,
    }
    row = MentionDecision.objects.filter(**where).first()
    if row is None:
        row = MentionDecision(**where, confirmed=confirmed, created_by_id=actor.user_id)
    row.confirmed = confirmed
    row.updated_by_id = actor.user_id
    row.updated_at = timezone.now()
    row.full_clean()
    row.save()
    action = "mention.confirm" if confirmed else "mention.dismiss"
    audit_record(
        actor=actor,
        action=action,
        instance=row,
        subject_ids=_person_ids(locked),
        changed_fields=["confirmed"],
    )
    request_log(
        request=locked,
        actor=actor,
        action=action,
        note=f"{mention.data_set} #{mention.row_id} {mention.field}",
    )
    return row
