"""Direct transmission (Art. 20(2) GDPR): another controller downloads a portability export
through the signed link the privacy officer handed it, without an account. A link that this
installation did not make answers 404, one whose time is up (or whose request no longer allows
it) 410, each with a page that says so."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from zweck.privacy import transmission
from zweck.privacy.exports import media_type


def _refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "public/transmission.html", {"message": message}, status=status)


@require_GET
@never_cache
def transmission_download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        sent = transmission.transmission_download(token=token)
    except transmission.LinkExpired:
        return _refusal(request, _("This link has expired. Ask the sender for a new one."), 410)
    except transmission.LinkWithdrawn:
        return _refusal(request, _("This export is no longer available."), 410)
    except transmission.LinkInvalid:
        return _refusal(request, _("This link is not valid. Check that it was copied completely."), 404)
    response = HttpResponse(sent.body, content_type=media_type(sent.fmt))
    response["Content-Disposition"] = (
        f'attachment; filename="portability-export-{sent.request_id}.{sent.fmt}"'
    )
    # The link is the credential: it is not passed on to other sites, nor indexed.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
