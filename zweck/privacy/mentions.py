"""Where other records' free text mentions a data subject: certain mentions, handled
automatically, and possible ones, for the privacy officer to confirm or dismiss.

``zweck.privacy.variants`` says which writings are which. This module finds them in every
free-text field the register declares (``Personal(free_text=True)``) and answers on
PostgreSQL from indexes only, never by reading a table's free text:

- addresses and full names: the word index of migration 0004 (every word of the term in the
  field's ``to_tsvector('simple', …)``), then containment, as before;
- every name form (full name, salutation or title with surname, initial with surname, each
  surname spelling): per surname spelling one query over the same word index, "the surname
  and one of the words that stand before it in some form" (first-name spellings, the initial,
  the salutations, the record's titles; ``MentionMatcher.index_words``). The surname leads
  each look-up, so the index reads the postings of the rows naming that surname and no
  others; ``classify`` then keeps the rows where the words stand together. Measured at
  100,000 persons (1,000,000 activities): most subjects' activity query reads 9 to 43 rows
  in 7 to 11 ms (the query before, for full names and addresses only, took 5); one whose initial is a
  word of its own in the text ("a", the "E" of "E-Mail") 340 to 440 rows in 15 to 35 ms. Refused:
  the surname alone (a common one stands in 1,773 of the 1,000,000 activities, every one of
  them read and matched in Python); phrase queries ("the word right before the surname"),
  whose index scans were two to three times slower and whose recheck recomputes every
  candidate's words; a title alone as evidence ("Dr." stands before 5 % of all names in the
  benchmark's notes, so "Dr. Beispiel" is looked for only when her record holds the title);
- phone numbers: the digit index of migration 0005. The digits of a number may be split
  across words in any way (``0221 12 34 56``, ``+49 (0)221 123456``), and the word index
  keeps ``0221/123456`` or ``0221.123456`` as one word and ``-123456`` with its sign, so
  neither the whole number nor its trailing group is reliably a word there; a trailing group
  such as ``56`` would not be distinctive either. The digit index holds each field's digit runs
  with the separators between digits left out (``+49 (0)221 12 34 56`` → ``490221123456``),
  each cut to its last six digits, so every way of writing the number is the same word
  (``123456``) and one exact look-up (``MentionMatcher.phone_index_words``); ``classify``
  then checks the whole number on the few rows found. A number written against other digits
  with only separators between them ("0221 123456 10") is one longer run and not this
  number. Prefix look-ups of the full forms were measured and refused: with few numbers in a
  table PostgreSQL estimates each prefix term at 2 % of the rows, and the plan turned
  parallel and JIT-compiled (about 200 ms per export instead of a few); see ``AnyWordQuery``
  for the estimate of the exact look-up. On 1,000,000 activities the digit index takes
  2 MB beside the word index's 15 MB.

SQLite has no such indexes and scans (containment of the addresses, names and surname
spellings, a regular expression for the numbers). On both databases every candidate is then
classified in Python (``MentionMatcher.classify``), so both find the same mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy

from zweck.core.register import ModelDeclaration
from zweck.privacy.models import DataSubjectRequest, MentionDecision
from zweck.privacy.subjects import Identifiers, free_text_declarations, in_workspace
from zweck.privacy.variants import INITIAL, SHARED_SURNAME, SPELLING, MentionMatcher, term_key

# The text search configuration of the mention indexes (migration 0004): "simple" lowercases
# and splits words, addresses and numbers, and neither stems nor drops words, so a name is
# found as written.
MENTION_SEARCH_CONFIG = "simple"

# The expression the digit indexes of migration 0005 are built on (the same text there): the
# field's digit runs, separators between two digits left out, everything else a space.
MENTION_DIGITS_SQL = (
    "to_tsvector('simple'::regconfig, regexp_replace(regexp_replace(regexp_replace(COALESCE({column}, ''), "
    "'(\\d)[\\s/().-]+(?=\\d)', '\\1', 'g'), '\\D+', ' ', 'g'), '\\d*(\\d{{6}})', '\\1', 'g'))"
)


@dataclass(frozen=True)
class Mention:
    """A field of a row that names the subject in free text, for certain."""

    declaration: ModelDeclaration
    row_id: int
    field: str
    text: str


@dataclass(frozen=True)
class PossibleMention:
    """A term in a field of a row that may name the subject (``variants.REASONS`` says why it is
    only possible). Identified by ``key``: the row, the field and a keyed hash of the term, so
    a decision about it names no personal value."""

    declaration: ModelDeclaration
    row_id: int
    field: str
    text: str
    term: str
    reason: str
    start: int

    @property
    def data_set(self) -> str:
        return self.declaration.model._meta.label_lower

    @property
    def digest(self) -> str:
        return term_digest(self.term)

    @property
    def key(self) -> str:
        return mention_key(self.data_set, self.row_id, self.field, self.digest)


@dataclass
class MentionsFound:
    certain: list[Mention] = field(default_factory=list)
    possible: list[PossibleMention] = field(default_factory=list)


def term_digest(term: str) -> str:
    """A keyed hash of a term as ``variants.term_key`` writes it (HMAC with the installation's
    secret key): equal for every writing of the term, and no one without the key can test a
    guess against it."""
    return salted_hmac("zweck.privacy.mentions", term_key(term), algorithm="sha256").hexdigest()


def mention_key(data_set: str, row_id: int, field_name: str, digest: str) -> str:
    """The name of one possible mention: ``crm.activity:42:body:3f9a…`` (16 hex digits)."""
    return f"{data_set}:{row_id}:{field_name}:{digest[:16]}"


def mention_condition(name: str, term: str) -> Q:
    """The rows whose field ``name`` may hold ``term``; ``find_mentions`` checks each candidate.

    On PostgreSQL every word of the term must be in the field's word index (migration 0004
    indexes exactly the expression Django's ``__search`` lookup compiles to), and the text
    must contain the term; elsewhere the containment alone (a scan).
    """
    contains = Q(**{f"{name}__icontains": term})
    if connection.vendor != "postgresql":
        return contains
    return Q(**{f"{name}__search": SearchQuery(term, config=MENTION_SEARCH_CONFIG)}) & contains


class DigitRuns(Func):
    """A field's digit runs as the digit index holds them (``MENTION_DIGITS_SQL``)."""

    template = MENTION_DIGITS_SQL.format(column="%(expressions)s")
    output_field = SearchVectorField()


