"""Importing contacts from CSV and XLSX files, validated and written in bulk.

Invariants:

- Every row is validated as ``person_create`` validates its input: email addresses through
  ``normalize_email``, phone numbers through ``normalize_phone`` (E.164), every text
  against its model field (length, choices, null characters) with the field's own
  messages. Nothing calls the per-row service: that would cost a transaction, a handful
  of queries and an audit event per row.
- All or nothing by default: when any row has an error, nothing is written and the report
  lists every error with its row number and column. With ``partial=True`` exactly the
  valid rows are written.
- An email address that already belongs to a contact of the workspace, or that an
  earlier row of the same file has, makes the row a duplicate: skipped and reported
  (``on_duplicate="skip"``) or an error (``"error"``).
- One transaction, bulk inserts, one audit event ``person.import`` with every new
  person's id as a subject. The report and the audit event carry row numbers, column
  names and ids, never a value from the file outside the report's own messages.
- Imported persons carry the chosen ``data_source`` (unless a row names its own) and a
  ``source_note`` naming the file, which the Art. 14 notice relies on.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core import spreadsheet
from zweck.core.permissions import Permission
from zweck.crm import search, search_text
from zweck.crm.choices import ContactLabel, DataSource, SubjectCategory
from zweck.crm.models import Organization, OrganizationMembership, Person, PersonEmail, PersonPhone
from zweck.crm.services.persons import normalize_email
from zweck.crm.validators import normalize_phone

OnDuplicate = Literal["skip", "error"]
ON_DUPLICATE_CHOICES: tuple[OnDuplicate, ...] = ("skip", "error")

BATCH_SIZE = 2000
"""Rows validated, checked for duplicates (one query) and inserted together."""

# Header spellings (lower-cased, with spaces and hyphens as underscores) → what they fill.
# "title" is the job title, as English CRMs use it; the academic title is "academic title"
# or German "Titel".
COLUMNS: dict[str, str] = {
    **dict.fromkeys(("first_name", "firstname", "given_name", "vorname"), "first_name"),
    **dict.fromkeys(("last_name", "lastname", "surname", "family_name", "nachname"), "last_name"),
    **dict.fromkeys(("email", "e_mail", "mail", "email_address", "e_mail_adresse"), "email"),
    **dict.fromkeys(("phone", "telephone", "phone_number", "telefon", "telefonnummer"), "phone"),
    **dict.fromkeys(("mobile", "mobile_phone", "mobil", "mobiltelefon", "handy"), "mobile"),
    **dict.fromkeys(("organization", "organisation", "company", "firma", "unternehmen"), "organization"),
    **dict.fromkeys(("position", "title", "job_title", "funktion"), "position"),
    **dict.fromkeys(("salutation", "anrede"), "salutation"),
    **dict.fromkeys(("academic_title", "titel"), "title"),
    **dict.fromkeys(("language", "sprache"), "language"),
    **dict.fromkeys(("notes", "note", "notizen", "notiz"), "notes"),
    **dict.fromkeys(("subject_category", "kategorie"), "subject_category"),
    **dict.fromkeys(("source", "quelle"), "source"),
}
PERSON_TEXT_FIELDS = ("salutation", "title", "first_name", "last_name", "position", "language", "notes")

_XLSX_MAGIC = b"PK\x03\x04"
_HEADER_SEPARATORS = re.compile(r"[\s\-]+")
# The ASCII dot-atom email_validator accepts and returns unchanged (RFC 5322 atext, a
# subset of it here); anything else takes the validator's full path.
_PLAIN_LOCAL_PART = re.compile(r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*")
_LOCAL_PART_MAX = 64
_EMAIL_MAX = 254


@dataclass(frozen=True)
class RowError:
    """One problem in the file: the row as a spreadsheet numbers it (header = 1), the column as written."""

    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import read, wrote and refused."""

    rows_read: int = 0
    created: int = 0
    skipped_duplicates: int = 0
    organizations_created: int = 0
    duplicate_rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)

    @property
    def written(self) -> bool:
        """Whether the import wrote anything (an all-or-nothing import with errors does not)."""
        return self.created > 0


