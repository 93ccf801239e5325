"""Public privacy pages: the privacy notices, generated from the workspace's register, with
every earlier version and what changed.

Anyone may read them (Art. 12(1), 13, 14 GDPR); ``?workspace=<slug>`` names the workspace
where an installation has several, ``?lang=de|en`` the language, ``?format=pdf|md`` a download.
A notice is dated by its current version: the day its text last changed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from zweck.accounts.models import Workspace
from zweck.privacy import labels
from zweck.privacy.defaults import NOTICE_SUBJECTS
from zweck.privacy.documents import media_type, notice_context, notice_document, subject_group_name
from zweck.privacy.models import NoticeVersion
from zweck.privacy.notice_versions import (
    notice_blocks,
    notice_changes,
    notice_history,
    notice_version_current,
    notice_version_get,
    notice_version_list,
)
from zweck.privacy.selectors import RegisterSnapshot, published_register


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang") or translation.get_language() or "de"
    return asked if asked in labels.LANGUAGES else "de"


def _snapshot(request: HttpRequest) -> RegisterSnapshot:
    try:
        return published_register(workspace_slug=request.GET.get("workspace") or None)
    except Workspace.DoesNotExist as error:
        raise Http404 from error


@require_GET
def notice_index(request: HttpRequest) -> HttpResponse:
    snapshot = _snapshot(request)
    lang = _language(request)
    context = {
        "lang": lang,
        "t": labels.texts(lang),
        "controller": {"name": snapshot.workspace.legal_name or snapshot.workspace.name},
        "subjects": [(subject, subject_group_name(subject, lang)) for subject in NOTICE_SUBJECTS],
        "workspace_slug": request.GET.get("workspace", ""),
    }
    with translation.override(lang):
        return render(request, "public/notice_index.html", context)


def _query(request: HttpRequest, lang: str) -> str:
    """The query string that keeps the workspace and the language on the next page."""
    slug = request.GET.get("workspace", "")
    return urlencode({"workspace": slug, "lang": lang} if slug else {"lang": lang})


def _version_label(version: NoticeVersion, lang: str) -> str:
    return labels.text("version_of", lang) % {
        "number": version.number,
        "date": labels.date_text(timezone.localdate(version.created_at), lang),
    }


@require_GET
def notice(request: HttpRequest, subject: str) -> HttpResponse:
    if subject not in NOTICE_SUBJECTS:
        raise Http404
    snapshot = _snapshot(request)
    lang = _language(request)
    version = notice_version_current(workspace=snapshot.workspace, subject=subject, lang=lang)
    as_of = timezone.localdate(version.created_at)
    fmt = request.GET.get("format", "html")
    if fmt in ("pdf", "md"):
        response = HttpResponse(
            notice_document(snapshot, subject=subject, lang=lang, fmt=fmt, as_of=as_of),
            content_type=media_type(fmt),
        )
        if fmt == "pdf":
            response["Content-Disposition"] = f'inline; filename="privacy-notice-{subject}-{lang}.pdf"'
        return response
    context = notice_context(snapshot, subject=subject, lang=lang, as_of=as_of)
    context["workspace_slug"] = request.GET.get("workspace", "")
    context["query"] = _query(request, lang)
    context["version_label"] = f"{labels.text('version', lang)} {version.number}"
    with translation.override(lang):
        response = render(request, "public/notice.html", context)
    response["Content-Language"] = lang
    return response


def _history_context(request: HttpRequest, subject: str) -> tuple[Workspace, str, dict[str, object]]:
    if subject not in NOTICE_SUBJECTS:
        raise Http404
    workspace = _snapshot(request).workspace
    lang = _language(request)
    return (
        workspace,
        lang,
        {
            "lang": lang,
            "t": labels.texts(lang),
            "subject": subject,
            "subject_name": subject_group_name(subject, lang),
            "controller": {"name": workspace.legal_name or workspace.name},
            "workspace_slug": request.GET.get("workspace", ""),
            "query": _query(request, lang),
        },
    )


def _render_public(
    request: HttpRequest, template: str, context: dict[str, object], lang: str
) -> HttpResponse:
    with translation.override(lang):
        response = render(request, template, context)
    response["Content-Language"] = lang
    return response


@require_GET
def notice_versions(request: HttpRequest, subject: str) -> HttpResponse:
    """Every version of one notice, the newest first, each with what changed from the one before."""
    workspace, lang, context = _history_context(request, subject)
    versions = notice_version_list(workspace=workspace, subject=subject, lang=lang)
    context["history"] = [
        {"entry": entry, "label": _version_label(entry.version, lang)} for entry in notice_history(versions)
    ]
    return _render_public(request, "public/notice_history.html", context, lang)


@require_GET
def notice_version(request: HttpRequest, subject: str, number: int) -> HttpResponse:
    """One version of a notice in full, as it was published, with what changed from the one before."""
    workspace, lang, context = _history_context(request, subject)
    try:
        version = notice_version_get(workspace=workspace, subject=subject, lang=lang, number=number)
    except NoticeVersion.DoesNotExist as error:
        raise Http404 from error
    previous = (
        notice_version_get(workspace=workspace, subject=subject, lang=lang, number=number - 1)
        if number > 1
        else None
    )
    context.update(
        {
            "version": version,
            "label": _version_label(version, lang),
            "blocks": notice_blocks(version.text),
            "changes": notice_changes(previous.text, version.text) if previous is not None else [],
            "is_first": previous is None,
        }
    )
    return _render_public(request, "public/notice_version.html", context, lang)
