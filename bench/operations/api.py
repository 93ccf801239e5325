"""The HTTP API a salesperson's client calls: list, detail, create and search persons.

Zweck runs under gunicorn on 127.0.0.1 (or, in the smoke test, in-process), the peer
under gunicorn with the same worker count; requests alternate between the two. Zweck's
paths are read from its OpenAPI document, so the operations follow the API as it grows
and say "not yet built" while an endpoint is missing. Peak memory is the peak RSS of the
server's worker processes over all requests of the operation.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from bench import floors
from bench.context import Context, PeerSystem
from bench.http import HttpClient, Response
from bench.measure import Stats, alternate, peak_rss
from bench.operations import NotBuilt, Outcome, operation

LIST_PAGE = 50
SEARCH_PAGE = 20
PAGES_VISITED = 10  # list requests walk pages 1..10 in turn
OPENAPI = "/api/v1/openapi.json"


class ApiError(RuntimeError):
    pass


@dataclass
class ZweckApi:
    collection: str  # e.g. /api/v1/persons/
    item: str | None  # e.g. /api/v1/persons/{person_id}
    parameters: set[str]
    create_fields: set[str]
    can_create: bool

    def page(self, *, limit: int, offset: int) -> str:
        if "limit" in self.parameters:
            return f"{self.collection}?limit={limit}&offset={offset}"
        if "page" in self.parameters:
            size = "page_size" if "page_size" in self.parameters else "size"
            return f"{self.collection}?page={offset // limit + 1}&{size}={limit}"
        return self.collection

    def search(self, query: str, *, limit: int) -> str:
        name = next((n for n in ("search", "q", "query") if n in self.parameters), None)
        if name is None:
            raise NotBuilt(f"`{self.collection}` takes no search parameter yet")
        from urllib.parse import quote

        return f"{self.page(limit=limit, offset=0)}&{name}={quote(query)}"

    def detail(self, person_id: int) -> str:
        if self.item is None:
            raise NotBuilt("the API has no person detail endpoint yet")
        start = self.item.index("{")
        return self.item[:start] + str(person_id) + self.item[self.item.index("}") + 1 :]


def expect(response: Response, *statuses: int) -> Response:
    if response.status not in statuses:
        raise ApiError(f"HTTP {response.status}: {response.body[:300]!r}")
    return response


def zweck_api(context: Context) -> ZweckApi:
    if context.http is None:
        raise NotBuilt("no HTTP server in this run")
    cached = getattr(context, "_zweck_api", None)
    if cached is not None:
        return cached
    response = context.http.request("GET", OPENAPI)
    if response.status != 200:
        raise NotBuilt(f"the API serves no OpenAPI document at {OPENAPI} yet (HTTP {response.status})")
    schema = response.json()
    paths: dict[str, dict[str, Any]] = schema.get("paths", {})
    collection = next(
        (p for p in sorted(paths) if p.rstrip("/").endswith("/persons") and "get" in paths[p]), None
    )
    if collection is None:
        raise NotBuilt("the API has no persons endpoint yet")
    item = next(
        (p for p in sorted(paths) if p.startswith(collection.rstrip("/") + "/{") and p.count("{") == 1), None
    )
    parameters = {parameter["name"] for parameter in paths[collection]["get"].get("parameters", [])}
    create_fields: set[str] = set()
    post = paths[collection].get("post")
    if post:
        body = post.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" in body:
            body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
        create_fields = set(body.get("properties", {}))
    api = ZweckApi(collection, item, parameters, create_fields, post is not None)
    context._zweck_api = api  # type: ignore[attr-defined]
    return api


def _http_outcome(
    context: Context,
    calls: dict[str, Callable[[int], object]],
    *,
    floor: Callable[[int], object] | None,
    floor_sql: str,
    peer_reason: str = "",
    notes: list[str] | None = None,
) -> Outcome:
    """Time Zweck, the peer and the floor in turns, with the servers' peak memory."""
    runners = dict(calls)
    if floor is not None:
        runners["floor"] = floor
    clients: dict[str, HttpClient] = {"ours": context.http}  # type: ignore[dict-item]
    if "peer" in calls and context.peer is not None:
        clients["peer"] = context.peer.client
    with ExitStack() as stack:
        memory = {name: stack.enter_context(peak_rss(client.pids)) for name, client in clients.items()}
        samples = alternate(runners, repetitions=context.repetitions, warmup=context.warmup)
    stats = {
        name: Stats(
            samples[name],
            peak_rss_bytes=memory[name].peak_bytes if name in memory else None,
            memory_method=(memory[name].method + " of the server workers") if name in memory else "",
        )
        for name in runners
    }
    return Outcome(
        ours=stats["ours"],
        floor=stats.get("floor"),
        peer=stats.get("peer"),
        peer_reason=peer_reason,
        floor_sql=floor_sql,
        notes=notes or [],
    )