@dataclass
class _Row:
    number: int
    person: dict[str, str]
    emails: list[str]
    phones: list[tuple[str, str]]  # (E.164, label)
    organization: str


class _Columns:
    """The file's header mapped to what each column fills."""

    def __init__(self, header: Sequence[str]) -> None:
        self.positions: dict[str, int] = {}
        self.titles: dict[str, str] = {}
        self.unknown: list[str] = []
        for index, title in enumerate(header):
            title = title.strip().lstrip("\ufeff").strip()
            if not title:
                continue
            target = COLUMNS.get(_HEADER_SEPARATORS.sub("_", title.lower()))
            if target is None or target in self.positions:
                self.unknown.append(title)
                continue
            self.positions[target] = index
            self.titles[target] = title
        if "last_name" not in self.positions:
            raise ValidationError(
                _("The file has no last name column (“last_name” or “Nachname”)."), code="no_last_name"
            )

    def title(self, target: str) -> str:
        return self.titles.get(target, target)


# --- reading the file -------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (which decodes anything)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _delimiter(text: str) -> str:
    """The separator the header line uses most: ``;`` (German spreadsheets), ``,`` or tab."""
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count) if any(c in header for c in ";,\t") else ","


def _csv_records(raw: bytes) -> Iterator[list[str]]:
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    # A file this product exported carries escaped formula cells; they are read back as written.
    return ([spreadsheet.restore(value) for value in record] for record in reader)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_records(raw: bytes) -> Iterator[list[str]]:
    import openpyxl  # imported here: only XLSX imports pay for loading it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(_("The file is not a readable XLSX workbook."), code="bad_file") from error
    try:
        sheet = workbook.active
        if sheet is None:
            return
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _records(raw: bytes, fmt: str | None) -> Iterator[list[str]]:
    if fmt == "xlsx" or (fmt is None and raw.startswith(_XLSX_MAGIC)):
        return _xlsx_records(raw)
    return _csv_records(raw)


# --- validating rows --------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _normalized_domain(domain: str) -> str | None:
    """The domain as ``normalize_email`` writes it, or ``None`` when it refuses the domain."""
    try:
        return normalize_email(f"x@{domain}").rpartition("@")[2]
    except ValidationError:
        return None


def import_normalize_email(value: str) -> str:
    """``normalize_email``'s answer, without validating the same domain again for every row.

    A plain ASCII local part is returned as written by the validator (but for the role
    mailboxes it lower-cases), and the domain's
    normalization does not depend on the local part, so the domain's answer is cached;
    every other address takes ``normalize_email`` itself (tests compare the two).
    """
    address = value.strip()
    local, at, domain = address.rpartition("@")
    # Role mailboxes (postmaster, www, abuse, ...; RFC 2142) are lower-cased by the validator.
    if (
        at
        and len(local) <= _LOCAL_PART_MAX
        and _PLAIN_LOCAL_PART.fullmatch(local)
        and local.lower() not in CASE_INSENSITIVE_MAILBOX_NAMES
    ):
        normalized_domain = _normalized_domain(domain)
        if normalized_domain is not None and len(local) + 1 + len(normalized_domain) <= _EMAIL_MAX:
            return f"{local}@{normalized_domain}"
    return normalize_email(value)


def _field_error(model: type[models.Model], name: str, value: str) -> str | None:
    """The first message the model field gives for ``value`` in ``full_clean``, or ``None``."""
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    max_length = model_field.max_length
    # The common case, decided without Django's validator machinery.
    if (
        value
        and not model_field.choices
        and (max_length is None or len(value) <= max_length)
        and "\x00" not in value
    ):
        return None
    if not value and model_field.blank:
        return None
    try:
        model_field.clean(value, None)
    except ValidationError as error:
        return error.messages[0]
    return None


