"""``/healthz``, ``/readyz`` and ``/metrics``: for load balancers, orchestrators and monitoring.

``/healthz`` answers 200 while the process serves requests, without asking anything else.
``/readyz`` answers 200 when every readiness check passes and 503 otherwise, with each check's
finding as JSON. ``/metrics`` is Prometheus' text format, for the networks in
``ZWECK_METRICS_NETWORKS`` (loopback by default) or a scraper that sends the bearer token of
``ZWECK_METRICS_TOKEN``; anyone else gets 403. None of them needs a session or names a person.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from zweck.operations.health import readiness
from zweck.operations.metrics import exposition

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    ready = all(check.ok for check in checks)
    body = {
        "ready": ready,
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return JsonResponse(body, status=200 if ready else 503)


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.ZWECK_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if (
        token
        and header.startswith("Bearer ")
        and constant_time_compare(header.removeprefix("Bearer "), token)
    ):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR") or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.ZWECK_METRICS_NETWORKS)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse(
            "Metrics are served to the monitoring network or with its token only.\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(exposition(), content_type=PROMETHEUS_TEXT)
