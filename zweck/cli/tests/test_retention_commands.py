"""``zweck retention sweep|forecast`` and the worker's nightly schedule: the forecast and the dry
run write nothing, the sweep acts on what the forecast listed, and ``zweck db_worker`` enqueues
the nightly maintenance once a day and runs it."""

from __future__ import annotations

from datetime import date, datetime, time
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.crm.models import Person
from zweck.crm.services import person_relationship_end
from zweck.crm.tests.factories import make_person
from zweck.privacy.models import NightlyRun, RetentionSweep
from zweck.privacy.retention_models import SweepState, SweepTrigger
from zweck.privacy.services import register_defaults_install
from zweck.privacy.tasks import nightly_schedule

LONG_AGO = date(2020, 5, 1)


def _expired_person(owner: Actor) -> Person:
    register_defaults_install(actor=owner)
    person = make_person(owner)
    return person_relationship_end(actor=owner, person=person, ended_on=LONG_AGO)


def _run(*arguments: str) -> str:
    out = StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_forecast_and_dry_run_write_nothing_and_the_sweep_does_what_they_said(owner: Actor) -> None:
    person = _expired_person(owner)
    slug = owner.workspace.slug
    forecast = _run("retention", "forecast", "--days", "30", "--workspace", slug)
    assert "business_relationship\tcrm.person\terase\t1" in forecast
    dry = _run("retention", "sweep", "--dry-run", "--workspace", slug)
    assert "business_relationship\tcrm.person\terase\t1" in dry
    assert Person.objects.filter(pk=person.pk).exists()
    assert not RetentionSweep.objects.exists()

    swept = _run("retention", "sweep", "--workspace", slug)
    assert f"# {slug}:" in swept
    assert "business_relationship\tcrm.person\tdelete\t1" in swept
    assert not Person.objects.filter(pk=person.pk).exists()
    assert RetentionSweep.objects.get().trigger == SweepTrigger.MANUAL


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["0", "3651", "soon"])
def test_forecast_refuses_a_bad_horizon(owner: Actor, days: str) -> None:
    with pytest.raises(CommandError, match="--days"):
        _run("retention", "forecast", "--days", days, "--workspace", owner.workspace.slug)


@pytest.mark.django_db
def test_unknown_workspace_is_refused() -> None:
    with pytest.raises(CommandError, match="no-such"):
        _run("retention", "sweep", "--workspace", "no-such")


def _at(hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, 5)))


@pytest.mark.django_db
def test_nightly_schedule_enqueues_once_a_day_from_its_hour() -> None:
    assert nightly_schedule(now=_at(1), backend="database") is False
    assert nightly_schedule(now=_at(2), backend="database") is True
    assert nightly_schedule(now=_at(3), backend="database") is False
    assert DBTaskResult.objects.count() == 1
    assert NightlyRun.objects.get().task_id == str(DBTaskResult.objects.get().id)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_nightly_maintenance(owner: Actor, settings: Any) -> None:
    person = _expired_person(owner)
    other = Workspace.objects.create(name="Zweite GmbH", slug="zweite")
    # The worker checks the schedule when it starts: from midnight, the maintenance is due.
    settings.ZWECK = {**settings.ZWECK, "NIGHTLY_HOUR": 0}
    call_command("db_worker", "--batch", "--backend", "database", "--no-startup-delay", verbosity=0)
    assert not Person.objects.filter(pk=person.pk).exists()
    sweeps = RetentionSweep.objects.filter(trigger=SweepTrigger.NIGHTLY)
    assert {sweep.workspace_id for sweep in sweeps} == {owner.workspace_id, other.pk}
    assert {sweep.state for sweep in sweeps} == {SweepState.DONE}
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # Started again the same day, the worker does not run it twice.
    call_command("db_worker", "--batch", "--backend", "database", "--no-startup-delay", verbosity=0)
    assert RetentionSweep.objects.filter(trigger=SweepTrigger.NIGHTLY).count() == 2