def _choice(value: str, choices: type[models.TextChoices]) -> str | None:
    """A choice given by its value or its label (any case); ``None`` when it is neither."""
    wanted = value.strip().casefold()
    for choice in choices:
        if wanted in (choice.value.casefold(), str(choice.label).casefold()):
            return choice.value
    return None


class _Validator:
    def __init__(
        self, columns: _Columns, *, data_source: str, subject_category: str, source_note: str
    ) -> None:
        self.columns = columns
        self.defaults = {
            "source": data_source,
            "subject_category": subject_category,
            "source_note": source_note,
        }

    def row(self, number: int, record: Sequence[str], errors: list[RowError]) -> _Row | None:
        def cell(target: str) -> str:
            position = self.columns.positions.get(target)
            if position is None or position >= len(record):
                return ""
            return record[position].strip()

        def refuse(target: str, message: str) -> None:
            errors.append(RowError(number, self.columns.title(target), message))

        before = len(errors)
        person = dict(self.defaults)
        for name in PERSON_TEXT_FIELDS:
            value = cell(name)
            message = _field_error(Person, name, value)
            if message:
                refuse(name, message)
            person[name] = value
        for name, choices in (("subject_category", SubjectCategory), ("source", DataSource)):
            given = cell(name)
            if given:
                chosen = _choice(given, choices)
                if chosen is None:
                    refuse(name, _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)})
                else:
                    person[name] = chosen
        emails: list[str] = []
        if address := cell("email"):
            try:
                emails.append(import_normalize_email(address))
            except ValidationError as error:
                refuse("email", error.messages[0])
        phones: list[tuple[str, str]] = []
        for name, label in (("phone", ContactLabel.WORK.value), ("mobile", ContactLabel.MOBILE.value)):
            if number_text := cell(name):
                try:
                    number_e164 = normalize_phone(number_text)
                except ValidationError as error:
                    refuse(name, error.messages[0])
                    continue
                if all(number_e164 != known for known, _label in phones):
                    phones.append((number_e164, label))
        organization = cell("organization")
        if organization and (message := _field_error(Organization, "name", organization)):
            refuse("organization", message)
        if len(errors) > before:
            return None
        return _Row(number, person, emails, phones, organization)


# --- writing --------------------------------------------------------------------------------


