"""camt.053 statements written for tests, in the layouts of version 02 (German banks, DK-TVS)
and of version 08 and later (``Sts/Cd``, ``Dbtr/Pty/Nm``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Entry:
    amount: Decimal
    remittance: str = ""
    reference: str = ""
    payer: str = "Beispiel GmbH"
    payer_iban: str = "DE02120300000000202051"
    credit: bool = True
    status: str = "BOOK"
    booking_date: str = "2026-11-20"


def statement(entries: list[Entry], *, identifier: str = "STMT-2026-11-20", version: str = "02") -> bytes:
    modern = int(version) >= 8
    rows = []
    for entry in entries:
        status = f"<Sts><Cd>{entry.status}</Cd></Sts>" if modern else f"<Sts>{entry.status}</Sts>"
        party = "Dbtr" if entry.credit else "Cdtr"
        name = (
            f"<{party}><Pty><Nm>{escape(entry.payer)}</Nm></Pty></{party}>"
            if modern
            else f"<{party}><Nm>{escape(entry.payer)}</Nm></{party}>"
        )
        reference = f"<AcctSvcrRef>{entry.reference}</AcctSvcrRef>" if entry.reference else ""
        rows.append(
            f"""<Ntry><Amt Ccy="EUR">{entry.amount}</Amt><CdtDbtInd>{"CRDT" if entry.credit else "DBIT"}</CdtDbtInd>
{status}<BookgDt><Dt>{entry.booking_date}</Dt></BookgDt><ValDt><Dt>{entry.booking_date}</Dt></ValDt>{reference}
<BkTxCd/><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
<RltdPties>{name}<{party}Acct><Id><IBAN>{entry.payer_iban}</IBAN></Id></{party}Acct></RltdPties>
<RmtInf><Ustrd>{escape(entry.remittance)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">
<BkToCstmrStmt><GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-11-21T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>{identifier}</Id><CreDtTm>2026-11-21T06:00:00</CreDtTm>
<FrToDt><FrDtTm>2026-11-20T00:00:00</FrDtTm><ToDtTm>2026-11-20T23:59:59</ToDtTm></FrToDt>
<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
{"".join(rows)}
</Stmt></BkToCstmrStmt></Document>""".encode()
