"""Prometheus metrics of an installation: numbers only, never a personal value.

Two kinds:
- per request, counted by the middleware as requests are served: how many, how long, how many
  database queries, labelled by the view's route name (never the path, which can hold ids or
  addresses) and the answer's status class;
- the installation's state, read from the database when ``/metrics`` is scraped: the task
  queue's depth and age, outgoing mail by state, open and overdue data-subject requests, the
  last retention sweeps and the task workers last seen.

With several server processes (gunicorn workers), set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty directory the processes share: each process writes its request metrics there and a
scrape sums them (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import time
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "zweck_http_requests",
    "Requests answered, by route, method and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "zweck_http_request_duration_seconds",
    "Time from the request reaching Django to its answer, by route.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
QUERIES = Histogram(
    "zweck_db_queries_per_request",
    "Database queries one request made, by route.",
    ["view"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500),
)


def view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match._func_path or "unnamed"


class RequestMetricsMiddleware:
    """Counts every answered request, its duration and its database queries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = 0

        def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        view = view_label(request)
        LATENCY.labels(view).observe(time.perf_counter() - started)
        QUERIES.labels(view).observe(queries)
        REQUESTS.labels(view, request.method or "", f"{response.status_code // 100}xx").inc()
        return response


class StateCollector(Collector):
    """The installation's state, read when scraped (a handful of aggregate queries)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from zweck.operations.models import WorkerHeartbeat
        from zweck.outbox.models import OutgoingMail
        from zweck.privacy.models import DataSubjectRequest, RetentionSweep
        from zweck.privacy.request_models import RequestStatus
        from zweck.privacy.retention_models import SweepState

        now = timezone.now()
        today = timezone.localdate()

        tasks = GaugeMetricFamily("zweck_tasks", "Background tasks by state.", labels=["state"])
        for state, number in DBTaskResult.objects.values_list("status").annotate(n=Count("id")):
            tasks.add_metric([str(state).lower()], number)
        yield tasks
        oldest = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
            first=Min("enqueued_at")
        )
        age = GaugeMetricFamily(
            "zweck_tasks_oldest_queued_age_seconds", "How long the oldest queued task has waited (0: none)."
        )
        age.add_metric([], (now - oldest["first"]).total_seconds() if oldest["first"] else 0.0)
        yield age

        mail = GaugeMetricFamily("zweck_outgoing_mail", "Outgoing email by state.", labels=["state"])
        for state, number in OutgoingMail.objects.values_list("status").annotate(n=Count("id")):
            mail.add_metric([state], number)
        yield mail

        open_requests = DataSubjectRequest.objects.exclude(status=RequestStatus.COMPLETED)
        requests = GaugeMetricFamily(
            "zweck_privacy_requests_open",
            "Data-subject requests not yet completed, by right.",
            labels=["right"],
        )
        for kind, number in open_requests.values_list("kind").annotate(n=Count("id")):
            requests.add_metric([kind], number)
        yield requests
        overdue = GaugeMetricFamily(
            "zweck_privacy_requests_overdue", "Open data-subject requests past their (extended) due date."
        )
        overdue.add_metric(
            [],
            open_requests.filter(extended_due_on__lt=today).count()
            + open_requests.filter(extended_due_on__isnull=True, due_on__lt=today).count(),
        )
        yield overdue

        sweeps = GaugeMetricFamily("zweck_retention_sweeps", "Retention sweeps by state.", labels=["state"])
        for state, number in RetentionSweep.objects.values_list("state").annotate(n=Count("id")):
            sweeps.add_metric([state], number)
        yield sweeps
        last = RetentionSweep.objects.filter(state=SweepState.DONE).aggregate(last=Max("finished_at"))["last"]
        finished = GaugeMetricFamily(
            "zweck_retention_sweep_last_success_timestamp_seconds",
            "When a retention sweep last finished (0: never).",
        )
        finished.add_metric([], last.timestamp() if last else 0.0)
        yield finished
        rows = GaugeMetricFamily(
            "zweck_retention_sweep_rows",
            "Rows the latest finished sweep of each workspace handled, by action.",
            labels=["action"],
        )
        handled: Tally[str] = Tally()
        latest = RetentionSweep.objects.filter(state=SweepState.DONE).order_by("workspace_id", "-finished_at")
        seen: set[int] = set()
        for workspace_id, results in latest.values_list("workspace_id", "results").iterator():
            if workspace_id in seen:
                continue
            seen.add(workspace_id)
            for line in results or []:
                handled[str(line.get("action", ""))] += int(line.get("count", 0))
        for action, number in sorted(handled.items()):
            rows.add_metric([action], number)
        yield rows

        worker = GaugeMetricFamily(
            "zweck_worker_last_seen_timestamp_seconds", "When a task worker was last seen alive (0: never)."
        )
        seen_at = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
        worker.add_metric([], seen_at.timestamp() if seen_at else 0.0)
        yield worker


STATE = StateCollector()


def exposition() -> bytes:
    """The metrics in Prometheus' text format."""
    if settings.ZWECK_METRICS_MULTIPROCESS:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    state = CollectorRegistry()
    state.register(STATE)
    return generate_latest(registry) + generate_latest(state)
