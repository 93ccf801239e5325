"""Versions of the published privacy notices, and what changed between them.

Invariants:
- a version holds the notice's Markdown text without its date, as generated from the register;
  a new version is stored only when that text differs from the latest version's (compared by
  SHA-256 digest), so a change of a retention rule, recipient, activity or controller detail
  makes one new version of each notice it shows in, and nothing else makes any;
- every service that changes the register stores the new versions in its own transaction
  (``notice_versions_refresh``), so a version's date is the day of the change; a read of the
  current notice stores a version too when the text changed without a register change (a new
  release of Zweck words a notice differently), so the history never misses what was shown;
- versions are numbered 1, 2, 3, ... per workspace, group of data subjects and language; two
  writers racing for the same number leave one version (the unique constraint), never two;
- each stored version writes one audit event; versions are never changed or deleted here.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.privacy.defaults import DOCUMENT_SUBJECTS
from zweck.privacy.documents import UNDATED, DocumentError, notice_document
from zweck.privacy.labels import LANGUAGES
from zweck.privacy.models import NoticeVersion
from zweck.privacy.selectors import RegisterSnapshot, snapshot_of


def notice_text(snapshot: RegisterSnapshot, *, subject: str, lang: str) -> str:
    """The notice's Markdown text as a version stores it: without its date."""
    text = notice_document(snapshot, subject=subject, lang=lang, fmt="md", as_of=UNDATED)
    assert isinstance(text, str)
    return text


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _versions(workspace_id: int, subject: str, lang: str) -> QuerySet[NoticeVersion]:
    return NoticeVersion.objects.in_workspace(workspace_id).filter(subject=subject, language=lang)


def _latest(workspace_id: int, subject: str, lang: str) -> NoticeVersion | None:
    return _versions(workspace_id, subject, lang).order_by("-number").first()


def _store(actor: Actor, snapshot: RegisterSnapshot, subject: str, lang: str) -> NoticeVersion | None:
    """A new version of one notice when its text changed; ``None`` when it did not (or when a
    concurrent writer stored the same change first)."""
    text = notice_text(snapshot, subject=subject, lang=lang)
    digest = _digest(text)
    latest = _latest(actor.workspace_id, subject, lang)
    if latest is not None and latest.digest == digest:
        return None
    now = timezone.now()
    version = NoticeVersion(
        workspace_id=actor.workspace_id,
        subject=subject,
        language=lang,
        number=(latest.number if latest else 0) + 1,
        text=text,
        digest=digest,
        created_at=now,
        updated_at=now,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
    )
    try:
        with transaction.atomic():
            version.save(force_insert=True)
            audit_record(actor=actor, action="notice_version.create", instance=version)
    except IntegrityError:
        return None
    return version


@transaction.atomic
def notice_versions_refresh(
    *,
    actor: Actor,
    subjects: Iterable[str] = DOCUMENT_SUBJECTS,
    languages: Iterable[str] = LANGUAGES,
) -> list[NoticeVersion]:
    """Store a new version of every notice of the actor's workspace whose text changed.

    Called by the services that change the register or the controller's details, after the
    change and in its transaction; the caller has already checked its own permission."""
    snapshot = snapshot_of(Workspace.objects.get(pk=actor.workspace_id))
    wanted = list(languages)
    created = []
    for subject in subjects:
        for lang in wanted:
            version = _store(actor, snapshot, subject, lang)
            if version is not None:
                created.append(version)
    return created


def notice_version_current(*, workspace: Workspace, subject: str, lang: str) -> NoticeVersion:
    """The version of the notice that is published now (stored first if the text changed).

    The notices are public (Art. 12(1), 13, 14 GDPR): no permission is asked for."""
    if subject not in DOCUMENT_SUBJECTS or lang not in LANGUAGES:
        raise DocumentError(f"No notice {subject!r} in {lang!r}.")
    with transaction.atomic():
        _store(Actor.system(workspace), snapshot_of(workspace), subject, lang)
    latest = _latest(workspace.pk, subject, lang)
    assert latest is not None
    return latest


def published_notice(
    snapshot: RegisterSnapshot, *, subject: str, lang: str = "de", fmt: str = "html"
) -> str | bytes:
    """The notice as published: dated by its current version (the day its text last changed)."""
    version = notice_version_current(workspace=snapshot.workspace, subject=subject, lang=lang)
    return notice_document(
        snapshot, subject=subject, lang=lang, fmt=fmt, as_of=timezone.localdate(version.created_at)
    )


def notice_version_list(*, workspace: Workspace, subject: str, lang: str) -> list[NoticeVersion]:
    """Every version of one notice, the newest first (the current one stored first if needed)."""
    notice_version_current(workspace=workspace, subject=subject, lang=lang)
    return list(_versions(workspace.pk, subject, lang).order_by("-number"))


def notice_versions_of(*, actor: Actor, subject: str, lang: str) -> list[NoticeVersion]:
    """``notice_version_list`` for the readers of the actor's register (``privacy.view``)."""
    actor.require(Permission.PRIVACY_VIEW)
    return notice_version_list(workspace=actor.workspace, subject=subject, lang=lang)


def notice_version_get(*, workspace: Workspace, subject: str, lang: str, number: int) -> NoticeVersion:
    """One version; ``NoticeVersion.DoesNotExist`` for a number that was never published."""
    return _versions(workspace.pk, subject, lang).get(number=number)


