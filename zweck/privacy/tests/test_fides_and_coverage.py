"""The Fides export parses with fideslang; the coverage report is empty for the defaults."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from fideslang.models import Dataset, System
from fideslang.parse import parse_dict

from zweck.accounts.actors import Actor
from zweck.core.permissions import Role
from zweck.privacy.choices import RecipientRole, TransferSafeguard
from zweck.privacy.fides import fides_yaml
from zweck.privacy.models import ProcessingActivity, Recipient, RetentionRule
from zweck.privacy.selectors import register_coverage, register_snapshot


def test_the_fides_export_parses_and_validates_with_fideslang(like_seed_004: Actor) -> None:
    # when
    manifest = yaml.safe_load(fides_yaml(register_snapshot(actor=like_seed_004)))
    dataset = parse_dict("dataset", manifest["dataset"][0])
    system = parse_dict("system", manifest["system"][0])
    # then
    assert isinstance(dataset, Dataset)
    assert isinstance(system, System)
    persons = next(collection for collection in dataset.collections if collection.name == "crm_person")
    categories = {field.name: field.data_categories for field in persons.fields}
    assert categories["last_name"] == ["user.name.last"]
    assert categories["subject_category"] == ["system.operations"]
    declarations = {declaration.name: declaration for declaration in system.privacy_declarations}
    support = declarations["Support and maintenance"]
    assert support.data_use == "essential.service.operations.support"
    assert support.legal_basis_for_processing == "Contract"
    assert support.third_parties == "NinjaOne, LLC"
    assert support.data_subjects == ["customer"]
    events = declarations["Events and training"]
    assert (events.processes_special_category_data, events.special_category_legal_basis) == (
        True,
        "Explicit consent",
    )
    assert declarations["Newsletters and invitations"].legal_basis_for_processing == "Consent"
    assert declarations["Quotes, orders and invoicing"].retention_period == (
        "8 years from the end of the calendar year in which the record arose"
    )
    assert (system.does_international_transfers, system.legal_basis_for_transfers) == (True, ["SCCs"])
    assert system.dataset_references == [dataset.fides_key]


def test_coverage_is_empty_for_the_shipped_defaults(installed: Actor) -> None:
    coverage = register_coverage(actor=installed)
    assert coverage.undeclared_fields == []
    assert coverage.processing_without_legal_basis == []
    assert coverage.personal_data_without_retention == []
    assert coverage.transfers_without_safeguard == []
    assert coverage.is_complete
    by_category = {entry.category: entry for entry in coverage.fields_by_category}
    assert by_category["user.name.last"].fields == ("crm.Person.last_name",)
    assert by_category["user.contact.email"].fields == (
        "accounts.Invitation.email",
        "accounts.User.email",
        "accounts.Workspace.dpo_email",
        "crm.Organization.email",
        "crm.PersonEmail.email",
        "outbox.OutgoingMail.recipients",
        "privacy.DataSubjectRequest.requester_email",
        "sales.DocumentSending.recipient_email",
        "sales.Invoice.buyer_email",
        "sales.Reminder.email",
    )


def test_coverage_names_a_recipient_outside_the_eea_without_a_safeguard(installed: Actor) -> None:
    # given a row that predates the rule (imported, or written before the check existed)
    Recipient.objects.create(
        workspace_id=installed.workspace_id,
        name="Faraway Mail Inc.",
        role=RecipientRole.PROCESSOR,
        service_en="Newsletter delivery",
        service_de="Newsletter-Versand",
        country="US",
        safeguard=TransferSafeguard.NONE,
    )
    # when
    coverage = register_coverage(actor=installed)
    # then
    assert coverage.transfers_without_safeguard == [
        "Recipient Faraway Mail Inc. (US) is outside the EU/EEA without a dated safeguard."
    ]
    assert not coverage.is_complete


def test_coverage_names_activities_and_rules_that_are_missing_or_broken(installed: Actor) -> None:
    workspace_id = installed.workspace_id
    Recipient.objects.filter(workspace_id=workspace_id).delete()
    ProcessingActivity.objects.filter(workspace_id=workspace_id, key="management_reporting").delete()
    ProcessingActivity.objects.filter(workspace_id=workspace_id, key="service_delivery").update(
        legal_basis=""
    )
    RetentionRule.objects.filter(workspace_id=workspace_id, key="warranty").update(years=500)
    coverage = register_coverage(actor=installed)
    assert coverage.processing_without_legal_basis == [
        "crm.Person: processing activity management_reporting is not set up in this workspace.",
        "crm.PersonEmail: processing activity management_reporting is not set up in this workspace.",
        "crm.PersonPhone: processing activity management_reporting is not set up in this workspace.",
        "crm.OrganizationMembership: processing activity management_reporting is not set up in this workspace.",
        "Processing activity service_delivery has no legal basis under Art. 6(1) GDPR.",
    ]
    assert coverage.personal_data_without_retention == [
        "Retention rule warranty: A retention period cannot exceed 100 years."
    ]


def test_coverage_needs_privacy_view(actor_with_role: Callable[[str], Actor]) -> None:
    with pytest.raises(PermissionDenied):
        register_coverage(actor=actor_with_role(Role.SALES))


def test_the_snapshot_is_scoped_to_the_workspace(like_seed_004: Actor, stranger: Actor) -> None:
    assert register_snapshot(actor=stranger).recipients == []
    assert [recipient.name for recipient in register_snapshot(actor=like_seed_004).recipients] == [
        "NinjaOne, LLC",
        "Odoo S.A.",
    ]
