"""The generated documents: records of processing activities (Art. 30(1) GDPR) and the privacy
notice for each group of data subjects (Art. 13 and 14 GDPR), in German and English, as HTML,
Markdown and PDF.

They are built from a ``RegisterSnapshot`` (the workspace's register rows and the controller's
details), the declarations in the code register and the installation's public address (for the
privacy portal), and from nothing else: no sentence about processing is written by hand here,
only the fixed wording of ``labels``. An activity the workspace switched off appears in none of
them; the notice sets the right to object apart (Art. 21(4) GDPR).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from zweck.accounts.models import Workspace
from zweck.core.register import register
from zweck.privacy import labels
from zweck.privacy.defaults import DOCUMENT_SUBJECTS, STAFF, SUBJECT_GROUP_PRESETS
from zweck.privacy.models import ProcessingActivity, Recipient, RetentionRule
from zweck.privacy.selectors import RegisterSnapshot


class DocumentError(ValueError):
    """The document cannot be made as asked (unknown language, format or subject group)."""


class DocumentFormat(enum.StrEnum):
    HTML = "html"
    MARKDOWN = "md"
    PDF = "pdf"


@dataclass(frozen=True)
class RetentionView:
    key: str
    name: str
    period: str
    legal_source: str
    statutory: bool


@dataclass(frozen=True)
class RecipientView:
    name: str
    role: str
    service: str
    country: str
    in_eea: bool
    safeguard: str
    safeguard_date: str
    activities: tuple[str, ...]


@dataclass(frozen=True)
class ActivityView:
    key: str
    name: str
    purpose: str
    legal_basis: str
    legitimate_interest: str
    special_condition: str
    subject_groups: tuple[str, ...]
    data_categories: tuple[str, ...]
    recipient_categories: str
    recipients: tuple[RecipientView, ...]
    retention: RetentionView
    provision: str
    # The periods of data sets under this activity that keep their own rule (a sign-in log
    # kept for days under an activity whose audit trail is kept for years).
    further_retention: tuple[RetentionView, ...] = ()
    data_use: str = ""
    enabled: bool = True

    @property
    def transfers(self) -> tuple[RecipientView, ...]:
        return tuple(recipient for recipient in self.recipients if not recipient.in_eea)


def _pick(row: Any, name: str, lang: str) -> str:
    return str(getattr(row, f"{name}_{lang}"))


def _check_language(lang: str) -> None:
    if lang not in labels.LANGUAGES:
        raise DocumentError(f"Unknown language {lang!r}; use one of {', '.join(labels.LANGUAGES)}.")


def subject_group_name(key: str, lang: str) -> str:
    preset = SUBJECT_GROUP_PRESETS[key]
    return preset.name_de if lang == "de" else preset.name_en


def _category_names(keys: Iterable[str], lang: str) -> tuple[str, ...]:
    return tuple(sorted({labels.data_category_text(key, lang) for key in keys}, key=str.casefold))


def _retention_view(rule: RetentionRule, lang: str) -> RetentionView:
    return RetentionView(
        key=rule.key,
        name=_pick(rule, "name", lang),
        period=labels.retention_text(rule, lang),
        legal_source=_pick(rule, "legal_source", lang),
        statutory=rule.statutory,
    )


def _recipient_view(recipient: Recipient, activity_names: dict[str, str], lang: str) -> RecipientView:
    return RecipientView(
        name=recipient.name,
        role=labels.role_text(recipient.role, lang),
        service=_pick(recipient, "service", lang),
        country=labels.country_text(recipient.country, lang),
        in_eea=recipient.in_eea,
        safeguard=labels.safeguard_text(recipient.safeguard, lang),
        safeguard_date=recipient.safeguard_date.isoformat() if recipient.safeguard_date else "",
        activities=tuple(
            activity_names[activity.key]
            for activity in recipient.activities.all()
            if activity.key in activity_names
        ),
    )


def _declared_retention(subject_kind: str | None) -> dict[str, set[str]]:
    """For each activity key, the retention rules its declared data sets name (only data sets
    about ``subject_kind`` when given)."""
    found: dict[str, set[str]] = {}
    for declaration in register:
        if declaration.retention is None or (
            subject_kind is not None and declaration.subject_kind != subject_kind
        ):
            continue
        if not declaration.subject_fields():
            continue
        for key in declaration.activities:
            found.setdefault(key, set()).add(declaration.retention)
    return found


def _activity_views(
    snapshot: RegisterSnapshot, lang: str, subject: str | None, *, switched_off: bool = False
) -> list[ActivityView]:
    # An activity the workspace switched off is not pursued: no document names it.
    activities: list[ProcessingActivity] = [
        activity
        for activity in snapshot.activities
        if (activity.enabled or switched_off) and (subject is None or subject in activity.subject_categories)
    ]
    names = {activity.key: _pick(activity, "name", lang) for activity in activities}
    subject_kind = None if subject is None else ("employee" if subject == STAFF else "contact")
    declared = register.categories_by_activity(subject_kind=subject_kind)
    rules = {rule.key: rule for rule in snapshot.retention_rules}
    further = _declared_retention(subject_kind)
    recipients = {recipient.pk: _recipient_view(recipient, names, lang) for recipient in snapshot.recipients}
    views = [
        ActivityView(
            key=activity.key,
            name=names[activity.key],
            purpose=_pick(activity, "purpose", lang),
            legal_basis=labels.legal_basis_text(activity.legal_basis, lang),
            legitimate_interest=_pick(activity, "legitimate_interest", lang)
            if activity.legal_basis == "f"
            else "",
            special_condition=labels.special_condition_text(activity.special_category_condition, lang),
            subject_groups=tuple(subject_group_name(key, lang) for key in activity.subject_categories),
            data_categories=_category_names(
                [*activity.data_categories, *declared.get(activity.key, ())], lang
            ),
            recipient_categories=_pick(activity, "recipient_categories", lang),
            recipients=tuple(recipients[recipient.pk] for recipient in activity.recipients.all()),
            retention=_retention_view(activity.retention, lang),
            provision=_pick(activity, "provision", lang),
            further_retention=tuple(
                _retention_view(rules[key], lang)
                for key in sorted(further.get(activity.key, set()) - {activity.retention.key})
                if key in rules
            ),
            data_use=activity.data_use,
            enabled=activity.enabled,
        )
        for activity in activities
    ]
    return sorted(views, key=lambda view: view.name.casefold())


def _unique_recipients(activities: list[ActivityView]) -> list[RecipientView]:
    seen: dict[str, RecipientView] = {}
    for activity in activities:
        for recipient in activity.recipients:
            seen.setdefault(recipient.name, recipient)
    return sorted(seen.values(), key=lambda recipient: recipient.name.casefold())


def _unique_retention(activities: list[ActivityView]) -> list[RetentionView]:
    seen: dict[str, RetentionView] = {}
    for activity in activities:
        for rule in (activity.retention, *activity.further_retention):
            seen.setdefault(rule.key, rule)
    return sorted(seen.values(), key=lambda rule: rule.name.casefold())


def _controller(snapshot: RegisterSnapshot, lang: str) -> dict[str, str]:
    workspace = snapshot.workspace
    return {
        "name": workspace.legal_name or workspace.name,
        "street": workspace.street,
        "city": " ".join(part for part in (workspace.postal_code, workspace.city) if part),
        "country": labels.country_text(workspace.country, lang) if workspace.country else "",
        "email": workspace.email,
        "phone": workspace.phone,
        "website": workspace.website,
        "dpo_name": workspace.dpo_name,
        "dpo_email": workspace.dpo_email,
        "dpo_phone": workspace.dpo_phone,
        "authority": workspace.supervisory_authority,
        "authority_url": workspace.supervisory_authority_url,
        "representative": workspace.representative,
        "portal_url": portal_address(workspace),
    }


def portal_address(workspace: Workspace) -> str:
    """Where the workspace's contacts make requests about their data: the address the workspace
    gives, else the installation's own portal (``ZWECK_PUBLIC_URL``); empty when neither is known."""
    if workspace.privacy_portal_url:
        return workspace.privacy_portal_url
    base = str(getattr(settings, "ZWECK_PUBLIC_URL", "") or "").rstrip("/")
    if not base:
        return ""
    try:
        path = reverse("public:request_index")
    except NoReverseMatch:
        path = "/privacy/requests/"
    return f"{base}{path}?{urlencode({'workspace': workspace.slug})}"


