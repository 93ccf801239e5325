"""How a data subject may be written in free text, and which of those writings are certain.

Nothing here touches the database: ``MentionMatcher`` is built from what identifies the
subject (``zweck.privacy.subjects.Identifiers``) and classifies the mentions in one text.

The rule (``docs/adr/0008-mention-variants.md`` gives the reasons):

Certain — found and handled automatically (redacted on erasure, exported on access):
- an email address of the subject, in any case;
- a phone number of the subject in any common format: spaces, slashes, dashes, dots or
  brackets between the digits, national (``0221 123456``) or international (``+49 221
  123456``, ``0049 221 123456``, ``+49 (0)221 123456``) prefix;
- the full name as recorded (first name and surname, any case);
- a salutation with the surname as recorded (``Frau Beispiel``, ``Herr Dr. Beispiel``,
  ``Mr Smith``, ``Ms. Smith``, also with titles or the initial between them), or a title the
  record holds with the surname (``Prof. Dr. Beispiel`` for Prof. Dr. Anna Beispiel), when no
  other person of the workspace has that surname.

Possible — listed for the privacy officer to confirm or dismiss:
- ``SHARED_SURNAME``: a salutation or title with a surname another person of the workspace
  shares;
- ``INITIAL``: the first name's initial with the surname (``A. Beispiel``, ``A Beispiel``);
- ``SPELLING``: any of the name forms above with the umlauts written the other way
  (ö/oe, ä/ae, ü/ue, ß/ss: ``Anna Mueller`` for Anna Müller, ``Frau Müller`` for Frau Mueller).

Not a mention: the surname alone; a salutation that names the other sex than the one
recorded for the subject (``Herr Beispiel`` when her record says ``Frau``), which is another
person; a title without salutation that the record does not hold (``Dr. Beispiel`` for Anna
Beispiel without a doctorate); an initial that is not the first name's; a number run on into
other digits with only separators between (``0221 123456 10``: maybe another line of the
same switchboard).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import product

import phonenumbers

FEMALE, MALE = "female", "male"
# Salutations by the sex they name (German and English; "Herrn" is the accusative and dative
# of "Herr", as in "an Herrn Beispiel"); None for those that name neither.
SALUTATIONS: dict[str, str | None] = {
    "frau": FEMALE,
    "ms": FEMALE,
    "mrs": FEMALE,
    "miss": FEMALE,
    "herr": MALE,
    "herrn": MALE,
    "mr": MALE,
    "mx": None,
}
TITLES = ("dr", "prof")

SHARED_SURNAME, INITIAL, SPELLING = "shared_surname", "initial", "spelling"
REASONS = (SHARED_SURNAME, INITIAL, SPELLING)

# Between the digits of a phone number as people write it: spaces, slashes, brackets, dots
# and dashes, at most four in a row (``(030) - 123456``). The database's digit index
# (migration privacy 0005) joins digits across the same characters.
PHONE_SEPARATORS = r"[\s/().\-]{0,4}"
MINIMUM_PHONE_DIGITS = 6
# The digit index keeps the last six digits of every run (migration privacy 0005).
INDEXED_DIGITS = 6

# Each umlaut and its transliteration, both ways; "ß" is written "ss" without umlaut rules.
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
_TRANSLITERATIONS = {value: key for key, value in _UMLAUTS.items()}
_MOST_SPELLINGS = 16


def salutation_sex(salutation: str) -> str | None:
    """The sex a recorded salutation names (``Frau`` → female), or None."""
    return SALUTATIONS.get(salutation.strip().rstrip(".").lower())


def _units(word: str) -> list[tuple[str, ...]]:
    """``word`` (lower-cased) as units, each with the spellings it may be written in."""
    units: list[tuple[str, ...]] = []
    index = 0
    while index < len(word):
        pair = word[index : index + 2]
        if word[index] in _UMLAUTS:
            units.append((word[index], _UMLAUTS[word[index]]))
            index += 1
        elif pair in _TRANSLITERATIONS:
            units.append((pair, _TRANSLITERATIONS[pair]))
            index += 2
        else:
            units.append((word[index],))
            index += 1
    return units


def fold(name: str) -> str:
    """One key for every umlaut spelling of a name: ``Müller`` and ``MUELLER`` → ``mueller``."""
    lowered = " ".join(name.lower().split())
    return "".join(_UMLAUTS.get(character, character) for character in lowered)


@functools.lru_cache(maxsize=4096)
def spellings(name: str) -> tuple[str, ...]:
    """Every umlaut spelling of ``name``, lower-cased, as recorded first: ``Müller`` →
    ``("müller", "mueller")``, ``Koenig`` → ``("koenig", "könig")``."""
    lowered = " ".join(name.lower().split())
    units = _units(lowered)
    # Every umlaut transliterated, and every transliteration an umlaut, then mixed spellings.
    whole = ["".join(_umlaut_free(unit) for unit in units), "".join(_with_umlaut(unit) for unit in units)]
    found = ["".join(choice) for choice in product(*units)]
    return tuple(dict.fromkeys([lowered, *whole, *found[:_MOST_SPELLINGS]]))


def _umlaut_free(unit: tuple[str, ...]) -> str:
    return next((spelling for spelling in unit if len(spelling) == 2), unit[0])


def _with_umlaut(unit: tuple[str, ...]) -> str:
    return next((spelling for spelling in unit if spelling in _UMLAUTS), unit[0])


def _words(name: str, spelled: bool) -> str:
    """Regex for ``name`` word by word (any whitespace between words), as recorded or, with
    ``spelled``, in any umlaut spelling."""
    parts = []
    for word in name.split():
        if not spelled:
            parts.append(re.escape(word))
            continue
        parts.append("".join(_unit_pattern(unit) for unit in _units(word.lower())))
    return r"\s+".join(parts)


def _unit_pattern(unit: tuple[str, ...]) -> str:
    if len(unit) == 1:
        return re.escape(unit[0])
    return "(?:" + "|".join(re.escape(spelling) for spelling in unit) + ")"


def _alternatives(items: Iterable[str]) -> str:
    ordered = sorted(set(items), key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")" if ordered else "(?!)"


# ---------------------------------------------------------------- phone numbers


@functools.lru_cache(maxsize=4096)
def phone_forms(number: str) -> tuple[str, ...]:
    """The digit strings a stored number (E.164) is written as, separators left out.

    ``+49221123456`` → ``49221123456`` (``+49 221 123456``), ``0049221123456``,
    ``0221123456`` (national), ``490221123456`` and ``00490221123456`` (``+49 (0)221 …``).
    A number that does not parse gives its own digits.
    """
    digits = re.sub(r"\D", "", number)
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return (digits,) if len(digits) >= MINIMUM_PHONE_DIGITS else ()
    country = str(parsed.country_code)
    significant = phonenumbers.national_significant_number(parsed)
    formatted = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(
        phonenumbers.region_code_for_country_code(parsed.country_code or 0)
    )
    # The national format of a number the metadata does not know leaves the trunk prefix out.
    trunk = (metadata.national_prefix or "") if metadata else ""
    national = re.sub(r"\D", "", formatted)
    if trunk and not phonenumbers.is_valid_number(parsed) and not national.startswith(trunk):
        national = trunk + national
    forms = [country + significant, "00" + country + significant, national]
    if national != significant:
        forms += [country + national, "00" + country + national]
    return tuple(form for form in dict.fromkeys(forms) if len(form) >= MINIMUM_PHONE_DIGITS)


_SEPARATORS = " \t\n\r\f\v/().-"


def _phone_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Where ``pattern`` (a number's digits with separators between) stands as a number of its
    own: a leading "+" or "(" belongs to it, and no digit stands before or after it, not even
    across separators ("0221 123456 10" is one run of digits, as in the digit index, which may
    be another line of the same switchboard, not this number)."""
    spans = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if start and text[start - 1] in "+(":
            start -= 1
        before, after = text[:start].rstrip(_SEPARATORS), text[end:].lstrip(_SEPARATORS)
        if before[-1:].isdigit() or after[:1].isdigit():
            continue
        spans.append((start, end))
    return spans


