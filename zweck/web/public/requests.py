"""Public privacy portal: a form per right, the verification link, the status page, the download.

Before verification every answer is the same whatever address was given (see
``zweck.privacy.portal``); these views only parse, call one portal service, and render.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from zweck.accounts.models import Workspace
from zweck.core.clients import client_address
from zweck.privacy import portal
from zweck.privacy.exports import formats_of, media_type
from zweck.privacy.request_models import ObjectionScope, RequestKind
from zweck.privacy.selectors import workspace_by_slug

DOWNLOAD_FORMATS = {kind: formats_of(kind) for kind in (RequestKind.ACCESS, RequestKind.PORTABILITY)}


class RequestForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    details = forms.CharField(label=_("Your request"), widget=forms.Textarea, required=False, max_length=5000)
    objection_scope = forms.ChoiceField(
        label=_("You object to"),
        choices=[c for c in ObjectionScope.choices if c[0]],
        required=False,
    )


def _workspace(request: HttpRequest) -> Workspace:
    try:
        return workspace_by_slug(slug=request.GET.get("workspace") or request.POST.get("workspace") or None)
    except Workspace.DoesNotExist as error:
        raise Http404 from error


@require_GET
def request_index(request: HttpRequest) -> HttpResponse:
    _workspace(request)
    return render(
        request,
        "public/requests/index.html",
        {"kinds": RequestKind.choices, "workspace_slug": request.GET.get("workspace", "")},
    )


@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in RequestKind.values:
        raise Http404
    workspace = _workspace(request)
    form = RequestForm(request.POST or None)
    context = {
        "form": form,
        "kind": kind,
        "kind_label": RequestKind(kind).label,
        "workspace_slug": workspace.slug,
    }
    if request.method == "POST" and form.is_valid():
        try:
            portal.portal_request_submit(
                workspace=workspace,
                kind=kind,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                details=form.cleaned_data["details"],
                objection_scope=form.cleaned_data["objection_scope"],
                client_ip=client_address(request) or "",
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except portal.RateLimited as error:
            return render(request, "public/requests/message.html", {"message": error.message}, status=429)
        return render(request, "public/requests/sent.html", context)
    return render(request, "public/requests/form.html", context)


@require_GET
def request_verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        access = portal.portal_request_verify(token=token)
    except portal.LinkInvalid as error:
        return render(request, "public/requests/message.html", {"message": error.message}, status=410)
    return HttpResponseRedirect(reverse("public:request_status", args=[access]))


@require_GET
def request_status(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = portal.portal_request_status(token=token)
    except portal.LinkInvalid as error:
        return render(request, "public/requests/message.html", {"message": error.message}, status=410)
    return render(
        request,
        "public/requests/status.html",
        {
            "request_row": found,
            "token": token,
            "has_data": found.persons.exists(),
            "formats": DOWNLOAD_FORMATS.get(RequestKind(found.kind), ()),
        },
    )


@require_GET
def request_download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    try:
        found = portal.portal_request_status(token=token)
        if fmt not in DOWNLOAD_FORMATS.get(RequestKind(found.kind), ()):
            raise Http404
        body = portal.portal_export(token=token, fmt=fmt)
    except portal.LinkInvalid as error:
        return render(request, "public/requests/message.html", {"message": error.message}, status=410)
    response = HttpResponse(body, content_type=media_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="personal-data.{fmt}"'
    return response