def register_activities(snapshot: RegisterSnapshot, *, lang: str) -> list[ActivityView]:
    """Every activity of the register, those switched off included (the privacy officer's overview)."""
    _check_language(lang)
    return _activity_views(snapshot, lang, subject=None, switched_off=True)


def ropa_context(snapshot: RegisterSnapshot, *, lang: str) -> dict[str, Any]:
    """What the records of processing show, in ``lang``."""
    _check_language(lang)
    activities = _activity_views(snapshot, lang, subject=None)
    return {
        "lang": lang,
        "t": labels.texts(lang),
        "controller": _controller(snapshot, lang),
        "activities": activities,
        "transfers": [recipient for recipient in _unique_recipients(activities) if not recipient.in_eea],
        "recipients": _unique_recipients(activities),
        "security_measures": [
            {"title": _pick(measure, "title", lang), "description": _pick(measure, "description", lang)}
            for measure in snapshot.security_measures
        ],
        "ref": {letter: labels.article_30_text(letter, lang) for letter in "abcdefg"},
        "as_of": snapshot.taken_on.isoformat(),
    }


def notice_context(
    snapshot: RegisterSnapshot, *, subject: str, lang: str, as_of: date | None = None
) -> dict[str, Any]:
    """What the privacy notice for data-subject group ``subject`` shows, in ``lang``. ``as_of``:
    the date of the notice's version (default: the snapshot's day); ``UNDATED`` leaves the date
    out, so that a version's text changes only when the notice does (``notice_versions``)."""
    _check_language(lang)
    if subject not in DOCUMENT_SUBJECTS:
        raise DocumentError(
            f"Unknown data-subject group {subject!r}; use one of {', '.join(DOCUMENT_SUBJECTS)}."
        )
    activities = _activity_views(snapshot, lang, subject=subject)
    recipients = _unique_recipients(activities)
    preset = SUBJECT_GROUP_PRESETS[subject]
    text = labels.texts(lang)
    return {
        "lang": lang,
        "t": text,
        "subject": subject,
        "subject_name": subject_group_name(subject, lang),
        "controller": _controller(snapshot, lang),
        "activities": activities,
        "data_categories": sorted(
            {name for activity in activities for name in activity.data_categories}, key=str.casefold
        ),
        "source": preset.source_de if lang == "de" else preset.source_en,
        "recipients": recipients,
        "recipient_categories": sorted(
            {a.recipient_categories for a in activities if a.recipient_categories}
        ),
        "transfers": [recipient for recipient in recipients if not recipient.in_eea],
        "retention_rules": _unique_retention(activities),
        "provisions": [(activity.name, activity.provision) for activity in activities if activity.provision],
        "rights": [text[key] for key in labels.RIGHTS if key != "right_objection"],
        # Art. 21(4) GDPR: the right to object is set apart from everything else.
        "objection": {
            "legitimate": [activity.name for activity in activities if activity.legitimate_interest],
            "marketing": any(activity.data_use.startswith("marketing") for activity in activities),
        },
        "as_of": (as_of or snapshot.taken_on).isoformat() if as_of is not UNDATED else "",
    }