# ---------------------------------------------------------------- the subject's names


@dataclass(frozen=True)
class PersonName:
    """A person record's name parts, as the register's name and salutation fields hold them."""

    first: str
    last: str
    salutation: str = ""
    title: str = ""

    @property
    def titles(self) -> list[str]:
        """The academic titles the record holds (``Prof. Dr.`` → prof, dr)."""
        words = re.findall(r"[^\W\d_]+", self.title.lower())
        return [word for word in TITLES if word in words]

    @property
    def initial(self) -> str:
        return self.first.strip()[:1].upper()

    @property
    def salutations(self) -> list[str]:
        """Salutations that may address this person: all but those naming the other sex."""
        sex = salutation_sex(self.salutation)
        return [word for word, named in SALUTATIONS.items() if sex is None or named in (None, sex)]


def _full_name(person: PersonName, spelled: bool) -> str:
    return _words(person.first, spelled) + r"\s+" + _words(person.last, spelled)


def _addressed(person: PersonName, spelled: bool) -> str:
    """A salutation, maybe titles, maybe the initial, then the surname; or, without a
    salutation, the titles the record holds (a title alone is evidence only when it is hers)."""
    salutation = _alternatives(re.escape(word) for word in person.salutations)
    title = _alternatives(re.escape(word) for word in TITLES)
    own_title = _alternatives(re.escape(word) for word in person.titles)
    initial = rf"(?:(?-i:{re.escape(person.initial)})\.?\s+)?" if person.initial else ""
    lead = rf"(?:{salutation}\.?\s+(?:{title}\.?\s+)*|(?:{own_title}\.?\s+)+)"
    return lead + initial + _words(person.last, spelled)


