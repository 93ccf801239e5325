"""Where a request came from: the one place that decides which address is the client's.

Invariants:
- a forwarding header (``X-Forwarded-For``, ``X-Forwarded-Proto``, ``X-Forwarded-Host``) is
  believed only when the connection comes from a proxy named in ``ZWECK_TRUSTED_PROXIES``;
  from anyone else the headers are removed before any other code sees them, so Django's
  ``SECURE_PROXY_SSL_HEADER`` (HTTPS detection) cannot be fooled either;
- behind trusted proxies the client is the right-most address of ``X-Forwarded-For`` that is
  not itself a trusted proxy (the left part of the header is whatever the client wrote);
- ``ClientAddressMiddleware`` runs first and writes the result to ``REMOTE_ADDR``; every reader
  (the security log, the audit trail, the throttles, the privacy portal) calls
  ``client_address`` or reads ``REMOTE_ADDR`` after it, and gets the same answer.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, MutableMapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")
# The connection's own address, kept beside the resolved client's.
PEER_KEY = "zweck.peer_address"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    """The networks of ``ZWECK_TRUSTED_PROXIES`` (validated when the settings load)."""
    return _networks(tuple(getattr(settings, "ZWECK_TRUSTED_PROXIES", ())))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    return address is not None and any(address in network for network in trusted_networks())


def resolve(meta: MutableMapping[str, Any]) -> str | None:
    """Rewrite ``meta`` (a WSGI environ) so that ``REMOTE_ADDR`` is the client's address and
    forwarding headers are present only when a trusted proxy sent them; returns the address.
    Idempotent: a second call returns the first call's answer."""
    if PEER_KEY in meta:
        return meta.get("REMOTE_ADDR") or None
    peer = _address(str(meta.get("REMOTE_ADDR") or ""))
    meta[PEER_KEY] = str(peer) if peer is not None else ""
    if not _trusted(peer):
        for header in FORWARDING_HEADERS:
            meta.pop(header, None)
        meta["REMOTE_ADDR"] = str(peer) if peer is not None else ""
        return str(peer) if peer is not None else None
    client = peer
    hops = [hop for hop in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A malformed entry ends the chain we can believe; the last good hop stands.
            break
        client = address
        if not _trusted(address):
            break
    meta["REMOTE_ADDR"] = str(client) if client is not None else ""
    return str(client) if client is not None else None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address (see the module's invariants), or None when there is none."""
    return resolve(request.META)


class ClientAddressMiddleware:
    """First in the chain: settles the client's address before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        resolve(request.META)
        return self.get_response(request)
