"""Finding persons and organizations by name, email, phone in any format, and company.

A query is split into terms (``search_text.query_terms``); a row matches when every term
matches its search document, in one of these ways:

* as a substring (an email's parts, a phone number's digits, the start of a name);
  terms of one or two letters only at the start of a word;
* for terms of five characters or more, within a typo: pg_trgm's *word similarity*
  between the term and the best-matching stretch of the document is at least
  ``FUZZY_THRESHOLD`` (``Mustremann`` finds Mustermann, ``Schmitt`` Schmidt).

Results come best first: every term a whole word, then every term a word start, then
every term a substring, then typo matches by similarity; ties in the model's order.
Typo matches are looked for only while the exact matches do not fill a page
(``TYPO_MATCHES_BELOW``): that costs one small counting query when the search is built.

PostgreSQL answers from GIN trigram indexes led by ``workspace_id`` (migration
``0002_search_trigram_indexes``), which serve both ``LIKE`` and the word-similarity
operator. SQLite has no trigram index: it finds the same rows with the same rules, the
similarity computed by ``word_similarity`` below (the pg_trgm algorithm in Python),
called only for rows that share enough trigrams with the term. ``docs/adr/0004-search.md``
records the choice and its limits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import reduce
from operator import add, and_, or_
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Case, Expression, F, FloatField, IntegerField, Lookup, Q, QuerySet, Value, When
from django.db.models.functions import Concat, Greatest
from django.db.models.lookups import GreaterThanOrEqual

from zweck.crm import search_text
from zweck.crm.models import Organization, Person
from zweck.crm.search_text import SearchTerm

FUZZY_THRESHOLD = 0.45
"""Least word similarity of a typo match. pg_trgm's default (0.6) misses a swapped pair of
letters in a ten-letter name (``mustremann`` ↔ ``mustermann`` is 0.47)."""

TYPO_MATCHES_BELOW = 50
"""Typo matches are looked for only while fewer rows than this match exactly (a page of the API)."""

SQLITE_WORD_SIMILARITY = "zweck_word_similarity"

_WORD = re.compile(r"[^\W_]+")
# GLOB has no class for "not a letter or digit"; outside ASCII this over-counts, never under.
_GLOB_NOT_WORD_CHARACTER = "[^a-z0-9]"


# --- entry points ---------------------------------------------------------------------------


def search_persons(persons: QuerySet[Person], query: str) -> QuerySet[Person]:
    """The persons matching ``query``, best matches first."""
    return _search(persons, query)


def search_organizations(organizations: QuerySet[Organization], query: str) -> QuerySet[Organization]:
    """The organizations matching ``query``, best matches first."""
    return _search(organizations, query)


def prepare_connections() -> None:
    """Give every new database connection what typo-tolerant search needs (called once at start-up)."""
    connection_created.connect(_prepare_connection, dispatch_uid="zweck.crm.search")


# --- matching -------------------------------------------------------------------------------


def _search[M: (Person, Organization)](rows: QuerySet[M], query: str) -> QuerySet[M]:
    terms = search_text.query_terms(query)
    if not terms:
        return rows
    exact = reduce(and_, (reduce(or_, (_contains(s) for s in term.spellings)) for term in terms))
    ordering: list[Any] = [_rank(terms).asc()]
    tie_breakers = list(rows.model._meta.ordering or ())
    if not any(term.fuzzy for term in terms) or _enough(rows.filter(exact)):
        return rows.filter(exact).order_by(*ordering, *tie_breakers)
    vendor = connections[rows.db].vendor
    matches = reduce(and_, (_term_matches(term, vendor) for term in terms))
    similarity = _similarity(terms)
    if similarity is not None:
        ordering.append(similarity.desc())
    return rows.filter(matches).order_by(*ordering, *tie_breakers)


def _enough(exact_rows: QuerySet[Any]) -> bool:
    """Whether the exact matches alone fill a first page, so typo matches would never show there.

    Typo matching is the expensive part (a similarity per candidate row); a common name
    typed correctly does not need it.
    """
    return exact_rows.order_by().values("pk")[:TYPO_MATCHES_BELOW].count() >= TYPO_MATCHES_BELOW


def _contains(spelling: str) -> Q:
    if len(spelling) <= search_text.WORD_START_MAX_LENGTH:
        # "LIKE 'mu%'" and "LIKE '% mu%'" still yield the trigrams "  m" and " mu" the
        # index can use; "LIKE '%mu%'" yields none and would read the whole index.
        return Q(search_text__startswith=spelling) | Q(search_text__contains=f" {spelling}")
    return Q(search_text__contains=spelling)


def _term_matches(term: SearchTerm, vendor: str) -> Q:
    alternatives = [_contains(spelling) for spelling in term.spellings]
    if term.fuzzy:
        alternatives.extend(_similar(spelling, vendor) for spelling in term.spellings)
    return reduce(or_, alternatives)


def _similar(spelling: str, vendor: str) -> Q:
    if vendor == "postgresql":
        # "search_text %> term": word_similarity(term, search_text) at least the session's
        # pg_trgm.word_similarity_threshold, which _prepare_connection sets; indexed.
        return Q(search_text__trigram_word_similar=spelling)
    # Only rows holding enough of the term's trigrams can reach the threshold; counting
    # them in SQL keeps the Python similarity function off the rest of the table.
    needed = math.ceil(FUZZY_THRESHOLD * len(set(_trigrams(spelling))) - 1e-9)
    return Q(GreaterThanOrEqual(_trigram_hits(spelling), needed)) & Q(
        GreaterThanOrEqual(_WordSimilarity(spelling, "search_text"), FUZZY_THRESHOLD)
    )


def _rank(terms: Sequence[SearchTerm]) -> Case:
    def every(condition: Any) -> Q:
        return reduce(and_, (reduce(or_, (condition(s) for s in term.spellings)) for term in terms))

    return Case(
        When(every(lambda s: Q(search_text__regex=_word_pattern(s, whole=True))), then=Value(0)),
        When(every(lambda s: Q(search_text__regex=_word_pattern(s, whole=False))), then=Value(1)),
        When(every(_contains), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def _similarity(terms: Sequence[SearchTerm]) -> Expression | None:
    """How close the typo matches come, summed over the terms; 0 for rows without typos."""
    fuzzy = [term for term in terms if term.fuzzy]
    if not fuzzy:
        return None
    per_term: list[Expression] = []
    for term in fuzzy:
        values = [_WordSimilarity(spelling, "search_text") for spelling in term.spellings]
        per_term.append(Greatest(*values) if len(values) > 1 else values[0])
    exact = reduce(and_, (reduce(or_, (_contains(s) for s in term.spellings)) for term in terms))
    return Case(When(exact, then=Value(0.0)), default=reduce(add, per_term), output_field=FloatField())


def _word_pattern(spelling: str, *, whole: bool) -> str:
    # \W means the same to PostgreSQL's regular expressions and to Python's (SQLite).
    pattern = r"(^|\W)" + re.escape(spelling)
    return pattern + r"(\W|$)" if whole else pattern


# --- SQLite: the similarity function and its trigram pre-filter ----------------------------


class _WordSimilarity(TrigramWordSimilarity):
    """``word_similarity(term, column)``: pg_trgm on PostgreSQL, ``word_similarity`` below on SQLite."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function=SQLITE_WORD_SIMILARITY, **extra_context)


