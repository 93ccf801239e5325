"""The end of the contract, as the workspace's owners see it: the contract's end and the deletion
date the operator set, the warnings sent, and the download of everything the workspace holds
(from the page, or from the signed link in a warning email)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.core.permissions import Permission
from zweck.privacy.offboarding import WARNING_DAYS, workspace_contract_facts
from zweck.privacy.workspace_data import (
    DownloadLinkExpired,
    DownloadLinkInvalid,
    download_link_actor,
    workspace_export,
)
from zweck.web.staff.access import StaffRequest, render_page, staff_view


@require_GET
@staff_view(Permission.WORKSPACE_MANAGE)
def contract_page(request: StaffRequest) -> HttpResponse:
    facts = workspace_contract_facts(actor=request.actor)
    return render_page(
        request, "staff/workspace/contract.html", {"facts": facts, "warning_days": WARNING_DAYS}
    )


def _zip_response(actor: Actor) -> HttpResponse:
    chunks = workspace_export(actor=actor, lang=translation.get_language() or "en")
    # A StreamingHttpResponse is no HttpResponse to the type checker; Django serves both alike.
    response: Any = StreamingHttpResponse(chunks, content_type="application/zip")
    name = f"{actor.workspace.slug}-{timezone.localdate().isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return cast(HttpResponse, response)


@require_GET
@never_cache
@staff_view(Permission.WORKSPACE_MANAGE)
def workspace_download(request: StaffRequest) -> HttpResponse:
    return _zip_response(request.actor)


@require_GET
@never_cache
def workspace_download_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a warning email: it works for the owner it was sent to, once signed in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        actor = download_link_actor(token=token, user=cast(User, request.user))
    except DownloadLinkExpired:
        message, status = (
            _("This download link has expired. The workspace's contract page may still offer the download."),
            410,
        )
    except DownloadLinkInvalid:
        message, status = (
            _(
                "This download link does not work for you. It works only for the owner it was sent to, signed in, while they are an owner of the workspace."
            ),
            404,
        )
    else:
        response = _zip_response(actor)
        response["Referrer-Policy"] = "no-referrer"
        return response
    return render(request, "staff/workspace/link_refused.html", {"message": message}, status=status)
