"""Reading bank statements in ISO 20022 camt.053 (Bank-to-Customer Statement), every version
from camt.053.001.02 (the German banks' format since 2014, DK-TVS) to the current ones.

Invariants:
- the file is parsed with ``defusedxml``: no DTD, no entity expansion, no external entity is
  ever resolved, so a hostile file cannot read local files or exhaust memory;
- a file that is not a camt.053 document raises ``CamtError`` with a message for the person who
  uploaded it, before anything is stored;
- elements are found by their local names under the document's own namespace, so the versions'
  differences (``Sts`` as text in .02, as ``Sts/Cd`` from .08 on; ``Dbtr/Nm`` or ``Dbtr/Pty/Nm``)
  are read alike;
- each transaction gets a key that stays the same when the same statement is read again (the
  bank's reference where it gives one), so an import never books the same money twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})$")
# Bank statements of a business account stay far below this; a larger upload is refused unread.
MAX_BYTES = 20 * 1024 * 1024
# What banks write where the payer gave no end-to-end reference.
NOT_PROVIDED = "NOTPROVIDED"


class CamtError(ValueError):
    """The file is not a camt.053 bank statement that can be read."""


@dataclass(frozen=True)
class Transaction:
    """One credit or debit on the account: an entry, or one transaction of a batch entry."""

    key: str
    amount: Decimal
    currency: str
    credit: bool
    booked: bool
    reversal: bool
    booking_date: date | None
    value_date: date | None
    payer_name: str = ""
    payer_iban: str = ""
    remittance: str = ""
    end_to_end_id: str = ""


@dataclass(frozen=True)
class Statement:
    """One account statement (``Stmt``) of the file."""

    identifier: str
    account_iban: str
    currency: str
    version: str
    created_at: datetime | None
    from_date: date | None
    to_date: date | None
    transactions: list[Transaction] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> Iterator[Element]:
    for child in element:
        if _local(child.tag) == name:
            yield child


def _child(element: Element | None, *path: str) -> Element | None:
    current = element
    for name in path:
        if current is None:
            return None
        current = next(_children(current, name), None)
    return current


def _text(element: Element | None, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _date(element: Element | None) -> date | None:
    """A ``Dt`` or ``DtTm`` choice (booking date, value date) as a date."""
    if element is None:
        return None
    value = _text(element, "Dt") or _text(element, "DtTm")[:10]
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as error:
        raise CamtError(
            _("The statement holds a date that cannot be read: %(value)s.") % {"value": value}
        ) from error


def _datetime(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _day(value: str) -> date | None:
    moment = _datetime(value)
    return moment.date() if moment else None


def _amount(element: Element | None) -> tuple[Decimal, str]:
    if element is None or not (element.text or "").strip():
        raise CamtError(_("An entry of the statement has no amount."))
    try:
        amount = Decimal((element.text or "").strip())
    except InvalidOperation as error:
        raise CamtError(_("An entry of the statement has an amount that is not a number.")) from error
    if not amount.is_finite() or amount < 0:
        raise CamtError(_("An entry of the statement has an amount that is not a number."))
    return amount, element.get("Ccy", "").upper()


def _party_name(party: Element | None) -> str:
    # camt.053.001.02–07: Dbtr/Nm; from .08 on: Dbtr/Pty/Nm (a party or an agent).
    return _text(party, "Nm") or _text(party, "Pty", "Nm")


def _iban(account: Element | None) -> str:
    return _text(account, "Id", "IBAN").replace(" ", "").upper()


def _remittance(details: Element | None, entry: Element) -> str:
    """The payer's words: unstructured lines, structured creditor references, and the entry's
    additional information, joined by spaces."""
    parts: list[str] = []
    information = _child(details, "RmtInf")
    if information is not None:
        parts.extend(_text(line) for line in _children(information, "Ustrd"))
        for structured in _children(information, "Strd"):
            parts.append(_text(structured, "CdtrRefInf", "Ref"))
            parts.extend(_text(line) for line in _children(structured, "AddtlRmtInf"))
    parts.append(_text(details, "AddtlTxInf"))
    parts.append(_text(entry, "AddtlNtryInf"))
    return " ".join(part for part in parts if part)[:1000]


def _status(entry: Element) -> str:
    # camt.053.001.02–07: <Sts>BOOK</Sts>; from .08 on: <Sts><Cd>BOOK</Cd></Sts>.
    return (_text(entry, "Sts", "Cd") or _text(entry, "Sts")).upper()


def _transactions(statement_id: str, position: int, entry: Element) -> list[Transaction]:
    amount, currency = _amount(_child(entry, "Amt"))
    indicator = _text(entry, "CdtDbtInd").upper()
    if indicator not in ("CRDT", "DBIT"):
        raise CamtError(_("An entry of the statement is neither a credit nor a debit."))
    credit = indicator == "CRDT"
    booked = _status(entry) in ("BOOK", "")
    reversal = _text(entry, "RvslInd").lower() == "true"
    booking_date = _date(_child(entry, "BookgDt"))
    value_date = _date(_child(entry, "ValDt"))
    entry_reference = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    details = [tx for group in _children(entry, "NtryDtls") for tx in _children(group, "TxDtls")]
    if not details:
        details_or_none: list[Element | None] = [None]
    else:
        details_or_none = list(details)
    batch = len(details) > 1
    found = []
    for index, tx in enumerate(details_or_none, start=1):
        tx_amount, tx_currency = amount, currency
        if batch and tx is not None:
            own = _child(tx, "Amt")
            if own is None:  # camt.053.001.02 has the amount only in AmtDtls
                own = _child(tx, "AmtDtls", "TxAmt", "Amt")
            if own is not None:
                tx_amount, tx_currency = _amount(own)
        end_to_end = _text(tx, "Refs", "EndToEndId")
        if end_to_end.upper() == NOT_PROVIDED:
            end_to_end = ""
        tx_reference = _text(tx, "Refs", "AcctSvcrRef")
        if tx_reference and (batch or not entry_reference):
            key = tx_reference
        elif entry_reference:
            key = f"{entry_reference}/{index}" if batch else entry_reference
        else:
            # No reference from the bank: the statement's id and the entry's place in it, which
            # are the same when the same statement is read again.
            key = f"{statement_id}#{position}/{index}"
        party = "Dbtr" if credit else "Cdtr"
        found.append(
            Transaction(
                key=key[:100],
                amount=tx_amount,
                currency=tx_currency or currency,
                credit=credit,
                booked=booked,
                reversal=reversal,
                booking_date=booking_date,
                value_date=value_date,
                payer_name=_party_name(_child(tx, "RltdPties", party))[:200],
                payer_iban=_iban(_child(tx, "RltdPties", f"{party}Acct"))[:34],
                remittance=_remittance(tx, entry),
                end_to_end_id=end_to_end[:100],
            )
        )
    return found


def parse(data: bytes) -> list[Statement]:
    """The statements of a camt.053 file; ``CamtError`` when the file is not one."""
    if len(data) > MAX_BYTES:
        raise CamtError(_("The file is larger than a bank statement can be (20 MB at most)."))
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise CamtError(_("This file is not a camt.053 bank statement (it is not readable XML).")) from error
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    version = NAMESPACE.match(namespace)
    if _local(root.tag) != "Document" or version is None:
        raise CamtError(
            _(
                "This file is not a camt.053 bank statement. Download the statement as camt.053 (XML) from your bank."
            )
        )
    message = _child(root, "BkToCstmrStmt")
    if message is None:
        raise CamtError(_("This file is not a camt.053 bank statement (no statement in it)."))
    statements = []
    for statement in _children(message, "Stmt"):
        identifier = _text(statement, "Id")
        if not identifier:
            raise CamtError(_("A statement in the file has no identification."))
        account = _child(statement, "Acct")
        transactions: list[Transaction] = []
        for position, entry in enumerate(_children(statement, "Ntry"), start=1):
            transactions.extend(_transactions(identifier, position, entry))
        period = _child(statement, "FrToDt")
        statements.append(
            Statement(
                identifier=identifier[:100],
                account_iban=_iban(account)[:34],
                currency=_text(account, "Ccy").upper(),
                version=version.group(1),
                created_at=_datetime(_text(statement, "CreDtTm")),
                from_date=_day(_text(period, "FrDtTm")),
                to_date=_day(_text(period, "ToDtTm")),
                transactions=transactions,
            )
        )
    if not statements:
        raise CamtError(_("This file is not a camt.053 bank statement (no statement in it)."))
    return statements