def _insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert ``rows`` (values already in the database's form) and return their new ids in order.

    The ORM's ``bulk_create`` spends most of an import's time building statements; COPY
    (PostgreSQL) and ``executemany`` (SQLite) take the rows as they are.
    """
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Ids from the table's own sequence, so concurrent inserts never collide with ours.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            with cursor.cursor.copy(f"COPY {table} (id, {names}) FROM STDIN") as copy:
                for new_id, row in zip(ids, rows, strict=True):
                    copy.write_row((new_id, *row))
            return ids
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)  # noqa: S608
        # The transaction holds SQLite's write lock, and AUTOINCREMENT hands out ids one
        # after another, so the rows got the ids just below the last one.
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
        return list(range(last - len(rows) + 1, last + 1))


STAMP_COLUMNS = ("workspace_id", "created_at", "updated_at", "created_by_id", "updated_by_id")
PERSON_COLUMNS = (*STAMP_COLUMNS, "salutation", "title", "first_name", "last_name", "position", "language",
                  "subject_category", "source", "source_note", "notes", "search_text")  # fmt: skip


class _Writer:
    """Inserts validated rows in bulk, reusing and creating organizations by name."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        now = timezone.now()
        self.stamps: dict[str, Any] = {
            "workspace_id": actor.workspace_id,
            "created_by_id": actor.user_id,
            "updated_by_id": actor.user_id,
            "created_at": now,
            "updated_at": now,
        }
        stored_now = connection.ops.adapt_datetimefield_value(now)
        self.stamp_values = (actor.workspace_id, stored_now, stored_now, actor.user_id, actor.user_id)
        self.organizations: dict[str, tuple[int, str]] | None = None
        self.organizations_created = 0

    def _organizations_for(self, names: Iterable[str]) -> None:
        """Existing organizations by name, any case (the oldest of equal names), and new ones for the rest."""
        if self.organizations is None:
            # Every name of the workspace, read once: neither SQLite's LOWER nor PostgreSQL's
            # under the C locale folds "Ä", and names repeat across an import's batches.
            self.organizations = {}
            stored = Organization.objects.in_workspace(self.actor.workspace_id).order_by("-id")
            for organization_id, name in stored.values_list("id", "name").iterator(chunk_size=BATCH_SIZE):
                self.organizations[name.lower()] = (organization_id, name)
        known = self.organizations
        wanted: dict[str, str] = {}
        for name in names:
            if name and name.lower() not in known:
                wanted.setdefault(name.lower(), name)  # the first spelling in the file
        new = [
            Organization(name=name, search_text=search_text.compose(names=[name]), **self.stamps)
            for name in wanted.values()
        ]
        Organization.objects.bulk_create(new)
        for organization in new:
            known[organization.name.lower()] = (organization.pk, organization.name)
        self.organizations_created += len(new)

    def write(self, rows: Sequence[_Row]) -> list[int]:
        if not rows:
            return []
        self._organizations_for(row.organization for row in rows)
        known = self.organizations or {}
        stamps = self.stamp_values
        person_rows = []
        documents: dict[int, str] = {}
        for row in rows:
            person = row.person
            organization_name = known[row.organization.lower()][1] if row.organization else ""
            # Built exactly as person_refresh_search_text builds it from the stored rows.
            document = search_text.compose(
                names=[person["title"], person["first_name"], person["last_name"]],
                emails=row.emails,
                phones=[number for number, _label in row.phones],
                extra=[organization_name, person["position"]],
            )
            person_rows.append((*stamps, *(person[name] for name in PERSON_COLUMNS[5:-1]), document))
        ids = _insert(Person, PERSON_COLUMNS, person_rows)
        for person_id, person_row in zip(ids, person_rows, strict=True):
            documents[person_id] = str(person_row[-1])
        search.persons_index_new(workspace_id=self.actor.workspace_id, documents=documents)
        emails: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        memberships: list[tuple[Any, ...]] = []
        for person_id, row in zip(ids, rows, strict=True):
            emails.extend(
                (*stamps, person_id, email, ContactLabel.WORK.value, index == 0)
                for index, email in enumerate(row.emails)
            )
            phones.extend(
                (*stamps, person_id, number, label, index == 0)
                for index, (number, label) in enumerate(row.phones)
            )
            if row.organization:
                organization_id = known[row.organization.lower()][0]
                memberships.append((*stamps, person_id, organization_id, "", True))
        _insert(PersonEmail, (*STAMP_COLUMNS, "person_id", "email", "label", "is_primary"), emails)
        _insert(PersonPhone, (*STAMP_COLUMNS, "person_id", "number", "label", "is_primary"), phones)
        _insert(
            OrganizationMembership,
            (*STAMP_COLUMNS, "person_id", "organization_id", "role", "is_primary"),
            memberships,
        )
        return ids


# --- the import -------------------------------------------------------------------------------


def _batches(records: Iterator[list[str]]) -> Iterator[list[tuple[int, list[str]]]]:
    batch: list[tuple[int, list[str]]] = []
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        batch.append((number, record))
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def person_import(
    *,
    actor: Actor,
    file: IO[bytes],
    file_name: str = "",
    fmt: Literal["csv", "xlsx"] | None = None,
    on_duplicate: OnDuplicate = "skip",
    partial: bool = False,
    data_source: str = DataSource.OTHER,
    subject_category: str = SubjectCategory.BUSINESS_CONTACT,
) -> ImportReport:
    """Create contacts from a CSV or XLSX file with a header row; see the module for the rules.

    ``fmt`` ``None`` tells XLSX from CSV by the file's first bytes. A file that cannot be
    read, or has no last name column, raises ``ValidationError``; problems in rows are
    listed in the report. Rows whose source column is empty get ``data_source``.
    """
    actor.require(Permission.CRM_CHANGE)
    if on_duplicate not in ON_DUPLICATE_CHOICES:
        raise ValidationError({"on_duplicate": _("Choose skip or error.")})
    if data_source not in DataSource.values:
        raise ValidationError(
            {"data_source": _("Choose one of: %(choices)s.") % {"choices": ", ".join(DataSource.values)}}
        )
    if subject_category not in SubjectCategory.values:
        raise ValidationError(
            {
                "subject_category": _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(SubjectCategory.values)}
            }
        )
    records = _records(file.read(), fmt)
    try:
        header = next(records)
    except StopIteration:
        raise ValidationError(_("The file is empty."), code="empty") from None
    except csv.Error as error:
        raise ValidationError(_("The file is not a readable CSV file."), code="bad_file") from error
    columns = _Columns(header)
    name = file_name or _("an uploaded file")
    source_note = (_("Imported from %(file)s") % {"file": name})[
        : Person._meta.get_field("source_note").max_length
    ]
    validator = _Validator(
        columns, data_source=data_source, subject_category=subject_category, source_note=source_note
    )
    writer = _Writer(actor)
    report = ImportReport(unknown_columns=columns.unknown)
    seen_emails: dict[str, int] = {}
    try:
        for batch in _batches(records):
            report.rows_read += len(batch)
            valid = [row for number, record in batch if (row := validator.row(number, record, report.errors))]
            valid = _without_duplicates(actor, valid, seen_emails, on_duplicate, columns, report)
            if partial or not report.errors:
                report.person_ids.extend(writer.write(valid))
    except csv.Error as error:
        raise ValidationError(_("The file is not a readable CSV file."), code="bad_file") from error
    if report.errors and not partial:
        # Bad input loses nothing: what earlier batches wrote goes again.
        transaction.set_rollback(True)
        report.person_ids = []
        return report
    report.created = len(report.person_ids)
    report.organizations_created = writer.organizations_created
    if report.person_ids:
        audit_record(
            actor=actor, action="person.import", object_type="crm.person", subject_ids=report.person_ids
        )
    return report


