"""The erasure plan in plain words, for the privacy officer (staff pages, API, command line).

``plan_in_words`` turns an ``ErasurePlan`` (rows, machine keys) into what a person reads: one
section per kind of record (the contact, their email addresses, phone numbers, activities,
deals, requests, ...), each record named by what it is (its kind, its title, its date), with
what erasure does to it and why, in German or English. Nothing internal reaches the words:
records and fields are named by their verbose names, values by their display texts.

- rows that only link the subject to a record of another data set (the participants of an
  activity, the contacts of a deal) are folded into that record; rows reached through
  another planned record (the action log of a request) are counted with it;
- rows of data sets the register marks ``derived`` (a search index), and entries of the
  append-only audit trail, are summarized in one line each, never listed;
- rows found by a mention of the subject in free text form their own section (``mentions``),
  so that a list of probable mentions can be shown beside them the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_noop as _noop

from zweck.core.register import ModelDeclaration, register
from zweck.privacy import labels
from zweck.privacy.erasure import (
    ANONYMIZE,
    DELETE,
    ERASED,
    HOLD_PLACED,
    KEEP,
    MENTIONS,
    REDACT,
    REFERENCED,
    REGISTER_HOLD,
    ErasurePlan,
    PlannedRow,
)
from zweck.privacy.models import RetentionRule
from zweck.privacy.records import LINK, PART, named_reference, owner_of, reading_order, row_title
from zweck.privacy.subjects import in_workspace

WORDS: dict[str, tuple[str, str]] = {
    # key: (English message id, German)
    "title": (_noop("Erasure plan"), "Löschplan"),
    "intro": (
        _noop("What erasing this person's data does, record by record, and why."),
        "Was die Löschung der Daten dieser Person bewirkt, Datensatz für Datensatz, und warum.",
    ),
    "delete": (_noop("Delete"), "Löschen"),
    "anonymize": (_noop("Anonymize: %(fields)s"), "Anonymisieren: %(fields)s"),
    "keep": (
        _noop("Keep until %(date)s, restricted meanwhile"),
        "Aufbewahren bis %(date)s, bis dahin eingeschränkt",
    ),
    "unlink": (_noop("Remove only this person's link"), "Nur die Verknüpfung mit dieser Person entfernen"),
    "unlink_and_replace": (
        _noop("Remove only this person's link; replace mentions of them in %(fields)s"),
        "Nur die Verknüpfung mit dieser Person entfernen; Erwähnungen in %(fields)s ersetzen",
    ),
    "replace_mentions": (
        _noop("Replace mentions of this person in %(fields)s"),
        "Erwähnungen dieser Person ersetzen in %(fields)s",
    ),
    "masked_blank": (_noop("%(fields)s emptied"), "%(fields)s geleert"),
    "masked_redact": (
        _noop("%(fields)s replaced with “%(marker)s”"),
        "%(fields)s durch „%(marker)s“ ersetzt",
    ),
    "masked_hash": (
        _noop("%(fields)s replaced with a keyed hash"),
        "%(fields)s durch einen Schlüssel-Hash ersetzt",
    ),
    "masked_mentions": (
        _noop("mentions of this person replaced in %(fields)s"),
        "Erwähnungen dieser Person in %(fields)s ersetzt",
    ),
    "and": (_noop("and"), "und"),
    "reason_delete": (_noop("Nothing requires keeping it."), "Nichts verpflichtet zur Aufbewahrung."),
    "reason_anonymize": (
        _noop("The record itself is still needed (%(rule)s); only this person's details are removed."),
        "Der Datensatz selbst wird noch benötigt (%(rule)s); nur die Angaben zu dieser Person werden entfernt.",
    ),
    "reason_anonymize_no_rule": (
        _noop("The record itself is still needed; only this person's details are removed."),
        "Der Datensatz selbst wird noch benötigt; nur die Angaben zu dieser Person werden entfernt.",
    ),
    "reason_shared": (
        _noop("Shared with other people: only this person's link is removed."),
        "Mit anderen Personen geteilt: Nur die Verknüpfung mit dieser Person wird entfernt.",
    ),
    "reason_mention": (
        _noop("Another record that names this person in its text: only the mentions are replaced."),
        "Ein anderer Datensatz, der diese Person im Text nennt: Nur die Erwähnungen werden ersetzt.",
    ),
    "reason_rule": (_noop("Retention rule: %(rule)s."), "Aufbewahrungsregel: %(rule)s."),
    "reason_hold_placed": (_noop("Legal hold: %(reason)s"), "Rechtliche Sperre: %(reason)s"),
    "reason_referenced": (
        _noop("Records kept about this person refer to it."),
        "Aufbewahrte Datensätze zu dieser Person verweisen darauf.",
    ),
    "children": (
        _noop("With it: %(name)s (%(count)s), treated the same way."),
        "Dazu: %(name)s (%(count)s), ebenso behandelt.",
    ),
    "summary_delete": (_noop("%(name)s: %(count)s, deleted"), "%(name)s: %(count)s, werden gelöscht"),
    "summary_keep": (
        _noop(
            "%(name)s: %(count)s, kept until %(date)s at the latest (they hold record numbers, never values)"
        ),
        "%(name)s: %(count)s, aufbewahrt bis spätestens %(date)s (sie enthalten Datensatznummern, nie Inhalte)",
    ),
    "summary_other": (_noop("%(name)s: %(count)s"), "%(name)s: %(count)s"),
    "mentions": (_noop("Mentions in other records"), "Erwähnungen in anderen Datensätzen"),
    "derived": (_noop("Derived data and the audit trail"), "Abgeleitete Daten und Prüfprotokoll"),
    "record": (_noop("Record"), "Datensatz"),
    "action": (_noop("What happens"), "Was geschieht"),
    "reason": (_noop("Why"), "Warum"),
    "overview": (_noop("What the erasure will do"), "Was die Löschung bewirkt"),
    "overview_delete": (_noop("Records deleted: %(count)s"), "Gelöschte Datensätze: %(count)s"),
    "overview_anonymize": (_noop("Records anonymized: %(count)s"), "Anonymisierte Datensätze: %(count)s"),
    "overview_unlink": (
        _noop("Shared records from which only this person is removed: %(count)s"),
        "Geteilte Datensätze, aus denen nur diese Person entfernt wird: %(count)s",
    ),
    "overview_mentions": (
        _noop("Other records in which mentions of this person are replaced: %(count)s"),
        "Andere Datensätze, in denen Erwähnungen dieser Person ersetzt werden: %(count)s",
    ),
    "overview_keep": (
        _noop("Records kept, restricted, until their hold ends: %(count)s (the last on %(date)s)"),
        "Aufbewahrte, eingeschränkte Datensätze bis zum Ende ihrer Sperre: %(count)s (die letzte am %(date)s)",
    ),
    "overview_derived": (
        _noop("Derived data (such as the search index) is deleted with the records."),
        "Abgeleitete Daten (etwa der Suchindex) werden mit den Datensätzen gelöscht.",
    ),
    "irreversible": (_noop("This cannot be undone."), "Dies kann nicht rückgängig gemacht werden."),
    "back": (_noop("Back to the request"), "Zurück zum Antrag"),
    "confirm_heading": (_noop("Confirm the erasure"), "Löschung bestätigen"),
    "confirm_label": (
        _noop("I have read the plan: erase this person's data as it describes."),
        "Ich habe den Plan gelesen: Die Daten dieser Person wie beschrieben löschen.",
    ),
    "confirm_missing": (
        _noop("Tick the box to confirm that the erasure is to be carried out as planned."),
        "Kreuzen Sie das Kästchen an, um zu bestätigen, dass die Löschung wie geplant erfolgen soll.",
    ),
    "not_confirmed": (_noop("Nothing was erased."), "Es wurde nichts gelöscht."),
    "erased": (_noop("The erasure was carried out."), "Die Löschung wurde durchgeführt."),
    "prompt": (
        _noop("Erase this person's data as planned? Type “yes” to confirm: "),
        "Die Daten dieser Person wie geplant löschen? Zur Bestätigung „ja“ eingeben: ",
    ),
    "no_terminal": (
        _noop(
            "Nothing was erased: the erasure needs a confirmation. Run the command in a terminal "
            "to confirm it, or pass --yes."
        ),
        "Es wurde nichts gelöscht: Die Löschung muss bestätigt werden. Führen Sie den Befehl in "
        "einem Terminal aus, um sie zu bestätigen, oder geben Sie --yes an.",
    ),
    "nothing": (_noop("No records belong to this person."), "Zu dieser Person gibt es keine Datensätze."),
}

# What the register's hold reasons say, for the languages the catalogue does not know yet.
_HOLD_REASONS_DE = {
    "Proof that the request was answered (Art. 5(2), Art. 12 GDPR; Art. 17(3)(b), (e) GDPR).": (
        "Nachweis, dass der Antrag beantwortet wurde (Art. 5 Abs. 2, Art. 12 DSGVO; "
        "Art. 17 Abs. 3 lit. b, e DSGVO)."
    ),
    "Proof that recipients were told (Art. 19 GDPR, Art. 5(2) GDPR).": (
        "Nachweis, dass die Empfänger unterrichtet wurden (Art. 19 DSGVO, Art. 5 Abs. 2 DSGVO)."
    ),
}


def word(key: str, lang: str, **values: str) -> str:
    text = labels.localized(*WORDS[key], lang)
    return text % values if values else text


def words(lang: str) -> dict[str, str]:
    """Every fixed word in ``lang``, for the templates."""
    return {key: word(key, lang) for key in WORDS if "%(" not in WORDS[key][0]}


@dataclass
class PlanItem:
    """One record: what it is, what erasure does to it, and why."""

    data_set: str
    row_id: int
    record: str
    action: str
    action_text: str
    reason: str
    held_until: date | None = None


@dataclass
class PlanSection:
    """The records of one data set (their name as the heading)."""

    data_set: str
    heading: str
    items: list[PlanItem] = field(default_factory=list)


@dataclass
class PlanSummary:
    """A data set summarized in one line (derived data, the audit trail)."""

    data_set: str
    count: int
    action: str
    text: str


@dataclass
class PlanInWords:
    language: str
    overview: list[str]
    sections: list[PlanSection]
    mentions: list[PlanItem]
    summaries: list[PlanSummary]

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "overview": self.overview,
            "sections": [asdict(section) for section in self.sections],
            "mentions": [asdict(item) for item in self.mentions],
            "summaries": [asdict(summary) for summary in self.summaries],
        }

    def as_text(self) -> str:
        return plan_text(self.as_dict())


# The answers that confirm an erasure at the command line's prompt.
CONFIRMING_ANSWERS = frozenset({"yes", "y", "ja", "j"})


def plan_text(readable: dict[str, Any]) -> str:
    """A plan's words (``PlanInWords.as_dict()``) as lines of plain text, for the command line."""
    lang = readable["language"]
    lines = [word("title", lang), "", word("intro", lang), ""]
    blocks = [(section["heading"], section["items"]) for section in readable["sections"]]
    if readable["mentions"]:
        blocks.append((word("mentions", lang), readable["mentions"]))
    for heading, items in blocks:
        lines.append(heading)
        for item in items:
            lines.append(f"  - {item['record']}")
            lines.append(f"    {word('action', lang)}: {item['action_text']}")
            if item["reason"]:
                lines.append(f"    {word('reason', lang)}: {item['reason']}")
        lines.append("")
    if readable["summaries"]:
        lines.append(word("derived", lang))
        lines.extend(f"  - {summary['text']}" for summary in readable["summaries"])
        lines.append("")
    lines.append(word("overview", lang))
    lines.extend(f"  - {line}" for line in readable["overview"])
    return "\n".join(lines) + "\n"


