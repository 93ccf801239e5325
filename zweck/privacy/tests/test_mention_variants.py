"""How a subject may be written in free text: phone numbers in any format, emails in any case,
salutations and titles, initials and umlaut spellings; which of them are certain and which
only possible (``zweck.privacy.variants``)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from zweck.privacy.variants import (
    INITIAL,
    SHARED_SURNAME,
    SPELLING,
    MentionMatcher,
    PersonName,
    fold,
    phone_forms,
    spellings,
)

ANNA = PersonName(first="Anna", last="Beispiel", salutation="Frau")
JUERGEN = PersonName(first="Jürgen", last="Müller", salutation="Herr")


def _matcher(
    *people: PersonName, phones: tuple[str, ...] = (), shared: tuple[str, ...] = ()
) -> MentionMatcher:
    return MentionMatcher(
        emails=["anna.beispiel@example.com"],
        phones=phones,
        names=[f"{person.first} {person.last}" for person in people],
        people=people,
        shared_surnames=shared,
    )


def _possible(matcher: MentionMatcher, text: str) -> list[tuple[str, str]]:
    return [(found.term, found.reason) for found in matcher.classify(text).possible]


def test_the_forms_of_a_stored_number() -> None:
    assert phone_forms("+49221123456") == (
        "49221123456",
        "0049221123456",
        "0221123456",
        "490221123456",
        "00490221123456",
    )
    assert phone_forms("+12125550100") == ("12125550100", "0012125550100", "2125550100")


SEPARATORS = st.sampled_from([" ", "/", "-", ".", "  ", " - ", ""])


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A German number (E.164) and one way a person writes it in a note."""
    area = draw(st.sampled_from(["30", "40", "221", "89", "6221", "171", "152"]))
    subscriber = draw(st.text(alphabet="0123456789", min_size=6, max_size=8).filter(lambda s: s[0] != "0"))
    prefix = draw(
        st.sampled_from(
            [
                "0{area}",
                "({0}{area})",
                "+49 {area}",
                "+49{area}",
                "0049 {area}",
                "+49 (0){area}",
                "+49-{area}",
            ]
        )
    )
    lead = prefix.replace("{0}", "0").replace("{area}", area)
    separator = draw(SEPARATORS)
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=len(subscriber) - 1), max_size=3)))
    groups = [subscriber[start:end] for start, end in zip([0, *cuts], [*cuts, len(subscriber)], strict=True)]
    inner = draw(st.sampled_from([" ", "-", ""]))
    return f"+49{area}{subscriber}", lead + separator + inner.join(groups)


@given(
    number=written_numbers(),
    before=st.sampled_from(["Ruf an: ", "Tel. ", "(", ""]),
    after=st.sampled_from([" bitte", ".", ")", ""]),
)
def test_a_number_in_any_common_format_is_a_certain_mention_and_erased_whole(
    number: tuple[str, str], before: str, after: str
) -> None:
    stored, written = number
    matcher = _matcher(ANNA, phones=(stored,))
    text = f"{before}{written}{after}"
    # when
    classified = matcher.classify(text)
    redacted = matcher.redact(text, "[erased]")
    # then
    assert classified.certain, text
    assert "[erased]" in redacted
    assert not re.search(r"\d{3}", redacted), redacted


@given(number=written_numbers())
def test_another_number_is_no_mention(number: tuple[str, str]) -> None:
    stored, written = number
    last = stored[-1]
    other = stored[:-1] + ("1" if last != "1" else "2")
    matcher = _matcher(ANNA, phones=(other,))
    assert not matcher.classify(f"Tel. {written} bitte").certain
    assert not matcher.classify(f"Tel. {written}9 bitte").certain


def test_a_number_run_on_into_other_digits_is_not_the_number() -> None:
    matcher = _matcher(ANNA, phones=("+49221123456",))
    assert not matcher.classify("Zentrale 0221 123456 10").certain
    assert not matcher.classify("am 12.03. 0221 123456").certain
    assert matcher.classify("am 12.03.: 0221 123456, 10 Uhr").certain
    assert matcher.redact("Tel.: (0221) 12 34 56.", "[x]") == "Tel.: [x]."


def test_emails_in_any_case_but_not_inside_a_longer_address() -> None:
    matcher = _matcher(ANNA)
    assert matcher.classify("Mail an ANNA.Beispiel@Example.COM.").certain
    assert not matcher.classify("Mail an john.anna.beispiel@example.com").certain
    assert not matcher.classify("Mail an anna.beispiel@example.community").certain


def test_salutation_or_her_own_title_with_an_unshared_surname_is_certain() -> None:
    matcher = _matcher(ANNA)
    for text in ("Frau Beispiel rief an", "Frau Dr. Beispiel", "Ms. Beispiel", "Frau A. Beispiel"):
        assert matcher.classify(text).certain, text
        assert "Beispiel" not in matcher.redact(text, "[x]"), text
    professor = _matcher(PersonName(first="Anna", last="Beispiel", salutation="Frau", title="Prof. Dr."))
    assert professor.classify("Prof. Dr. Beispiel hält den Vortrag").certain
    assert professor.classify("Dr. Beispiel hält den Vortrag").certain
    english = _matcher(PersonName(first="Amelia", last="Smith", salutation="Ms"))
    assert english.classify("Spoke with Ms Smith today").certain
    assert english.classify("Spoke with Mrs. Smith today").certain