class _Glob(Lookup):
    """SQLite's ``GLOB``: like ``LIKE`` but with character classes, case-sensitive."""

    lookup_name = "glob"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} GLOB {rhs}", (*lhs_params, *rhs_params)


def _trigram_hits(spelling: str) -> Expression:
    """How many of the term's distinct trigrams occur in the document (never fewer than pg_trgm finds)."""
    # Pad the document with spaces so word starts and ends at its edges look like any other.
    padded = Concat(Value(" "), F("search_text"), Value(" "))
    separator = _GLOB_NOT_WORD_CHARACTER
    hits: list[Expression] = []
    for trigram in sorted(set(_trigrams(spelling))):
        # "  a" starts a word, " ab" starts a word, "ab " ends one, " a " is a whole word.
        core = trigram.strip()
        pattern = ("*" + separator if trigram.startswith(" ") else "*") + core
        pattern += separator + "*" if trigram.endswith(" ") else "*"
        hits.append(Case(When(_Glob(padded, pattern), then=Value(1)), default=Value(0)))
    return reduce(add, hits)


def _trigrams(text: str) -> list[str]:
    """pg_trgm's trigrams in order: each word lower-cased, two spaces before and one after."""
    trigrams: list[str] = []
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        trigrams.extend(padded[index : index + 3] for index in range(len(padded) - 2))
    return trigrams


def word_similarity(needle: str | None, haystack: str | None) -> float:
    """pg_trgm's ``word_similarity(needle, haystack)``, computed the same way in Python.

    The greatest ``shared / (needle's + stretch's - shared)`` distinct trigrams over
    stretches of the haystack's trigram sequence, searched with pg_trgm's greedy
    procedure (not exhaustively), so SQLite ranks and filters as PostgreSQL does.
    """
    if not needle or not haystack:
        return 0.0
    wanted = set(_trigrams(needle))
    sequence = _trigrams(haystack)
    needle_count = len(wanted)
    last_position: dict[str, int] = {}
    stretch_count = shared = 0
    lower = -1
    best = 0.0
    for position, trigram in enumerate(sequence):
        is_wanted = trigram in wanted
        if lower >= 0 or is_wanted:
            if trigram not in last_position:
                stretch_count += 1
                shared += is_wanted
            last_position[trigram] = position
        if not is_wanted:
            continue
        if lower == -1:
            lower, stretch_count = position, 1
        current = shared / (needle_count + stretch_count - shared)
        # Try moving the stretch's start right while that improves the similarity.
        trial_count, trial_shared, previous_lower = stretch_count, shared, lower
        for trial_lower in range(lower, position + 1):
            trial = trial_shared / (needle_count + trial_count - trial_shared)
            if trial > current:
                current, stretch_count, lower, shared = trial, trial_count, trial_lower, trial_shared
            dropped = sequence[trial_lower]
            if last_position.get(dropped) == trial_lower:
                trial_count -= 1
                trial_shared -= dropped in wanted
        best = max(best, current)
        for dropped_position in range(previous_lower, lower):
            dropped = sequence[dropped_position]
            if last_position.get(dropped) == dropped_position:
                del last_position[dropped]
    return best


# --- connections ----------------------------------------------------------------------------


def _prepare_connection(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_WORD_SIMILARITY, 2, word_similarity, deterministic=True)
    elif connection.vendor == "postgresql":
        # Per session, so it holds for index scans too; set before any transaction opens,
        # so no rollback undoes it. The extension need not be loaded yet: PostgreSQL keeps
        # the value as a placeholder until pg_trgm reads it.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(FUZZY_THRESHOLD)]
            )
