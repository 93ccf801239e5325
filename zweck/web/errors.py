"""The pages for 403, 404 and 500, in the visitor's language.

A signed-in member sees them inside the staff frame (sidebar, search, user menu), so the way
on is one click away; anyone else, and every 500, gets the plain frame. The 500 page reads
nothing from the database (the database may be why it is shown) and the others no more than
the frame needs.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zweck.web.staff.navigation import Shell


def _page(request: HttpRequest, status: int, heading: str, text: str, *, plain: bool = False) -> HttpResponse:
    shell = Shell(request)
    in_staff = not plain and request.path.startswith("/app/") and shell.actor is not None
    template = "errors/staff.html" if in_staff else "errors/plain.html"
    context = {"status": status, "heading": heading, "text": text, "shell": shell}
    return render(request, template, context, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        _("You may not open this page"),
        _(
            "Your role in this workspace does not include it. Ask the workspace's owner or an administrator if you need it for your work."
        ),
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Page not found"),
        _(
            "There is nothing at this address. The record may have been deleted or merged, or the link is incomplete."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        500,
        _("Something went wrong on our side"),
        _(
            "The error has been logged and nothing was saved halfway. Try again in a moment; if it happens again, tell your administrator what you were doing."
        ),
        plain=True,
    )
