"""Reminders and dunning notices: levels by days overdue, fees, the flat fee and default interest,
sent by email to the real SMTP server of the test and kept as sent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zweck.accounts.actors import Actor
from zweck.core.services import save_scoped
from zweck.core.tests.smtp import Inbox
from zweck.crm.tests.factories import make_organization
from zweck.sales.dunning import overdue_list, reminder_send
from zweck.sales.models import Invoice, ReceivablesSettings, Reminder
from zweck.sales.tests.test_receivables import finalized_invoice

pytestmark = pytest.mark.django_db(transaction=True)


def _invoice(owner: Actor) -> Invoice:
    invoice = finalized_invoice(owner, make_organization(owner, "Kunde GmbH"), "RE-2026-0001", "1000.00")
    Invoice.objects.filter(pk=invoice.pk).update(buyer_email="buchhaltung@example.com", language="en")
    return Invoice.objects.get(pk=invoice.pk)


def test_levels_follow_days_overdue_with_fees_flat_fee_and_interest(owner: Actor, smtp_inbox: Inbox) -> None:
    invoice = _invoice(owner)  # due 15 November 2026
    assert [row.next_level for row in overdue_list(actor=owner, on=date(2026, 11, 20))] == [None]

    reminder = reminder_send(actor=owner, invoice=invoice, on=date(2026, 11, 22))
    with pytest.raises(ValidationError, match="not yet due"):
        reminder_send(actor=owner, invoice=invoice, on=date(2026, 11, 23))
    notice = reminder_send(actor=owner, invoice=invoice, on=date(2026, 12, 6))

    assert (reminder.level, reminder.fee, reminder.flat_fee, reminder.interest, reminder.total) == (
        "reminder",
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("1000.00"),
    )
    # 21 days at 1.27 % + 9 points on 1,000 €: 5.91 €; 5 € fee; 40 € flat fee.
    assert (
        notice.level,
        notice.fee,
        notice.flat_fee,
        notice.interest_rate,
        notice.interest,
        notice.total,
    ) == (
        "first_notice",
        Decimal("5.00"),
        Decimal("40.00"),
        Decimal("10.27"),
        Decimal("5.91"),
        Decimal("1050.91"),
    )
    assert [m["To"] for m in smtp_inbox.messages] == ["buchhaltung@example.com"] * 2
    assert smtp_inbox.messages[1]["Subject"] == "First dunning notice: invoice RE-2026-0001"
    text, letter = [part for part in smtp_inbox.messages[1].walk() if not part.is_multipart()]
    assert "1050.91" in text.get_payload(decode=True).decode()  # type: ignore[union-attr]
    # The letter goes with it as PDF, printed from the notice as kept.
    assert letter.get_filename() == "dunning-notice-1-RE-2026-0001.pdf"
    assert letter.get_payload(decode=True).startswith(b"%PDF-")  # type: ignore[union-attr]


def test_a_negative_fee_is_refused_at_its_field(owner: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        save_scoped(ReceivablesSettings(first_notice_fee=Decimal("-1")), actor=owner)
    assert list(refused.value.message_dict) == ["first_notice_fee"]
    assert not ReceivablesSettings.objects.exists()


def test_an_invoice_without_an_address_gets_no_reminder_and_nothing_is_kept(
    owner: Actor, smtp_inbox: Inbox
) -> None:
    invoice = finalized_invoice(owner, make_organization(owner, "Ohne Adresse AG"), "RE-2026-0002", "10.00")

    with pytest.raises(ValidationError, match="no email address"):
        reminder_send(actor=owner, invoice=invoice, on=date(2026, 12, 1))
    assert not Reminder.objects.exists() and smtp_inbox.messages == []


def test_a_claim_handed_to_a_debt_collector_is_a_disclosure_in_the_access_export_and_art_19(
    owner: Actor, smtp_inbox: Inbox
) -> None:
    import json

    from zweck.crm.tests.factories import make_person
    from zweck.privacy.exports import access_export
    from zweck.privacy.models import RecipientNotification
    from zweck.privacy.notifications import recipient_notifications_create
    from zweck.privacy.services import recipient_create, register_defaults_install
    from zweck.sales.dunning import collection_handover

    register_defaults_install(actor=owner)
    collector = recipient_create(
        actor=owner,
        name="Inkasso Beispiel GmbH",
        role="controller",
        service_en="Debt collection",
        service_de="Inkasso",
        country="DE",
        activity_keys=[],
    )
    invoice = _invoice(owner)
    person = make_person(owner, "Karla", "Kundin", organization=invoice.organization)
    Invoice.objects.filter(pk=invoice.pk).update(contact=person)
    invoice.refresh_from_db()
    with pytest.raises(ValidationError, match="second dunning notice"):
        collection_handover(actor=owner, invoice=invoice, recipient=collector, on=date(2026, 12, 1))
    for day in (date(2026, 11, 22), date(2026, 12, 6), date(2026, 12, 20)):
        reminder_send(actor=owner, invoice=invoice, on=day)

    collection_handover(actor=owner, invoice=invoice, recipient=collector, on=date(2026, 12, 21))

    export = json.loads(access_export(workspace=owner.workspace, person_ids=[person.pk], fmt="json"))
    assert [(d["recipient"], d["disclosed_on"]) for d in export["disclosures"]] == [
        ("Inkasso Beispiel GmbH", "2026-12-21")
    ]
    from zweck.core.register import register

    recipient_notifications_create(
        actor=owner, declarations=list(register), person_ids=[person.pk], action="erasure"
    )
    assert list(RecipientNotification.objects.values_list("recipient__name", "subject_id")) == [
        ("Inkasso Beispiel GmbH", person.pk)
    ]
    with pytest.raises(ValidationError, match="already handed"):
        collection_handover(actor=owner, invoice=invoice, recipient=collector, on=date(2026, 12, 22))
