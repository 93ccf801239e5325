"""The DATEV export of a period: invoices per VAT rate against their revenue accounts, payments
against the debtor, cancellations the other way round; a period the wrong way round refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.services import save_scoped
from zweck.crm.tests.factories import make_organization
from zweck.sales.datev import datev_export
from zweck.sales.models import Payment
from zweck.sales.tests.test_receivables import finalized_invoice

pytestmark = pytest.mark.django_db


def _lines(data: bytes) -> list[str]:
    return data.decode("cp1252").split("\r\n")[2:-1]


def test_invoices_and_payments_of_the_period_are_booked_on_the_skr03_accounts(owner: Actor) -> None:
    customer = make_organization(owner, "Müller GmbH")
    invoice = finalized_invoice(owner, customer, "RE-2026-0001", "226.00")
    save_scoped(Payment(invoice=invoice, paid_on=date(2026, 11, 20), amount=Decimal("226.00")), actor=owner)

    data = datev_export(actor=owner, first_day=date(2026, 11, 1), last_day=date(2026, 11, 30))

    lines = _lines(data)
    assert lines == [
        '226,00;"S";"EUR";;;"";10000;8400;"";0111;"RE-2026-0001";"";;"Rechnung RE-2026-0001 Müller GmbH"',
        '226,00;"S";"EUR";;;"";1200;10000;"";2011;"RE-2026-0001";"";;"Zahlung RE-2026-0001 Müller GmbH"',
    ]
    header = data.decode("cp1252").split("\r\n")[0].split(";")
    assert header[:5] == ['"EXTF"', "700", "21", '"Buchungsstapel"', "13"]
    assert header[12:16] == ["20260101", "4", "20261101", "20261130"]
    [event] = AuditEvent.objects.filter(action="sales.datev_export")
    assert list(event.changed_fields) == ["bookings=2"]


def test_a_period_the_wrong_way_round_is_refused_at_its_field(owner: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        datev_export(actor=owner, first_day=date(2026, 12, 1), last_day=date(2026, 11, 1))

    assert list(refused.value.message_dict) == ["to"]
    assert not AuditEvent.objects.filter(action="sales.datev_export").exists()


def test_the_command_writes_the_file_and_refuses_a_wrong_period(owner: Actor, tmp_path: Path) -> None:
    customer = make_organization(owner, "Kunde AG")
    finalized_invoice(owner, customer, "RE-2026-0001", "119.00")
    target = tmp_path / "EXTF_Buchungsstapel.csv"

    call_command(
        "sales",
        "datev",
        "--workspace",
        owner.workspace.slug,
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--output",
        str(target),
        stderr=StringIO(),
    )

    assert target.read_bytes().startswith(b'"EXTF";700;21;"Buchungsstapel";13;')
    with pytest.raises(CommandError, match="--to"):
        call_command(
            "sales",
            "datev",
            "--workspace",
            owner.workspace.slug,
            "--from",
            "2026-12-31",
            "--to",
            "2026-01-01",
        )


def test_the_benchmark_floor_reads_the_same_invoices_and_payments(owner: Actor) -> None:
    from django.db import connection

    from bench.operations.sales_datev import FLOOR_SQL

    customer = make_organization(owner, "Kunde AG")
    invoice = finalized_invoice(owner, customer, "RE-2026-0001", "119.00")
    save_scoped(Payment(invoice=invoice, paid_on=date(2026, 11, 20), amount=Decimal("119.00")), actor=owner)
    rows = []
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL:
            cursor.execute(sql, [owner.workspace_id, date(2026, 1, 1), date(2026, 12, 31)])
            rows.append(len(cursor.fetchall()))

    assert rows == [1, 1]
    assert (
        len(_lines(datev_export(actor=owner, first_day=date(2026, 1, 1), last_day=date(2026, 12, 31)))) == 2
    )
