"""Finding persons and organizations by name, email, phone in any format, and company.

A query is split into terms (``search_text.query_terms``); a row matches when every term
matches, in one of four ways, best first:

0. a whole word (a name, an email address or a part of it, a phone number);
1. the start of a word; terms of one or two letters match only this way;
2. inside a word (``schmidt`` in Altschmidt), or the end of a phone number;
3. for terms of five letters or more, within one typo: one letter inserted, left out,
   replaced, or two neighbours swapped (``Mustremann``, ``Schmdit``, ``Schmitt``).

Results come best first: every term a whole word, then every term a word start, then
every term inside a word, then typo matches, the closest (pg_trgm's word similarity) first;
ties in name order (``search_text.sort_key``: surname, first name, lower-cased; then id). Typo matches are looked for only while the other matches do
not fill a page (``TYPO_MATCHES_BELOW``), which costs one small counting query.

**Persons** are found through their postings (``SearchPosting``: the words of each
person's search document, ``search_text.posting_words``), index range scans led by
``workspace_id``; the words inside which a term occurs and the words within one typo come
from the workspace's dictionary (``SearchWord``: its distinct words, each also filed under
its single-letter deletions), so no query reads more than the postings of the words it
asked for. ``person_index`` keeps both in line with the document. Every posting carries
its person's sort key, and the word index is in ``(word, sort_key, person)`` order, so a
page of results (``PersonSearchResults``) is one ``LIMIT``ed index range scan per rank
level that reaches no other match's person row.

**Organizations** (a fifth as many rows) are still matched on their search document
itself, through a GIN trigram index on PostgreSQL (``0002_search_trigram_indexes``) and
the same rules computed in SQL and Python on SQLite (``word_similarity`` below is
pg_trgm's algorithm). ``docs/adr/0004-search.md`` records the choices and their limits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add, and_, or_
from typing import Any, Self, cast

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    FloatField,
    IntegerField,
    Lookup,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat, Greatest
from django.db.models.lookups import GreaterThanOrEqual
from django.db.models.query import ModelIterable

from zweck.accounts.models import Workspace
from zweck.crm import search_text
from zweck.crm.models import Organization, Person, SearchPosting, SearchWord
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


def search_persons(persons: QuerySet[Person], query: str, *, workspace: Workspace) -> QuerySet[Person]:
    """The persons of ``persons`` (all of ``workspace``) matching ``query``, best first.

    A ``PersonSearchResults``: evaluated or sliced as it is, its rows come page by page
    from the postings in order; filter ``persons`` before, not after.
    """
    terms = search_text.query_terms(query)
    if not terms:
        return persons
    workspace_id = workspace.pk
    vendor = connections[persons.db].vendor
    near = _near_words(terms, workspace_id=workspace_id, using=persons.db)
    kinds = [_term_conditions(term, near, vendor) for term in terms]
    tie_breakers = list(Person._meta.ordering or ())
    exact_levels = [[conditions[kind] for conditions in kinds] for kind in (WHOLE, START, INSIDE)]
    exact_or_better = _cumulative(exact_levels)[-1]
    exact = persons.filter(pk__in=_persons_matching(exact_or_better, workspace_id))
    typos = [conditions[TYPO] for conditions in kinds]
    # The rarer term drives the scan; a longer word is the rarer one more often than not.
    drive = sorted(range(len(terms)), key=lambda index: -max(map(len, terms[index].spellings)))
    levels = [_Level(workspace_id, [level[index] for index in drive]) for level in _distinct(exact_levels)]
    visible = persons.order_by()
    exact_page = _Ranking(visible, levels).page(offset=0, limit=TYPO_MATCHES_BELOW)
    if all(condition is None for condition in typos) or len(exact_page) >= TYPO_MATCHES_BELOW:
        ordered = exact.order_by(_person_rank(exact_levels, [], workspace_id).asc(), *tie_breakers)
        # The first page was just read: a page within it is not read again.
        complete = len(exact_page) < TYPO_MATCHES_BELOW
        return PersonSearchResults.of(ordered, _Ranking(visible, levels, tuple(exact_page), complete))
    every = [_either(exact_level, typo) for exact_level, typo in zip(exact_or_better, typos, strict=True)]
    closest = _typo_levels(terms, near)
    ordered = persons.filter(pk__in=_persons_matching(every, workspace_id)).order_by(
        _person_rank(exact_levels, closest, workspace_id).asc(), *tie_breakers
    )
    # Typo levels: persons matching every term one way or another, holding words this close.
    every_driven = [every[index] for index in drive]
    levels.extend(_Level(workspace_id, [words, *every_driven]) for words in closest)
    levels.append(_Level(workspace_id, every_driven))
    return PersonSearchResults.of(ordered, _Ranking(visible, levels))


def search_organizations(organizations: QuerySet[Organization], query: str) -> QuerySet[Organization]:
    """The organizations matching ``query``, best matches first."""
    return _search(organizations, query)


def prepare_connections() -> None:
    """Give every new database connection what typo-tolerant search needs (called once at start-up)."""
    connection_created.connect(_prepare_connection, dispatch_uid="zweck.crm.search")


def person_index(*, workspace_id: int, person_id: int, document: str) -> None:
    """Make the person's postings, and the workspace's dictionary, those of ``document``.

    Only the difference is written. A dictionary word no person is found by any more is
    removed with its keys (``search_words_prune``).
    """
    wanted = search_text.posting_words(document)
    key = _sort_keys([person_id])[person_id]
    postings = SearchPosting.objects.in_workspace(workspace_id).filter(person_id=person_id)
    stored = set(postings.values_list("word", flat=True))
    removed, added = stored - wanted, wanted - stored
    if removed:
        postings.filter(word__in=sorted(removed)).delete()
    # A renamed person keeps words (a first name changes, the surname stays): re-sort those.
    postings.exclude(sort_key=key).update(sort_key=key)
    if added:
        SearchPosting.objects.bulk_create(
            SearchPosting(workspace_id=workspace_id, person_id=person_id, word=word, sort_key=key)
            for word in sorted(added)
        )
        _dictionary_add(workspace_id, {word for word in added if search_text.is_dictionary_word(word)})
    gone = {word for word in removed if search_text.is_dictionary_word(word)}
    if gone:
        search_words_prune(workspace_id=workspace_id, words=gone)


def persons_index_new(*, workspace_id: int, documents: Mapping[int, str]) -> None:
    """Postings and dictionary words for persons written in bulk (``{person id: document}``),
    who have no postings yet: what ``person_index`` writes, in a few statements."""
    keys = _sort_keys(list(documents))
    postings = [
        SearchPosting(workspace_id=workspace_id, person_id=person_id, word=word, sort_key=keys[person_id])
        for person_id, document in documents.items()
        for word in sorted(search_text.posting_words(document))
    ]
    SearchPosting.objects.bulk_create(postings, batch_size=5000)
    _dictionary_add(workspace_id, {p.word for p in postings if search_text.is_dictionary_word(p.word)})


def search_words_prune(*, workspace_id: int, words: Iterable[str] | None = None) -> int:
    """Remove from the dictionary the words (of ``words``, or all) no person is found by; how many."""
    candidates = SearchWord.objects.in_workspace(workspace_id).filter(key=F("word"))
    if words is not None:
        candidates = candidates.filter(word__in=sorted(words))
    used = SearchPosting.objects.in_workspace(workspace_id).filter(word=OuterRef("word"))
    orphans = list(candidates.exclude(Exists(used)).values_list("word", flat=True))
    if not orphans:
        return 0
    SearchWord.objects.in_workspace(workspace_id).filter(word__in=orphans).delete()
    return len(orphans)


def _sort_keys(person_ids: Sequence[int]) -> dict[int, str]:
    keys: dict[int, str] = {}
    for start in range(0, len(person_ids), 5000):
        rows = Person.objects.filter(pk__in=person_ids[start : start + 5000])
        for pk, last_name, first_name in rows.values_list("pk", "last_name", "first_name"):
            keys[pk] = search_text.sort_key(last_name, first_name)
    return keys


def _dictionary_add(workspace_id: int, words: set[str]) -> None:
    if not words:
        return
    known = set(
        SearchWord.objects.filter(
            workspace_id=workspace_id, key=F("word"), word__in=sorted(words)
        ).values_list("word", flat=True)
    )
    # Another transaction may add the same word meanwhile: the unique key makes that harmless.
    SearchWord.objects.bulk_create(
        (
            SearchWord(workspace_id=workspace_id, key=key, word=word)
            for word in sorted(words - known)
            for key in sorted(search_text.dictionary_keys(word))
        ),
        ignore_conflicts=True,
    )


# --- persons: postings and the dictionary ----------------------------------------------------

WHOLE, START, INSIDE, TYPO = range(4)


def _near_words(terms: Sequence[SearchTerm], *, workspace_id: int, using: str) -> set[str]:
    """For each spelling, the dictionary words it occurs inside of, or (fuzzy terms) within one typo of.

    One query for all terms; the dictionary is far smaller than the postings, and its
    rows ``key == word`` hold each word once.
    """
    wanted = Q()
    for term in terms:
        for spelling in term.spellings:
            if search_text.is_dictionary_word(spelling):
                wanted |= Q(key=F("word"), word__contains=spelling)
                if term.fuzzy:
                    wanted |= Q(key__in=sorted(search_text.typo_keys(spelling)))
    if not wanted:
        return set()
    return set(
        SearchWord.objects.using(using)
        .filter(Q(workspace_id=workspace_id) & wanted)
        .values_list("word", flat=True)
    )


def _term_conditions(term: SearchTerm, near: set[str], vendor: str) -> list[Q | None]:
    """Conditions on ``SearchPosting.word`` for each way the term can match (``WHOLE`` .. ``TYPO``)."""
    whole = Q(word__in=list(term.spellings))
    # Word starts include whole words; levels from START on need only this condition.
    start = reduce(or_, (_starts_with(spelling, vendor) for spelling in term.spellings))
    inside: list[Q] = []
    typo: set[str] = set()
    for spelling in term.spellings:
        if spelling.isdigit() and len(spelling) > search_text.WORD_START_MAX_LENGTH:
            inside.append(_starts_with(search_text.SUFFIX_MARK + spelling[::-1], vendor))
        containing = sorted(word for word in near if spelling in word and not word.startswith(spelling))
        if containing and len(spelling) > search_text.WORD_START_MAX_LENGTH:
            inside.append(Q(word__in=containing))
        if term.fuzzy:
            typo.update(
                word for word in near if spelling not in word and search_text.within_one_edit(spelling, word)
            )
    return [
        whole,
        start,
        reduce(or_, inside) if inside else None,
        Q(word__in=sorted(typo)) if typo else None,
    ]


def _typo_levels(terms: Sequence[SearchTerm], near: set[str]) -> list[Q]:
    """Typo words grouped by closeness, closest first: a person's best typo word places them."""
    closeness: dict[str, float] = {}
    for term in terms:
        if not term.fuzzy:
            continue
        for spelling in term.spellings:
            for word in near:
                if spelling not in word and search_text.within_one_edit(spelling, word):
                    closeness[word] = max(closeness.get(word, 0.0), word_similarity(spelling, word))
    levels = sorted(set(closeness.values()), reverse=True)
    return [
        Q(word__in=sorted(word for word, value in closeness.items() if value >= level)) for level in levels
    ]


