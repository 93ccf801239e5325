"""Person search as a salesperson types it: an exact name, the start of a name, a typo.

Zweck's side is the selector the API and the staff UI call (``person_list`` with a
query), evaluated for the first page of 20 with its prefetched emails, phones and
organizations. Search has rules of its own (word starts, trigram typo matches, a rank),
so the floor takes the matching and ordering from the product's own compiled page query
and runs it raw, joined to the same children in one statement: what is left between the
two is the cost of getting there, not of a different answer. Each row also says how often the person we were looking for was on
that first page, since a fast search that misses the person is no search.
"""

from __future__ import annotations

from collections.abc import Callable

from bench import floors
from bench.context import Context, Subject
from bench.measure import Stats, alternate
from bench.operations import Outcome, Target, operation
from zweck.crm.selectors import person_list

PAGE = 20
SEARCH_TARGET = Target("p95_ms", 30, "search p95 ≤ 30 ms")


def exact_query(subject: Subject) -> str:
    return f"{subject.first_name} {subject.last_name}".strip()


def prefix_query(subject: Subject) -> str:
    return subject.last_name[:4]


def misspelled_query(subject: Subject) -> str:
    """The last name with two letters in its middle swapped (Schmidt → Schmdit), and the first name."""
    name = subject.last_name
    if len(name) >= 4:
        middle = len(name) // 2
        name = name[: middle - 1] + name[middle] + name[middle - 1] + name[middle + 1 :]
    else:
        name = name + name[-1:]
    return f"{subject.first_name} {name}".strip()


def floor_statement(context: Context, query: str) -> tuple[str, list[object]]:
    """The product's page query compiled to SQL once, wrapped to fetch the children in the same statement."""
    page = person_list(actor=context.actor, query=query).values_list(
        "id", "first_name", "last_name", "position"
    )
    sql, params = page[:PAGE].query.sql_with_params()
    return floors.person_rows_sql(sql), list(params)


def _measure(context: Context, make_query: Callable[[Subject], str]) -> Outcome:
    subjects = context.subjects("read")
    queries = [make_query(subject) for subject in subjects]
    found = {"ours": 0}
    answers: dict[str, list[int]] = {}

    def ours(index: int) -> None:
        query = queries[index % len(queries)]
        page = list(person_list(actor=context.actor, query=query)[:PAGE])
        ids = [person.pk for person in page]
        if index >= 0:
            found["ours"] += subjects[index % len(subjects)].id in ids
            answers.setdefault(query, ids)

    statements = {query: floor_statement(context, query) for query in set(queries)}

    def floor(index: int) -> None:
        query = queries[index % len(queries)]
        rows = context.fetch(*statements[query])
        if index >= 0:
            answers.setdefault("floor:" + query, sorted({row[0] for row in rows}))

    samples = alternate(
        {"ours": ours, "floor": floor}, repetitions=context.repetitions, warmup=context.warmup
    )
    mismatched = sum(
        1
        for query in set(queries)
        if query in answers and sorted(answers[query]) != answers.get("floor:" + query)
    )
    notes = [
        f"the person searched for was on the first page in {found['ours']} of {context.repetitions} searches"
    ]
    if mismatched:
        notes.append(f"floor and Zweck returned different persons for {mismatched} queries")
    return Outcome(
        ours=Stats(samples["ours"], note=f"first {PAGE} results"),
        floor=Stats(samples["floor"]),
        floor_sql="the product's compiled page query (same matching and rank), run raw, joined to emails, phones, organizations",
        peer_reason="compared through the API (api.person_search)",
        notes=notes,
    )


@operation("search.exact", "Person search, exact name", targets=(SEARCH_TARGET,))
def search_exact(context: Context) -> Outcome:
    return _measure(context, exact_query)


@operation("search.prefix", "Person search, name prefix", targets=(SEARCH_TARGET,))
def search_prefix(context: Context) -> Outcome:
    return _measure(context, prefix_query)


@operation("search.misspelled", "Person search, misspelled name", targets=(SEARCH_TARGET,))
def search_misspelled(context: Context) -> Outcome:
    return _measure(context, misspelled_query)
