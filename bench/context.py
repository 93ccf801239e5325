"""What every operation gets: the acting user, the sample subjects, raw SQL, the servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import Max, Min

from bench.http import HttpClient
from zweck.accounts.actors import Actor
from zweck.crm.models import Person, PersonEmail

# Subjects for reads come from the lower 80 % of the id range, subjects that an operation
# erases from the top 20 %, so erasing never removes a person a later read expects.
# Parts of the id range: persons read, persons the retention sweep removes, persons erased.
PURPOSE_RANGES = {"read": (0.0, 0.7), "retention": (0.7, 0.8), "erase": (0.8, 1.0)}


@dataclass(frozen=True)
class Subject:
    """A seeded person an operation works on (a data subject in the privacy operations)."""

    id: int
    first_name: str
    last_name: str
    email: str


@dataclass
class PeerSystem:
    """The peer CRM as this run drives it."""

    client: HttpClient
    database: str
    ids_by_email: dict[str, str] = field(default_factory=dict)
    # Removes contacts the benchmark created (by email), so repeated runs keep the data set.
    delete_emails: Callable[[list[str]], None] | None = None


@dataclass
class Context:
    database: str  # "sqlite" or "postgres"
    actor: Actor
    repetitions: int
    warmup: int
    scratch: Path
    http: HttpClient | None = None
    peer: PeerSystem | None = None
    import_rows: int = 10_000
    export_limit: int | None = None
    run_id: str = "0"
    _subjects: dict[tuple[str, int], list[Subject]] = field(default_factory=dict)

    @property
    def workspace_id(self) -> int:
        return self.actor.workspace_id

    @property
    def samples_needed(self) -> int:
        return self.repetitions + self.warmup

    def subjects(self, purpose: str, count: int | None = None) -> list[Subject]:
        """``count`` persons spread evenly over the purpose's part of the id range, always the same ones."""
        count = count or self.samples_needed
        key = (purpose, count)
        if key not in self._subjects:
            self._subjects[key] = _spread_subjects(self.workspace_id, count, *PURPOSE_RANGES[purpose])
        return self._subjects[key]

    def subject(self, purpose: str, index: int) -> Subject:
        """The subject for repetition ``index``; warm-up rounds (negative) take the last ones."""
        subjects = self.subjects(purpose)
        return subjects[index % len(subjects)]

    def cleanup_persons(self, person_ids: Sequence[int]) -> None:
        """Remove persons an operation created, so the cached data set stays as seeded."""
        if person_ids:
            Person.objects.filter(workspace_id=self.workspace_id, id__in=list(person_ids)).delete()

    def peer_cleanup_emails(self, emails: list[str]) -> None:
        if self.peer is not None and self.peer.delete_emails is not None and emails:
            self.peer.delete_emails(emails)

    # Raw SQL for the floors: the database driver's own cursor, no ORM in between.

    def raw_connection(self) -> Any:
        connection.ensure_connection()
        return connection.connection

    def sql(self, query: str) -> str:
        """Queries are written with ``%s``; sqlite3 wants ``?``."""
        return query.replace("%s", "?") if self.database == "sqlite" else query

    def fetch(self, query: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        cursor = self.raw_connection().cursor()
        try:
            cursor.execute(self.sql(query), tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    @contextmanager
    def raw_transaction(self) -> Iterator[Any]:
        """A raw cursor in its own transaction (a savepoint inside the test suite's transaction)."""
        raw = self.raw_connection()
        cursor = raw.cursor()
        nested = connection.in_atomic_block
        begin, commit, rollback = (
            ("SAVEPOINT bench_floor", "RELEASE SAVEPOINT bench_floor", "ROLLBACK TO SAVEPOINT bench_floor")
            if nested
            else ("BEGIN", "COMMIT", "ROLLBACK")
        )
        cursor.execute(begin)
        try:
            yield cursor
        except BaseException:
            cursor.execute(rollback)
            raise
        else:
            cursor.execute(commit)
        finally:
            cursor.close()


def _spread_subjects(workspace_id: int, count: int, start: float, end: float) -> list[Subject]:
    persons = Person.objects.filter(workspace_id=workspace_id, restricted_at=None, archived_at=None)
    bounds = persons.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        raise RuntimeError("the benchmark workspace has no persons")
    low, high = bounds["low"], bounds["high"]
    span = high - low + 1
    chosen: list[Subject] = []
    seen: set[int] = set()
    for index in range(count * 3):
        if len(chosen) == count:
            break
        position = start + (end - start) * ((index % count) + 0.5 + index // count * 0.25) / count
        target = low + int(span * position)
        row = (
            persons.filter(id__gte=target)
            .exclude(id__in=seen)
            .filter(emails__isnull=False)
            .order_by("id")
            .values("id", "first_name", "last_name")
            .first()
        )
        if row is None or row["id"] in seen:
            continue
        seen.add(row["id"])
        email = (
            PersonEmail.objects.filter(person_id=row["id"])
            .order_by("-is_primary", "id")
            .values_list("email", flat=True)
            .first()
        )
        chosen.append(Subject(row["id"], row["first_name"], row["last_name"], email or ""))
    if not chosen:
        raise RuntimeError("no persons with an email address to benchmark with")
    return chosen