def _initialled(person: PersonName, spelled: bool) -> str:
    return rf"(?-i:{re.escape(person.initial)})\.?\s+" + _words(person.last, spelled)


_NOT_DIGITS = re.compile(r"\D")


def _latin1(text: str) -> bool:
    return text.isascii() or max(text) <= "\xff"


def _bounded(alternatives: Iterable[str]) -> re.Pattern[str] | None:
    parts = [part for part in alternatives if part]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A possible mention in one text: the words as written and why it is only possible."""

    term: str
    reason: str
    start: int


@dataclass(frozen=True)
class Classified:
    """The mentions in one text: whether any is certain, and the possible ones."""

    certain: bool
    possible: tuple[Found, ...]


class MentionMatcher:
    """The patterns of one subject: ``certain`` finds what is handled automatically,
    ``classify`` also the possible mentions with their reasons."""

    def __init__(
        self,
        *,
        emails: Sequence[str],
        phones: Sequence[str],
        names: Sequence[str],
        people: Sequence[PersonName],
        shared_surnames: Iterable[str] | Callable[[], Iterable[str]] = (),
    ) -> None:
        # Which surnames others share may be a query: asked only when a pattern needs it.
        self._shared_surnames = shared_surnames
        self.people = [person for person in people if person.last.strip()]
        self.emails = [email for email in emails if email]
        self.names = [name for name in names if len(name.split()) >= 2]
        self.phones = list(phones)
        self.phone_forms = sorted({form for phone in phones for form in phone_forms(phone)})
        email_pattern = _alternatives(re.escape(email) for email in emails if email)
        self._email_pattern = email_pattern
        # What every certain mention contains: the last word of a full name or surname, an
        # address, or a number's digits. A text without any of them is passed over without
        # compiling a pattern (most texts of a shared record do not name this subject).
        self._words_needed = sorted(
            {name.split()[-1].lower() for name in self.names}
            | {person.last.split()[-1].lower() for person in self.people}
            | {email.lower() for email in self.emails}
        )
        self._prefilter = all(_latin1(word) for word in self._words_needed)

    @cached_property
    def _shared(self) -> frozenset[str]:
        source = self._shared_surnames
        return frozenset(fold(name) for name in (source() if callable(source) else source))

    @property
    def _unique_people(self) -> list[PersonName]:
        return [person for person in self.people if fold(person.last) not in self._shared]

    @property
    def _shared_people(self) -> list[PersonName]:
        return [person for person in self.people if fold(person.last) in self._shared]

    @cached_property
    def certain(self) -> re.Pattern[str] | None:
        full_names = [_words(name, False) for name in self.names]
        full_names += [_full_name(person, False) for person in self.people if person.first.strip()]
        return _bounded([*full_names, *(_addressed(person, False) for person in self._unique_people)])

    @cached_property
    def _phone_digits(self) -> re.Pattern[str]:
        # The digits of each form with separators between; ``_phone_spans`` checks what stands
        # around a match (faster than look-behinds at every position).
        return re.compile("|".join(PHONE_SEPARATORS.join(form) for form in self.phone_forms) or "(?!)")

    @cached_property
    def _emails(self) -> re.Pattern[str] | None:
        if not self.emails:
            return None
        return re.compile(rf"(?<![\w.+-]){self._email_pattern}(?![\w-]|\.\w)", re.IGNORECASE)

    def could_mention(self, text: str) -> bool:
        """False only when ``text`` certainly holds no certain mention: none of the words every
        mention contains stands in it, compared in lower case (exact for Latin-1 text; other
        text is left to the patterns, as case-insensitive matching there goes beyond
        ``str.lower``), and none of the numbers' digit forms among its digits."""
        if not text:
            return False
        if not (self._prefilter and _latin1(text)):
            return True
        lowered = text.lower()
        if any(word in lowered for word in self._words_needed):
            return True
        if self.phone_forms:
            digits = _NOT_DIGITS.sub("", text)
            return any(form in digits for form in self.phone_forms)
        return False

    @cached_property
    def possible(self) -> list[tuple[str, re.Pattern[str] | None]]:
        """The patterns of possible mentions (a shared surname, an initial, another spelling):
        compiled on first use, as redacting needs only the certain ones."""
        with_initial = [person for person in self.people if person.initial]
        return [
            (SHARED_SURNAME, _bounded(_addressed(person, False) for person in self._shared_people)),
            (INITIAL, _bounded(_initialled(person, False) for person in with_initial)),
            (
                SPELLING,
                _bounded(
                    [
                        *(_full_name(person, True) for person in self.people if person.first.strip()),
                        *(_addressed(person, True) for person in self.people),
                        *(_initialled(person, True) for person in with_initial),
                    ]
                ),
            ),
        ]

    def certain_spans(self, text: str) -> list[tuple[int, int]]:
        if not self.could_mention(text):
            return []
        spans = [match.span() for match in self._emails.finditer(text)] if self._emails else []
        if self.certain is not None:
            spans += [match.span() for match in self.certain.finditer(text)]
        if self.phone_forms:
            spans += _phone_spans(self._phone_digits, text)
        return sorted(spans)

    def classify(self, text: str) -> Classified:
        """Whether ``text`` mentions the subject for certain, and its possible mentions (each
        term once, in the order they stand), none inside a certain one."""
        taken = self.certain_spans(text)
        certain = bool(taken)
        found: dict[str, Found] = {}
        for reason, pattern in self.possible:
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < other_end and other_start < end for other_start, other_end in taken):
                    continue
                taken.append((start, end))
                term = " ".join(match.group(0).split())
                found.setdefault(term_key(term), Found(term=term, reason=reason, start=start))
        possible = tuple(sorted(found.values(), key=lambda item: item.start))
        return Classified(certain=certain, possible=possible)

    def redact(self, text: str, marker: str, confirmed: Iterable[str] = ()) -> str:
        """``text`` with every certain mention and every occurrence of a ``confirmed`` term
        replaced by ``marker``."""
        spans = self.certain_spans(text)
        terms = [term for term in confirmed if term.strip()]
        if terms:
            pattern = _bounded(r"\s+".join(re.escape(word) for word in term.split()) for term in terms)
            assert pattern is not None
            spans += [match.span() for match in pattern.finditer(text)]
        return _replace(text, spans, marker)

    def phone_pattern_source(self) -> str:
        """A regular expression for the digits of the subject's numbers in every format, run on
        or not (a superset of the mentions, for the scan where no digit index answers)."""
        return self._phone_digits.pattern

    def phone_index_words(self) -> list[str]:
        """What the digit index holds of the subject's numbers: the last six digits of each form
        (one word where the numbers' tails are six digits or longer)."""
        return sorted({form[-INDEXED_DIGITS:] for form in self.phone_forms})

    def phone_tail(self) -> str:
        """The digits every form of the subject's numbers ends with (the national significant
        number where there is one number)."""
        tail = min(self.phone_forms, key=len, default="")
        while tail and not all(form.endswith(tail) for form in self.phone_forms):
            tail = tail[1:]
        return tail

    def first_position(self, text: str) -> int | None:
        spans = self.certain_spans(text)
        return spans[0][0] if spans else None

    def is_own_phone(self, written: str) -> bool:
        """Whether a number as written in text is one of the subject's (any format)."""
        return re.sub(r"\D", "", written) in self.phone_forms

    # ------------------------------------------------------------ what the word index looks up

    def index_words(self) -> dict[str, list[str]]:
        """For each surname spelling, the words one of which every name form above has before
        the surname: a first-name spelling, the initial, a salutation, a title the record
        holds (after a salutation any title may follow; the salutation is the word to look
        for then). The word index finds the rows holding the surname and one of them, led by
        the surname; ``classify`` checks where they stand."""
        words: dict[str, list[str]] = {}
        for person in self.people:
            before = [*spellings(person.first)] if person.first.strip() else []
            before += [person.initial.lower()] if person.initial else []
            before += [*person.salutations, *person.titles]
            for surname in spellings(person.last):
                group = words.setdefault(surname, [])
                group += [word for word in before if word not in group]
        return words

    def surname_spellings(self) -> list[str]:
        return list(dict.fromkeys(spelling for person in self.people for spelling in spellings(person.last)))


def _replace(text: str, spans: Iterable[tuple[int, int]], marker: str) -> str:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    pieces: list[str] = []
    position = 0
    for start, end in merged:
        pieces += [text[position:start], marker]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def term_key(term: str) -> str:
    """The form two writings of one term share: case and spacing left out."""
    return " ".join(term.split()).casefold()
