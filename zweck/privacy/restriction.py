"""Restriction of processing (Art. 18 GDPR): restricted data is stored, not used.

Invariants:
- a person is restricted when their record's ``restricted_at`` is set; a row of any app is
  restricted when every subject it belongs to (through the register's subject path) is
  restricted, or when a ``RecordHold`` keeps it after an erasure (Art. 17(3) with 18(1));
- ``restriction_filter`` removes both from any queryset of a declared model; it is registered
  as a scope filter of ``visible_to`` (``PrivacyConfig.ready``), so every read for use applies
  it and only a read for storage (the privacy officer, the workspace's machinery) does not;
- lifting a restriction first records and sends a notice to the subject (Art. 18(3)).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record, object_type_of
from zweck.core.permissions import Permission
from zweck.core.register import ModelDeclaration, register
from zweck.core.scoping import MASKED_FIELDS, Purpose, RowMask
from zweck.privacy.mentions import OTHER_PERSON
from zweck.privacy.models import DataSubjectRequest, RecordHold
from zweck.privacy.notifications import email_after_commit, recipient_notifications_create
from zweck.privacy.subjects import (
    CONTACT,
    contact_declarations,
    identifiers_of,
    in_workspace,
    is_shared,
    path_is_relation,
    subject_declaration,
    subject_path,
)

RESTRICTED_FIELD = "restricted_at"


def held_ids(model: Any, workspace_id: int | None = None) -> QuerySet[RecordHold, Any]:
    """The ids of ``model``'s rows an erasure keeps under a hold (a legal hold on a live record
    does not restrict it)."""
    holds = RecordHold.objects.filter(
        object_type=object_type_of(model), released_at__isnull=True, erase_on_release=True
    )
    if workspace_id is not None:
        holds = holds.in_workspace(workspace_id)
    return holds.values("object_id")


def without_held[Q_: QuerySet[Any]](queryset: Q_, workspace_id: int | None = None) -> Q_:
    """``queryset`` without the rows a hold keeps after an erasure (restricted, Art. 17(3))."""
    return queryset.exclude(pk__in=held_ids(queryset.model, workspace_id))


def _restricted_subject(declaration: ModelDeclaration) -> Q:
    """Rows of ``declaration`` that belong to a restricted subject, and to no other subject
    who is not restricted. Correlated ``EXISTS`` from each row, so a page of rows costs a
    few index look-ups per row, however large the tables are."""
    own = subject_declaration()
    path = subject_path(declaration)
    if not path_is_relation(declaration):
        # The subject is kept as a plain id (audit subjects, notifications).
        people = own.model._default_manager.filter(pk=OuterRef(path))
        return Q(Exists(people.filter(**{f"{RESTRICTED_FIELD}__isnull": False})))
    restricted = {f"{path}__{RESTRICTED_FIELD}__isnull": False}
    if not is_shared(declaration):
        return Q(**restricted)
    same_row = declaration.model._default_manager.filter(pk=OuterRef("pk"))
    unrestricted = same_row.filter(**{f"{path}__isnull": False, f"{path}__{RESTRICTED_FIELD}__isnull": True})
    return Q(Exists(same_row.filter(**restricted))) & ~Q(Exists(unrestricted))


def restriction_filter[Q_: QuerySet[Any]](queryset: Q_, workspace_id: int | None = None) -> Q_:
    """``queryset`` without restricted rows: held after an erasure, or belonging only to
    restricted subjects. Works for every model the register declares about contacts."""
    declaration = register.get(queryset.model)
    if declaration is None or declaration.subject is None or declaration.subject_kind != CONTACT:
        return queryset
    queryset = without_held(queryset, workspace_id)
    if declaration is subject_declaration():
        return queryset.filter(**{f"{RESTRICTED_FIELD}__isnull": True})
    return queryset.exclude(_restricted_subject(declaration))


def restriction_scope[Q_: QuerySet[Any]](queryset: Q_, *, actor: Actor, purpose: Purpose) -> Q_:
    """The privacy app's filter for ``visible_to``: restricted data is stored, not used
    (Art. 18(2) GDPR); reading for storage shows it."""
    if purpose is Purpose.STORAGE:
        return queryset
    return restriction_filter(queryset, actor.workspace_id)


def restricted_mentions_masker(
    model: type[models.Model], *, actor: Actor, purpose: Purpose
) -> RowMask | None:
    """For reads for use by anyone but the privacy officer: a restricted subject's name, email
    address and phone number in other records' free text are replaced by a marker (Art. 18(2)
    GDPR: their data is stored, not used). The masked fields are noted on the row, so that
    ``save_scoped`` refuses to write the masked text back over the stored one."""
    declaration = register.get(model)
    if purpose is Purpose.STORAGE or actor.can(Permission.PRIVACY_VIEW) or declaration is None:
        return None
    names = declaration.free_text_fields()
    if not names:
        return None
    own = subject_declaration()
    restricted = list(
        in_workspace(own, actor.workspace_id)
        .filter(**{f"{RESTRICTED_FIELD}__isnull": False})
        .values_list("pk", flat=True)
    )
    if not restricted:
        return None
    matcher = identifiers_of(workspace_id=actor.workspace_id, person_ids=restricted).matcher

    def mask(row: models.Model) -> None:
        masked = set()
        for name in names:
            text = getattr(row, name, None)
            if text and matcher.certain_spans(text):
                setattr(row, name, matcher.redact(text, OTHER_PERSON))
                masked.add(name)
        if masked:
            setattr(row, MASKED_FIELDS, masked)

    return mask


def _log(request: DataSubjectRequest | None, actor: Actor, action: str, note: str = "") -> None:
    if request is not None:
        from zweck.privacy.dsr import request_log

        request_log(request=request, actor=actor, action=action, note=note)


@transaction.atomic
def person_restrict(
    *,
    actor: Actor,
    person_ids: Iterable[int],
    request: DataSubjectRequest | None = None,
    reason: str = "",
) -> int:
    """Restrict processing of the person records ``person_ids``; returns how many were not
    restricted before. Recipients of their data get a notification task (Art. 19 GDPR)."""
    actor.require(Permission.PRIVACY_MANAGE)
    own = subject_declaration()
    ids = sorted(set(person_ids))
    people = in_workspace(own, actor.workspace_id).filter(pk__in=ids)
    found = list(people.select_for_update().values_list("pk", flat=True))
    if len(found) != len(ids):
        raise own.model.DoesNotExist  # type: ignore[attr-defined]
    changed = people.filter(**{f"{RESTRICTED_FIELD}__isnull": True}).update(
        **{RESTRICTED_FIELD: timezone.now()}
    )
    if changed:
        audit_record(
            actor=actor,
            action="person.restrict",
            object_type=object_type_of(own.model),
            object_id=",".join(map(str, ids)),
            subject_ids=ids,
            changed_fields=[RESTRICTED_FIELD],
        )
        recipient_notifications_create(
            actor=actor,
            declarations=contact_declarations(),
            person_ids=ids,
            action="restriction",
            request=request,
        )
    _log(request, actor, "person.restrict", reason)
    return changed


@transaction.atomic
def person_restriction_lift(
    *,
    actor: Actor,
    person_ids: Iterable[int],
    request: DataSubjectRequest | None = None,
    reason: str = "",
) -> int:
    """Lift the restriction of ``person_ids``. The subject is told first (Art. 18(3) GDPR): the
    notice is recorded and sent to their addresses before the restriction ends."""
    actor.require(Permission.PRIVACY_MANAGE)
    own = subject_declaration()
    ids = sorted(set(person_ids))
    people = in_workspace(own, actor.workspace_id).filter(
        pk__in=ids, **{f"{RESTRICTED_FIELD}__isnull": False}
    )
    restricted = list(people.select_for_update().values_list("pk", flat=True))
    if not restricted:
        return 0
    identifiers = identifiers_of(workspace_id=actor.workspace_id, person_ids=restricted)
    for address in identifiers.emails:
        email_after_commit(
            workspace_id=actor.workspace_id,
            to=address,
            subject=_("The restriction of processing of your data ends"),
            body=_(
                "We restricted the processing of your personal data at your request. We will lift "
                "this restriction; from then on we process your data again as described in our "
                "privacy notice (Art. 18(3) GDPR).\n\nReason: %(reason)s"
            )
            % {"reason": reason or "-"},
        )
    audit_record(
        actor=actor,
        action="person.restriction_notice",
        object_type=object_type_of(own.model),
        object_id=",".join(map(str, restricted)),
        subject_ids=restricted,
    )
    _log(request, actor, "person.restriction_notice", reason)
    changed = people.update(**{RESTRICTED_FIELD: None})
    audit_record(
        actor=actor,
        action="person.restriction_lift",
        object_type=object_type_of(own.model),
        object_id=",".join(map(str, restricted)),
        subject_ids=restricted,
        changed_fields=[RESTRICTED_FIELD],
    )
    _log(request, actor, "person.restriction_lift", reason)
    return changed