# ``as_of`` for a notice without its date (the text a version is compared by).
UNDATED = date.min


def _render(template: str, context: dict[str, Any], fmt: str) -> str | bytes:
    try:
        document_format = DocumentFormat(fmt)
    except ValueError as error:
        raise DocumentError(f"Unknown format {fmt!r}; use html, md or pdf.") from error
    with translation.override(context["lang"]):
        if document_format is DocumentFormat.MARKDOWN:
            markdown = render_to_string(f"privacy/{template}.md", context)
            # Template tags leave runs of blank lines behind; Markdown needs one at most.
            return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
        html = render_to_string(f"privacy/{template}.html", context)
    if document_format is DocumentFormat.HTML:
        return html
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def ropa_document(snapshot: RegisterSnapshot, *, lang: str = "de", fmt: str = "html") -> str | bytes:
    """The records of processing activities: text for html/md, bytes for pdf."""
    return _render("ropa", ropa_context(snapshot, lang=lang), fmt)


def notice_document(
    snapshot: RegisterSnapshot,
    *,
    subject: str,
    lang: str = "de",
    fmt: str = "html",
    as_of: date | None = None,
) -> str | bytes:
    """The privacy notice for one data-subject group: text for html/md, bytes for pdf."""
    return _render("notice", notice_context(snapshot, subject=subject, lang=lang, as_of=as_of), fmt)


def media_type(fmt: str) -> str:
    return {
        "html": "text/html; charset=utf-8",
        "md": "text/markdown; charset=utf-8",
        "pdf": "application/pdf",
    }[fmt]
