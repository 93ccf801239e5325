"""A fast, deterministic generator of large CRM data sets, for the benchmark.

It writes rows directly (``COPY`` on PostgreSQL, batched ``executemany`` on SQLite) instead
of calling the services, because a million service calls take hours. Invariants, since
nothing else checks them on this path:

- Every row is what the services would have written: workspace id, timestamps, E.164 phone
  numbers that ``phonenumbers`` accepts, normalized emails on example.com, VAT IDs with
  valid check digits, one primary email/phone, ``search_text`` from ``search_text.compose``
  with the same arguments as ``person_refresh_search_text`` and the organization services,
  and the search postings and dictionary keys ``search.person_index`` would write for it.
  ``tests/test_seed.py`` re-validates a sample with ``full_clean()`` and the services.
- The whole run is one transaction with one audit event (not one per row), so a failed run
  leaves nothing behind. Ids are allocated above everything in the tables, which are locked
  against concurrent writers for the run; sequences are moved past them at the end.
- Same seed, counts and anchor day → the same data, on either database.
- Generation touches no database; it runs in a thread while the main thread writes, so
  Python and the database server work at the same time.
"""

from __future__ import annotations

import queue
import random
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F
from stdnum.at import uid as at_uid
from stdnum.ie import vat as ie_vat
from stdnum.iso7064 import mod_11_10

from zweck.accounts.actors import Actor
from zweck.accounts.models import Membership, Workspace
from zweck.audit.services import audit_record
from zweck.cli import seed_words as words
from zweck.crm import search_text
from zweck.crm.choices import ActivityKind, DataSource, DealStatus, SubjectCategory
from zweck.crm.models import (
    Activity,
    ActivityParticipant,
    Deal,
    DealContact,
    Organization,
    OrganizationAddress,
    OrganizationMembership,
    Person,
    PersonEmail,
    PersonPhone,
    SearchPosting,
    SearchWord,
)
from zweck.crm.services import pipeline_install_defaults
from zweck.sales.models import Invoice, InvoiceLine, InvoiceTaxTotal, Payment, Product

Progress = Callable[[str, int, int], None]
"""Called with (what, done, total) as rows are written."""

Row = tuple[Any, ...]
BASE = ("id", "workspace_id", "created_at", "updated_at", "created_by_id", "updated_by_id")
COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    Organization: (
        *BASE,
        *("name", "legal_form", "vat_id", "industry", "industry_code", "website", "email", "phone"),
        "relationship_types",
        *("owner_id", "notes", "search_text", "archived_at", "relationship_ended_on"),
    ),
    OrganizationAddress: (*BASE, "organization_id", "kind", "street", "postal_code", "city", "country"),
    Person: (
        *BASE,
        *("salutation", "title", "first_name", "last_name", "position", "language", "subject_category"),
        *("source", "source_note", "owner_id", "notes", "search_text", "archived_at", "restricted_at"),
        *("relationship_ended_on", "relationship_end_inherited"),
    ),
    PersonEmail: (*BASE, "person_id", "email", "label", "is_primary"),
    PersonPhone: (*BASE, "person_id", "number", "label", "is_primary"),
    OrganizationMembership: (*BASE, "person_id", "organization_id", "role", "is_primary"),
    SearchPosting: ("id", "workspace_id", "person_id", "word", "sort_key"),
    SearchWord: ("id", "workspace_id", "key", "word"),
    Deal: (
        *BASE,
        *("title", "organization_id", "stage_id", "amount", "currency", "expected_close_on", "probability"),
        *("status", "close_reason", "closed_at", "owner_id", "archived_at"),
    ),
    DealContact: (*BASE, "deal_id", "person_id", "role"),
    Activity: (
        *BASE,
        *("kind", "subject", "body", "starts_at", "ends_at", "due_at", "done_at", "location", "is_recorded"),
        *("owner_id", "organization_id", "deal_id"),
    ),
    ActivityParticipant: (*BASE, "activity_id", "person_id"),
    # Sales documents have many columns with plain defaults; ``_sales_row`` fills those.
    **{
        model: tuple(str(model_field.column) for model_field in model._meta.concrete_fields)
        for model in (Product, Invoice, InvoiceLine, InvoiceTaxTotal, Payment)
    },
}
CHUNK = 20_000
# From about this many rows, rebuilding indexes beats maintaining them row by row (measured:
# 300,000 activities into the indexed table took nine times as long as inserting them bare
# and building the indexes afterwards).
REBUILD_FROM_ROWS = 200_000
PAST_DAYS = 3 * 365
# Invoices: to this share of the organizations, about this many each, over five years.
SALES_SHARE = 0.3
INVOICES_PER_CUSTOMER = 8
SALES_DAYS = 5 * 365


