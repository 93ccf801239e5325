"""Response headers Django does not set by itself: Permissions-Policy and
Cross-Origin-Resource-Policy (Content-Security-Policy is Django's own middleware)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Adds the two headers to every response (pages, API, static files) that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = {
            "Permissions-Policy": getattr(settings, "PERMISSIONS_POLICY", ""),
            "Cross-Origin-Resource-Policy": getattr(settings, "CROSS_ORIGIN_RESOURCE_POLICY", ""),
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value and name not in response:
                response[name] = value
        return response
