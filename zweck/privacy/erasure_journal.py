"""The erasure journal: every tombstone also written to a file outside the database.

A tombstone in the database is lost when an older backup of that database is restored, and
with it the knowledge that the subject was erased after the backup was taken. So each
tombstone is appended, once its erasure has committed, as one line of keyed hashes (no plain
value) to ``ZWECK_ERASURE_JOURNAL`` (by default ``erasure-journal.jsonl`` in the data
directory; keep it on another disk or mount than the database). ``zweck restore`` reads the
journal back into the restored database and erases again everyone it names
(``erasure_reapply``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction


@dataclass(frozen=True)
class JournalEntry:
    workspace_id: int
    kind: str
    digest: str
    erased_at: datetime


def journal_file() -> Path:
    configured = settings.ZWECK.get("ERASURE_JOURNAL")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "erasure-journal.jsonl"


def _line(entry: JournalEntry) -> str:
    return json.dumps(
        {
            "workspace": entry.workspace_id,
            "kind": entry.kind,
            "digest": entry.digest,
            "erased_at": entry.erased_at.isoformat(),
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def journal_append(entries: Iterable[JournalEntry]) -> None:
    """Append ``entries`` and force them to disk before returning."""
    lines = [_line(entry) + "\n" for entry in entries]
    if not lines:
        return
    path = journal_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.writelines(lines)
        out.flush()
        os.fsync(out.fileno())


def journal_on_commit(entries: list[JournalEntry]) -> None:
    """Append ``entries`` once the surrounding transaction commits (an erasure rolled back
    leaves no line behind)."""
    if entries:
        transaction.on_commit(lambda: journal_append(entries))


def journal_read(path: Path | None = None) -> list[JournalEntry]:
    """Every well-formed entry of the journal; a line cut short by a crash is skipped."""
    path = path or journal_file()
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(line)
            entries.append(
                JournalEntry(
                    workspace_id=int(data["workspace"]),
                    kind=str(data["kind"]),
                    digest=str(data["digest"]),
                    erased_at=datetime.fromisoformat(data["erased_at"]),
                )
            )
        except (ValueError, KeyError, TypeError):
            continue
    return entries


def journal_restore(path: Path | None = None) -> int:
    """Write back every journal entry the database lacks, for workspaces it holds; the number
    written."""
    from zweck.accounts.models import Workspace
    from zweck.privacy.models import ErasureTombstone

    entries = journal_read(path)
    if not entries:
        return 0
    workspaces = set(Workspace.objects.values_list("pk", flat=True))
    known = set(ErasureTombstone.objects.values_list("workspace_id", "digest"))
    missing: dict[tuple[int, str], JournalEntry] = {}
    for entry in entries:
        key = (entry.workspace_id, entry.digest)
        if entry.workspace_id in workspaces and key not in known:
            missing.setdefault(key, entry)
    ErasureTombstone.objects.bulk_create(
        ErasureTombstone(
            workspace_id=entry.workspace_id,
            digest=entry.digest,
            identifier_kind=entry.kind,
            erased_at=entry.erased_at,
        )
        for entry in missing.values()
    )
    return len(missing)