@dataclass
class SeedReport:
    """What one run wrote, and how long it took."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    index_seconds: float = 0.0
    """Of ``seconds``, the time spent rebuilding indexes and constraints set aside."""

    @property
    def persons(self) -> int:
        return self.rows.get("persons", 0)

    @property
    def organizations(self) -> int:
        return self.rows.get("organizations", 0)

    @property
    def activities(self) -> int:
        return self.rows.get("activities", 0)

    @property
    def deals(self) -> int:
        return self.rows.get("deals", 0)


def check_columns() -> None:
    """Refuse to run when a model gained a column the generator does not fill."""
    for model, columns in COLUMNS.items():
        expected = {str(model_field.column) for model_field in model._meta.concrete_fields}
        if expected != set(columns):
            raise RuntimeError(
                f"seed: {model._meta.label} has columns {sorted(expected ^ set(columns))} the generator "
                "does not match; update zweck/cli/seed.py"
            )


def seed_generate(
    *,
    workspace: Workspace,
    persons: int,
    organizations: int | None = None,
    activities_per_person: float = 10,
    seed: int = 1,
    progress: Progress | None = None,
    anchor: date | None = None,
    rebuild_indexes: bool | None = None,
) -> SeedReport:
    """Add ``persons`` contacts (with organizations, activities and deals) to ``workspace``.

    ``organizations`` defaults to one per five persons. ``anchor`` is the day the data is
    generated around (default: today); past activities reach three years back from it.
    ``rebuild_indexes`` drops the tables' secondary indexes and constraints for the run and
    builds them again at the end (PostgreSQL; by default for large runs). It blocks readers of
    the CRM tables until the run commits.
    """
    check_columns()
    if persons < 0 or (organizations is not None and organizations < 0) or activities_per_person < 0:
        raise ValueError("Counts must not be negative.")
    started = time.perf_counter()
    organizations = max(1, persons // 5) if organizations is None else organizations
    actor = Actor.system(workspace)
    with transaction.atomic():
        writer = _writer()
        writer.lock([connection.ops.quote_name(model._meta.db_table) for model in COLUMNS])
        expected_rows = persons * (4 + 2 * activities_per_person)
        if rebuild_indexes or (rebuild_indexes is None and expected_rows >= REBUILD_FROM_ROWS):
            writer.set_indexes_aside([model._meta.db_table for model in COLUMNS])
        first_ids = {model: writer.first_free_id(model._meta.db_table) for model in COLUMNS}
        stages = list(pipeline_install_defaults(actor=actor))
        owners = sorted(
            Membership.objects.filter(workspace=workspace, is_active=True).values_list("user_id", flat=True)
        )
        generator = _Generator(
            workspace=workspace,
            persons=persons,
            organizations=organizations,
            activities_per_person=activities_per_person,
            seed=seed,
            anchor=anchor or datetime.now(tz=UTC).date(),
            first_ids=first_ids,
            stages=[(stage.pk, stage.default_probability) for stage in stages if stage.is_active],
            owners=owners,
            timestamp_suffix=writer.timestamp_suffix,
            known_words=set(
                SearchWord.objects.filter(workspace=workspace, key=F("word")).values_list("word", flat=True)
            ),
        )
        report = SeedReport()
        totals = generator.totals()
        for model, rows in _in_background(generator.chunks()):
            writer.write(model._meta.db_table, COLUMNS[model], rows)
            label = _LABELS.get(model)
            if label:
                report.rows[label] = report.rows.get(label, 0) + len(rows)
                if progress:
                    progress(label, report.rows[label], totals[label])
        indexing_started = time.perf_counter()
        writer.finish(generator.last_ids, progress)
        report.index_seconds = time.perf_counter() - indexing_started
        audit_record(actor=actor, action="crm.seed", instance=workspace)
    report.seconds = time.perf_counter() - started
    return report


_LABELS: dict[type[models.Model], str] = {
    Organization: "organizations",
    Person: "persons",
    Deal: "deals",
    Activity: "activities",
}


def _in_background[T](items: Iterator[T], depth: int = 4) -> Iterator[T]:
    """Run ``items`` in a thread, ``depth`` ahead of the consumer; its errors reach the consumer."""
    handoff: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        handoff.put(("item", item), timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            handoff.put(("done", None))
        except BaseException as error:  # handed to the consumer, which re-raises it
            handoff.put(("error", error))

    thread = threading.Thread(target=produce, name="seed-generator", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = handoff.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join()


# Writers ---------------------------------------------------------------------------------


class _Writer:
    timestamp_suffix = ""

    def lock(self, tables: Sequence[str]) -> None:
        raise NotImplementedError

    def first_free_id(self, table: str) -> int:
        raise NotImplementedError

    def write(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        raise NotImplementedError

    def set_indexes_aside(self, tables: Sequence[str]) -> None:
        """Drop what ``finish`` rebuilds (only where that is faster than row-by-row upkeep)."""

    def finish(self, last_ids: dict[type[models.Model], int], progress: Progress | None) -> None:
        raise NotImplementedError


class _PostgresWriter(_Writer):
    # Text COPY reads "2024-05-01 10:00:00+00" as a UTC instant.
    timestamp_suffix = "+00"

    def __init__(self) -> None:
        self.cursor = connection.cursor()
        self.raw = self.cursor.cursor

    def lock(self, tables: Sequence[str]) -> None:
        # Readers go on; writers wait until the run commits, so the id ranges stay ours.
        self.raw.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE")

    def first_free_id(self, table: str) -> int:
        self.raw.execute(
            f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}"  # noqa: S608
        )
        highest = self.raw.fetchone()[0]
        self.raw.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = self.raw.fetchone()[0]
        self.raw.execute(f"SELECT last_value FROM {sequence}")  # noqa: S608
        return max(highest, self.raw.fetchone()[0]) + 1

    def write(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        statement = f"COPY {connection.ops.quote_name(table)} ({', '.join(columns)}) FROM STDIN"
        with self.raw.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def set_indexes_aside(self, tables: Sequence[str]) -> None:
        # Building an index once over all rows is far cheaper than updating it row by row, and
        # one validating query per foreign key far cheaper than one trigger call per row.
        # DDL is transactional here: if the run fails, the indexes were never gone.
        self.raw.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')
            ORDER BY contype DESC, conrelid::regclass::text, conname
            """,
            [list(tables)],
        )
        self.constraints = self.raw.fetchall()
        self.raw.execute(
            """
            SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
            WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary AND NOT EXISTS (
                SELECT 1 FROM pg_constraint WHERE conindid = indexrelid AND contype IN ('p', 'u', 'x')
            )
            ORDER BY indexrelid::regclass::text
            """,
            [list(tables)],
        )
        self.indexes = self.raw.fetchall()
        for table, name, _definition in reversed(self.constraints):
            self.raw.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in self.indexes:
            self.raw.execute(f"DROP INDEX {name}")

    def finish(self, last_ids: dict[type[models.Model], int], progress: Progress | None) -> None:
        for model, last_id in last_ids.items():
            self.raw.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [model._meta.db_table, last_id]
            )
        rebuilt = [definition for _name, definition in getattr(self, "indexes", [])] + [
            f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            for table, name, definition in getattr(self, "constraints", [])
        ]
        if rebuilt:
            self.raw.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for done, statement in enumerate(rebuilt, start=1):
            self.raw.execute(statement)
            if progress:
                progress("indexes", done, len(rebuilt))
        for model in last_ids:
            # Fresh statistics, so the next queries are planned for the new size.
            self.raw.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class _SqliteWriter(_Writer):
    # Django stores aware datetimes in SQLite as naive UTC text.
    timestamp_suffix = ""

    def __init__(self) -> None:
        self.cursor = connection.cursor()

    def lock(self, tables: Sequence[str]) -> None:
        # The transaction is IMMEDIATE (settings): it holds the database's write lock already.
        pass

    def first_free_id(self, table: str) -> int:
        self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = self.cursor.fetchone()[0]
        self.cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
        return max(highest, self.cursor.fetchone()[0]) + 1

    def write(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        placeholders = ", ".join("?" for _ in columns)
        statement = (
            f"INSERT INTO {connection.ops.quote_name(table)} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        )
        self.cursor.cursor.executemany(statement, rows)

    def finish(self, last_ids: dict[type[models.Model], int], progress: Progress | None) -> None:
        # Explicit ids above the AUTOINCREMENT counter move it along by themselves.
        pass


def _writer() -> _Writer:
    if connection.vendor == "postgresql":
        return _PostgresWriter()
    if connection.vendor == "sqlite":
        return _SqliteWriter()
    raise NotImplementedError(f"seed: no writer for {connection.vendor}")


# Generation --------------------------------------------------------------------------------


def _ascii_slug(value: str, separator: str) -> str:
    """``Jürgen O'Brien`` → ``juergen-obrien``: how people write names in addresses."""
    value = value.lower().translate(_GERMAN_LETTERS).replace("'", "")
    value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    value = value.replace("ı", "i")
    return separator.join("".join(c if c.isascii() and c.isalnum() else " " for c in value).split())


_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _weighted(*pairs: tuple[Any, int]) -> list[Any]:
    """A 100-slot table: ``table[int(random() * 100)]`` draws with the given percentages."""
    table = [value for value, percent in pairs for _ in range(percent)]
    assert len(table) == 100, pairs
    return table


_COUNTRY = _weighted(("DE", 65), ("AT", 5), ("GB", 20), ("IE", 10))
_KIND = _weighted(
    (ActivityKind.CALL.value, 25),
    (ActivityKind.EMAIL.value, 25),
    (ActivityKind.NOTE.value, 15),
    (ActivityKind.MEETING.value, 15),
    (ActivityKind.TASK.value, 17),
    (ActivityKind.EVENT.value, 3),
)
_PLANNED = frozenset({ActivityKind.MEETING.value, ActivityKind.TASK.value, ActivityKind.EVENT.value})
_RELATIONSHIPS = _weighted(
    ('["customer"]', 45),
    ('["prospect"]', 35),
    ('["customer", "partner"]', 5),
    ('["partner"]', 5),
    ('["supplier"]', 5),
    ('["partner", "subcontractor"]', 5),
)
_MEMBER_CATEGORY = _weighted(
    ((SubjectCategory.BUSINESS_CONTACT.value, DataSource.PROVIDED_BY_SUBJECT.value), 30),
    ((SubjectCategory.BUSINESS_CONTACT.value, DataSource.PUBLIC.value), 20),
    ((SubjectCategory.BUSINESS_CONTACT.value, DataSource.OTHER.value), 5),
    ((SubjectCategory.CLIENT_CONTACT.value, DataSource.PROVIDED_BY_SUBJECT.value), 30),
    ((SubjectCategory.CLIENT_CONTACT.value, DataSource.RECEIVED_FROM_CLIENT.value), 15),
)
_LOOSE_CATEGORY = _weighted(
    ((SubjectCategory.CLIENT_DATA_SUBJECT.value, DataSource.RECEIVED_FROM_CLIENT.value), 60),
    ((SubjectCategory.OTHER_CONTACT.value, DataSource.PROVIDED_BY_SUBJECT.value), 40),
)
_PRIVATE_DOMAINS = ("mail.example.com", "post.example.com", "web.example.com")


# The WZ 2008 division of each of ``words.INDUSTRIES``, in the same order.
_INDUSTRY_CODES = ("52", "28", "58", "86", "69", "68", "62", "41", "62", "78", "65", "18", "10", "29", "35")


def _vat_id(country: str, number: int) -> str:
    if country == "DE":
        digits = f"{10_000_000 + number % 90_000_000}"
        return f"DE{digits}{mod_11_10.calc_check_digit(digits)}"
    if country == "AT":
        digits = f"{1_000_000 + number % 9_000_000}"
        return f"ATU{digits}{at_uid.calc_check_digit('U' + digits)}"
    if country == "IE":
        digits = f"{1_000_000 + number % 9_000_000}"
        return f"IE{digits}{ie_vat.calc_check_digit(digits)}"
    return ""  # a British company has no EU VAT ID


class _Generator:
    """Produces the rows, table by table, in chunks; needs no database."""

    def __init__(
        self,
        *,
        workspace: Workspace,
        persons: int,
        organizations: int,
        activities_per_person: float,
        seed: int,
        anchor: date,
        first_ids: dict[type[models.Model], int],
        stages: list[tuple[int, int]],
        owners: list[int],
        timestamp_suffix: str,
        known_words: set[str],
    ) -> None:
        self.workspace_id = workspace.pk
        self.currency = workspace.default_currency
        self.person_count, self.organization_count = persons, organizations
        self.per_person = activities_per_person
        # Reproducible test data, not secrets: the standard generator is the right tool.
        self.rng = random.Random(seed)  # noqa: S311
        self.next_ids = dict(first_ids)
        self.last_ids: dict[type[models.Model], int] = {}
        self.stages, self.owners = stages, owners
        # Dictionary words already in the workspace (an earlier run), and those this run adds.
        self.known_words, self.new_words = known_words, set[str]()
        first_day = anchor - timedelta(days=PAST_DAYS + 10)
        self.day_zero = PAST_DAYS + 10
        self.days = [(first_day + timedelta(days=offset)).isoformat() for offset in range(PAST_DAYS + 100)]
        self.anchor_date = anchor
        self.minutes = [f" {m // 60:02d}:{m % 60:02d}:00{timestamp_suffix}" for m in range(24 * 60)]

    # helpers

    def _used(self, model: type[models.Model], next_id: int) -> None:
        """Record ids handed out by a loop that counts them itself."""
        if next_id > self.next_ids[model]:
            self.next_ids[model] = next_id
            self.last_ids[model] = next_id - 1

    def _id(self, model: type[models.Model]) -> int:
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        self.last_ids[model] = value
        return value

    def _at(self, day: int, minute: int) -> str:
        """A timestamp ``day`` days from the anchor day (negative: before), at ``minute`` past midnight UTC."""
        return self.days[self.day_zero + day] + self.minutes[minute]

    def _pick[T](self, values: Sequence[T]) -> T:
        return values[int(self.rng.random() * len(values))]

    def _owner(self) -> int | None:
        return self._pick(self.owners) if self.owners and self.rng.random() < 0.8 else None

    def _base(self, model: type[models.Model], created: str, updated: str) -> Row:
        return (self._id(model), self.workspace_id, created, updated, None, None)

    def totals(self) -> dict[str, int]:
        return {
            "organizations": self.organization_count,
            "persons": self.person_count,
            "deals": -1,  # known once the organizations are drawn
            "activities": int(self.person_count * self.per_person),
        }

    def chunks(self) -> Iterator[tuple[type[models.Model], list[Row]]]:
        yield from self._organizations()
        yield from self._persons()
        yield from self._deals()
        yield from self._activities()
        yield from self._sales()

    # sales: a catalogue, and five years of finalized invoices with lines and payments

    def _sales_row(self, model: type[models.Model], created: str, **values: Any) -> Row:
        """A row of ``model`` with ``values`` and every other column at its field's default."""
        identifier = values["id"] if "id" in values else self._id(model)
        base = dict(zip(BASE, (identifier, self.workspace_id, created, created, None, None), strict=True))
        row = []
        for model_field in model._meta.concrete_fields:
            column = str(model_field.column)
            if column in values:
                value = values[column]
            elif column in base:
                value = base[column]
            else:
                value = model_field.get_default()
            row.append(str(value) if isinstance(value, Decimal) else value)
        return tuple(row)

    def _sales(self) -> Iterator[tuple[type[models.Model], list[Row]]]:
        rng = self.rng
        created = self._at(-PAST_DAYS, 480)
        products = [(self._id(Product), name, price) for name, price in words.SALES_PRODUCTS]
        yield (
            Product,
            [
                self._sales_row(Product, created, id=pk, name=name, unit_net_price=price)
                for pk, name, price in products
            ],
        )
        invoices: list[Row] = []
        lines: list[Row] = []
        taxes: list[Row] = []
        payments: list[Row] = []
        for organization in range(self.organization_count):
            if rng.random() >= SALES_SHARE:
                continue
            for _invoice in range(1 + int(rng.random() * 2 * INVOICES_PER_CUSTOMER)):
                issued = self.anchor_date - timedelta(days=int(rng.random() * SALES_DAYS))
                due = issued + timedelta(days=14)
                invoice_id = self._id(Invoice)
                stamp = f"{issued.isoformat()} 10:00:00{self.minutes[600][9:]}"
                net = Decimal(0)
                for position in range(1 + int(rng.random() * 3)):
                    pk, name, price = self._pick(products)
                    quantity = 1 + int(rng.random() * 20)
                    amount = price * quantity
                    net += amount
                    lines.append(
                        self._sales_row(
                            InvoiceLine,
                            stamp,
                            invoice_id=invoice_id,
                            position=position + 1,
                            product_id=pk,
                            description=name,
                            quantity=f"{quantity}.000",
                            unit="HUR",
                            unit_net_price=price,
                            vat_rate=19,
                            net_amount=amount,
                        )
                    )
                tax = (net * Decimal("0.19")).quantize(Decimal("0.01"))
                invoices.append(
                    self._sales_row(
                        Invoice,
                        stamp,
                        id=invoice_id,
                        organization_id=self.org_ids[organization],
                        owner_id=self._owner(),
                        number=f"RE-{invoice_id:08d}",
                        series="RE",
                        sequence=invoice_id,
                        status="finalized",
                        kind="invoice",
                        issue_date=issued.isoformat(),
                        supply_date=issued.isoformat(),
                        due_date=due.isoformat(),
                        finalized_at=stamp,
                        buyer_name=self.org_names[organization][:200],
                        currency=self.currency,
                        net_total=net,
                        tax_total=tax,
                        gross_total=net + tax,
                    )
                )
                taxes.append(
                    self._sales_row(
                        InvoiceTaxTotal,
                        stamp,
                        invoice_id=invoice_id,
                        vat_rate=19,
                        net_amount=net,
                        tax_amount=tax,
                    )
                )
                paid_on = due - timedelta(days=int(rng.random() * 20) - 5)
                if paid_on < self.anchor_date and rng.random() < 0.9:
                    payments.append(
                        self._sales_row(
                            Payment,
                            stamp,
                            invoice_id=invoice_id,
                            paid_on=paid_on.isoformat(),
                            amount=net + tax,
                            reference=f"RE-{invoice_id:08d}",
                        )
                    )
            if len(lines) >= CHUNK:
                yield Invoice, invoices
                yield InvoiceLine, lines
                yield InvoiceTaxTotal, taxes
                yield Payment, payments
                invoices, lines, taxes, payments = [], [], [], []
        if invoices:
            yield Invoice, invoices
            yield InvoiceLine, lines
            yield InvoiceTaxTotal, taxes
            yield Payment, payments

    # organizations

    def _organizations(self) -> Iterator[tuple[type[models.Model], list[Row]]]:
        rng, count = self.rng, self.organization_count
        self.org_ids: list[int] = []
        self.org_names: list[str] = []
        self.org_domains: list[str] = []
        self.org_german = bytearray(count)
        organizations: list[Row] = []
        addresses: list[Row] = []
        for index in range(count):
            country = _COUNTRY[int(rng.random() * 100)]
            german = country in ("DE", "AT")
            branch_index = int(rng.random() * len(words.GERMAN_BRANCHES))
            if german:
                family, branch = self._pick(words.GERMAN_LAST), words.GERMAN_BRANCHES[branch_index]
                form, word = self._pick(words.GERMAN_LEGAL_FORMS), self._pick(words.GERMAN_COMPANY_WORDS)
            else:
                family, branch = self._pick(words.ENGLISH_LAST), words.ENGLISH_BRANCHES[branch_index]
                form, word = self._pick(words.ENGLISH_LEGAL_FORMS), self._pick(words.ENGLISH_COMPANY_WORDS)
            pattern = rng.random()
            if pattern < 0.45:
                short = f"{family} {branch}"
            elif pattern < 0.8:
                short = f"{word} {branch}"
            else:
                partner = self._pick(words.GERMAN_LAST if german else words.ENGLISH_LAST)
                short = f"{family} & {partner}"
            name = f"{short} {form}"
            domain = f"{_ascii_slug(short, '-')}-{index + 1}.example.com"
            email = f"info@{domain}"
            ranges = words.GERMAN_PHONE_RANGES if german else words.BRITISH_PHONE_RANGES
            phone = f"{self._pick(ranges)}{int(rng.random() * 1000):03d}" if rng.random() < 0.7 else ""
            created = self._at(-1 - int(rng.random() * PAST_DAYS), 420 + int(rng.random() * 660))
            organization_id = self._id(Organization)
            organizations.append(
                (
                    organization_id,
                    self.workspace_id,
                    created,
                    created,
                    None,
                    None,
                    name,
                    form,
                    _vat_id(country, index * 7919 + 104_729),
                    words.INDUSTRIES[branch_index],
                    _INDUSTRY_CODES[branch_index] if index % 10 else "",
                    f"https://www.{domain}",
                    email,
                    phone,
                    _RELATIONSHIPS[int(rng.random() * 100)],
                    self._owner(),
                    "",
                    search_text.compose(names=[name], emails=[email], phones=[phone] if phone else []),
                    None,
                    None,
                )
            )
            addresses.append(
                (*self._base(OrganizationAddress, created, created), organization_id, *self._address(country))
            )
            self.org_ids.append(organization_id)
            self.org_names.append(name)
            self.org_domains.append(domain)
            self.org_german[index] = german
            if len(organizations) >= CHUNK:
                yield Organization, organizations
                yield OrganizationAddress, addresses
                organizations, addresses = [], []
        if organizations:
            yield Organization, organizations
            yield OrganizationAddress, addresses

    def _address(self, country: str) -> tuple[Any, ...]:
        rng = self.rng
        number = 1 + int(rng.random() * 180)
        if country == "DE":
            city, prefix = self._pick(words.GERMAN_CITIES)
            return ("office", f"{self._pick(words.GERMAN_STREETS)} {number}",
                    f"{prefix}{int(rng.random() * 100):02d}", city, country)  # fmt: skip
        if country == "AT":
            city, prefix = self._pick(words.AUSTRIAN_CITIES)
            return ("office", f"{self._pick(words.GERMAN_STREETS)} {number}",
                    f"{prefix}{int(rng.random() * 100):02d}", city, country)  # fmt: skip
        cities = words.BRITISH_CITIES if country == "GB" else words.IRISH_CITIES
        city, prefix = self._pick(cities)
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        code = (
            f"{prefix} {int(rng.random() * 10)}{self._pick(letters)}{self._pick(letters)}"
            if country == "GB"
            else f"{prefix} {self._pick(letters)}{int(rng.random() * 1000):03d}"
        )
        return ("office", f"{number} {self._pick(words.ENGLISH_STREETS)}", code, city, country)

    # persons

    def _draw_names(self) -> None:
        """Names first, for everyone, so a note can mention a person generated later."""
        rng, count = self.rng, self.person_count
        self.p_first: list[str] = [""] * count
        self.p_last: list[str] = [""] * count
        self.p_title: list[str] = [""] * count
        # bit 1: member of an organization, bit 2: German-speaking, bit 4: female
        self.p_flags = bytearray(count)
        for index in range(count):
            member = self.organization_count > 0 and rng.random() < 0.9
            if member:
                german = rng.random() < (0.92 if self.org_german[self._org_of(index)] else 0.05)
            else:
                german = rng.random() < 0.7
            female = rng.random() < 0.5
            if german:
                first = self._pick(words.GERMAN_FEMALE if female else words.GERMAN_MALE)
                last = self._pick(words.GERMAN_LAST if rng.random() < 0.95 else words.ENGLISH_LAST)
            else:
                first = self._pick(words.ENGLISH_FEMALE if female else words.ENGLISH_MALE)
                last = self._pick(words.ENGLISH_LAST if rng.random() < 0.95 else words.GERMAN_LAST)
            draw = rng.random()
            self.p_title[index] = "Dr." if draw < 0.05 else "Prof. Dr." if german and draw < 0.06 else ""
            self.p_first[index], self.p_last[index] = first, last
            self.p_flags[index] = member | german << 1 | female << 2

    def _org_of(self, person: int) -> int:
        # Contiguous blocks: an organization's people sit next to each other.
        return person * self.organization_count // self.person_count

    def _full_name(self, person: int) -> str:
        return " ".join(
            part for part in (self.p_title[person], self.p_first[person], self.p_last[person]) if part
        )

    def _colleague(self, person: int) -> int | None:
        """Someone else at the person's organization, or ``None``."""
        if self.p_flags[person] & 1:
            organization = self._org_of(person)
            for other in (person + 1, person - 1, person + 2, person - 2):
                if (
                    0 <= other < self.person_count
                    and self.p_flags[other] & 1
                    and self._org_of(other) == organization
                ):
                    return other
        return None

    def _someone_else(self, person: int) -> int | None:
        colleague = self._colleague(person)
        if colleague is not None and self.rng.random() < 0.7:
            return colleague
        if self.person_count < 2:
            return colleague
        other = int(self.rng.random() * (self.person_count - 1))
        return other + 1 if other >= person else other

    def _persons(self) -> Iterator[tuple[type[models.Model], list[Row]]]:
        self._draw_names()
        rng = self.rng
        self.person_ids: list[int] = []
        slugs: dict[str, str] = {}
        taken: set[str] = set()
        current_org = -1
        batch: dict[type[models.Model], list[Row]] = {
            Person: [],
            PersonEmail: [],
            PersonPhone: [],
            OrganizationMembership: [],
            SearchPosting: [],
        }
        posting_id = self.next_ids[SearchPosting]
        new_words, known_words = self.new_words, self.known_words
        for index in range(self.person_count):
            flags = self.p_flags[index]
            member, german, female = bool(flags & 1), bool(flags & 2), bool(flags & 4)
            first, last, title = self.p_first[index], self.p_last[index], self.p_title[index]
            organization = self._org_of(index) if member else -1
            person_id = self._id(Person)
            self.person_ids.append(person_id)
            created = self._at(-1 - int(rng.random() * PAST_DAYS), 420 + int(rng.random() * 660))
            if rng.random() < 0.1:
                salutation = ""
            elif german:
                salutation = "Frau" if female else "Herr"
            else:
                salutation = "Ms" if female else "Mr"
            positions = words.GERMAN_POSITIONS if german else words.ENGLISH_POSITIONS
            position = self._pick(positions) if member and rng.random() < 0.85 else ""
            category, source = (_MEMBER_CATEGORY if member else _LOOSE_CATEGORY)[int(rng.random() * 100)]
            source_note = self._pick(words.SOURCE_NOTES[source]) if rng.random() < 0.4 else ""
            notes = ""
            if rng.random() < 0.15:
                other = self._someone_else(index)
                if other is not None:
                    template = self._pick(words.PERSON_NOTES["de" if german else "en"])
                    notes = template.format(other=self._full_name(other))
            local = f"{slugs.get(first) or slugs.setdefault(first, _ascii_slug(first, '-'))}." + (
                slugs.get(last) or slugs.setdefault(last, _ascii_slug(last, "-"))
            )
            if member:
                if organization != current_org:
                    current_org, taken = organization, set()
                address = f"{local}@{self.org_domains[organization]}"
                suffix = 2
                while address in taken:
                    address, suffix = f"{local}{suffix}@{self.org_domains[organization]}", suffix + 1
                taken.add(address)
            else:
                address = f"{local}.{index + 1}@{self._pick(_PRIVATE_DOMAINS)}"
            phone = ""
            if rng.random() < (0.8 if member else 0.3):
                ranges = words.GERMAN_PHONE_RANGES if german else words.BRITISH_PHONE_RANGES
                phone = f"{self._pick(ranges)}{int(rng.random() * 1000):03d}"
            label = "work" if member else "home"
            organization_names = [self.org_names[organization]] if member else []
            document = search_text.compose(
                names=[title, first, last],
                emails=[address],
                phones=[phone] if phone else [],
                extra=[*organization_names, position],
            )
            postings = batch[SearchPosting]
            key = search_text.sort_key(last, first)
            for word in sorted(search_text.posting_words(document)):
                postings.append((posting_id, self.workspace_id, person_id, word, key))
                posting_id += 1
                if word not in known_words and word not in new_words and search_text.is_dictionary_word(word):
                    new_words.add(word)
            batch[Person].append(
                (
                    person_id,
                    self.workspace_id,
                    created,
                    created,
                    None,
                    None,
                    salutation,
                    title,
                    first,
                    last,
                    position,
                    "de" if german else "en",
                    category,
                    source,
                    source_note,
                    self._owner(),
                    notes,
                    document,
                    None,
                    None,
                    None,
                    False,
                )
            )
            batch[PersonEmail].append(
                (*self._base(PersonEmail, created, created), person_id, address, label, True)
            )
            if phone:
                batch[PersonPhone].append(
                    (*self._base(PersonPhone, created, created), person_id, phone, label, True)
                )
            if member:
                batch[OrganizationMembership].append(
                    (
                        *self._base(OrganizationMembership, created, created),
                        person_id,
                        self.org_ids[organization],
                        position,
                        True,
                    )
                )
            if len(batch[Person]) >= CHUNK:
                self._used(SearchPosting, posting_id)
                yield from batch.items()
                batch = {model: [] for model in batch}
        self._used(SearchPosting, posting_id)
        yield from ((model, rows) for model, rows in batch.items() if rows)
        yield from self._dictionary()

    def _dictionary(self) -> Iterator[tuple[type[models.Model], list[Row]]]:
        """The dictionary keys of the words this run's persons brought into the workspace."""
        rows: list[Row] = []
        for word in sorted(self.new_words):
            for key in sorted(search_text.dictionary_keys(word)):
                rows.append((self._id(SearchWord), self.workspace_id, key, word))
            if len(rows) >= CHUNK:
                yield SearchWord, rows
                rows = []
        if rows:
            yield SearchWord, rows

    # deals

    def _members_of(self, organization: int) -> list[int]:
        count, persons = self.organization_count, self.person_count
        start = -(-organization * persons // count)
        end = -(-(organization + 1) * persons // count)
        return [person for person in range(start, min(end, persons)) if self.p_flags[person] & 1]

    def _deals(self) -> Iterator[tuple[type[models.Model], list[Row]]]:
        rng = self.rng
        self.org_deal = [0] * self.organization_count
        deals: list[Row] = []
        contacts: list[Row] = []
        if not self.stages:
            return
        for organization in range(self.organization_count):
            if rng.random() >= 0.25:
                continue
            german = self.org_german[organization]
            stage_id, stage_probability = self._pick(self.stages)
            draw = rng.random()
            status = DealStatus.OPEN if draw < 0.6 else DealStatus.WON if draw < 0.85 else DealStatus.LOST
            created_day = -30 - int(rng.random() * (PAST_DAYS - 30))
            created = self._at(created_day, 420 + int(rng.random() * 660))
            if status == DealStatus.OPEN:
                closed_at, reason, probability = None, "", stage_probability
                close_on = (self.anchor_date + timedelta(days=10 + int(rng.random() * 110))).isoformat()
                updated = created
            else:
                closed_day = min(-1, created_day + 10 + int(rng.random() * 110))
                closed_at = self._at(closed_day, 420 + int(rng.random() * 660))
                reason = self._pick(words.CLOSE_REASONS[status])
                probability = 100 if status == DealStatus.WON else 0
                close_on = self.days[self.day_zero + closed_day]
                updated = closed_at
            topic = self._pick(words.TOPICS_DE if german else words.TOPICS_EN)
            title = self._pick(words.DEAL_TITLES["de" if german else "en"]).format(
                topic=topic, organization=self.org_names[organization]
            )
            deal_id = self._id(Deal)
            self.org_deal[organization] = deal_id
            deals.append(
                (
                    deal_id,
                    self.workspace_id,
                    created,
                    updated,
                    None,
                    None,
                    title[:200],
                    self.org_ids[organization],
                    stage_id,
                    f"{(20 + int(rng.random() * 2480)) * 100}.00",
                    self.currency,
                    close_on,
                    probability,
                    status.value,
                    reason,
                    closed_at,
                    self._owner(),
                    None,
                )
            )
            for person in self._members_of(organization)[: 1 + int(rng.random() * 2)]:
                contacts.append(
                    (*self._base(DealContact, created, created), deal_id, self.person_ids[person], "")
                )
            if len(deals) >= CHUNK:
                yield Deal, deals
                yield DealContact, contacts
                deals, contacts = [], []
        if deals:
            yield Deal, deals
            yield DealContact, contacts

    # activities

    def _activities(self) -> Iterator[tuple[type[models.Model], list[Row]]]:
        # The hot loop (ten million rows): everything it touches is a local name.
        random, per_person = self.rng.random, self.per_person
        days, minutes, zero = self.days, self.minutes, self.day_zero
        workspace_id, owners = self.workspace_id, self.owners
        owner_count = len(owners) if owners else 0
        activity_id = self.next_ids[Activity]
        link_id = self.next_ids[ActivityParticipant]
        locations = words.LOCATIONS
        activities: list[Row] = []
        participants: list[Row] = []
        for index in range(self.person_count):
            count = int((index + 1) * per_person) - int(index * per_person)
            if not count:
                continue
            flags = self.p_flags[index]
            member, language = bool(flags & 1), "de" if flags & 2 else "en"
            organization = self._org_of(index) if member else -1
            organization_id = self.org_ids[organization] if member else None
            organization_name = self.org_names[organization] if member else ""
            deal_id = (self.org_deal[organization] or None) if member else None
            topics = words.TOPICS_DE if language == "de" else words.TOPICS_EN
            bodies = words.BODIES[language] if member else words.BODIES[language][:-1]
            subjects = words.SUBJECTS[language]
            person_id = self.person_ids[index]
            for _ in range(count):
                kind = _KIND[int(random() * 100)]
                templates = subjects[kind]
                topic = topics[int(random() * len(topics))]
                template = templates[int(random() * len(templates))] if member else templates[0]
                subject = template.format(topic=topic, organization=organization_name)
                body = ""
                if random() < 0.5:
                    other = self._someone_else(index)
                    if other is not None:
                        body = bodies[int(random() * len(bodies))].format(
                            other=self._full_name(other), topic=topic, organization=organization_name
                        )
                future = kind in _PLANNED and random() < 0.15
                day = zero + (int(random() * 60) if future else -1 - int(random() * PAST_DAYS))
                minute = 420 + int(random() * 660)
                starts_at = ends_at = due_at = done_at = None
                location, recorded = "", False
                if kind == "task":
                    due_at = days[day] + minutes[minute]
                    if not future and random() < 0.7:
                        done_at = due_at
                    created_day = day - 3 if not future else zero - 1 - int(random() * 30)
                else:
                    created_day = day if not future else zero - 1 - int(random() * 30)
                    if kind != "note":
                        starts_at = days[day] + minutes[minute]
                    if kind == "meeting" or kind == "event":
                        length = 180 if kind == "event" else 60 if random() < 0.5 else 120
                        ends_at = days[day] + minutes[minute + length]
                        location = locations[int(random() * len(locations))]
                    elif kind == "call":
                        ends_at = days[day] + minutes[minute + 5 + int(random() * 40)]
                        recorded = random() < 0.1
                    if not future and kind != "note":
                        done_at = ends_at or starts_at
                created = days[created_day] + minutes[minute]
                owner = owners[int(random() * owner_count)] if owner_count and random() < 0.8 else None
                activities.append(
                    (
                        activity_id,
                        workspace_id,
                        created,
                        done_at or created,
                        None,
                        None,
                        kind,
                        subject,
                        body,
                        starts_at,
                        ends_at,
                        due_at,
                        done_at,
                        location,
                        recorded,
                        owner,
                        organization_id,
                        deal_id if deal_id and random() < 0.3 else None,
                    )
                )
                participants.append(
                    (link_id, workspace_id, created, created, None, None, activity_id, person_id)
                )
                link_id += 1
                if kind == "meeting" and random() < 0.4:
                    colleague = self._colleague(index)
                    if colleague is not None:
                        participants.append(
                            (
                                link_id,
                                workspace_id,
                                created,
                                created,
                                None,
                                None,
                                activity_id,
                                self.person_ids[colleague],
                            )
                        )
                        link_id += 1
                activity_id += 1
            if len(activities) >= CHUNK:
                yield Activity, activities
                yield ActivityParticipant, participants
                activities, participants = [], []
        if activities:
            yield Activity, activities
            yield ActivityParticipant, participants
        self._used(Activity, activity_id)
        self._used(ActivityParticipant, link_id)