class AnyWordQuery(Func):
    """Any of ``words`` (digits only, so nothing to quote), as a text search query.

    The query is written twice, ``(a | b) & (a | b)``: the same rows, but PostgreSQL, which
    estimates a word it has no statistics for at 0.5 % of the table, then estimates the
    square. The digit index of a table with few numbers in its text has no statistics, and
    with the plain estimate the planner chose parallel, JIT-compiled plans for a look-up that
    reads a handful of rows (28 ms instead of 1 ms on 1,000,000 activities)."""

    template = "to_tsquery('simple'::regconfig, %(expressions)s)"

    def __init__(self, words: Iterable[str]) -> None:
        alternatives = " | ".join(words)
        query = f"({alternatives}) & ({alternatives})"
        super().__init__(Value(query), output_field=SearchQueryField())


class Matches(Func):
    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = BooleanField()


def candidate_condition(name: str, matcher: MentionMatcher) -> Q:
    """The rows whose field ``name`` may mention the subject in any way
    ``matcher`` knows (a superset; ``classify`` decides)."""
    condition = Q()
    for email in matcher.emails:
        condition |= mention_condition(name, email)
    if not matcher.people:
        for full_name in matcher.names:
            condition |= mention_condition(name, full_name)
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        for surname, before in matcher.index_words().items():
            words = reduce(or_, (SearchQuery(word, config=MENTION_SEARCH_CONFIG) for word in before))
            query = SearchQuery(surname, config=MENTION_SEARCH_CONFIG) & words
            condition |= Q(**{f"{name}__search": query})
    else:
        for spelling in matcher.surname_spellings():
            condition |= Q(**{f"{name}__icontains": spelling})
    if matcher.phone_forms:
        if postgresql:
            condition |= Q(Matches(DigitRuns(F(name)), AnyWordQuery(matcher.phone_index_words())))
        else:
            # GLOB (in C) first: every digit of the number's tail in order, anything between.
            tail = Func(Value("*" + "*".join(matcher.phone_tail()) + "*"), F(name), function="glob")
            condition |= Q(Matches(tail)) & Q(**{f"{name}__regex": matcher.phone_pattern_source()})
    return condition


def find_mentions(*, workspace_id: int, identifiers: Identifiers, include_held: bool = True) -> MentionsFound:
    """Every free-text field in the workspace that mentions the subject, for certain or possibly.

    ``include_held=False`` leaves out the rows an erasure keeps under a hold: they belong to an
    erased subject and never reach anyone else, even someone of the same name or address.

    One query per model with free-text fields; on PostgreSQL each field's part of it is
    answered from its word and digit indexes (see the module's docstring), so the time follows
    the number of rows that hold the subject's words together, not the size of the table.
    """
    matcher = identifiers.matcher
    found = MentionsFound()
    if not (matcher.emails or matcher.names or matcher.people or matcher.phone_forms):
        return found
    for declaration in free_text_declarations():
        names = declaration.free_text_fields()
        condition = reduce(or_, (candidate_condition(name, matcher) for name in names))
        rows = in_workspace(declaration, workspace_id).filter(condition)
        if not include_held:
            from zweck.privacy.restriction import without_held

            rows = without_held(rows, workspace_id)
        rows = rows.values_list("pk", *names)
        for pk, *texts in rows.order_by("pk"):
            for name, text in zip(names, texts, strict=True):
                if not text:
                    continue
                classified = matcher.classify(text)
                if classified.certain:
                    found.certain.append(Mention(declaration=declaration, row_id=pk, field=name, text=text))
                found.possible += [
                    PossibleMention(
                        declaration=declaration,
                        row_id=pk,
                        field=name,
                        text=text,
                        term=possible.term,
                        reason=possible.reason,
                        start=possible.start,
                    )
                    for possible in classified.possible
                ]
    return found


