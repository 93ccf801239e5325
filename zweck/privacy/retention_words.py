"""The retention forecast and sweep reports in words, for the privacy officer (staff page, API).

A data set is named by its model's plural verbose name, a rule by its name in the register
(``name_en`` / ``name_de``), an action by a short sentence; all in the active language. The
machine keys (``crm.person``, ``business_relationship``, ``erase``) stay in the API beside
the words and never reach a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zweck.privacy import labels
from zweck.privacy.erasure import KEEP, REDACT
from zweck.privacy.models import RetentionRule
from zweck.privacy.retention import ForecastLine, SweepAction
from zweck.privacy.retention_models import RetentionSweep

# What the sweep does (``SweepAction``), and what an erasure of an expired person did to a row
# (the erasure plan's actions, as a sweep report counts them).
ACTION_TEXTS = {
    SweepAction.ERASE: _("Erased as on an erasure request: the person and their own records"),
    SweepAction.DELETE: _("Deleted"),
    SweepAction.ANONYMIZE: _("Anonymized"),
    SweepAction.WITH_SUBJECTS: _("Goes with the persons it belongs to"),
    SweepAction.NEVER: _("Never: no date is stored for the event the rule counts from"),
    SweepAction.KEPT: _("Kept: other records still refer to them"),
    REDACT: _("Only the person's link removed (shared with others)"),
    KEEP: _("Kept under a hold until a longer statutory period ends"),
}


def language() -> str:
    """The active language as the register's texts are kept: German or English."""
    return labels.language_of(translation.get_language())


def action_text(action: str) -> str:
    return str(ACTION_TEXTS.get(action, action))


def data_set_name(data_set: str) -> str:
    """``crm.personemail`` as people read it: "Email addresses" (the key itself only for a data
    set no installed model has any more)."""
    try:
        model = apps.get_model(data_set)
    except (LookupError, ValueError):
        return data_set
    return labels.model_label(model, language(), plural=True)


def rule_name(rule: RetentionRule | None, key: str = "") -> str:
    if rule is None:
        return key
    return rule.name_de if language() == "de" else rule.name_en


def rule_period(rule: RetentionRule) -> str:
    """How long the rule keeps, counted from what: "3 years from the end of the calendar year …"."""
    return labels.retention_text(rule, language())


@dataclass(frozen=True)
class ForecastRow:
    """One line of the forecast as the page and the API show it."""

    rule: str
    rule_name: str
    data_set: str
    data_set_name: str
    action: str
    action_text: str
    counted: bool  # False: the sweep never reaches these rows (``never``)
    due_now: int
    upcoming: list[tuple[date, int]]
    total: int

    @property
    def due_later(self) -> int:
        """Records that fall due after today and within the forecast's period."""
        return self.total - self.due_now

    @property
    def due_days(self) -> list[tuple[date, int]]:
        """The later days on which rows fall due (the days without any left out)."""
        return [(day, count) for day, count in self.upcoming if count]


@dataclass(frozen=True)
class ForecastGroup:
    """The forecast lines of one rule."""

    rule: RetentionRule
    name: str
    period: str
    rows: list[ForecastRow]


def forecast_rows(lines: list[ForecastLine]) -> list[ForecastRow]:
    return [
        ForecastRow(
            rule=line.rule.key,
            rule_name=rule_name(line.rule),
            data_set=line.data_set,
            data_set_name=data_set_name(line.data_set),
            action=line.action.value,
            action_text=action_text(line.action),
            counted=line.action is not SweepAction.NEVER,
            due_now=line.due_now,
            upcoming=line.upcoming,
            total=line.total,
        )
        for line in lines
    ]


def forecast_groups(lines: list[ForecastLine]) -> list[ForecastGroup]:
    """The forecast by rule (in the order of the rules' names), data sets by name within each."""
    rows = forecast_rows(lines)
    rules = {line.rule.key: line.rule for line in lines}
    groups = [
        ForecastGroup(
            rule=rule,
            name=rule_name(rule),
            period=rule_period(rule),
            rows=sorted(
                (row for row in rows if row.rule == key),
                key=lambda row: (not row.counted, row.data_set_name.casefold()),
            ),
        )
        for key, rule in rules.items()
    ]
    return sorted(groups, key=lambda group: group.name.casefold())


@dataclass(frozen=True)
class SweepResultRow:
    rule: str
    rule_name: str
    data_set: str
    data_set_name: str
    action: str
    action_text: str
    count: int


def sweep_results(sweep: RetentionSweep, rules: dict[str, RetentionRule]) -> list[SweepResultRow]:
    """What one sweep did, per rule, data set and action, in words; ``rules`` by key."""
    found: list[SweepResultRow] = []
    for item in sweep.results:
        item_rule, item_set = str(item.get("rule", "")), str(item.get("data_set", ""))
        action = str(item.get("action", ""))
        found.append(
            SweepResultRow(
                rule=item_rule,
                rule_name=rule_name(rules.get(item_rule), item_rule),
                data_set=item_set,
                data_set_name=data_set_name(item_set),
                action=action,
                action_text=action_text(action),
                count=int(item.get("count", 0)),
            )
        )
    return sorted(found, key=lambda row: (row.rule_name.casefold(), row.data_set_name.casefold(), row.action))


def sweep_words(sweep: RetentionSweep, rules: dict[str, RetentionRule]) -> dict[str, Any]:
    """A sweep report with its state, trigger and results in words (for the page)."""
    return {
        "sweep": sweep,
        "state": sweep.get_state_display(),
        "trigger": sweep.get_trigger_display(),
        "results": sweep_results(sweep, rules),
    }
