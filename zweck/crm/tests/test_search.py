"""Contact search on both databases: typos, umlauts, prefixes, email, phone, company, ranking, scope."""

from __future__ import annotations

import json
import re

import phonenumbers
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zweck.accounts.actors import Actor
from zweck.crm import search, search_text, selectors
from zweck.crm.models import Person, SearchPosting
from zweck.crm.services import EmailInput, PhoneInput, person_create, person_update
from zweck.crm.tests.factories import make_organization, make_person

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def names(persons: object) -> list[str]:
    return [person.last_name for person in persons]  # type: ignore[attr-defined]


def found(actor: Actor, query: str) -> list[str]:
    return names(selectors.person_list(actor=actor, query=query))


# --- typos and spellings --------------------------------------------------------------------


@pytest.mark.django_db
def test_misspelled_name_finds_the_person(owner: Actor) -> None:
    # given
    make_person(owner, first_name="Erika", last_name="Mustermann")
    make_person(owner, first_name="Otto", last_name="Normalverbraucher")
    # when / then
    assert found(owner, "Mustremann") == ["Mustermann"]
    assert found(owner, "erika mustremann") == ["Mustermann"]


@pytest.mark.django_db
def test_schmitt_and_schmidt_find_each_other(owner: Actor) -> None:
    make_person(owner, first_name="Hans", last_name="Schmidt")
    make_person(owner, first_name="Ute", last_name="Schmitt")
    make_person(owner, first_name="Lea", last_name="Wagner")
    # the exact spelling first, the other one after it
    assert found(owner, "Schmitt") == ["Schmitt", "Schmidt"]
    assert found(owner, "Schmidt") == ["Schmidt", "Schmitt"]


@pytest.mark.django_db
def test_name_without_umlaut_finds_umlaut_and_transliteration(owner: Actor) -> None:
    make_person(owner, first_name="Jörg", last_name="Müller")
    make_person(owner, first_name="Karl", last_name="Mueller")
    make_person(owner, first_name="Eva", last_name="Meier")
    # when someone types without umlauts, both spellings come back, exact words first
    assert found(owner, "Muller") == ["Müller", "Mueller"]
    # typed with umlaut or transliterated, both are whole-word matches
    assert found(owner, "Müller") == ["Mueller", "Müller"]
    assert found(owner, "mueller") == ["Mueller", "Müller"]
    assert found(owner, "Jorg") == ["Müller"]


@pytest.mark.django_db
def test_umlaut_in_query_finds_name_stored_without_it(owner: Actor) -> None:
    make_person(owner, first_name="Jurgen", last_name="Weiss")
    assert found(owner, "Jürgen Weiß") == ["Weiss"]


@pytest.mark.django_db
def test_prefix_finds_name_and_short_prefix_matches_word_starts_only(owner: Actor) -> None:
    make_person(owner, first_name="Erika", last_name="Mustermann")
    make_person(owner, first_name="Sam", last_name="Hamura")
    assert found(owner, "Muster") == ["Mustermann"]
    assert found(owner, "mu") == ["Mustermann"]
    assert found(owner, "er mu") == ["Mustermann"]


@pytest.mark.django_db
def test_short_terms_are_not_typo_tolerant(owner: Actor) -> None:
    make_person(owner, first_name="Ida", last_name="Popp")
    assert found(owner, "Popa") == []


# --- email, phone, company ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["juergen.weiss@beispiel.example.com", "Juergen.Weiss@Beispiel.Example.COM", "juergen.weiss", "beispiel"],
)
def test_email_by_full_address_and_by_parts(owner: Actor, query: str) -> None:
    make_person(owner, first_name="J.", last_name="Weiß", email="juergen.weiss@beispiel.example.com")
    make_person(owner, first_name="Anna", last_name="Schulz", email="anna@other.example.com")
    assert found(owner, query) == ["Weiß"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "030 1234567",
        "+49 30 1234567",
        "0049301234567",
        "(030) 123-4567",
        "+49 (0)30 1234567",
        "030/123 45 67",
        "1234567",
    ],
)
def test_phone_in_any_format(owner: Actor, query: str) -> None:
    make_person(owner, last_name="Anrufbar", phone="+49 30 1234567")
    make_person(owner, last_name="Andere", phone="+49 40 7654321")
    assert found(owner, query) == ["Anrufbar"]