def mention_rows(*, workspace_id: int, identifiers: Identifiers) -> list[Mention]:
    """The certain mentions only (``find_mentions``)."""
    return find_mentions(workspace_id=workspace_id, identifiers=identifiers).certain


# ---------------------------------------------------------------- redaction of other people

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ()/.-]{6,}\d")
OTHER_PERSON = "[…]"


def redact_others(text: str, *, identifiers: Identifiers, other_names: Iterable[str] = ()) -> str:
    """``text`` with every email and phone number that is not the subject's (in whatever format
    it is written), and the names of the other people known to the record, masked."""
    own = {value.lower() for value in (*identifiers.emails, *identifiers.phones)}
    matcher = identifiers.matcher

    def mask(match: re.Match[str]) -> str:
        value = match.group(0)
        if value.lower() in own or matcher.is_own_phone(value):
            return value
        return OTHER_PERSON

    masked = _EMAIL.sub(mask, text)
    masked = _PHONE.sub(mask, masked)
    own_names = {name.lower() for name in identifiers.names}
    for name in other_names:
        if name and name.lower() not in own_names and len(name) >= 3:
            masked = re.sub(re.escape(name), OTHER_PERSON, masked, flags=re.IGNORECASE)
    return masked


def excerpt(text: str, *, identifiers: Identifiers, width: int = 120, at: int | None = None) -> str:
    """The part of ``text`` around position ``at`` (by default the first certain mention of the
    subject), others masked."""
    first = at if at is not None else identifiers.matcher.first_position(text) or 0
    start = max(first - width, 0)
    end = min(first + width * 2, len(text))
    piece = text[start:end]
    piece = ("…" if start else "") + piece + ("…" if end < len(text) else "")
    return redact_others(piece, identifiers=identifiers)


# ---------------------------------------------------------------- the privacy officer's decisions

UNDECIDED, CONFIRMED, DISMISSED = "", "confirmed", "dismissed"
DecisionKey = tuple[str, int, str, str]


def decisions_of(request: DataSubjectRequest | None) -> dict[DecisionKey, bool]:
    """The decisions taken on ``request``'s possible mentions: (data set, row, field, term
    digest) → confirmed. None without a request: then every possible mention is undecided."""
    if request is None or request.pk is None:
        return {}
    rows = MentionDecision.objects.filter(workspace_id=request.workspace_id, request_id=request.pk)
    return {
        (row.data_set, row.row_id, row.field_name, row.term_digest): row.confirmed
        for row in rows.only("data_set", "row_id", "field_name", "term_digest", "confirmed")
    }


@dataclass(frozen=True)
class ReviewedMention:
    """A possible mention as the privacy officer reviews it: where, what, why, and the decision."""

    mention: PossibleMention
    decision: str
    excerpt: str

    @property
    def confirmed(self) -> bool:
        return self.decision == CONFIRMED

    def as_dict(self) -> dict[str, Any]:
        mention = self.mention
        model = mention.declaration.model
        return {
            "key": mention.key,
            "data_set": mention.data_set,
            "name": str(model._meta.verbose_name),
            "id": mention.row_id,
            "field": mention.field,
            "field_name": str(model._meta.get_field(mention.field).verbose_name),  # type: ignore[union-attr]
            "term": mention.term,
            "reason": mention.reason,
            "reason_text": str(REASON_TEXTS[mention.reason]),
            "excerpt": self.excerpt,
            "decision": self.decision,
        }


REASON_TEXTS = {
    SHARED_SURNAME: gettext_lazy("Salutation or title with a surname other persons of the workspace share"),
    INITIAL: gettext_lazy("Initial and surname"),
    SPELLING: gettext_lazy("The name with umlauts written differently (ä/ae, ö/oe, ü/ue, ß/ss)"),
}


def reviewed(
    possible: Iterable[PossibleMention], *, identifiers: Identifiers, decisions: dict[DecisionKey, bool]
) -> list[ReviewedMention]:
    """Each possible mention with its decision (confirmed, dismissed or undecided) and excerpt."""
    result = []
    for mention in possible:
        confirmed = decisions.get((mention.data_set, mention.row_id, mention.field, mention.digest))
        decision = UNDECIDED if confirmed is None else CONFIRMED if confirmed else DISMISSED
        text = excerpt(mention.text, identifiers=identifiers, at=mention.start)
        result.append(ReviewedMention(mention=mention, decision=decision, excerpt=text))
    return result