def _starts_with(prefix: str, vendor: str) -> Q:
    if vendor == "postgresql":
        # LIKE 'abc%' is a range scan on the index's pattern operator class.
        return Q(word__startswith=prefix)
    # SQLite's LIKE ignores case and no index; a range on the binary-ordered index does not.
    return Q(word__gte=prefix, word__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))


def _either(first: Q | None, second: Q | None) -> Q | None:
    present = [condition for condition in (first, second) if condition is not None]
    return reduce(or_, present) if present else None


def _cumulative(levels: Sequence[Sequence[Q | None]]) -> list[list[Q]]:
    """Per level, each term's condition for matching at that level or better."""
    result: list[list[Q]] = []
    for index, level in enumerate(levels):
        # A word start covers the whole word: drop the WHOLE condition from later levels.
        previous = result[-1] if index > START else [None] * len(level)
        result.append([_either(before, now) for before, now in zip(previous, level, strict=True)])  # type: ignore[misc]
    return result


def _persons_matching(conditions: Sequence[Q | None], workspace_id: int) -> QuerySet[Any]:
    """Ids of persons with, for every term, a posting meeting that term's condition."""
    postings = SearchPosting.objects.in_workspace(workspace_id)
    if any(condition is None for condition in conditions):
        return postings.none().values("person_id")
    present = [condition for condition in conditions if condition is not None]
    if len(present) == 1:
        return postings.filter(present[0]).values("person_id")
    per_term = {
        f"term_{index}": Max(Case(When(condition, then=Value(1)), default=Value(0)))
        for index, condition in enumerate(present)
    }
    return (
        postings.filter(reduce(or_, present))
        .values("person_id")
        .alias(**per_term)
        .filter(**{name: 1 for name in per_term})
        .values("person_id")
    )


