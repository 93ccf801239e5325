from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from zweck.audit.context import RequestContext, bound


def client_ip(request: HttpRequest) -> str | None:
    """The peer address; proxies are trusted only through the deployment's own server."""
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        with bound(RequestContext(client_ip=client_ip(request), channel=channel)):
            return self.get_response(request)