def _listing(names: list[str], lang: str) -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word('and', lang)} {names[-1]}"


def _rule_text(rule: RetentionRule | None, lang: str) -> str:
    if rule is None:
        return ""
    name = rule.name_de if lang == "de" and rule.name_de else rule.name_en
    source = (rule.legal_source_de if lang == "de" else "") or rule.legal_source_en
    described = f"{name}: {labels.retention_text(rule, lang)}"
    return f"{described}; {source.rstrip('.')}" if source else described


def _hold_reason(reason: str, lang: str) -> str:
    return labels.localized(reason, _HOLD_REASONS_DE.get(reason, reason), lang) if reason else ""


class _Reader:
    """Names the rows of one plan: loads each data set's rows once."""

    def __init__(self, plan: ErasurePlan, lang: str) -> None:
        self.plan, self.lang = plan, lang
        self.rules = {rule.key: rule for rule in RetentionRule.objects.filter(workspace_id=plan.workspace_id)}

    def declaration(self, label: str) -> ModelDeclaration:
        found = register.get(apps.get_model(label))
        assert found is not None
        return found

    def rows(self, declaration: ModelDeclaration, ids: list[int]) -> dict[int, models.Model]:
        # The rows the title names by reference (an organization, a recipient) come along.
        relations = [f.name for f in declaration.model._meta.concrete_fields if named_reference(f)]
        queryset = in_workspace(declaration, self.plan.workspace_id).select_related(*relations)
        return {row.pk: row for row in queryset.filter(pk__in=ids)}

    def record(self, declaration: ModelDeclaration, row: models.Model | None) -> str:
        """What the row is: its kind, its title, its date ("Call: Offer follow-up, 02.12.2026, 14:30")."""
        if row is None:
            return labels.model_label(declaration.model, self.lang)
        return row_title(declaration, row, self.lang)

    def masks(self, declaration: ModelDeclaration, fields: dict[str, str]) -> str:
        by_mask: dict[str, list[str]] = defaultdict(list)
        for name, mask in fields.items():
            by_mask[mask].append(labels.field_label(declaration.model._meta.get_field(name), self.lang))
        parts = []
        for mask in ("blank", "redact", "hash", MENTIONS):
            if by_mask.get(mask):
                listed = _listing(by_mask[mask], self.lang)
                parts.append(word(f"masked_{mask}", self.lang, fields=listed, marker=ERASED))
        return "; ".join(parts)

    def field_names(self, declaration: ModelDeclaration, names: list[str]) -> str:
        return _listing(
            [labels.field_label(declaration.model._meta.get_field(name), self.lang) for name in names],
            self.lang,
        )

    def item(self, declaration: ModelDeclaration, planned: PlannedRow, row: models.Model | None) -> PlanItem:
        lang = self.lang
        rule = self.rules.get(declaration.retention or "")
        if planned.action == DELETE:
            action, reason = word("delete", lang), word("reason_delete", lang)
        elif planned.action == ANONYMIZE:
            action = word("anonymize", lang, fields=self.masks(declaration, planned.fields))
            rule_text = _rule_text(rule, lang)
            reason = (
                word("reason_anonymize", lang, rule=rule_text)
                if rule_text
                else word("reason_anonymize_no_rule", lang)
            )
        elif planned.action == REDACT and planned.mention:
            action = word(
                "replace_mentions", lang, fields=self.field_names(declaration, list(planned.fields))
            )
            reason = word("reason_mention", lang)
        elif planned.action == REDACT:
            names = list(planned.fields)
            action = (
                word("unlink_and_replace", lang, fields=self.field_names(declaration, names))
                if names
                else word("unlink", lang)
            )
            reason = word("reason_shared", lang)
        else:
            action = word("keep", lang, date=labels.date_text(planned.held_until, lang))
            if planned.fields:
                # What the hold keeps only as proof: its declared masks are applied now.
                action = f"{action}; {self.masks(declaration, planned.fields)}"
            reason = self.keep_reason(planned, rule)
        return PlanItem(
            data_set=planned.data_set,
            row_id=planned.row_id,
            record=self.record(declaration, row),
            action=planned.action,
            action_text=action,
            reason=reason,
            held_until=planned.held_until,
        )

    def keep_reason(self, planned: PlannedRow, rule: RetentionRule | None) -> str:
        lang = self.lang
        if planned.kept_because == HOLD_PLACED:
            return word("reason_hold_placed", lang, reason=planned.reason)
        if planned.kept_because == REFERENCED:
            return word("reason_referenced", lang)
        reason = _hold_reason(planned.reason, lang)
        rule_text = _rule_text(rule, lang)
        if planned.kept_because == REGISTER_HOLD and rule_text:
            return f"{reason} {word('reason_rule', lang, rule=rule_text)}".strip()
        return reason


