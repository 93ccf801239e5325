"""The one-line search document of persons and organizations, and the query terms matched against it.

Kept in ``search_text`` by the services, lower-cased: names, email addresses, phone
numbers as digits (international and national form, so a number typed either way is
found) and organization names. Words with umlauts or accents are followed by their
plain spellings (``müller`` also as ``mueller`` and ``muller``), so a name is found
however a keyboard or a previous system wrote it. ``zweck.crm.search`` matches query
terms against this document (trigram index on PostgreSQL).

Nothing here touches the database: the same functions build documents in the services
and in the data generator.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

from zweck.crm.validators import DEFAULT_PHONE_REGION

_NOT_DIGIT = re.compile(r"\D+")
_PHONE_LIKE = re.compile(r"^[\d\s+()/.\-]{5,}$")

# German transliteration first (ü → ue), as German names are written without umlauts;
# letters Unicode does not decompose get their usual Latin spelling.
_TRANSLITERATED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "œ": "oe"})
_STRIPPED = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ı": "i"})

FUZZY_MIN_LENGTH = 5
"""Shorter terms are matched exactly: one typo in four letters makes another name."""

WORD_START_MAX_LENGTH = 2
"""Terms this short match at the start of a word only (no trigram fits inside them)."""


@dataclass(frozen=True)
class SearchTerm:
    """One word of a query: the spellings any of which may match, and whether typos are forgiven."""

    spellings: tuple[str, ...]
    fuzzy: bool


def phone_digit_forms(e164: str) -> list[str]:
    """``+4930123456`` → ``["4930123456", "030123456"]``."""
    return list(_phone_digit_forms(e164))


# Parsing a number costs tens of microseconds; bulk imports and the data generator meet
# the same numbers again and again.
@functools.lru_cache(maxsize=16384)
def _phone_digit_forms(e164: str) -> tuple[str, ...]:
    forms = [e164.lstrip("+")]
    try:
        parsed = phonenumbers.parse(e164, None)
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        forms.append(_NOT_DIGIT.sub("", national))
    except phonenumbers.NumberParseException:
        pass
    return tuple(forms)


def looks_like_phone(query: str) -> bool:
    return bool(_PHONE_LIKE.match(query.strip())) and sum(c.isdigit() for c in query) >= 5


def phone_query_digits(query: str) -> str:
    """Digits to look for when someone types a phone number in any format.

    ``0049 30 1234567`` and ``+49 (0)30 1234567`` become ``49301234567``, the
    international form in the document; ``(030) 123-4567`` becomes ``0301234567``,
    the national form.
    """
    stripped = query.strip()
    international = stripped.startswith(("+", "00"))
    if international:
        # The trunk prefix "(0)" is written between country and area code but never dialled.
        stripped = stripped.replace("(0)", "")
    digits = _NOT_DIGIT.sub("", stripped)
    if stripped.startswith("00"):
        digits = digits[2:]
    return digits


def normalize_text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).lower().split())


def _without_marks(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def spellings(word: str) -> tuple[str, ...]:
    """A lower-cased word as written, transliterated and stripped of accents, without repeats.

    ``müller`` → ``("müller", "mueller", "muller")``; ``weiß`` → ``("weiß", "weiss")``.
    """
    word = normalize_text(word)
    if word.isascii():
        # Transliterating and stripping marks leave ASCII as it is; most words (emails, digits) are.
        return (word,) if word else ()
    return _accented_spellings(word)


# Names repeat: the same accented words come back in every import and generated data set.
@functools.lru_cache(maxsize=16384)
def _accented_spellings(word: str) -> tuple[str, ...]:
    forms = (word, _without_marks(word.translate(_TRANSLITERATED)), _without_marks(word.translate(_STRIPPED)))
    return tuple(dict.fromkeys(form for form in forms if form))


def compose(
    *, names: Iterable[str], emails: Iterable[str] = (), phones: Iterable[str] = (), extra: Iterable[str] = ()
) -> str:
    """The search document: every part lower-cased, then the plain spellings of accented words."""
    parts: list[str] = [" ".join(name for name in names if name)]
    parts.extend(emails)
    for phone in phones:
        parts.extend(phone_digit_forms(phone))
    parts.extend(value for value in extra if value)
    document = normalize_text(" ".join(part for part in parts if part))
    words = document.split()
    seen = set(words)
    variants: list[str] = []
    for word in words:
        for variant in spellings(word)[1:]:
            if variant not in seen:
                seen.add(variant)
                variants.append(variant)
    return " ".join([document, *variants]) if variants else document


# --- the words a person is found by, and the dictionary that finds near words --------------

SUFFIX_MARK = "~"
"""Starts the reversed form of a phone number's digits, so a suffix search is a prefix search."""

