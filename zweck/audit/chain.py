"""The hash chain of the audit trail: appending, pruning by retention, anchoring, verifying.

Invariants:
- each workspace has one chain (the operator's events, without a workspace, have chain 0);
  its head (``AuditChain``) is locked by every append until that transaction ends, so events
  take consecutive places (``sequence``) in the order their transactions wrote them, on every
  database and across connections; a unique constraint refuses two events at one place;
- an event's hash is SHA-256 over a canonical JSON form (``canonical``) of its place, the
  previous event's hash, its fields (the actor as its pseudonymous label, not the user id,
  which becomes NULL when the user is deleted) and the ids of the subjects it concerns: anyone
  holding the rows can recompute it, no key is needed;
- the retention sweep is the only removal: ``prune`` appends an ``audit.prune`` event naming
  the places removed (``floor``: every place up to it is gone; ``ranges`` above it), so a gap
  the chain cannot account for is a removal someone else made;
- anchors copy a chain's head out of the rows it protects (a table row and a line in a file
  under the data directory), each signed with the installation's secret key: rewriting the
  chain's hashes in the database shows against every anchor written before;
- ``verify`` reads every chain in order, a batch at a time, and reports each problem with the
  workspace, the event id and the place.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import ipaddress
import json
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from zweck.audit.models import AuditAnchor, AuditChain, AuditEvent

GENESIS = "0" * 64
FORMAT = 1
PRUNE_ACTION = "audit.prune"
SYSTEM_LABEL = "system"
OPERATOR_LABEL = "operator"
OPERATOR_CHAIN = 0
BATCH = 2000
_ANCHOR_SALT = "zweck.audit.anchor"


def chain_of(workspace_id: int | None) -> int:
    return workspace_id if workspace_id is not None else OPERATOR_CHAIN


def chain_rows(workspace_id: int | None) -> QuerySet[AuditEvent]:
    """Every event of one chain (the workspace's, or the operator's for None)."""
    from zweck.audit.models import AuditEvent

    if workspace_id is None:
        return AuditEvent.objects.filter(workspace__isnull=True)
    return AuditEvent.objects.in_workspace(workspace_id)


# --- hashing ---------------------------------------------------------------------------------


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return str(value)


def canonical(event: AuditEvent, subject_ids: Iterable[int]) -> bytes:
    """The bytes an event's hash is taken over: sorted-key JSON, UTC microseconds, UTF-8."""
    occurred_at = event.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at, UTC)
    payload = {
        "format": FORMAT,
        "workspace": event.workspace_id,
        "sequence": event.sequence,
        "previous": event.previous_hash,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_label,
        "channel": event.channel,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "changed_fields": list(event.changed_fields or []),
        "details": event.details or {},
        "client_ip": _address(event.client_ip),
        "subjects": sorted({int(subject) for subject in subject_ids}),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(event: AuditEvent, subject_ids: Iterable[int]) -> str:
    return hashlib.sha256(canonical(event, subject_ids)).hexdigest()


def actor_label(label_key: str, user_id: int) -> str:
    """The pseudonym of ``user_id`` in one workspace's trail: stable for the user, different in
    every workspace, and with no name or address in it."""
    mac = hmac.new(label_key.encode(), str(user_id).encode(), hashlib.sha256).digest()
    return "user-" + base64.b32encode(mac).decode().lower()[:10]


# --- appending -------------------------------------------------------------------------------


def head(workspace_id: int | None, *, lock: bool = True) -> AuditChain:
    """The chain's head, created on first use; locked until the transaction ends."""
    from zweck.audit.models import AuditChain

    key = chain_of(workspace_id)
    rows = AuditChain.objects.filter(pk=key)
    if lock:
        rows = rows.select_for_update()
    found = rows.first()
    if found is None:
        AuditChain.objects.bulk_create(
            [AuditChain(pk=key, workspace_id=workspace_id, label_key=secrets.token_hex(32))],
            ignore_conflicts=True,
        )
        found = rows.get()
    return found


def append(event: AuditEvent, subject_ids: Iterable[int]) -> None:
    """Give ``event`` its place, label and hash; the caller inserts it, then ``advance``."""
    current = head(event.workspace_id)
    if not event.actor_label:
        if event.actor_id is not None:
            event.actor_label = actor_label(current.label_key, event.actor_id)
        else:
            event.actor_label = OPERATOR_LABEL if event.workspace_id is None else SYSTEM_LABEL
    event.sequence = current.sequence + 1
    event.previous_hash = current.hash or GENESIS
    event.hash = digest(event, subject_ids)
    event._chain_head = current  # type: ignore[attr-defined]


def advance(event: AuditEvent) -> None:
    current: AuditChain = event._chain_head  # type: ignore[attr-defined]
    current.sequence, current.hash = event.sequence or 0, event.hash
    current.save(update_fields=["sequence", "hash"])
    del event._chain_head  # type: ignore[attr-defined]


# --- retention -------------------------------------------------------------------------------


def _ranges(places: Iterable[int]) -> list[list[int]]:
    """Sorted places as closed ranges: 1,2,3,7 → [[1,3],[7,7]]."""
    return _merge([place, place] for place in places)


def _merge(ranges: Iterable[Sequence[int]]) -> list[list[int]]:
    """Closed ranges sorted, overlapping and adjacent ones joined."""
    merged: list[list[int]] = []
    for low, high in sorted([int(low), int(high)] for low, high in ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return merged


def _covered(ranges: Iterable[Sequence[int]], place: int) -> bool:
    return any(low <= place <= high for low, high in ranges)


@dataclass
class Pruned:
    """What the chain's prune events say was removed: every place up to ``floor``, and ``ranges``."""

    floor: int = 0
    ranges: list[list[int]] = field(default_factory=list)

    def add(self, details: dict[str, Any]) -> None:
        self.floor = max(self.floor, int(details.get("floor", 0)))
        self.ranges.extend([int(low), int(high)] for low, high in details.get("ranges", []))

    def covers(self, place: int) -> bool:
        return place <= self.floor or _covered(self.ranges, place)


def pruned_of(workspace_id: int | None) -> Pruned:

    pruned = Pruned()
    rows = chain_rows(workspace_id).filter(action=PRUNE_ACTION)
    for details in rows.values_list("details", flat=True):
        pruned.add(details or {})
    return pruned


def prune(gone: Iterable[tuple[int | None, int | None, str, Any]]) -> None:
    """Record in each chain the events the retention sweep has just deleted.

    ``gone`` holds (workspace, place, action, details) of the deleted rows. The new prune event
    names the places now removed and those that deleted prune events had named, and raises the
    floor over every place up to the first one still present or not accounted for.
    """
    from zweck.audit.models import AuditEvent

    by_chain: dict[int | None, tuple[set[int], list[list[int]]]] = {}
    for workspace_id, place, action, details in gone:
        places, carried = by_chain.setdefault(workspace_id, (set(), []))
        if place is not None:
            places.add(place)
        if action == PRUNE_ACTION and details:
            carried.extend(details.get("ranges", []))
    for workspace_id, (places, carried) in by_chain.items():
        current = head(workspace_id)
        known = pruned_of(workspace_id)
        accounted = Pruned(known.floor, [*known.ranges, *carried, *_ranges(places)])
        floor = known.floor
        while floor < current.sequence and accounted.covers(floor + 1):
            floor += 1
        ranges = [
            [max(low, floor + 1), high] for low, high in _merge([*_ranges(places), *carried]) if high > floor
        ]
        AuditEvent(
            workspace_id=workspace_id,
            action=PRUNE_ACTION,
            object_type="audit.auditevent",
            details={"floor": floor, "ranges": ranges, "count": len(places)},
        ).save()


# --- anchoring -------------------------------------------------------------------------------


def anchor_file() -> Path:
    configured = settings.ZWECK.get("AUDIT_ANCHOR_FILE")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit-anchors.jsonl"


def _anchor_payload(
    chain: int, workspace_id: int | None, sequence: int, hash_: str, floor: int, at: str
) -> str:
    return json.dumps(
        {
            "chain": chain,
            "workspace": workspace_id,
            "sequence": sequence,
            "hash": hash_,
            "floor": floor,
            "at": at,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def _signer() -> signing.Signer:
    return signing.Signer(salt=_ANCHOR_SALT)


def anchor_chains() -> list[AuditAnchor]:
    """Write the head of every chain that moved since its last anchor: a signed row and a
    signed line in the anchor file. The anchors written."""
    from zweck.audit.models import AuditAnchor, AuditChain

    written: list[AuditAnchor] = []
    for current in AuditChain.objects.order_by("pk"):
        last = AuditAnchor.objects.filter(chain=current.pk).order_by("-sequence", "-pk").first()
        if current.sequence == 0 or (last is not None and last.sequence == current.sequence):
            continue
        floor = pruned_of(current.workspace_id).floor
        at = timezone.now()
        payload = _anchor_payload(
            current.pk, current.workspace_id, current.sequence, current.hash, floor, at.isoformat()
        )
        signature = _signer().signature(payload)
        with transaction.atomic():
            written.append(
                AuditAnchor.objects.create(
                    workspace_id=current.workspace_id,
                    chain=current.pk,
                    sequence=current.sequence,
                    hash=current.hash,
                    floor=floor,
                    anchored_at=at,
                    signature=signature,
                )
            )
        path = anchor_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"payload": payload, "signature": signature}) + "\n")
    return written


@dataclass(frozen=True)
class Anchor:
    """An anchor read back from the table or the file, with whether its signature holds."""

    source: str
    chain: int
    workspace_id: int | None
    sequence: int
    hash: str
    floor: int
    signed: bool


def _signed(payload: str, signature: str) -> bool:
    try:
        _signer().unsign(f"{payload}{_signer().sep}{signature}")
    except signing.BadSignature:
        return False
    return True


def anchors() -> Iterator[Anchor]:
    """Every anchor of the table and the file."""
    from zweck.audit.models import AuditAnchor

    for row in AuditAnchor.objects.order_by("pk"):
        payload = _anchor_payload(
            row.chain, row.workspace_id, row.sequence, row.hash, row.floor, row.anchored_at.isoformat()
        )
        yield Anchor(
            "table",
            row.chain,
            row.workspace_id,
            row.sequence,
            row.hash,
            row.floor,
            _signed(payload, row.signature),
        )
    path = anchor_file()
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            data = json.loads(entry["payload"])
            yield Anchor(
                "file",
                int(data["chain"]),
                data["workspace"],
                int(data["sequence"]),
                str(data["hash"]),
                int(data["floor"]),
                _signed(entry["payload"], entry["signature"]),
            )
        except (ValueError, KeyError, TypeError):
            yield Anchor("file", -1, None, 0, "", 0, False)


# --- verifying -------------------------------------------------------------------------------


class Finding(enum.StrEnum):
    CHANGED = "changed"  # the event's fields or subjects no longer give its hash
    LINK = "link"  # the event does not follow the one before it (an inserted or replaced row)
    REMOVED = "removed"  # places missing that no prune event accounts for
    UNCHAINED = "unchained"  # a row that was never appended through the chain
    LABEL = "label"  # the actor id does not belong to the label
    HEAD = "head"  # the chain's head does not match its last event
    ANCHOR = "anchor"  # an anchor does not match the chain, or its signature does not hold


@dataclass(frozen=True)
class Problem:
    """One thing ``verify`` found, and where: the workspace, the event and its place."""

    finding: Finding
    workspace_id: int | None
    event_id: int | None = None
    sequence: int | None = None
    detail: str = ""

    def __str__(self) -> str:
        where = f"workspace {self.workspace_id}" if self.workspace_id is not None else "operator events"
        if self.event_id is not None:
            where += f", event {self.event_id}"
        if self.sequence is not None:
            where += f" (place {self.sequence})"
        return f"{where}: {self.finding.value}: {self.detail}"


@dataclass
class Report:
    chains: int = 0
    events: int = 0
    anchors: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _subjects(event_ids: list[int]) -> dict[int, list[int]]:
    from zweck.audit.models import AuditEventSubject

    found: dict[int, list[int]] = {event_id: [] for event_id in event_ids}
    rows = AuditEventSubject.objects.filter(event_id__in=event_ids).values_list("event_id", "subject_id")
    for event_id, subject_id in rows.order_by():
        found[event_id].append(subject_id)
    return found


def _events(workspace_id: int | None) -> Iterator[tuple[AuditEvent, list[int]]]:
    """The chain's events in order, a batch at a time, each with its subjects."""

    after = 0
    while True:
        batch = list(chain_rows(workspace_id).filter(sequence__gt=after).order_by("sequence")[:BATCH])
        if not batch:
            return
        subjects = _subjects([event.pk for event in batch])
        for event in batch:
            yield event, subjects[event.pk]
        after = batch[-1].sequence or after


def verify_chain(workspace_id: int | None, chain_anchors: list[Anchor], report: Report) -> None:
    """Walk one chain in order and add what does not hold to ``report``."""
    from zweck.audit.models import AuditChain

    def found(
        finding: Finding, detail: str, event: AuditEvent | None = None, place: int | None = None
    ) -> None:
        report.problems.append(
            Problem(
                finding,
                workspace_id,
                event.pk if event is not None else None,
                event.sequence if event is not None else place,
                detail,
            )
        )

    report.chains += 1
    for row in chain_rows(workspace_id).filter(sequence__isnull=True).order_by("pk"):
        found(Finding.UNCHAINED, "the row was not appended through the chain", row)
    current = AuditChain.objects.filter(pk=chain_of(workspace_id)).first()
    pruned = pruned_of(workspace_id)
    for anchor in chain_anchors:
        pruned.floor = max(pruned.floor, anchor.floor) if anchor.signed else pruned.floor
    wanted = {anchor.sequence for anchor in chain_anchors}
    hashes: dict[int, str] = {}
    previous: AuditEvent | None = None
    for event, subjects in _events(workspace_id):
        report.events += 1
        place = event.sequence or 0
        expected = (previous.sequence or 0) + 1 if previous is not None else 1
        if place > expected:
            missing = [p for p in range(expected, place) if not pruned.covers(p)]
            if missing:
                found(
                    Finding.REMOVED,
                    f"places {missing[0]}–{missing[-1]} before this event are missing",
                    event,
                )
        elif previous is not None and event.previous_hash != previous.hash:
            found(Finding.LINK, f"does not follow event {previous.pk}", event)
        elif previous is None and place == 1 and event.previous_hash != GENESIS:
            found(Finding.LINK, "the first event does not start the chain", event)
        if digest(event, subjects) != event.hash:
            found(Finding.CHANGED, "its fields or subjects do not give its hash", event)
        if (
            event.actor_id is not None
            and current is not None
            and event.actor_label != actor_label(current.label_key, event.actor_id)
        ):
            found(Finding.LABEL, "the acting user does not match the recorded label", event)
        if place in wanted:
            hashes[place] = event.hash
        previous = event
    last_place = (previous.sequence or 0) if previous is not None else pruned.floor
    if current is None:
        if previous is not None:
            found(Finding.HEAD, "the chain's head is missing")
    elif previous is None and current.sequence and not pruned.covers(current.sequence):
        found(Finding.REMOVED, "every event of the chain is missing", place=current.sequence)
    elif previous is not None and current.sequence > last_place:
        found(Finding.REMOVED, f"events after event {previous.pk} are missing", place=current.sequence)
    elif previous is not None and (current.sequence, current.hash) != (previous.sequence, previous.hash):
        found(Finding.HEAD, f"the head does not match the last event {previous.pk}")
    for anchor in chain_anchors:
        report.anchors += 1
        if not anchor.signed:
            found(
                Finding.ANCHOR,
                f"an anchor in the {anchor.source} has a wrong signature",
                place=anchor.sequence,
            )
        elif anchor.sequence in hashes:
            if hashes[anchor.sequence] != anchor.hash:
                found(
                    Finding.ANCHOR,
                    f"the event differs from the anchor in the {anchor.source}",
                    place=anchor.sequence,
                )
        elif current is None or anchor.sequence > current.sequence:
            found(
                Finding.REMOVED,
                f"the chain ends before the anchor in the {anchor.source}",
                place=anchor.sequence,
            )
        elif not pruned.covers(anchor.sequence):
            found(
                Finding.REMOVED, f"the event the {anchor.source} anchored is missing", place=anchor.sequence
            )


def verify(
    workspace_ids: Iterable[int | None] | None = None, *, workspaces: Iterable[int] | None = None
) -> Report:
    """Check every chain (or those of ``workspace_ids``; None in it: the operator's chain).

    ``workspaces``: the ids of the installation's workspaces (the command passes them), so a
    workspace whose whole chain has gone is found too; anchors of workspaces that no longer
    exist are left aside, their chains went with them.
    """
    from zweck.audit.models import AuditChain, AuditEvent

    known: set[int | None] = set(AuditChain.objects.values_list("workspace_id", flat=True))
    known |= set(AuditEvent.objects.order_by().values_list("workspace_id", flat=True).distinct())
    existing = set(workspaces) if workspaces is not None else {w for w in known if w is not None}
    chains: set[int | None] = {None, *existing} if workspace_ids is None else set(workspace_ids)
    by_chain: dict[int, list[Anchor]] = {}
    malformed = 0
    for anchor in anchors():
        if anchor.chain < 0:
            malformed += 1
        elif anchor.workspace_id is None or anchor.workspace_id in existing:
            by_chain.setdefault(anchor.chain, []).append(anchor)
    report = Report()
    for workspace_id in sorted(chains, key=lambda w: -1 if w is None else w):
        verify_chain(workspace_id, by_chain.get(chain_of(workspace_id), []), report)
    for _line in range(malformed):
        report.problems.append(
            Problem(Finding.ANCHOR, None, detail="a line of the anchor file cannot be read")
        )
    return report
