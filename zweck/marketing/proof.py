"""The printable proof of one consent (Art. 7(1) GDPR; BGH I ZR 164/09 for the double opt-in):
who consented, to which text (version and digest), how, and the whole chain — the form, the
confirmation email, the click — with its withdrawal, if any.

The page ends with a sign-off: when and by whom it was printed, and the SHA-256 digest of the
facts it shows, so a printed copy can be checked against the ledger later.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from zweck.marketing.choices import ConsentChannel, ConsentMethod, ConsentPurpose, RecordKind
from zweck.marketing.models import ConsentRecord


def moment_text(value: datetime | None, language: str) -> str:
    """03.12.2026, 14:30 in German, 3 Dec 2026, 14:30 in English (local time)."""
    if value is None:
        return ""
    with translation.override(language):
        return dateformat.format(
            timezone.localtime(value), "d.m.Y, H:i" if language == "de" else "j M Y, H:i"
        )


@dataclass(frozen=True)
class Step:
    title: str
    facts: list[tuple[str, str]]


@dataclass(frozen=True)
class Proof:
    record: ConsentRecord
    person_name: str
    purpose: str
    in_force: bool
    steps: list[Step]
    facts: list[tuple[str, str]]
    digest: str
    printed_at: str
    printed_by: str
    controller: str
    language: str


def _withdrawal(record: ConsentRecord) -> ConsentRecord | None:
    withdrawals = list(record.withdrawals.all())
    return withdrawals[0] if withdrawals else None


def _client(record_ip: str | None, agent: str) -> list[tuple[str, str]]:
    return [(_("IP address"), record_ip or "—"), (_("Browser"), agent or "—")]


def proof_of(record: ConsentRecord, *, printed_by: str, language: str) -> Proof:
    """The facts of the proof of ``record`` in ``language`` (a withdrawal shows its consent)."""
    grant = record.withdraws if record.kind == RecordKind.WITHDRAWAL and record.withdraws else record
    with translation.override(language):
        text = grant.text
        facts = [
            (_("Person"), grant.person.full_name),
            (_("Purpose"), str(ConsentPurpose(grant.purpose).label)),
            (_("Channel"), str(ConsentChannel(grant.channel).label)),
            (_("Address or number"), grant.address),
        ]
        if grant.recipient_id:
            facts.append((_("Recipient"), grant.recipient.name if grant.recipient else ""))
        if grant.scope:
            facts.append((_("About"), grant.scope))
        facts += [
            (_("How"), str(ConsentMethod(grant.method).label)),
            (
                _("Text"),
                _("Version %(version)s (%(language)s)")
                % {"version": text.version, "language": text.language},
            ),
            (_("SHA-256 of the text"), text.digest),
        ]
        steps: list[Step] = []
        if grant.form_submitted_at:
            steps.append(
                Step(
                    _("1. Form sent"),
                    [
                        (_("When"), moment_text(grant.form_submitted_at, language)),
                        (_("Page"), grant.form_page or "—"),
                        *_client(grant.form_ip_address, grant.form_user_agent),
                    ],
                )
            )
        if grant.confirmation_sent_at:
            steps.append(
                Step(
                    _("2. Confirmation email"),
                    [
                        (_("Queued"), moment_text(grant.confirmation_sent_at, language)),
                        (_("To"), grant.address),
                        (_("Subject"), grant.confirmation_subject or "—"),
                        (_("Outgoing email no."), str(grant.confirmation_mail_id or "—")),
                    ],
                )
            )
        given_title = (
            _("3. Confirmation click") if grant.method == ConsentMethod.DOUBLE_OPT_IN else _("Consent given")
        )
        steps.append(
            Step(
                given_title,
                [
                    (_("When"), moment_text(grant.given_at, language)),
                    *(
                        _client(grant.ip_address, grant.user_agent)
                        if grant.ip_address or grant.user_agent
                        else []
                    ),
                    *([(_("Note"), grant.note)] if grant.note else []),
                ],
            )
        )
        withdrawal = _withdrawal(grant)
        if withdrawal is not None:
            steps.append(
                Step(
                    _("Withdrawn"),
                    [
                        (_("When"), moment_text(withdrawal.given_at, language)),
                        (_("How"), str(ConsentMethod(withdrawal.method).label)),
                        *(
                            _client(withdrawal.ip_address, withdrawal.user_agent)
                            if withdrawal.ip_address or withdrawal.user_agent
                            else []
                        ),
                        *([(_("Note"), withdrawal.note)] if withdrawal.note else []),
                    ],
                )
            )
        payload: dict[str, Any] = {
            "consent": grant.pk,
            "withdrawal": withdrawal.pk if withdrawal else None,
            "person": grant.person_id,
            "purpose": grant.purpose,
            "address": grant.address,
            "text": text.digest,
            "method": grant.method,
            "given_at": grant.given_at.isoformat(),
            "ip": grant.ip_address,
            "user_agent": grant.user_agent,
            "form_submitted_at": grant.form_submitted_at.isoformat() if grant.form_submitted_at else None,
            "form_ip": grant.form_ip_address,
            "confirmation_sent_at": grant.confirmation_sent_at.isoformat()
            if grant.confirmation_sent_at
            else None,
            "withdrawn_at": withdrawal.given_at.isoformat() if withdrawal else None,
        }
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()
        return Proof(
            record=grant,
            person_name=grant.person.full_name,
            purpose=str(ConsentPurpose(grant.purpose).label),
            in_force=withdrawal is None,
            steps=steps,
            facts=facts,
            digest=digest,
            printed_at=moment_text(timezone.now(), language),
            printed_by=printed_by,
            controller=grant.person.workspace.legal_name or grant.person.workspace.name,
            language=language,
        )


STYLESHEET = Path(__file__).parent / "static" / "marketing" / "proof.css"


def proof_html(proof: Proof, *, inline_css: bool = False) -> str:
    """The proof as a page; ``inline_css`` for the PDF, which reads no static files."""
    css = STYLESHEET.read_text(encoding="utf-8") if inline_css else ""
    with translation.override(proof.language):
        return render_to_string("marketing/proof.html", {"proof": proof, "css": css})


def proof_pdf(proof: Proof) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=proof_html(proof, inline_css=True)).write_pdf())