def _peer(context: Context) -> PeerSystem | None:
    return context.peer


def _peer_reason(context: Context) -> str:
    return "" if context.peer is not None else "no peer in this run"


@operation("api.person_list", "API: person list page (50)", uses_http=True, api=True)
def person_list_page(context: Context) -> Outcome:
    api = zweck_api(context)
    assert context.http is not None
    http = context.http
    with_count = "count" in expect(http.request("GET", api.page(limit=LIST_PAGE, offset=0)), 200).json()

    def offset(index: int) -> int:
        return (index % PAGES_VISITED) * LIST_PAGE

    calls: dict[str, Callable[[int], object]] = {
        "ours": lambda i: expect(http.request("GET", api.page(limit=LIST_PAGE, offset=offset(i))), 200)
    }
    peer = _peer(context)
    if peer is not None:
        calls["peer"] = lambda i: expect(
            peer.client.request("GET", f"/api/contacts/?limit={LIST_PAGE}&offset={offset(i)}"), 200
        )
    count_sql = f"SELECT count(*) FROM {floors.PERSON} WHERE {floors.VISIBLE}"

    def floor(index: int) -> None:
        where = floors.VISIBLE
        context.fetch(
            floors.person_rows_sql(floors.person_page_sql(where, limit=LIST_PAGE, offset=offset(index))),
            [context.workspace_id],
        )
        if with_count:
            context.fetch(count_sql, [context.workspace_id])

    return _http_outcome(
        context,
        calls,
        floor=floor,
        floor_sql="one page of 50 persons by name with emails, phones, organizations"
        + (", plus the total count the API returns" if with_count else ""),
        peer_reason=_peer_reason(context),
        notes=[f"pages 1–{PAGES_VISITED} in turn, {LIST_PAGE} a page"],
    )


@operation("api.person_detail", "API: person detail", uses_http=True, api=True)
def person_detail(context: Context) -> Outcome:
    api = zweck_api(context)
    assert context.http is not None
    http = context.http
    subjects = context.subjects("read")
    calls: dict[str, Callable[[int], object]] = {
        "ours": lambda i: expect(http.request("GET", api.detail(context.subject("read", i).id)), 200)
    }
    peer = _peer(context)
    reason = _peer_reason(context)
    if peer is not None:
        missing = [s for s in subjects if s.email not in peer.ids_by_email]
        if missing:
            reason = f"{len(missing)} sample persons are not loaded in the peer"
        else:
            calls["peer"] = lambda i: expect(
                peer.client.request(
                    "GET", f"/api/contacts/{peer.ids_by_email[context.subject('read', i).email]}/"
                ),
                200,
            )
    sql = floors.person_rows_sql(
        f"SELECT id, first_name, last_name, position FROM {floors.PERSON} WHERE id = %s AND {floors.VISIBLE}"
    )
    return _http_outcome(
        context,
        calls,
        floor=lambda i: context.fetch(sql, [context.subject("read", i).id, context.workspace_id]),
        floor_sql="one person by id with emails, phones, organizations",
        peer_reason=reason,
    )