def _distinct(exact_levels: Sequence[Sequence[Q | None]]) -> list[list[Q | None]]:
    """The cumulative exact levels that add words, as ``_person_rank`` numbers them."""
    distinct: list[list[Q | None]] = []
    for cumulative in _cumulative(exact_levels):
        if cumulative not in distinct:
            distinct.append(list(cumulative))
    return distinct


@dataclass(frozen=True)
class _Level:
    """One rank level: persons with, for each condition, a posting meeting it (the first drives)."""

    workspace_id: int
    conditions: Sequence[Q | None]

    def postings(self, using: str) -> QuerySet[Any] | None:
        """The postings placing persons at this level, in name order (``None``: nobody)."""
        if any(condition is None for condition in self.conditions):
            return None
        first, *others = self.conditions
        rows = SearchPosting.objects.using(using).filter(Q(workspace_id=self.workspace_id) & first)  # type: ignore[operator]
        for condition in others:
            rows = rows.filter(
                Exists(
                    SearchPosting.objects.filter(
                        workspace_id=self.workspace_id, person_id=OuterRef("person_id")
                    ).filter(condition)
                )
            )
        return rows.order_by("sort_key", "person_id")


@dataclass(frozen=True)
class _Ranking:
    """How to read a page of search results from the postings: one ordered scan per rank level."""

    visible: QuerySet[Person]
    levels: Sequence[_Level]
    first: tuple[int, ...] = ()
    """The first ids of the ranking, known already; all of them if ``complete``."""
    complete: bool = False

    def page(self, *, offset: int, limit: int | None) -> list[int]:
        """Ids of persons ``offset`` to ``offset + limit`` (all from ``offset`` if ``None``), best first."""
        need = None if limit is None else offset + limit
        if self.complete or (need is not None and need <= len(self.first)):
            return list(self.first[offset:need])
        placed: dict[int, None] = {}
        for level in self.levels:
            if need is not None and len(placed) >= need:
                break
            postings = level.postings(self.visible.db)
            if postings is not None:
                _place(postings, self.visible, placed, need)
        return list(placed)[offset:need]