@pytest.mark.django_db
def test_phone_number_with_one_digit_off_is_not_found(owner: Actor) -> None:
    make_person(owner, last_name="Anrufbar", phone="+49 30 1234567")
    assert found(owner, "030 1234568") == []


@pytest.mark.django_db
def test_company_name_finds_its_people_even_misspelled(owner: Actor) -> None:
    company = make_organization(owner, name="Nordlicht Informatik GmbH")
    make_person(owner, last_name="Angestellt", organization=company)
    make_person(owner, last_name="Woanders", organization=make_organization(owner, name="Südwind AG"))
    assert found(owner, "nordlicht") == ["Angestellt"]
    assert found(owner, "Nordlciht") == ["Angestellt"]
    assert found(owner, "sudwind") == ["Woanders"]


@pytest.mark.django_db
def test_organizations_by_name_typo_and_email(owner: Actor) -> None:
    make_organization(owner, name="Nordlicht Informatik GmbH", email="info@nordlicht.example.com")
    make_organization(owner, name="Südwind AG")
    assert [o.name for o in selectors.organization_list(actor=owner, query="Informatk")] == [
        "Nordlicht Informatik GmbH"
    ]
    assert [o.name for o in selectors.organization_list(actor=owner, query="info@nordlicht.example.com")] == [
        "Nordlicht Informatik GmbH"
    ]
    assert [o.name for o in selectors.organization_list(actor=owner, query="Suedwind")] == ["Südwind AG"]


# --- ranking --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_exact_words_before_prefixes_before_substrings_before_typos(owner: Actor) -> None:
    # given, created in an order unlike the expected one
    make_person(owner, first_name="A", last_name="Schmitt")
    make_person(owner, first_name="B", last_name="Altschmidt")
    make_person(owner, first_name="C", last_name="Schmidtke")
    make_person(owner, first_name="D", last_name="Schmidt")
    # when / then
    assert found(owner, "schmidt") == ["Schmidt", "Schmidtke", "Altschmidt", "Schmitt"]


@pytest.mark.django_db
def test_typo_matches_are_ordered_by_similarity(owner: Actor) -> None:
    # word similarity to "schmitt": Schmitz 0.75, Schmidt 0.625 (alphabetically the other way)
    make_person(owner, first_name="A", last_name="Schmidt")
    make_person(owner, first_name="B", last_name="Schmitz")
    assert found(owner, "Schmitt") == ["Schmitz", "Schmidt"]


