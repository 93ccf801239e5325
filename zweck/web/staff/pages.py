"""The shapes every entity's pages share: a form page, a delete confirmation, an archive toggle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect

from zweck.web.staff.access import StaffRequest, redirect_back, render_page


class SubmittableForm[T](Protocol):
    def is_valid(self) -> bool: ...

    def submit(self) -> T | None: ...


def form_page[T](
    request: StaffRequest,
    form: SubmittableForm[T],
    *,
    heading: str,
    done: Callable[[T], tuple[str, str]],
    cancel_url: str = "",
    submit_label: str = "",
    template: str = "staff/form.html",
) -> HttpResponse:
    """Show ``form``; on a valid POST submit it, and ``done(result)`` gives the message and next page.
    ``template``: a page of its own for a form that lays its fields out in sections."""
    if request.method == "POST" and form.is_valid():
        result = form.submit()
        if result is not None:
            message, url = done(result)
            messages.success(request, message)
            return HttpResponseRedirect(url)
    return render_page(
        request,
        template,
        {"form": form, "heading": heading, "cancel_url": cancel_url, "submit_label": submit_label},
    )


def delete_page(
    request: StaffRequest,
    *,
    delete: Callable[[], None],
    heading: str,
    explanation: str,
    cancel_url: str,
    deleted_message: str,
    deleted_url: str,
) -> HttpResponse:
    """Ask for confirmation; on POST call ``delete``. A refusal of the service is shown as a message."""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(cancel_url)
        messages.success(request, deleted_message)
        return redirect_back(request, deleted_url)
    return render_page(
        request,
        "staff/confirm_delete.html",
        {"heading": heading, "explanation": explanation, "cancel_url": cancel_url},
    )


def archive_toggle(
    request: StaffRequest,
    *,
    archived: bool,
    archive: Callable[[bool], object],
    messages_for: tuple[str, str],
    url: str,
) -> HttpResponse:
    """Archive when not archived, restore when archived; ``messages_for`` is (archived, restored)."""
    archive(not archived)
    messages.success(request, messages_for[0] if not archived else messages_for[1])
    return HttpResponseRedirect(url)
