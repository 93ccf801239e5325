from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zweck.sales.camt import CamtError, parse
from zweck.sales.tests.camt_samples import Entry, statement


@pytest.mark.parametrize("version", ["02", "04", "08", "13"])
def test_a_statement_of_each_version_is_read_alike(version: str) -> None:
    data = statement(
        [
            Entry(Decimal("119.00"), "RE-2026-0001 Danke", reference="REF1"),
            Entry(Decimal("50"), credit=False),
        ],
        version=version,
    )

    [read] = parse(data)

    assert read.identifier == "STMT-2026-11-20"
    assert read.account_iban == "DE89370400440532013000"
    assert read.version == version
    assert read.from_date == date(2026, 11, 20)
    credit, debit = read.transactions
    assert (credit.key, credit.amount, credit.currency, credit.credit, credit.booked) == (
        "REF1",
        Decimal("119.00"),
        "EUR",
        True,
        True,
    )
    assert credit.payer_name == "Beispiel GmbH"
    assert credit.payer_iban == "DE02120300000000202051"
    assert credit.remittance == "RE-2026-0001 Danke"
    assert credit.end_to_end_id == ""
    assert credit.booking_date == date(2026, 11, 20)
    assert debit.credit is False


def test_an_entry_without_a_bank_reference_gets_a_key_that_is_the_same_on_every_read() -> None:
    data = statement([Entry(Decimal("1")), Entry(Decimal("2"))])

    first = [tx.key for tx in parse(data)[0].transactions]
    again = [tx.key for tx in parse(data)[0].transactions]

    assert first == again == ["STMT-2026-11-20#1/1", "STMT-2026-11-20#2/1"]


def test_a_pending_entry_is_read_as_not_booked() -> None:
    [read] = parse(statement([Entry(Decimal("1"), status="PDNG")], version="08"))

    assert read.transactions[0].booked is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Umsatz;Datum\n1;2", "not readable XML"),
        (b"<html><body>hi</body></html>", "not a camt.053"),
        (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>', "not a camt.053"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>',
            "no statement",
        ),
        (b"", "not readable XML"),
    ],
)
def test_a_file_that_is_not_a_camt_statement_is_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(CamtError, match=message):
        parse(data)


def test_an_xml_bomb_or_external_entity_is_refused_unread() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol2;</Document>"""
    external = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>"""

    for data in (bomb, external):
        with pytest.raises(CamtError):
            parse(data)


def test_an_amount_that_is_not_a_number_is_refused() -> None:
    data = statement([Entry(Decimal("1"))]).replace(b">1</Amt>", b">eins</Amt>")

    with pytest.raises(CamtError, match="not a number"):
        parse(data)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_with_a_camt_error(data: bytes) -> None:
    with contextlib.suppress(CamtError):
        parse(data)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2),
            st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40),
        ),
        max_size=5,
    )
)
def test_amounts_and_texts_come_back_as_written(rows: list[tuple[Decimal, str]]) -> None:
    data = statement([Entry(amount, text) for amount, text in rows])

    read = parse(data)[0].transactions

    assert [tx.amount for tx in read] == [amount for amount, _text in rows]
    assert [tx.remittance for tx in read] == [text.strip() for _amount, text in rows]