# What a change between two versions looks like to a reader.

SAME, REMOVED, ADDED = "same", "removed", "added"
_MARKUP = re.compile(r"\*\*|^>\s?|^#+\s*")


@dataclass(frozen=True)
class Segment:
    kind: str  # SAME, REMOVED or ADDED
    text: str


@dataclass(frozen=True)
class ChangedLine:
    kind: str  # REMOVED or ADDED
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


@dataclass
class Change:
    """One place where the notice changed: the section it is in, the lines that went and came."""

    section: str
    lines: list[ChangedLine] = field(default_factory=list)


def readable(line: str) -> str:
    """A Markdown line as a reader sees it: no heading, bold, quote or list marks."""
    text = _MARKUP.sub("", line.strip())
    text = _MARKUP.sub("", text)  # a heading or list inside a quote
    return text.removeprefix("- ").strip()


def _words(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """The removed and the added line, each with the words that differ marked."""
    before, after = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    removed: list[Segment] = []
    added: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            removed.append(Segment(SAME, "".join(before[i1:i2])))
            added.append(Segment(SAME, "".join(after[j1:j2])))
            continue
        if i2 > i1:
            removed.append(Segment(REMOVED, "".join(before[i1:i2])))
        if j2 > j1:
            added.append(Segment(ADDED, "".join(after[j1:j2])))
    return tuple(removed), tuple(added)


def _section(headings: list[tuple[int, str]]) -> str:
    return " › ".join(text for _level, text in headings)


def _headings_before(lines: list[str], index: int) -> list[tuple[int, str]]:
    stack: list[tuple[int, str]] = []
    for line in lines[:index]:
        match = re.match(r"^(#{2,6})\s+(.*)$", line)
        if match:
            level = len(match.group(1))
            stack = [entry for entry in stack if entry[0] < level] + [(level, readable(match.group(2)))]
    return stack


def notice_changes(previous: str, current: str) -> list[Change]:
    """What changed from the text ``previous`` to ``current``, place by place, in readable lines
    (a line replaced by one other line shows the words that changed)."""
    old = [line for line in previous.splitlines() if line.strip() and line.strip() != ">"]
    new = [line for line in current.splitlines() if line.strip() and line.strip() != ">"]
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        headings = _headings_before(new, j1) if j2 > j1 or not i2 > i1 else _headings_before(old, i1)
        change = Change(section=_section(headings))
        if tag == "replace" and i2 - i1 == j2 - j1:
            for before, after in zip(old[i1:i2], new[j1:j2], strict=True):
                removed, added = _words(readable(before), readable(after))
                change.lines += [ChangedLine(REMOVED, removed), ChangedLine(ADDED, added)]
        else:
            change.lines += [ChangedLine(REMOVED, (Segment(REMOVED, readable(line)),)) for line in old[i1:i2]]
            change.lines += [ChangedLine(ADDED, (Segment(ADDED, readable(line)),)) for line in new[j1:j2]]
        changes.append(change)
    return changes


@dataclass(frozen=True)
class VersionChanges:
    version: NoticeVersion
    changes: list[Change]
    is_first: bool


def notice_history(versions: list[NoticeVersion]) -> list[VersionChanges]:
    """``versions`` (newest first, as ``notice_version_list`` gives them) each with its changes
    from the version before it."""
    history = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        history.append(
            VersionChanges(
                version=version,
                changes=notice_changes(previous.text, version.text) if previous is not None else [],
                is_first=previous is None,
            )
        )
    return history


def unified_diff(previous: NoticeVersion | None, version: NoticeVersion) -> str:
    """The change as a unified diff of the Markdown texts (for the API and the command line)."""
    if previous is None:
        return ""
    return "".join(
        difflib.unified_diff(
            previous.text.splitlines(keepends=True),
            version.text.splitlines(keepends=True),
            fromfile=f"version {previous.number}",
            tofile=f"version {version.number}",
        )
    )


@dataclass
class Block:
    """A part of a stored notice for reading: a heading (``h1``–``h3``), a paragraph (``p``), a
    list (``ul``) or the set-apart box (``box``); ``items`` holds its lines, each as
    (bold, text) runs."""

    kind: str
    items: list[list[tuple[bool, str]]] = field(default_factory=list)


def _runs(text: str) -> list[tuple[bool, str]]:
    parts = text.split("**")
    return [(index % 2 == 1, part) for index, part in enumerate(parts) if part]


def notice_blocks(text: str) -> list[Block]:
    """A stored version's Markdown (as ``notice.md`` writes it) as blocks a page shows."""
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        boxed = line.startswith(">")
        if boxed:
            line = line.lstrip(">").strip()
        if not line:
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            kind, content = f"h{len(heading.group(1))}", heading.group(2)
        elif line.startswith("- "):
            kind, content = "ul", line[2:]
        else:
            kind, content = "p", line
        if boxed:
            if not blocks or blocks[-1].kind != "box":
                blocks.append(Block("box"))
            blocks[-1].items.append(_runs(("• " if kind == "ul" else "") + content))
        elif kind == "ul" and blocks and blocks[-1].kind == "ul":
            blocks[-1].items.append(_runs(content))
        else:
            blocks.append(Block(kind, [_runs(content)]))
    return blocks
