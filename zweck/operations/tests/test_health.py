"""Liveness, readiness and metrics: what a load balancer and a monitoring system read, with
real checks behind each answer (the database, the migration records, a real SMTP server, the
worker's heartbeat) and no personal value in any of them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.core.tests.smtp import Inbox, free_port
from zweck.crm.tests.factories import make_person
from zweck.operations import health
from zweck.operations.models import WorkerHeartbeat
from zweck.privacy.dsr import dsr_open

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _own_data_directory(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def ready(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/readyz")
    return response.status_code, response.json()


def test_liveness_answers_without_asking_anything() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_ready_when_database_migrations_and_mail_server_answer(smtp_inbox: Inbox) -> None:
    status, body = ready(Client())
    assert status == 200, body
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "migrations", "restore", "worker", "smtp"}
    assert body["checks"]["worker"]["detail"].startswith("tasks run inside the request")


def test_not_ready_when_the_mail_server_is_down(settings: Any) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port()},
        }
    }
    status, body = ready(Client())
    assert status == 503
    assert body["checks"]["smtp"]["ok"] is False
    assert "not reachable" in body["checks"]["smtp"]["detail"]
    assert body["checks"]["database"]["ok"] is True


def test_the_worker_must_have_been_seen_recently(settings: Any, smtp_inbox: Inbox) -> None:
    settings.TASKS = DATABASE_TASKS
    status, body = ready(Client())
    assert status == 503
    assert "no task worker has ever run" in body["checks"]["worker"]["detail"]

    health.worker_heartbeat("host-a:1")
    status, body = ready(Client())
    assert status == 200, body

    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=25))
    status, body = ready(Client())
    assert status == 503
    assert "last seen 25 minutes ago" in body["checks"]["worker"]["detail"]


def test_a_heartbeat_updates_its_own_row_and_forgets_workers_gone_for_a_week() -> None:
    health.worker_heartbeat("host-a:1")
    health.worker_heartbeat("host-a:1")
    WorkerHeartbeat.objects.create(worker="old:9", seen_at=timezone.now() - timedelta(days=8))
    health.worker_heartbeat("host-b:2")
    assert sorted(WorkerHeartbeat.objects.values_list("worker", flat=True)) == ["host-a:1", "host-b:2"]


def test_not_ready_while_a_restore_is_unfinished(smtp_inbox: Inbox) -> None:
    health.restore_marker().write_text("started\n")
    status, body = ready(Client())
    assert status == 503
    assert body["checks"]["restore"]["ok"] is False
    health.restore_marker().unlink()
    assert ready(Client())[0] == 200


def test_not_ready_while_a_migration_is_missing(smtp_inbox: Inbox) -> None:
    recorder = MigrationRecorder.Migration.objects
    row = recorder.get(app="operations", name="0001_worker_heartbeat")
    row.delete()
    health._migrations_applied.clear()
    try:
        status, body = ready(Client())
        assert status == 503
        assert body["checks"]["migrations"]["detail"].startswith("1 not applied")
    finally:
        recorder.create(app="operations", name="0001_worker_heartbeat")
        health._migrations_applied.clear()
    assert ready(Client())[0] == 200


def test_metrics_count_requests_by_route_and_the_installation_state(owner: Actor) -> None:
    person = make_person(owner, first_name="Magda", last_name="Messwert", email="magda@example.com")
    dsr_open(
        actor=owner,
        kind="access",
        channel="email",
        received_at=timezone.now() - timedelta(days=60),
        requester_email="magda@example.com",
        requester_name="Magda Messwert",
        person_ids=[person.pk],
    )
    client = Client()
    client.get("/healthz")
    client.get("/no-such-page/magda@example.com")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()
    assert 'zweck_http_requests_total{method="GET",status="2xx",view="healthz"}' in text
    assert 'view="unmatched"' in text
    assert 'zweck_privacy_requests_open{right="access"} 1.0' in text
    assert "zweck_privacy_requests_overdue 1.0" in text
    assert "zweck_tasks_oldest_queued_age_seconds 0.0" in text
    assert "zweck_db_queries_per_request_bucket" in text
    # Routes, never paths: the address in the unknown path appears nowhere.
    for value in ("magda", "Messwert", "example.com"):
        assert value not in text


def test_metrics_are_for_the_monitoring_network_or_its_token(settings: Any) -> None:
    outside = Client(REMOTE_ADDR="203.0.113.7")
    assert outside.get("/metrics").status_code == 403
    settings.ZWECK_METRICS_TOKEN = "scrape-secret-0123456789"
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-0123456789").status_code == 200
    settings.ZWECK_METRICS_NETWORKS = ["203.0.113.0/24"]
    assert outside.get("/metrics").status_code == 200
    assert Client().get("/metrics").status_code == 403
