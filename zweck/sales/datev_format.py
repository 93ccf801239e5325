"""The DATEV-Format "Buchungsstapel" (EXTF, header version 700, format category 21, format
version 13) as German tax advisers import it into DATEV Rechnungswesen or Unternehmen online.

What a file is (DATEV's Formatbeschreibung "DATEV-Format", Buchungsstapel):
- line 1, the header: ``"EXTF";700;21;"Buchungsstapel";13;`` then created-at (YYYYMMDDHHMMSSmmm),
  origin, exported by, consultant number (Beraternummer), client number (Mandantennummer),
  start of the fiscal year (YYYYMMDD), length of the general ledger accounts, the period's first
  and last day (YYYYMMDD), the batch's label, booking type 1 (financial accounting), currency;
  31 fields in all;
- line 2, the column names; then one line per booking;
- semicolons between fields, text in double quotes (a quote inside doubled), amounts with a
  decimal comma and without a sign (the sign is the Soll/Haben-Kennzeichen "S" or "H"), the
  document date as DDMM (the year comes from the period), CRLF line ends, Windows-1252.

Only the first 14 of the 125 columns are written: DATEV reads the columns by position and leaves
the rest empty. Characters Windows-1252 cannot hold are replaced by "?" rather than refused,
because a booking text is a description, not an amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from zweck.core import spreadsheet

COLUMNS = (
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "WKZ Umsatz",
    "Kurs",
    "Basis-Umsatz",
    "WKZ Basis-Umsatz",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
    "BU-Schlüssel",
    "Belegdatum",
    "Belegfeld 1",
    "Belegfeld 2",
    "Skonto",
    "Buchungstext",
)
ENCODING = "cp1252"
# Field lengths of the format: Belegfeld 1 36 characters, Belegfeld 2 twelve, Buchungstext sixty.
DOCUMENT_FIELD_LENGTH = 36  # Belegfeld 1
SECOND_FIELD_LENGTH = 12  # Belegfeld 2
TEXT_LENGTH = 60
LABEL_LENGTH = 30


@dataclass(frozen=True)
class Booking:
    """One line of the batch: ``amount`` (signed: negative books the other way round) on
    ``account`` against ``contra_account``."""

    amount: Decimal
    account: str
    contra_account: str
    document_date: date
    document_number: str
    text: str
    currency: str = "EUR"
    tax_key: str = ""
    document_field_2: str = ""


@dataclass(frozen=True)
class Header:
    consultant_number: int
    client_number: int
    fiscal_year_start: date
    account_length: int
    first_day: date
    last_day: date
    label: str
    created_at: datetime
    exported_by: str = ""
    currency: str = "EUR"
    chart_of_accounts: str = "03"
    origin: str = "RE"


def _quoted(value: str) -> str:
    text = str(spreadsheet.cell(value))
    return '"' + text.replace('"', '""').replace("\r", " ").replace("\n", " ") + '"'


def _amount(value: Decimal) -> str:
    return f"{abs(value):.2f}".replace(".", ",")


def header_line(header: Header) -> str:
    fields = [
        _quoted("EXTF"),
        "700",
        "21",
        _quoted("Buchungsstapel"),
        "13",
        header.created_at.strftime("%Y%m%d%H%M%S") + f"{header.created_at.microsecond // 1000:03d}",
        "",
        _quoted(header.origin),
        _quoted(header.exported_by[:25]),
        _quoted(""),
        str(header.consultant_number),
        str(header.client_number),
        header.fiscal_year_start.strftime("%Y%m%d"),
        str(header.account_length),
        header.first_day.strftime("%Y%m%d"),
        header.last_day.strftime("%Y%m%d"),
        _quoted(header.label[:LABEL_LENGTH]),
        _quoted(""),
        "1",  # Buchungstyp: Finanzbuchführung
        "0",  # Rechnungslegungszweck: unabhängig
        "0",  # Festschreibung: the adviser locks the batch after checking it
        _quoted(header.currency),
        "",
        _quoted(""),
        "",
        "",
        _quoted(header.chart_of_accounts),
        "",
        "",
        _quoted(""),
        _quoted(""),
    ]
    return ";".join(fields)


def booking_line(booking: Booking) -> str:
    fields = [
        _amount(booking.amount),
        _quoted("S" if booking.amount >= 0 else "H"),
        _quoted(booking.currency),
        "",
        "",
        _quoted(""),
        booking.account,
        booking.contra_account,
        _quoted(booking.tax_key),
        booking.document_date.strftime("%d%m"),
        _quoted(booking.document_number[:DOCUMENT_FIELD_LENGTH]),
        _quoted(booking.document_field_2[:SECOND_FIELD_LENGTH]),
        "",
        _quoted(booking.text[:TEXT_LENGTH]),
    ]
    return ";".join(fields)


def render(header: Header, bookings: Iterable[Booking]) -> bytes:
    """The whole file, encoded for DATEV."""
    lines = [header_line(header), ";".join(_quoted(name) for name in COLUMNS)]
    lines.extend(booking_line(booking) for booking in bookings)
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING, errors="replace")
