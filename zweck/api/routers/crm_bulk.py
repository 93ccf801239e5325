"""/persons/import and /persons/export: contacts in bulk, as files.

Mounted before the persons router, so ``/persons/import`` is never read as a person id.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zweck.api.auth import actor_of
from zweck.api.errors import error_body
from zweck.api.operations import answers
from zweck.crm.choices import DataSource, SubjectCategory
from zweck.crm.exports import person_export_stream
from zweck.crm.imports import ImportReport, person_import

router = Router(tags=["persons"])


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportReportOut(Schema):
    """What an import read, wrote and refused; ``errors`` name the row (header = 1) and column."""

    rows_read: int
    created: int
    skipped_duplicates: int
    organizations_created: int
    duplicate_rows: list[int]
    unknown_columns: list[str]
    errors: list[RowErrorOut]


def _report_body(report: ImportReport) -> dict[str, Any]:
    return {
        "rows_read": report.rows_read,
        "created": report.created,
        "skipped_duplicates": report.skipped_duplicates,
        "organizations_created": report.organizations_created,
        "duplicate_rows": report.duplicate_rows,
        "unknown_columns": report.unknown_columns,
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in report.errors],
    }


@router.post("/import", response=answers(ImportReportOut))
def import_persons(
    request: HttpRequest,
    file: File[UploadedFile],
    on_duplicate: Form[Literal["skip", "error"]] = "skip",
    partial: Form[bool] = False,
    source: Form[DataSource] = DataSource.OTHER,
    subject_category: Form[SubjectCategory] = SubjectCategory.BUSINESS_CONTACT,
) -> Any:
    """Create contacts from a CSV (UTF-8 or Windows-1252, `,` or `;`) or XLSX file with a header row.

    Columns are found by their English or German names (`last_name`/`Nachname` is required).
    With any row in error nothing is written (422, every error listed) unless `partial` is
    true; duplicates of an email address are skipped (`on_duplicate=skip`) or errors.
    """
    report = person_import(
        actor=actor_of(request),
        file=file,
        file_name=file.name or "",
        on_duplicate=on_duplicate,
        partial=partial,
        data_source=source,
        subject_category=subject_category,
    )
    if report.errors and not partial:
        # The common error body; a field names the row (header = 1) and the column as written.
        return Status(
            422,
            error_body(
                _("The file has errors; nothing was imported."),
                [(f"rows.{e.row}.{e.column}", e.message) for e in report.errors],
            ),
        )
    return _report_body(report)


@router.get("/export", response=answers(None))
def export_persons(request: HttpRequest) -> StreamingHttpResponse:
    """Every visible contact as CSV (UTF-8), streamed: id, names, position, primary email and phone, organizations, category, source, timestamps."""
    lines = person_export_stream(actor=actor_of(request))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contacts.csv"'
    return response