@operation("api.person_search", "API: person search (last name)", uses_http=True, api=True)
def person_search(context: Context) -> Outcome:
    api = zweck_api(context)
    assert context.http is not None
    http = context.http
    query = lambda i: context.subject("read", i).last_name  # noqa: E731
    calls: dict[str, Callable[[int], object]] = {
        "ours": lambda i: expect(http.request("GET", api.search(query(i), limit=SEARCH_PAGE)), 200)
    }
    api.search("x", limit=1)  # NotBuilt when there is no search parameter
    peer = _peer(context)
    if peer is not None:
        from urllib.parse import quote

        calls["peer"] = lambda i: expect(
            peer.client.request("GET", f"/api/contacts/?limit={SEARCH_PAGE}&search={quote(query(i))}"), 200
        )
    from bench.operations.search import floor_statement

    statements = {
        query(i): floor_statement(context, query(i)) for i in range(-context.warmup, context.repetitions)
    }
    return _http_outcome(
        context,
        calls,
        floor=lambda i: context.fetch(*statements[query(i)]),
        floor_sql="the product's compiled search page query, run raw, joined to emails, phones, organizations",
        peer_reason=_peer_reason(context),
        notes=["query: a sample person's last name, first 20 results"],
    )


@operation("api.person_create", "API: create person", uses_http=True, api=True)
def person_create(context: Context) -> Outcome:
    api = zweck_api(context)
    if not api.can_create:
        raise NotBuilt(f"`POST {api.collection}` does not exist yet")
    assert context.http is not None
    http = context.http
    run = f"{context.run_id}"
    created: dict[str, list[Any]] = {"ours": [], "peer": [], "floor": []}

    def names(system: str, index: int) -> tuple[str, str, str]:
        tag = f"{system}{index + context.warmup}".replace("-", "w")
        return "Bench", f"Anlage{tag}x{run}", f"bench.{system}.{index + context.warmup}.{run}@example.com"

    def ours_body(index: int) -> dict[str, Any]:
        first, last, email = names("z", index)
        body: dict[str, Any] = {"first_name": first, "last_name": last}
        if "emails" in api.create_fields:
            body["emails"] = [{"email": email}]
        elif "email" in api.create_fields:
            body["email"] = email
        return body

    def ours(index: int) -> None:
        response = expect(http.request("POST", api.collection, json_body=ours_body(index)), 200, 201)
        created["ours"].append(response.json().get("id"))

    calls: dict[str, Callable[[int], object]] = {"ours": ours}
    peer = _peer(context)
    if peer is not None:

        def peer_create(index: int) -> None:
            first, last, email = names("p", index)
            response = expect(
                peer.client.request(
                    "POST",
                    "/api/contacts/",
                    json_body={"first_name": first, "last_name": last, "email": email},
                ),
                200,
                201,
            )
            created["peer"].append(response.json())

        calls["peer"] = peer_create

    from django.utils import timezone

    from zweck.audit.models import AuditEvent
    from zweck.crm.models import Person, PersonEmail

    def floor(index: int) -> None:
        first, last, email = names("f", index)
        now = timezone.now()
        stamps = {
            "workspace_id": context.workspace_id,
            "created_by_id": context.actor.user_id,
            "updated_by_id": context.actor.user_id,
            "created_at": now,
            "updated_at": now,
        }
        person_sql, person_params = floors.insert_sql(
            Person,
            {
                **stamps,
                "first_name": first,
                "last_name": last,
                "search_text": f"{first} {last} {email}".lower(),
            },
        )
        with context.raw_transaction() as cursor:
            cursor.execute(context.sql(person_sql), person_params)
            person_id = cursor.fetchone()[0]
            email_sql, email_params = floors.insert_sql(
                PersonEmail, {**stamps, "person_id": person_id, "email": email, "is_primary": True}
            )
            cursor.execute(context.sql(email_sql), email_params)
            audit_sql, audit_params = floors.insert_sql(
                AuditEvent,
                {
                    "workspace_id": context.workspace_id,
                    "actor_id": context.actor.user_id,
                    "action": "person.create",
                    "object_type": "crm.person",
                    "object_id": str(person_id),
                    "changed_fields": [],
                    "occurred_at": now,
                },
            )
            cursor.execute(context.sql(audit_sql), audit_params)
        created["floor"].append(person_id)

    try:
        return _http_outcome(
            context,
            calls,
            floor=floor,
            floor_sql="INSERT person, email and audit event in one transaction",
            peer_reason=_peer_reason(context),
        )
    finally:
        context.cleanup_persons([pk for pk in created["ours"] + created["floor"] if pk])
        if peer is not None:
            context.peer_cleanup_emails(
                [f"bench.p.{i}.{run}@example.com" for i in range(context.samples_needed)]
            )