def plan_in_words(plan: ErasurePlan, lang: str) -> PlanInWords:
    """``plan`` as the privacy officer reads it, in ``lang`` ("de" or "en")."""
    lang = labels.language_of(lang)
    reader = _Reader(plan, lang)
    by_set: dict[str, list[PlannedRow]] = defaultdict(list)
    for planned in plan.rows:
        by_set[planned.data_set].append(planned)
    subject_rows = {label: [r for r in rows if not r.mention] for label, rows in by_set.items()}
    planned_actions = {(r.data_set, r.row_id): r.action for rows in subject_rows.values() for r in rows}
    # Fold link and log rows into the record they belong to, where that record is planned too.
    parts: dict[tuple[str, int], dict[str, list[PlannedRow]]] = defaultdict(lambda: defaultdict(list))
    summaries: list[PlanSummary] = []
    listed: list[tuple[ModelDeclaration, list[PlannedRow]]] = []
    for label, rows in subject_rows.items():
        if not rows:
            continue
        declaration = reader.declaration(label)
        if declaration.derived or all(r.audit_only for r in rows):
            summaries.append(_summary(declaration, rows, lang))
            continue
        owner = owner_of(declaration)
        if owner is not None:
            how, owner_model, owner_field = owner
            owner_label = owner_model._meta.label_lower
            links: dict[int, int] = dict(
                in_workspace(declaration, plan.workspace_id)
                .filter(pk__in=[r.row_id for r in rows])
                .values_list("pk", owner_field + "_id")
            )
            loose = []
            for planned in rows:
                owner_id = links.get(planned.row_id, 0)
                owner_action = planned_actions.get((owner_label, owner_id))
                if how == LINK and owner_action is not None and planned.action == DELETE:
                    continue  # the owner's own words say what happens to this person's link
                if how == PART and owner_action == planned.action:
                    parts[(owner_label, owner_id)][label].append(planned)
                else:
                    loose.append(planned)
            rows = loose
        if rows:
            listed.append((declaration, rows))
    sections = []
    for declaration, rows in sorted(listed, key=lambda pair: reading_order(pair[0])):
        loaded = reader.rows(declaration, [r.row_id for r in rows])
        section = PlanSection(
            data_set=rows[0].data_set,
            heading=labels.model_label(declaration.model, lang, plural=len(rows) > 1),
        )
        for planned in rows:
            item = reader.item(declaration, planned, loaded.get(planned.row_id))
            for part_label, part_rows in parts.get((planned.data_set, planned.row_id), {}).items():
                name = labels.model_label(reader.declaration(part_label).model, lang, plural=True)
                item.reason += " " + word("children", lang, name=name, count=str(len(part_rows)))
            section.items.append(item)
        sections.append(section)
    mentions = []
    for label, rows in by_set.items():
        found = [r for r in rows if r.mention]
        if not found:
            continue
        declaration = reader.declaration(label)
        loaded = reader.rows(declaration, [r.row_id for r in found])
        for planned in found:
            item = reader.item(declaration, planned, loaded.get(planned.row_id))
            item.record = f"{labels.model_label(declaration.model, lang)}: {item.record}"
            mentions.append(item)
    return PlanInWords(
        language=lang,
        overview=_overview(sections, mentions, summaries, lang),
        sections=sections,
        mentions=mentions,
        summaries=summaries,
    )


