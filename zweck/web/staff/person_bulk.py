"""Contacts in bulk: the import page (upload a file, read the report) and the CSV export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from zweck.core.permissions import Permission
from zweck.crm.choices import DataSource
from zweck.crm.exports import person_export_stream
from zweck.crm.imports import person_import
from zweck.web.staff.access import StaffRequest, render_page, staff_view


class PersonImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (comma or semicolon) or Excel (XLSX) with a header row.")
    )
    source = forms.ChoiceField(
        label=_("Source of the data"),
        choices=DataSource.choices,
        initial=DataSource.RECEIVED_FROM_CLIENT,
        help_text=_("For rows that do not name their own; the privacy notice tells the contacts."),
    )
    on_duplicate = forms.ChoiceField(
        label=_("Known email addresses"),
        choices=[("skip", _("Skip the row")), ("error", _("Treat as an error"))],
        initial="skip",
    )
    partial = forms.BooleanField(
        label=_("Import the valid rows even if other rows have errors"), required=False
    )


@staff_view(Permission.CRM_CHANGE)
def person_import_page(request: StaffRequest) -> HttpResponse:
    form = PersonImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = person_import(
                actor=request.actor,
                file=upload,
                file_name=upload.name or "",
                on_duplicate=form.cleaned_data["on_duplicate"],
                partial=form.cleaned_data["partial"],
                data_source=form.cleaned_data["source"],
            )
        except ValidationError as error:
            form.add_error("file", error)
    status = 422 if report is not None and report.errors and not report.written else 200
    if form.errors:
        status = 422
    return render_page(
        request,
        "staff/persons/import.html",
        {"heading": _("Import contacts"), "form": form, "report": report},
        status=status,
    )


@staff_view(Permission.CRM_VIEW, Permission.CONTACT_EXPORT)
def person_export_csv(request: StaffRequest) -> HttpResponse:
    # A StreamingHttpResponse is no HttpResponse to the type checker; Django serves both alike.
    response: Any = StreamingHttpResponse(
        person_export_stream(actor=request.actor), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="contacts.csv"'
    return response
