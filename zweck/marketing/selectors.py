"""Reads of the consent ledger, scoped to the actor through ``visible_to`` (restricted subjects
are left out for every use but storage).

``consent_valid`` and ``consent_valid_persons`` are the gate every later send asks: a consent is
valid when it was given and not withdrawn; for direct marketing, also when its address is not
on the suppression list of an objection (Art. 21(3) GDPR), which outlives even an erasure.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.crm.models import Person
from zweck.marketing.choices import MARKETING_PURPOSES, RecordKind
from zweck.marketing.models import ConsentRecord, ConsentText
from zweck.privacy.dsr import suppression_digest
from zweck.privacy.models import MarketingSuppression


def consent_list(
    *,
    actor: Actor,
    person_id: int | None = None,
    purpose: str | None = None,
    kind: str | None = None,
    in_force: bool | None = None,
) -> QuerySet[ConsentRecord]:
    """Ledger entries, newest first, each with its text and withdrawal."""
    records = (
        ConsentRecord.objects.visible_to(actor, Permission.CONSENT_VIEW)
        .select_related("text", "person", "recipient")
        .prefetch_related(Prefetch("withdrawals", queryset=ConsentRecord.objects.order_by("pk")))
        .order_by("-given_at", "-pk")
    )
    if person_id is not None:
        records = records.filter(person_id=person_id)
    if purpose:
        records = records.filter(purpose=purpose)
    if kind:
        records = records.filter(kind=kind)
    if in_force is not None:
        open_grant = Exists(ConsentRecord.objects.filter(withdraws=OuterRef("pk")))
        records = (
            records.filter(kind=RecordKind.GRANT).exclude(open_grant)
            if in_force
            else records.filter(kind=RecordKind.GRANT).filter(open_grant)
        )
    return records


def consent_get(*, actor: Actor, record_id: int) -> ConsentRecord:
    return consent_list(actor=actor).get(pk=record_id)


def consent_texts(*, actor: Actor) -> QuerySet[ConsentText]:
    return ConsentText.objects.visible_to(actor, Permission.CONSENT_VIEW).order_by(
        "purpose", "language", "-version"
    )


def _suppressed(workspace_id: int, addresses: Iterable[str]) -> set[str]:
    """The ``addresses`` on the workspace's suppression list."""
    digests = {suppression_digest(address): address for address in set(addresses) if address}
    if not digests:
        return set()
    found = MarketingSuppression.objects.in_workspace(workspace_id).filter(digest__in=list(digests))
    return {digests[digest] for digest in found.values_list("digest", flat=True)}


def _grants_in_force(actor: Actor, purpose: str, recipient_id: int | None) -> QuerySet[ConsentRecord]:
    grants = (
        ConsentRecord.objects.visible_to(actor, Permission.CONSENT_VIEW)
        .filter(kind=RecordKind.GRANT, purpose=purpose)
        .exclude(Exists(ConsentRecord.objects.filter(withdraws=OuterRef("pk"))))
    )
    if recipient_id is not None:
        grants = grants.filter(recipient_id=recipient_id)
    return grants


def consent_valid_persons(
    *, actor: Actor, person_ids: Iterable[int], purpose: str, recipient_id: int | None = None
) -> set[int]:
    """Which of ``person_ids`` may be approached for ``purpose`` on their consent now."""
    ids = sorted(set(person_ids))
    if not ids:
        return set()
    rows = list(
        _grants_in_force(actor, purpose, recipient_id)
        .filter(person_id__in=ids)
        .values_list("person_id", "address")
    )
    if purpose in MARKETING_PURPOSES:
        suppressed = _suppressed(actor.workspace_id, (address for _person, address in rows))
        rows = [(person, address) for person, address in rows if address not in suppressed]
    return {person for person, _address in rows}


def consent_valid(*, actor: Actor, person: Person, purpose: str, recipient_id: int | None = None) -> bool:
    """Whether ``person`` consented to ``purpose`` (and ``recipient_id``) and has not withdrawn it."""
    return person.pk in consent_valid_persons(
        actor=actor, person_ids=[person.pk], purpose=purpose, recipient_id=recipient_id
    )