@pytest.mark.django_db
def test_typo_matches_are_left_out_when_exact_matches_fill_a_page(
    owner: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a page of two rows, filled by exact matches
    monkeypatch.setattr(search, "TYPO_MATCHES_BELOW", 2)
    make_person(owner, first_name="A", last_name="Schmidt")
    make_person(owner, first_name="B", last_name="Schmidt")
    make_person(owner, first_name="C", last_name="Schmitt")
    # when / then
    assert found(owner, "Schmidt") == ["Schmidt", "Schmidt"]
    assert found(owner, "Schmitt") == ["Schmitt", "Schmidt", "Schmidt"]


@pytest.mark.django_db
def test_pages_read_from_the_postings_equal_the_ranking_in_sql(owner: Actor) -> None:
    # given every rank level, several persons per level, a person holding a level's word in
    # three spellings, same names told apart by id, and archived persons who never show
    for first_name in ("Zoe", "Anna", "Anna"):
        make_person(owner, first_name=first_name, last_name="Schmidt")
    make_person(owner, first_name="Jörg", last_name="Schmidtmüller")
    make_person(owner, first_name="Ute", last_name="Schmidtke")
    make_person(owner, first_name="Max", last_name="Altschmidt")
    make_person(owner, first_name="Ida", last_name="Schmitt")
    make_person(owner, first_name="Eva", last_name="Schmidtmann")
    archived = make_person(owner, first_name="Abe", last_name="Schmidt")
    Person.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    for query in ("schmidt", "schmid", "schmidt anna", "schmdit", "mü"):
        results = selectors.person_list(actor=owner, query=query)
        # when: the whole list and every page of two, from the postings
        whole = [person.pk for person in results]
        pages = [person.pk for offset in range(0, 10, 2) for person in results[offset : offset + 2]]
        # then: the same as SQL's own ranking, which reads every match
        in_sql = [person.pk for person in results.iterator(chunk_size=100)]
        assert whole == in_sql, query
        assert pages == in_sql, query
        assert results.count() == len(in_sql), query
        assert archived.pk not in whole
    assert names(selectors.person_list(actor=owner, query="schmidt")) == [
        "Schmidt",
        "Schmidt",
        "Schmidt",
        "Schmidtke",
        "Schmidtmann",
        "Schmidtmüller",
        "Altschmidt",
        "Schmitt",
    ]


@pytest.mark.django_db
def test_a_renamed_person_moves_to_the_new_name_in_the_results(owner: Actor) -> None:
    # given
    first = make_person(owner, first_name="Berta", last_name="Schmidt")
    make_person(owner, first_name="Carl", last_name="Schmidt")
    # when the first name changes but the surname stays
    person_update(actor=owner, person=first, first_name="Doris")
    # then every posting of the person carries the new order, and the page shows it
    keys = set(SearchPosting.objects.filter(person=first).values_list("sort_key", flat=True))
    assert keys == {search_text.sort_key("Schmidt", "Doris")}
    page = selectors.person_list(actor=owner, query="schmidt")[:2]
    assert [person.first_name for person in page] == ["Carl", "Doris"]


@pytest.mark.django_db
def test_filtering_search_results_further_keeps_their_order(owner: Actor) -> None:
    make_person(owner, first_name="Anna", last_name="Schmidtke")
    wanted = make_person(owner, first_name="Anna", last_name="Schmidt")
    make_person(owner, first_name="Otto", last_name="Schmidt")
    results = selectors.person_list(actor=owner, query="schmidt")
    assert list(results.filter(first_name="Anna")) == [wanted, *results.filter(last_name="Schmidtke")]
    assert results.get(first_name="Otto").last_name == "Schmidt"


# --- scope ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_never_returns_another_workspaces_rows(owner: Actor, stranger: Actor) -> None:
    mine = make_person(owner, first_name="Erika", last_name="Mustermann", phone="+49 30 1234567")
    make_person(stranger, first_name="Erika", last_name="Mustermann", phone="+49 30 1234567")
    make_organization(stranger, name="Mustermann AG")
    for query in ("Mustermann", "Mustremann", "030 1234567", "mu"):
        assert list(selectors.person_list(actor=owner, query=query)) == [mine], query
    assert list(selectors.organization_list(actor=owner, query="Mustremann")) == []


@pytest.mark.django_db
def test_restricted_persons_are_never_returned(owner: Actor) -> None:
    # given
    visible = make_person(owner, first_name="Erika", last_name="Mustermann")
    restricted = make_person(owner, first_name="Max", last_name="Mustermann", phone="+49 30 1234567")
    Person.objects.filter(pk=restricted.pk).update(restricted_at=timezone.now())
    # when / then: exact, prefix, typo and phone searches alike
    for query in ("Mustermann", "Muster", "Mustremann", "030 1234567", "max"):
        expected = [visible] if query not in ("030 1234567", "max") else []
        assert list(selectors.person_list(actor=owner, query=query)) == expected, query
    # the privacy officer's view still finds them
    assert list(selectors.person_list(actor=owner, query="max mustremann", include_restricted=True)) == [
        restricted
    ]


@pytest.mark.django_db
def test_query_without_searchable_words_leaves_the_list_as_it_is(owner: Actor) -> None:
    make_person(owner, last_name="Alpha")
    make_person(owner, last_name="Beta")
    assert found(owner, " ,; ") == ["Alpha", "Beta"]


# --- PostgreSQL: the index is used and the Python similarity agrees with pg_trgm -------------


@on_postgresql
@pytest.mark.django_db
def test_postgresql_plan_reads_postings_by_index_never_the_whole_tables(
    owner: Actor, stranger: Actor
) -> None:
    # given: enough persons that reading a table whole would be the planner's own choice if
    # the postings index did not serve; inserted in SQL because the services' per-row
    # audit trail is beside the point here
    make_person(owner, first_name="Erika", last_name="Mustermann")
    with connection.cursor() as cursor:
        for actor, count in ((owner, 20000), (stranger, 2000)):
            cursor.execute(
                "INSERT INTO crm_person (workspace_id, salutation, title, first_name, last_name, position,"
                " language, subject_category, source, source_note, notes, search_text, created_at, updated_at)"
                " SELECT %s, '', '', 'Kunde', 'Nummer' || n, '', '', 'business_contact', 'other', '', '',"
                " 'kunde nummer' || n, now(), now()"
                " FROM generate_series(1, %s) AS n",
                [actor.workspace_id, count],
            )
            cursor.execute(
                "INSERT INTO crm_searchposting (workspace_id, person_id, word, sort_key)"
                " SELECT workspace_id, id, unnest(string_to_array(search_text, ' ')), search_text"
                " FROM crm_person WHERE workspace_id = %s AND first_name = 'Kunde'",
                [actor.workspace_id],
            )
        cursor.execute("ANALYZE crm_person")
        cursor.execute("ANALYZE crm_searchposting")
    # when
    plans = {
        query: selectors.person_list(actor=owner, query=query).explain()
        for query in ("erika mustermann", "mustremann", "muster", "mu", "nummer12345")
    }
    # then
    for query, plan in plans.items():
        assert "searchposting_word" in plan, (query, plan)
        # (a small table such as the holds the restriction filter consults may be read whole)
        assert not re.search(r"Seq Scan on crm_(person|searchposting|searchword)\b", plan), (query, plan)


@on_postgresql
@pytest.mark.django_db
def test_postgresql_first_page_of_a_common_name_reads_twenty_postings_in_order(owner: Actor) -> None:
    # given 3,000 persons called Nummer, a few of them also Kunde
    make_person(owner, first_name="Erika", last_name="Mustermann")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO crm_person (workspace_id, salutation, title, first_name, last_name, position,"
            " language, subject_category, source, source_note, notes, search_text, created_at, updated_at)"
            " SELECT %s, '', '', 'Kunde', 'Nummer', '', '', 'business_contact', 'other', '', '',"
            " 'kunde nummer', now(), now() FROM generate_series(1, 3000) AS n",
            [owner.workspace_id],
        )
        cursor.execute(
            "INSERT INTO crm_searchposting (workspace_id, person_id, word, sort_key)"
            " SELECT workspace_id, id, unnest(string_to_array(search_text, ' ')), 'nummer' || chr(1) || 'kunde'"
            " FROM crm_person WHERE workspace_id = %s AND first_name = 'Kunde'",
            [owner.workspace_id],
        )
        cursor.execute("ANALYZE crm_person")
        cursor.execute("ANALYZE crm_searchposting")
    # when
    with CaptureQueriesContext(connection) as queries:
        results = selectors.person_list(actor=owner, query="nummer")
        page = list(results[:20])
    # then: the postings of the word, in name order, one read of a few; no sort of all 3,000
    assert [person.pk for person in page] == sorted(person.pk for person in results.iterator(chunk_size=100))[
        :20
    ]
    postings = [query["sql"] for query in queries.captured_queries if "crm_searchposting" in query["sql"]]
    assert len(postings) == 1
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + postings[0])
        plan = json.dumps(cursor.fetchone()[0])
    assert "searchposting_word_sorted" in plan
    assert '"Node Type": "Sort"' not in plan
    assert '"Node Type": "Seq Scan"' not in plan


