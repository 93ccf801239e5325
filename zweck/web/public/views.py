"""Public privacy pages: the privacy notices, generated from the workspace's register.

Anyone may read them (Art. 12(1), 13, 14 GDPR); ``?workspace=<slug>`` names the workspace
where an installation has several, ``?lang=de|en`` the language, ``?format=pdf|md`` a download.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from zweck.accounts.models import Workspace
from zweck.privacy import labels
from zweck.privacy.defaults import NOTICE_SUBJECTS
from zweck.privacy.documents import media_type, notice_context, notice_document, subject_group_name
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


@require_GET
def notice(request: HttpRequest, subject: str) -> HttpResponse:
    if subject not in NOTICE_SUBJECTS:
        raise Http404
    snapshot = _snapshot(request)
    lang = _language(request)
    fmt = request.GET.get("format", "html")
    if fmt in ("pdf", "md"):
        response = HttpResponse(
            notice_document(snapshot, subject=subject, lang=lang, fmt=fmt), content_type=media_type(fmt)
        )
        if fmt == "pdf":
            response["Content-Disposition"] = f'inline; filename="privacy-notice-{subject}-{lang}.pdf"'
        return response
    context = notice_context(snapshot, subject=subject, lang=lang)
    context["workspace_slug"] = request.GET.get("workspace", "")
    with translation.override(lang):
        response = render(request, "public/notice.html", context)
    response["Content-Language"] = lang
    return response