def test_a_salutation_naming_the_other_sex_a_title_not_hers_or_another_initial_is_no_mention() -> None:
    matcher = _matcher(ANNA)
    for text in (
        "Herr Beispiel rief an",
        "Mr Beispiel",
        "Frau B. Beispiel",
        "Beispiel rief an",
        "Dr. Beispiel",
    ):
        assert (matcher.classify(text).certain, _possible(matcher, text)) == (False, []), text


def test_a_shared_surname_with_salutation_is_only_possible() -> None:
    matcher = _matcher(JUERGEN, shared=("Mueller",))
    assert _possible(matcher, "Herr Dr. Müller kommt") == [("Herr Dr. Müller", SHARED_SURNAME)]
    assert not matcher.classify("Herr Dr. Müller kommt").certain
    # the full name stays certain, shared or not
    assert matcher.classify("Jürgen Müller kommt").certain


def test_initial_and_surname_is_only_possible_and_the_initial_must_be_a_capital() -> None:
    matcher = _matcher(ANNA)
    assert _possible(matcher, "A. Beispiel und A Beispiel") == [
        ("A. Beispiel", INITIAL),
        ("A Beispiel", INITIAL),
    ]
    assert _possible(matcher, "ask a Beispiel") == []


def test_umlauts_written_the_other_way_are_only_possible() -> None:
    matcher = _matcher(JUERGEN)
    assert _possible(matcher, "Juergen Mueller, Herr Mueller, J. Mueller") == [
        ("Juergen Mueller", SPELLING),
        ("Herr Mueller", SPELLING),
        ("J. Mueller", SPELLING),
    ]
    stored_without = _matcher(PersonName(first="Jens", last="Koenig", salutation="Herr"))
    assert _possible(stored_without, "Jens König war da") == [("Jens König", SPELLING)]


def test_possible_mentions_inside_a_certain_one_are_not_listed_and_each_term_once() -> None:
    matcher = _matcher(ANNA)
    classified = matcher.classify("Frau A. Beispiel; später A. Beispiel, a. beispiel")
    assert classified.certain
    assert _possible(matcher, "Frau A. Beispiel; später A. Beispiel, A.  beispiel") == [
        ("A. Beispiel", INITIAL)
    ]


def test_a_confirmed_term_is_erased_in_every_writing_of_it() -> None:
    matcher = _matcher(ANNA)
    assert matcher.redact("A. Beispiel und a.  BEISPIEL, A Beispiel", "[x]", ["A. Beispiel"]) == (
        "[x] und [x], A Beispiel"
    )


UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


@given(
    stem=st.lists(
        st.sampled_from(["b", "r", "k", "l", "m", "n", "t", "ä", "ö", "ü", "ß", "ei", "a", "o", "i"]),
        min_size=3,
        max_size=8,
    ),
    capitalize=st.booleans(),
)
def test_every_umlaut_spelling_of_a_name_folds_to_one_key_and_is_found(
    stem: list[str], capitalize: bool
) -> None:
    name = "".join(stem)
    name = name[:1].upper() + name[1:] if capitalize else name
    transliterated = "".join(UMLAUTS.get(character, character) for character in name.lower())
    # then
    assert fold(name) == fold(transliterated) == transliterated.lower()
    assert transliterated.lower() in spellings(name)
    person = PersonName(first="Ida", last=name.title(), salutation="Frau")
    matcher = _matcher(person)
    other_spelling = f"Ida {transliterated.title()}"
    if other_spelling.lower() != f"Ida {name.title()}".lower():
        assert _possible(matcher, f"Mit {other_spelling} gesprochen") == [(other_spelling, SPELLING)]
    assert matcher.classify(f"Mit Ida {name.title()} gesprochen").certain


def _unfiltered_spans(matcher: MentionMatcher, text: str) -> list[tuple[int, int]]:
    """What the certain patterns find without the quick check that passes texts over."""
    spans = [match.span() for match in matcher._emails.finditer(text)] if matcher._emails else []
    if matcher.certain is not None:
        spans += [match.span() for match in matcher.certain.finditer(text)]
    return spans + [match.span() for match in matcher._phone_digits.finditer(text)]


_PIECES = st.sampled_from(
    ["Jürgen", "JÜRGEN", "Müller", "MÜLLER", "mueller", "Herr", "Hr.", "Dr.", "Anna", "BEISPIEL",
     "anna.beispiel@example.com", "ANNA.BEISPIEL@EXAMPLE.COM", "0221 123456", "+49 (0)221-123456",
     "ſ", "K", "İ", "ẞ", "ß", "é", ",", ".", "\n"]
)  # fmt: skip


@given(
    words=st.lists(_PIECES | st.text(max_size=6), max_size=8), joiner=st.sampled_from([" ", "  ", "\t", ""])
)
def test_the_quick_check_passes_over_no_text_a_pattern_would_match(words: list[str], joiner: str) -> None:
    matcher = _matcher(ANNA, JUERGEN, phones=("+49221123456",))
    text = joiner.join(words)
    if _unfiltered_spans(matcher, text):
        assert matcher.could_mention(text)


def test_a_text_without_the_subjects_words_is_passed_over_and_left_as_it_is() -> None:
    matcher = _matcher(ANNA, phones=("+49221123456",))
    text = "Rückruf von Frau Schneider wegen des Angebots, Tel. 0221 654321"
    assert not matcher.could_mention(text)
    assert matcher.redact(text, "[x]") == text
    assert matcher.could_mention("Rückruf von Frau BEISPIEL")
    assert matcher.could_mention("Tel. 0221/12 34 56")
    # Outside Latin-1, lower case is not what case-insensitive matching compares: no shortcut.
    assert matcher.could_mention("Ķ")
