"""/privacy/retention: what the retention sweep will delete or anonymize (the forecast), the
reports of past sweeps, and a sweep run now. Reading needs ``privacy.view``; sweeping also
``privacy.manage``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from zweck.accounts.actors import Actor
from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.api.schemas.privacy_retention import ForecastOut, ForecastQuery, SweepOut
from zweck.privacy.models import RetentionRule
from zweck.privacy.retention import retention_forecast, retention_sweep, sweep_get, sweep_rows
from zweck.privacy.retention_models import RetentionSweep, SweepTrigger
from zweck.privacy.retention_words import forecast_rows, sweep_results
from zweck.privacy.selectors import retention_rule_list

router = Router(tags=["privacy retention"])


def _rules(actor: Actor) -> dict[str, RetentionRule]:
    return {rule.key: rule for rule in retention_rule_list(actor=actor)}


def _described(sweeps: list[RetentionSweep], rules: dict[str, RetentionRule]) -> list[RetentionSweep]:
    for sweep in sweeps:
        sweep.result_rows = sweep_results(sweep, rules)  # type: ignore[attr-defined]
    return sweeps


@router.get("/forecast", response=answers(ForecastOut))
def read_retention_forecast(request: HttpRequest, query: Query[ForecastQuery]) -> Any:
    """Per retention rule and data set: what the sweep does with the records, how many it
    handles today, and how many more fall due by each week within ``days`` days, if nothing
    changes meanwhile. Records under a legal hold are not counted."""
    actor = actor_of(request)
    today = timezone.localdate()
    lines = retention_forecast(actor=actor, days=query.days, today=today)
    return {"today": today, "days": query.days, "lines": forecast_rows(lines)}


@router.get("/sweeps", response=answers(Page[SweepOut]))
def list_retention_sweeps(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """The reports of the workspace's sweeps, the latest first: when, how started, how ended,
    and how many records per rule, data set and action. Counts only, never a value."""
    actor = actor_of(request)
    answer = page_of(sweep_rows(actor=actor), page)
    answer["items"] = _described(answer["items"], _rules(actor))
    return answer


@router.get("/sweeps/{sweep_id}", response=answers(SweepOut))
def read_retention_sweep(request: HttpRequest, sweep_id: ObjectId) -> Any:
    actor = actor_of(request)
    return _described([sweep_get(actor=actor, sweep_id=sweep_id)], _rules(actor))[0]


@router.post("/sweeps", response=answers(SweepOut, 201))
def run_retention_sweep(request: HttpRequest) -> Any:
    """Sweep now, as the nightly sweep does: delete or anonymize every record whose retention
    period has ended (expired persons are erased as on an erasure request); records under a
    legal hold stay. Answers the run's report."""
    actor = actor_of(request)
    rules = _rules(actor)  # read first: a caller who may not read the report does not sweep
    sweep = retention_sweep(actor=actor, trigger=SweepTrigger.MANUAL)
    return Status(201, _described([sweep], rules)[0])