def _without_duplicates(
    actor: Actor,
    rows: list[_Row],
    seen: dict[str, int],
    on_duplicate: OnDuplicate,
    columns: _Columns,
    report: ImportReport,
) -> list[_Row]:
    """The rows whose email address neither the workspace nor an earlier row has (one query)."""
    addresses = [email for row in rows for email in row.emails]
    taken = (
        set(
            PersonEmail.objects.in_workspace(actor.workspace_id)
            .filter(email__in=addresses)
            .values_list("email", flat=True)
        )
        if addresses
        else set()
    )
    kept = []
    for row in rows:
        message = None
        for email in row.emails:
            if email in taken:
                message = _("%(email)s already belongs to another contact.") % {"email": email}
            elif email.lower() in seen:
                message = _("%(email)s is in row %(row)s already.") % {
                    "email": email,
                    "row": seen[email.lower()],
                }
        for email in row.emails:
            seen.setdefault(email.lower(), row.number)
        if message is None:
            kept.append(row)
        elif on_duplicate == "error":
            report.errors.append(RowError(row.number, columns.title("email"), message))
        else:
            report.skipped_duplicates += 1
            report.duplicate_rows.append(row.number)
    return kept


def person_import_csv(
    *,
    actor: Actor,
    file: IO[bytes],
    file_name: str = "",
    on_duplicate: OnDuplicate = "skip",
    partial: bool = False,
    data_source: str = DataSource.OTHER,
    subject_category: str = SubjectCategory.BUSINESS_CONTACT,
) -> ImportReport:
    """``person_import`` of a CSV file (UTF-8 or Windows-1252, ``,`` or ``;``)."""
    return person_import(
        actor=actor,
        file=file,
        file_name=file_name,
        fmt="csv",
        on_duplicate=on_duplicate,
        partial=partial,
        data_source=data_source,
        subject_category=subject_category,
    )
