"""Writing the register: defaults install idempotently, bad rows are refused naming the row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.privacy.choices import LegalBasis, RecipientRole, TransferSafeguard
from zweck.privacy.defaults import ACTIVITY_PRESETS, RETENTION_PRESETS, SECURITY_MEASURE_PRESETS
from zweck.privacy.models import ProcessingActivity, Recipient, RetentionRule, SecurityMeasure
from zweck.privacy.services import (
    processing_activity_update,
    recipient_create,
    recipient_delete,
    recipient_update,
    register_defaults_install,
    retention_rule_update,
)


def test_installing_the_defaults_copies_every_preset_once(privacy_officer: Actor) -> None:
    # when
    first = register_defaults_install(actor=privacy_officer)
    second = register_defaults_install(actor=privacy_officer)
    # then
    assert first.retention_rules == list(RETENTION_PRESETS)
    assert first.activities == list(ACTIVITY_PRESETS)
    assert first.security_measures == list(SECURITY_MEASURE_PRESETS)
    assert (second.retention_rules, second.activities, second.security_measures) == ([], [], [])
    workspace_id = privacy_officer.workspace_id
    assert RetentionRule.objects.filter(workspace_id=workspace_id).count() == len(RETENTION_PRESETS)
    assert ProcessingActivity.objects.filter(workspace_id=workspace_id).count() == len(ACTIVITY_PRESETS)
    assert SecurityMeasure.objects.filter(workspace_id=workspace_id).count() == len(SECURITY_MEASURE_PRESETS)
    created = AuditEvent.objects.filter(workspace_id=workspace_id, action="processing_activity.create")
    assert created.count() == len(ACTIVITY_PRESETS)


def test_installing_leaves_edited_rows_alone(installed: Actor) -> None:
    # given an activity the privacy officer edited
    activity = ProcessingActivity.objects.get(workspace_id=installed.workspace_id, key="contact_management")
    processing_activity_update(actor=installed, activity=activity, purpose_en="Our own wording.")
    # when
    register_defaults_install(actor=installed)
    # then
    activity.refresh_from_db()
    assert activity.purpose_en == "Our own wording."
    event = AuditEvent.objects.get(workspace_id=installed.workspace_id, action="processing_activity.update")
    assert event.changed_fields == ["purpose_en"]


def test_the_defaults_are_per_workspace(installed: Actor, stranger: Actor) -> None:
    assert not ProcessingActivity.objects.filter(workspace_id=stranger.workspace_id).exists()


@pytest.mark.parametrize("role", [Role.SALES, Role.READ_ONLY, Role.ACCOUNTING])
def test_members_without_privacy_manage_cannot_change_the_register(
    actor_with_role: Callable[[str], Actor], role: str
) -> None:
    with pytest.raises(PermissionDenied):
        register_defaults_install(actor=actor_with_role(role))
    assert not ProcessingActivity.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="processing_activity").exists()


def test_an_activity_without_a_legal_basis_is_refused_naming_it(installed: Actor) -> None:
    activity = ProcessingActivity.objects.get(workspace_id=installed.workspace_id, key="service_delivery")
    with pytest.raises(ValidationError) as error:
        processing_activity_update(actor=installed, activity=activity, legal_basis="")
    assert "Processing activity service_delivery has no legal basis under Art. 6(1) GDPR." in str(error.value)
    activity.refresh_from_db()
    assert activity.legal_basis == LegalBasis.CONTRACT


def test_legitimate_interests_must_be_named(installed: Actor) -> None:
    activity = ProcessingActivity.objects.get(workspace_id=installed.workspace_id, key="service_delivery")
    with pytest.raises(ValidationError, match="service_delivery relies on legitimate interests"):
        processing_activity_update(
            actor=installed, activity=activity, legal_basis=LegalBasis.LEGITIMATE_INTERESTS
        )


def test_special_categories_need_an_article_9_condition(installed: Actor) -> None:
    activity = ProcessingActivity.objects.get(workspace_id=installed.workspace_id, key="events_and_training")
    with pytest.raises(ValidationError, match=r"events_and_training processes special categories of data"):
        processing_activity_update(actor=installed, activity=activity, special_category_condition="")


def test_unknown_data_categories_are_refused_naming_the_activity(installed: Actor) -> None:
    activity = ProcessingActivity.objects.get(workspace_id=installed.workspace_id, key="service_delivery")
    with pytest.raises(
        ValidationError, match=r"service_delivery: user.shoe_size are not fideslang data categories"
    ):
        processing_activity_update(actor=installed, activity=activity, data_categories=["user.shoe_size"])


def test_a_retention_rule_that_cannot_be_computed_is_refused_naming_it(installed: Actor) -> None:
    rule = RetentionRule.objects.get(workspace_id=installed.workspace_id, key="warranty")
    with pytest.raises(
        ValidationError, match="Retention rule warranty: A retention period cannot exceed 100 years"
    ):
        retention_rule_update(actor=installed, rule=rule, years=250)
    rule.refresh_from_db()
    assert rule.years == 4


def test_the_key_a_declaration_refers_to_cannot_change(installed: Actor) -> None:
    rule = RetentionRule.objects.get(workspace_id=installed.workspace_id, key="warranty")
    with pytest.raises(ValidationError, match="cannot be changed"):
        retention_rule_update(actor=installed, rule=rule, key="guarantee")


def test_a_transfer_without_a_safeguard_is_refused_naming_the_recipient(installed: Actor) -> None:
    with pytest.raises(ValidationError) as error:
        recipient_create(
            actor=installed,
            name="Faraway Mail Inc.",
            role=RecipientRole.PROCESSOR,
            service_en="Newsletter delivery",
            service_de="Newsletter-Versand",
            country="us",
            activity_keys=["newsletters_and_invitations"],
        )
    assert "Recipient Faraway Mail Inc. (US) is outside the EU/EEA: name the transfer safeguard" in str(
        error.value
    )
    assert not Recipient.objects.exists()


def test_standard_contractual_clauses_need_their_date(installed: Actor) -> None:
    with pytest.raises(
        ValidationError, match=r"Recipient Faraway Mail Inc. \(US\): give the date of the safeguard"
    ):
        recipient_create(
            actor=installed,
            name="Faraway Mail Inc.",
            role=RecipientRole.PROCESSOR,
            service_en="Newsletter delivery",
            service_de="Newsletter-Versand",
            country="US",
            safeguard=TransferSafeguard.SCC,
        )


def test_a_recipient_in_the_eea_needs_no_transfer_safeguard(installed: Actor) -> None:
    recipient = recipient_create(
        actor=installed,
        name="Beispiel Hosting GmbH",
        role=RecipientRole.PROCESSOR,
        service_en="Hosting",
        service_de="Hosting",
        country="de",
        activity_keys=["contact_management", "account_administration"],
    )
    assert (recipient.country, recipient.safeguard) == ("DE", TransferSafeguard.EEA)
    assert sorted(recipient.activities.values_list("key", flat=True)) == [
        "account_administration",
        "contact_management",
    ]


def test_recipients_name_only_activities_of_the_workspace(installed: Actor) -> None:
    with pytest.raises(ValidationError, match="Unknown processing activities: bookkeeping"):
        recipient_create(
            actor=installed,
            name="Beispiel Steuerberatung",
            role=RecipientRole.CONTROLLER,
            service_en="Tax advice",
            service_de="Steuerberatung",
            country="DE",
            activity_keys=["bookkeeping"],
        )


def test_moving_a_recipient_outside_the_eea_needs_a_safeguard(like_seed_004: Actor) -> None:
    odoo = Recipient.objects.get(name="Odoo S.A.")
    with pytest.raises(ValidationError, match=r"Recipient Odoo S.A. \(US\) is outside the EU/EEA"):
        recipient_update(actor=like_seed_004, recipient=odoo, country="US")
    updated = recipient_update(
        actor=like_seed_004,
        recipient=odoo,
        country="US",
        safeguard=TransferSafeguard.SCC,
        safeguard_date=date(2021, 6, 4),
        activity_keys=["quotes_and_orders"],
    )
    assert (updated.country, updated.safeguard) == ("US", TransferSafeguard.SCC)
    assert list(updated.activities.values_list("key", flat=True)) == ["quotes_and_orders"]


def test_deleting_a_recipient_is_audited(like_seed_004: Actor) -> None:
    odoo = Recipient.objects.get(name="Odoo S.A.")
    recipient_delete(actor=like_seed_004, recipient=odoo)
    assert not Recipient.objects.filter(pk=odoo.pk).exists()
    assert AuditEvent.objects.filter(action="recipient.delete", object_id=str(odoo.pk)).count() == 1


def test_another_workspace_cannot_change_my_rows(installed: Actor, stranger: Actor) -> None:
    rule = RetentionRule.objects.get(workspace_id=installed.workspace_id, key="warranty")
    with pytest.raises(RetentionRule.DoesNotExist):
        retention_rule_update(actor=stranger, rule=rule, years=5)
    rule.refresh_from_db()
    assert rule.years == 4