def _place(
    postings: QuerySet[Any], visible: QuerySet[Person], placed: dict[int, None], need: int | None
) -> None:
    """Add the visible persons of ``postings`` not placed at a better level, in order, until ``need`` are placed.

    Persons of better levels come again here (levels are cumulative), and a person can
    hold several postings of a level (``werner``, ``werner.becker@…``): read in slices,
    each continuing after the last (sort key, person) of the one before. Whether the
    caller may see a person is asked per slice: joined in the same statement, PostgreSQL
    hashes every person of the workspace when the postings need sorting (a prefix).
    """
    rows = postings.values_list("sort_key", "person_id")
    size = None if need is None else 4 * need + 10
    after: tuple[str, int] | None = None
    while True:
        chunk = (
            rows
            if after is None
            else rows.filter(Q(sort_key__gt=after[0]) | Q(sort_key=after[0], person_id__gt=after[1]))
        )
        found = list(chunk if size is None else chunk[:size])
        candidates = list(dict.fromkeys(person_id for _key, person_id in found if person_id not in placed))
        shown: set[int] = set()
        for start in range(0, len(candidates), _ROWS_PER_QUERY):
            batch = candidates[start : start + _ROWS_PER_QUERY]
            shown.update(visible.filter(pk__in=batch).values_list("pk", flat=True))
        for person_id in candidates:
            if person_id in shown:
                placed[person_id] = None
                if need is not None and len(placed) >= need:
                    return
        if size is None or len(found) < size:
            return
        after = found[-1]


