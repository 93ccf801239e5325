"""Other requests during a login flood: does password hashing starve the server?

Twenty clients post wrong passwords to the staff login page as fast as the server answers,
each with its own session and CSRF token, on names that change with every attempt. Meanwhile
the benchmark times the API's person detail, the request every other user keeps making. The
sign-in throttle (``zweck.accounts.throttle``) counts failures per client address in the
database and refuses a locked client before hashing, so after the first few dozen attempts the
flood costs one indexed SELECT each. The floor is the same person detail's raw SQL.

The flood needs a server of its own: the smoke run calls the API in-process inside the test's
transaction, where other threads cannot see the data, so it reports this operation as not built
there.
"""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Callable
from contextlib import ExitStack
from http.cookies import SimpleCookie

from bench import floors
from bench.context import Context
from bench.http import ServerClient
from bench.measure import Stats, alternate, peak_rss
from bench.operations import NotBuilt, Outcome, Target, operation, product
from bench.operations.api import expect, zweck_api

FLOOD_CLIENTS = 20
LOGIN = "/app/login/"
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Flooder(threading.Thread):
    """One client posting wrong passwords until told to stop; counts answers by status."""

    def __init__(self, host: str, port: int, number: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.host, self.port, self.number, self.stop = host, port, number, stop
        self.answers: dict[int, int] = {}
        self.error: str = ""

    def _request(self, method: str, body: str | None, headers: dict[str, str]) -> tuple[int, str, list[str]]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, LOGIN, body=body, headers=headers)
            answer = connection.getresponse()
            return (
                answer.status,
                answer.read().decode(errors="replace"),
                answer.headers.get_all("Set-Cookie") or [],
            )
        finally:
            connection.close()

    def run(self) -> None:
        try:
            status, page, cookies = self._request("GET", None, {})
            jar = SimpleCookie()
            for cookie in cookies:
                jar.load(cookie)
            found = _CSRF_FIELD.search(page)
            if status != 200 or found is None or "csrftoken" not in jar:
                self.error = f"login page answered HTTP {status} without a CSRF token"
                return
            cookie_header = "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())
            attempt = 0
            while not self.stop.is_set():
                attempt += 1
                body = (
                    f"csrfmiddlewaretoken={found.group(1)}&username=flood{self.number}.{attempt}%40example.com"
                    f"&password=wrong-password-{attempt}"
                )
                status, _page, _cookies = self._request(
                    "POST",
                    body,
                    {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": cookie_header,
                        "Referer": f"http://{self.host}:{self.port}{LOGIN}",
                    },
                )
                self.answers[status] = self.answers.get(status, 0) + 1
        except Exception as error:  # reported in the notes, not raised from a thread
            self.error = f"{type(error).__name__}: {error}"


@operation(
    "security.login_flood",
    "API person detail during a login flood (20 clients)",
    targets=(Target("p95_ms", 200, "other requests' p95 ≤ 200 ms during a flood of 20 login clients"),),
    uses_http=True,
)
def login_flood(context: Context) -> Outcome:
    unlock = product("zweck.accounts.services", "sign_in_unlock_operator")
    if not isinstance(context.http, ServerClient):
        raise NotBuilt("the flood needs a server of its own; this run calls the API in-process")
    client = context.http
    api = zweck_api(context)
    stop = threading.Event()
    flooders = [_Flooder(client.host, client.port, number, stop) for number in range(FLOOD_CLIENTS)]
    sql = floors.person_rows_sql(
        f"SELECT id, first_name, last_name, position FROM {floors.PERSON} WHERE id = %s AND {floors.VISIBLE}"
    )
    calls: dict[str, Callable[[int], object]] = {
        "ours": lambda i: expect(client.request("GET", api.detail(context.subject("read", i).id)), 200),
        "floor": lambda i: context.fetch(sql, [context.subject("read", i).id, context.workspace_id]),
    }
    try:
        for flooder in flooders:
            flooder.start()
        with ExitStack() as stack:
            memory = stack.enter_context(peak_rss(client.pids))
            samples = alternate(calls, repetitions=context.repetitions, warmup=context.warmup)
    finally:
        stop.set()
        for flooder in flooders:
            flooder.join(timeout=120)
        # The flood locked 127.0.0.1 for sign-in; later operations and runs start unlocked.
        unlock(ip_address="127.0.0.1")
    answers: dict[int, int] = {}
    for flooder in flooders:
        for status, count in flooder.answers.items():
            answers[status] = answers.get(status, 0) + count
    errors = sorted({flooder.error for flooder in flooders if flooder.error})
    if not answers:
        raise RuntimeError("the flood sent no login: " + "; ".join(errors))
    total = sum(answers.values())
    notes = [
        f"{FLOOD_CLIENTS} clients posted {total} wrong logins meanwhile; answers: "
        + ", ".join(f"HTTP {status} × {count}" for status, count in sorted(answers.items())),
        "429 is the throttle refusing a locked client before hashing",
    ]
    if errors:
        notes.append("flood errors: " + "; ".join(errors))
    return Outcome(
        ours=Stats(
            samples["ours"],
            peak_rss_bytes=memory.peak_bytes,
            memory_method=memory.method + " of the server workers",
        ),
        floor=Stats(samples["floor"]),
        peer_reason="not compared: the peer has no password login",
        floor_sql="one person by id with emails, phones, organizations (as api.person_detail)",
        notes=notes,
    )