DICTIONARY_MIN_LENGTH = 3
"""Shorter words are never looked up inside other words or as typos."""

_PIECE = re.compile(r"[^\W_]+")


def posting_words(document: str) -> set[str]:
    """The words of a search document a person is found by, each once.

    Every whitespace-separated token as it stands; the letter-and-digit pieces of tokens
    with punctuation (``o'brien`` → ``brien``; an email address → its parts); an email's
    local part and domain; and for runs of five digits or more (phone numbers) the
    reversed digits behind ``SUFFIX_MARK``, so the end of a number is found as a prefix.
    """
    found: set[str] = set()
    for token in document.split():
        found.add(token)
        if token.isdigit():
            if len(token) >= 5:
                found.add(SUFFIX_MARK + token[::-1])
            continue
        if token.isalnum():
            continue
        local, at, domain = token.partition("@")
        if at:
            found.update(part for part in (local, domain) if part)
        found.update(_PIECE.findall(token))
    return found


SORT_KEY_SEPARATOR = "\x01"
"""Between surname and first name in a sort key: below every character of a name."""


def sort_key(last_name: str, first_name: str) -> str:
    """The order of search results among equals: surname, then first name, lower-cased.

    Stored in every posting of the person, so a page of persons holding a word comes
    straight from the postings' index, in order. Compared character by character (the
    column has the ``C`` collation on PostgreSQL, SQLite compares code points), so the
    separator sorts "Berg, Zoe" before "Bergmann, Al" as the name order does.
    """
    return f"{normalize_text(last_name)}{SORT_KEY_SEPARATOR}{normalize_text(first_name)}"


def is_dictionary_word(word: str) -> bool:
    """Whether substring and typo search look for ``word``: letters only, three or more."""
    return len(word) >= DICTIONARY_MIN_LENGTH and word.isalpha()


def deletions(word: str) -> set[str]:
    """The word with one letter left out, at each position (``abc`` → ``bc``, ``ac``, ``ab``)."""
    return {word[:index] + word[index + 1 :] for index in range(len(word))}


def dictionary_keys(word: str) -> set[str]:
    """The keys a dictionary word is filed under: itself, and its deletions from five letters on."""
    if len(word) < FUZZY_MIN_LENGTH:
        return {word}
    return {word, *deletions(word)}


def typo_keys(spelling: str) -> set[str]:
    """The keys to look up for a typed word: every dictionary word within one edit shares one."""
    return {spelling, *deletions(spelling)}


def within_one_edit(first: str, second: str) -> bool:
    """Whether one insertion, deletion, substitution or swap of neighbours turns one word into the other."""
    if first == second:
        return True
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) > len(second):
        first, second = second, first
    start = 0
    while start < len(first) and first[start] == second[start]:
        start += 1
    if len(first) < len(second):
        return first[start:] == second[start + 1 :]
    if first[start + 1 :] == second[start + 1 :]:
        return True
    return (
        start + 1 < len(first)
        and first[start] == second[start + 1]
        and first[start + 1] == second[start]
        and first[start + 2 :] == second[start + 2 :]
    )


def query_terms(query: str) -> list[SearchTerm]:
    """The terms of a search query; a person or organization matches when every term does.

    A phone number in any format is one term of digits (never typo-tolerant: one digit
    off is somebody else's number). Otherwise every word is a term, in its transliterated
    and its accent-free spelling, with surrounding punctuation dropped.
    """
    if looks_like_phone(query):
        return [SearchTerm(spellings=(phone_query_digits(query),), fuzzy=False)]
    terms: list[SearchTerm] = []
    for raw in normalize_text(query).split():
        word = raw.strip(string.punctuation)
        if not word:
            continue
        forms = spellings(word)
        # The document holds the plain spellings of every accented word, so the
        # transliterated and the stripped query spellings cover each way it was stored.
        typed = forms[1:] or forms
        # Length as typed: "müll" is four letters, though its spelling "muell" has five.
        fuzzy = len(word) >= FUZZY_MIN_LENGTH and not word.isdigit()
        term = SearchTerm(spellings=typed, fuzzy=fuzzy)
        if term not in terms:
            terms.append(term)
    return terms


__all__ = [
    "DEFAULT_PHONE_REGION",
    "DICTIONARY_MIN_LENGTH",
    "FUZZY_MIN_LENGTH",
    "SORT_KEY_SEPARATOR",
    "SUFFIX_MARK",
    "WORD_START_MAX_LENGTH",
    "SearchTerm",
    "compose",
    "deletions",
    "dictionary_keys",
    "is_dictionary_word",
    "looks_like_phone",
    "normalize_text",
    "phone_digit_forms",
    "phone_query_digits",
    "posting_words",
    "query_terms",
    "sort_key",
    "spellings",
    "typo_keys",
    "within_one_edit",
]
