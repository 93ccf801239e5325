"""Request facts the audit trail records, carried from the middleware to the services.

A context variable instead of a ``request`` parameter: services stay callable from the
CLI and from tasks, where there is no request and the client address is simply absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    client_ip: str | None = None
    channel: str = "system"


_NO_REQUEST = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("zweck_request_context", default=None)


def current() -> RequestContext:
    return _current.get() or _NO_REQUEST


@contextmanager
def bound(context: RequestContext) -> Iterator[None]:
    token = _current.set(context)
    try:
        yield
    finally:
        _current.reset(token)
