"""The consent ledger: recording, withdrawing, validity for gating, append-only on every
database, erasure keeps the proof under its hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from zweck.accounts.actors import Actor, MissingPermission
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.crm.tests.factories import make_person
from zweck.marketing import selectors, services
from zweck.marketing.choices import ConsentChannel, ConsentMethod, ConsentPurpose, RecordKind
from zweck.marketing.models import ConsentRecord, ConsentText
from zweck.marketing.models.consent import AppendOnly, text_digest
from zweck.marketing.tests.factories import make_consent
from zweck.privacy.dsr import suppression_digest
from zweck.privacy.models import MarketingSuppression
from zweck.privacy.restriction import person_restrict


def test_a_consent_is_recorded_with_its_text_version_and_audited(owner: Actor) -> None:
    person = make_person(owner, email="ines@example.com")
    record = make_consent(owner, person, method=ConsentMethod.PAPER)
    assert (record.kind, record.purpose, record.address) == (
        RecordKind.GRANT,
        "newsletter",
        "ines@example.com",
    )
    assert record.text.version == 1
    assert record.text.digest == text_digest(record.text.body)
    assert AuditEvent.objects.filter(action="consent.record", object_id=str(record.pk)).count() == 1
    # the same words are stored once; new words are the next version
    same = services.consent_text_publish(
        actor=owner, purpose="newsletter", language="de", body=record.text.body
    )
    assert same.pk == record.text_id
    newer = services.consent_text_publish(
        actor=owner, purpose="newsletter", language="de", body="Neuer Text."
    )
    assert newer.version == 2
    assert services.consent_text_current(actor=owner, purpose="newsletter", language="de") == newer


def test_withdrawal_is_a_later_record_and_ends_validity(owner: Actor) -> None:
    person = make_person(owner, email="ines@example.com")
    record = make_consent(owner, person)
    assert selectors.consent_valid(actor=owner, person=person, purpose="newsletter")
    withdrawal = services.consent_withdraw(actor=owner, record=record, method=ConsentMethod.WEB_FORM)
    assert (withdrawal.kind, withdrawal.withdraws_id) == (RecordKind.WITHDRAWAL, record.pk)
    assert not selectors.consent_valid(actor=owner, person=person, purpose="newsletter")
    assert ConsentRecord.objects.count() == 2
    with pytest.raises(services.AlreadyWithdrawn):
        services.consent_withdraw(actor=owner, record=record, method=ConsentMethod.WEB_FORM)
    assert ConsentRecord.objects.count() == 2


def test_bad_input_is_refused_at_the_field_and_nothing_is_written(owner: Actor) -> None:
    person = make_person(owner, email="ines@example.com")
    cases = [
        ({"method": ConsentMethod.VERBAL}, "note"),
        ({"purpose": ConsentPurpose.DISCLOSURE}, "recipient_id"),
        ({"purpose": ConsentPurpose.SPECIAL_CATEGORY}, "scope"),
        ({"address": "not an address"}, "address"),
        ({"channel": ConsentChannel.TELEPHONE, "address": "0221 12"}, "address"),
        ({"given_at": timezone.now() + timedelta(days=2)}, "given_at"),
        ({"purpose": "spam"}, "purpose"),
    ]
    for changes, field in cases:
        arguments = {"purpose": ConsentPurpose.NEWSLETTER, "address": "ines@example.com", **changes}
        with pytest.raises(ValidationError) as refused:
            make_consent(owner, person, **arguments)
        assert field in refused.value.message_dict, (changes, refused.value)
    assert ConsentRecord.objects.count() == 0


def test_a_verbal_consent_with_a_note_and_a_telephone_number(owner: Actor) -> None:
    person = make_person(owner, phone="+49 221 1234567")
    record = make_consent(
        owner,
        person,
        ConsentPurpose.TELEPHONE,
        address="+492211234567",
        channel=ConsentChannel.TELEPHONE,
        method=ConsentMethod.VERBAL,
        note="Am Messestand gefragt, Zustimmung zu Anrufen.",
    )
    assert record.note.startswith("Am Messestand")


def test_the_ledger_refuses_changes_through_the_model_and_the_queryset(owner: Actor) -> None:
    record = make_consent(owner, make_person(owner))
    record.address = "other@example.com"
    with pytest.raises(AppendOnly):
        record.save()
    with pytest.raises(AppendOnly):
        ConsentRecord.objects.filter(pk=record.pk).update(address="other@example.com")
    text = ConsentText.objects.get()
    with pytest.raises(AppendOnly):
        text.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_an_update_sent_around_the_models(owner: Actor) -> None:
    record = make_consent(owner, make_person(owner))
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE marketing_consentrecord SET address = 'x@example.com' WHERE id = %s", [record.pk]
        )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE marketing_consenttext SET body = 'x' WHERE id = %s", [record.text_id])
    # clearing the staff reference when a user account goes stays possible
    with connection.cursor() as cursor:
        cursor.execute("UPDATE marketing_consentrecord SET created_by_id = NULL WHERE id = %s", [record.pk])
    assert ConsentRecord.objects.get(pk=record.pk).address == record.address


def test_gating_in_bulk_leaves_out_withdrawn_objected_and_restricted_people(owner: Actor) -> None:
    given, withdrawn, objected, restricted, never = (
        make_person(owner, name, email=f"{name.lower()}@example.com")
        for name in ("Gina", "Willi", "Otto", "Resi", "Nina")
    )
    for person in (given, withdrawn, objected, restricted):
        make_consent(owner, person)
    services.consent_withdraw(
        actor=owner, record=ConsentRecord.objects.get(person=withdrawn), method=ConsentMethod.PAPER
    )
    MarketingSuppression.objects.create(
        workspace_id=owner.workspace_id, digest=suppression_digest("otto@example.com")
    )
    person_restrict(actor=owner, person_ids=[restricted.pk])
    ids = [p.pk for p in (given, withdrawn, objected, restricted, never)]
    assert selectors.consent_valid_persons(actor=owner, person_ids=ids, purpose="newsletter") == {given.pk}
    assert selectors.consent_valid_persons(actor=owner, person_ids=ids, purpose="event_invitations") == set()


def test_permissions_and_workspaces(
    owner: Actor, actor_with_role: Callable[[str], Actor], stranger: Actor
) -> None:
    person = make_person(owner)
    record = make_consent(owner, person)
    service = actor_with_role(Role.SERVICE)
    with pytest.raises(MissingPermission):
        make_consent(service, person)
    with pytest.raises(MissingPermission):
        selectors.consent_list(actor=service)
    marketer = actor_with_role(Role.MARKETING)
    assert list(selectors.consent_list(actor=marketer)) == [record]
    assert list(selectors.consent_list(actor=stranger)) == []
    with pytest.raises(ValidationError):
        make_consent(stranger, person)
    assert ConsentRecord.objects.count() == 1


def test_erasure_keeps_the_proof_under_its_hold_without_changing_it(owner: Actor) -> None:
    from zweck.privacy.erasure import person_erase
    from zweck.privacy.models import RecordHold
    from zweck.privacy.services import register_defaults_install

    register_defaults_install(actor=owner)
    person = make_person(owner, email="ines@example.com")
    record = make_consent(owner, person)
    with transaction.atomic():
        person_erase(actor=owner, person_ids=[person.pk])
    kept = ConsentRecord.objects.get(pk=record.pk)
    assert (kept.address, kept.given_at) == (record.address, record.given_at)
    hold = RecordHold.objects.get(object_type="marketing.consentrecord", object_id=record.pk)
    assert hold.ends_on.year == timezone.localdate().year + 5
    assert selectors.consent_valid_persons(actor=owner, person_ids=[person.pk], purpose="newsletter") == set()