def _summary(declaration: ModelDeclaration, rows: list[PlannedRow], lang: str) -> PlanSummary:
    name = labels.model_label(declaration.model, lang, plural=True)
    actions = {r.action for r in rows}
    count = str(len(rows))
    if actions == {DELETE}:
        text = word("summary_delete", lang, name=name, count=count)
    elif actions == {KEEP}:
        last = max((r.held_until for r in rows if r.held_until), default=None)
        text = word("summary_keep", lang, name=name, count=count, date=labels.date_text(last, lang))
    else:
        text = word("summary_other", lang, name=name, count=count)
    return PlanSummary(
        data_set=rows[0].data_set, count=len(rows), action="/".join(sorted(actions)), text=text
    )


def _overview(
    sections: list[PlanSection], mentions: list[PlanItem], summaries: list[PlanSummary], lang: str
) -> list[str]:
    items = [item for section in sections for item in section.items]
    if not items and not mentions:
        return [word("nothing", lang)]
    count: dict[str, int] = defaultdict(int)
    for item in items:
        count[item.action] += 1
    lines = []
    if count[DELETE]:
        lines.append(word("overview_delete", lang, count=str(count[DELETE])))
    if count[ANONYMIZE]:
        lines.append(word("overview_anonymize", lang, count=str(count[ANONYMIZE])))
    if count[REDACT]:
        lines.append(word("overview_unlink", lang, count=str(count[REDACT])))
    if mentions:
        lines.append(word("overview_mentions", lang, count=str(len(mentions))))
    kept = [item for item in [*items, *mentions] if item.action == KEEP]
    if kept:
        last = max((item.held_until for item in kept if item.held_until), default=None)
        lines.append(word("overview_keep", lang, count=str(len(kept)), date=labels.date_text(last, lang)))
    if any(summary.action == DELETE for summary in summaries):
        lines.append(word("overview_derived", lang))
    lines.append(word("irreversible", lang))
    return lines