class PersonSearchResults(QuerySet[Person]):
    """Persons matching a search, best first, read page by page from the postings in name order.

    Evaluated whole or as a slice, the ids come from ``_Ranking.page``: per rank level an
    index range scan of the postings in ``(sort_key, person)`` order with a ``LIMIT``, so
    the first page does not touch the other matches' person rows. Counting, ``values()``,
    ``iterator()`` and any further filter, ordering or annotation use the same ranking in
    SQL instead (rank, then name; the whole match set), which is correct but slower.
    """

    _ranking: _Ranking | None = None

    @classmethod
    def of(cls, rows: QuerySet[Person], ranking: _Ranking) -> PersonSearchResults:
        # Django's own _clone, into this class (the stubs do not know its private parts).
        source: Any = rows
        results = cls(model=Person, query=rows.query.chain(), using=source._db, hints=source._hints)
        results._prefetch_related_lookups = source._prefetch_related_lookups[:]  # type: ignore[attr-defined]
        results._ranking = ranking
        return results

    def _clone(self) -> Self:
        clone: Self = cast(Any, super())._clone()
        clone._ranking = self._ranking
        return clone

    def _in_sql(self) -> Self:
        clone: Self = cast(Any, self)._chain()
        clone._ranking = None
        return clone

    def filter(self, *args: Any, **kwargs: Any) -> Self:
        return super(PersonSearchResults, self._in_sql()).filter(*args, **kwargs)

    def exclude(self, *args: Any, **kwargs: Any) -> Self:
        return super(PersonSearchResults, self._in_sql()).exclude(*args, **kwargs)

    def order_by(self, *field_names: Any) -> Self:
        return super(PersonSearchResults, self._in_sql()).order_by(*field_names)

    def annotate(self, *args: Any, **kwargs: Any) -> Self:
        return super(PersonSearchResults, self._in_sql()).annotate(*args, **kwargs)

    def alias(self, *args: Any, **kwargs: Any) -> Self:
        return super(PersonSearchResults, self._in_sql()).alias(*args, **kwargs)

    def distinct(self, *field_names: Any) -> Self:
        return super(PersonSearchResults, self._in_sql()).distinct(*field_names)

    def reverse(self) -> Self:
        return super(PersonSearchResults, self._in_sql()).reverse()

    def _fetch_all(self) -> None:
        if self._result_cache is None and self._ranking is not None and self._iterable_class is ModelIterable:
            low, high = self.query.low_mark, self.query.high_mark
            ids = self._ranking.page(offset=low, limit=None if high is None else high - low)
            rows: dict[int, Person] = {}
            for start in range(0, len(ids), _ROWS_PER_QUERY):
                chunk = Person._base_manager.db_manager(self.db).filter(
                    pk__in=ids[start : start + _ROWS_PER_QUERY]
                )
                chunk.query.select_related = self.query.select_related
                rows.update((person.pk, person) for person in chunk)
            self._result_cache = [rows[pk] for pk in ids if pk in rows]  # type: ignore[misc]
        super()._fetch_all()


_ROWS_PER_QUERY = 5000


def _person_rank(exact_levels: Sequence[Sequence[Q | None]], closest: Sequence[Q], workspace_id: int) -> Case:
    """0 when every term is a whole word, 1 a word start, 2 inside a word; then typo levels."""
    whens: list[When] = []
    seen: list[list[Q]] = []
    for cumulative in _cumulative(exact_levels):
        if cumulative in seen:
            continue  # no new words at this level: nobody ranks here
        seen.append(cumulative)
        whens.append(When(pk__in=_persons_matching(cumulative, workspace_id), then=Value(len(whens))))
    postings = SearchPosting.objects.in_workspace(workspace_id)
    for words in closest:
        whens.append(When(pk__in=postings.filter(words).values("person_id"), then=Value(len(whens))))
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


# --- organizations: the search document itself ----------------------------------------------


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