ascii_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 .-@", max_size=40)


@on_postgresql
@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(needle=ascii_text, haystack=ascii_text)
def test_python_word_similarity_equals_pg_trgm(needle: str, haystack: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word_similarity(%s, %s)", [needle, haystack])
        expected = cursor.fetchone()[0]
    assert search.word_similarity(needle, haystack) == pytest.approx(expected, abs=1e-6)


@on_postgresql
@pytest.mark.django_db
def test_postgresql_sessions_use_the_search_threshold() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pg_trgm.word_similarity_threshold')")
        assert float(cursor.fetchone()[0]) == search.FUZZY_THRESHOLD


# --- the search document and the query terms --------------------------------------------------


def test_word_similarity_of_known_pairs() -> None:
    # values pg_trgm gives for the same pairs
    assert search.word_similarity("schmitt", "hans schmidt") == 0.625
    assert search.word_similarity("mustremann", "erika mustermann") == pytest.approx(7 / 15)
    assert search.word_similarity("", "anything") == 0.0


def test_compose_adds_plain_spellings_after_the_document() -> None:
    document = search_text.compose(
        names=["Dr.", "Jürgen", "Weiß"], emails=["j.weiss@example.com"], phones=["+49301234567"]
    )
    assert document == "dr. jürgen weiß j.weiss@example.com 49301234567 0301234567 juergen jurgen weiss"


def test_query_terms_for_names_phones_and_punctuation() -> None:
    assert search_text.query_terms("Müller, Jo") == [
        search_text.SearchTerm(spellings=("mueller", "muller"), fuzzy=True),
        search_text.SearchTerm(spellings=("jo",), fuzzy=False),
    ]
    assert search_text.query_terms("+49 (0)30 123-4567") == [
        search_text.SearchTerm(spellings=("49301234567",), fuzzy=False)
    ]
    assert search_text.query_terms("12345678 Weg") == [
        search_text.SearchTerm(spellings=("12345678",), fuzzy=False),
        search_text.SearchTerm(spellings=("weg",), fuzzy=False),
    ]


latin_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßéèàçñøåÄÖÜÉ", min_size=1, max_size=15)


@given(words=st.lists(latin_word, min_size=1, max_size=4), typed=st.integers(min_value=0, max_value=2))
def test_every_stored_word_is_found_by_each_of_its_spellings(words: list[str], typed: int) -> None:
    # given a stored name, and one of its words typed as written, transliterated or plain
    document = search_text.compose(names=words)
    forms = search_text.spellings(words[0])
    query = forms[min(typed, len(forms) - 1)]
    # then every spelling of every query term occurs in the document
    for term in search_text.query_terms(query):
        assert any(spelling in document for spelling in term.spellings), (query, document)


@given(national=st.from_regex(r"\A(30|40|89|221)[1-9][0-9]{5,7}\Z"), style=st.sampled_from(list(range(5))))
def test_a_number_typed_in_any_format_is_found_by_its_digits(national: str, style: int) -> None:
    parsed = phonenumbers.parse("0" + national, "DE")
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    typed = [
        "0" + national,
        e164,
        "00" + e164[1:],
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
    ][style]
    document = search_text.compose(names=["Anrufbar"], phones=[e164])
    assert search_text.looks_like_phone(typed)
    assert search_text.phone_query_digits(typed) in document.split()


@pytest.mark.django_db
def test_person_created_through_the_service_is_found_by_transliteration(owner: Actor) -> None:
    person_create(
        actor=owner,
        first_name="Zoë",
        last_name="Ærøskøbing",
        emails=[EmailInput("zoe@example.com")],
        phones=[PhoneInput("+43 1 5879876")],
    )
    assert found(owner, "Aeroeskoebing") == ["Ærøskøbing"]
    assert found(owner, "zoe aroskobing") == ["Ærøskøbing"]
    assert found(owner, "0043 1 5879876") == ["Ærøskøbing"]
