from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from zweck.sales.datev_format import Booking, Header, render


def _header() -> Header:
    return Header(
        consultant_number=29098,
        client_number=55003,
        fiscal_year_start=date(2026, 1, 1),
        account_length=4,
        first_day=date(2026, 1, 1),
        last_day=date(2026, 12, 31),
        label="Rechnungen 2026",
        created_at=datetime(2026, 12, 3, 14, 4, 40, 439000),
        exported_by="Buchhaltung",
    )


def test_the_file_is_an_extf_buchungsstapel_in_windows_1252_with_crlf() -> None:
    data = render(
        _header(),
        [
            Booking(
                Decimal("1190.00"),
                "10000",
                "8400",
                date(2026, 3, 5),
                "RE-2026-0001",
                "Rechnung Müller & Söhne",
            ),
            Booking(Decimal("-119.00"), "10000", "8400", date(2026, 3, 9), "RE-2026-0002", "Storno"),
        ],
    )

    text = data.decode("cp1252")
    header, columns, first, second = text.split("\r\n")[:4]
    assert text.endswith("\r\n")
    assert header.startswith(
        '"EXTF";700;21;"Buchungsstapel";13;20261203140440439;;"RE";"Buchhaltung";"";29098;55003;20260101;4;20260101;20261231;"Rechnungen 2026";"";1;0;0;"EUR"'
    )
    assert len(header.split(";")) == 31
    assert columns.split(";")[:3] == [
        '"Umsatz (ohne Soll/Haben-Kz)"',
        '"Soll/Haben-Kennzeichen"',
        '"WKZ Umsatz"',
    ]
    assert first == '1190,00;"S";"EUR";;;"";10000;8400;"";0503;"RE-2026-0001";"";;"Rechnung Müller & Söhne"'
    assert second.startswith('119,00;"H";"EUR";')
    assert "Müller".encode("cp1252") in data


def test_quotes_are_doubled_formulas_escaped_and_unencodable_characters_replaced() -> None:
    data = render(
        _header(), [Booking(Decimal("1"), "1200", "10000", date(2026, 1, 2), "RE-1", '=HYPERLINK("x") 😀')]
    )

    line = data.decode("cp1252").split("\r\n")[2]
    assert line.endswith('"\'=HYPERLINK(""x"") ?"')
