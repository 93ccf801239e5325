"""Processing activities a workspace adds itself: validated as every activity, audited, named in
the records of processing and in the notices of their groups (each change a new notice version),
and deleted again when no longer pursued. The shipped activities are never deleted or shadowed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from fideslang.models import System
from fideslang.parse import parse_dict

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.privacy.choices import LegalBasis, RecipientRole, TransferSafeguard
from zweck.privacy.documents import notice_document, ropa_document
from zweck.privacy.fides import fides_yaml
from zweck.privacy.models import NoticeVersion, ProcessingActivity, Recipient
from zweck.privacy.selectors import processing_activity_get, register_snapshot, retention_rule_get
from zweck.privacy.services import (
    processing_activity_create,
    processing_activity_delete,
    processing_activity_update,
    recipient_create,
    register_defaults_install,
)

pytestmark = pytest.mark.django_db


def trade_fair_photos(**changes: Any) -> dict[str, Any]:
    """An activity a consultancy adds: photos taken at its stand at trade fairs."""
    return {
        "key": "trade_fair_photos",
        "name_en": "Photos at trade fairs",
        "name_de": "Fotos auf Messen",
        "purpose_en": "Showing our stand and the conversations at it on our website.",
        "purpose_de": "Unseren Messestand und die Gespräche dort auf unserer Website zeigen.",
        "legal_basis": LegalBasis.LEGITIMATE_INTERESTS,
        "legitimate_interest_en": "Presenting our company to prospective clients.",
        "legitimate_interest_de": "Darstellung unseres Unternehmens gegenüber möglichen Kunden.",
        "subject_categories": ["business_contact"],
        "data_categories": ["user.name", "user.content.self_image"],
        "retention": "business_letters",
        "data_use": "marketing.advertising.first_party",
        **changes,
    }


def _notice(actor: Actor, subject: str, lang: str = "en") -> str:
    document = notice_document(register_snapshot(actor=actor), subject=subject, lang=lang, fmt="md")
    assert isinstance(document, str)
    return document


def _ropa(actor: Actor, lang: str = "en") -> str:
    document = ropa_document(register_snapshot(actor=actor), lang=lang, fmt="md")
    assert isinstance(document, str)
    return document


def _latest_versions(actor: Actor) -> dict[tuple[str, str], int]:
    latest: dict[tuple[str, str], int] = {}
    for subject, language, number in NoticeVersion.objects.in_workspace(actor.workspace_id).values_list(
        "subject", "language", "number"
    ):
        latest[(subject, language)] = max(number, latest.get((subject, language), 0))
    return latest


def _state(actor: Actor) -> tuple[Any, ...]:
    """What a refused call must leave as it was."""
    return (
        list(ProcessingActivity.objects.in_workspace(actor.workspace_id).order_by("pk").values()),
        AuditEvent.objects.count(),
        NoticeVersion.objects.count(),
    )


def test_an_added_activity_is_named_in_the_records_and_the_notices_of_its_groups(installed: Actor) -> None:
    # given the shipped register, every notice at its first version
    before = _latest_versions(installed)
    # when the privacy officer adds an activity for business contacts
    created = processing_activity_create(actor=installed, **trade_fair_photos())
    # then it is stored in the workspace, in use, with the workspace's rule
    stored = processing_activity_get(actor=installed, key="trade_fair_photos")
    assert (stored.pk, stored.enabled, stored.retention.key) == (created.pk, True, "business_letters")
    event = AuditEvent.objects.get(action="processing_activity.create", object_id=str(created.pk))
    assert event.actor_id == installed.user_id
    # and the records of processing and the business contacts' notice name it, in both languages
    assert "Photos at trade fairs" in _ropa(installed)
    assert "Fotos auf Messen" in _ropa(installed, "de")
    english = _notice(installed, "business_contact")
    assert (
        "### Photos at trade fairs\n\nShowing our stand and the conversations at it on our website."
        in english
    )
    assert "Photos of the person" in english
    assert "Presenting our company to prospective clients." in english
    german = _notice(installed, "business_contact", "de")
    assert "### Fotos auf Messen" in german
    assert "Fotos der Person" in german
    # and the objection box lists it among the purposes resting on legitimate interests
    box = english.split("## 1.")[0]
    assert "- Photos at trade fairs" in box
    # and no other group's notice claims it
    for subject in ("client_contact", "client_data_subject", "other_contact"):
        assert "Photos at trade fairs" not in _notice(installed, subject)
    # and exactly the business contacts' notices have a new version
    expected = {key: number + 1 if key[0] == "business_contact" else number for key, number in before.items()}
    assert _latest_versions(installed) == expected
    version = NoticeVersion.objects.get(
        workspace_id=installed.workspace_id,
        subject="business_contact",
        language="en",
        number=expected[("business_contact", "en")],
    )
    assert "### Photos at trade fairs" in version.text


def test_an_advertising_use_adds_the_right_to_object_to_direct_marketing(installed: Actor) -> None:
    marketing_sentence = "to the use of your data for direct marketing"
    assert marketing_sentence not in _notice(installed, "client_data_subject")

    processing_activity_create(
        actor=installed,
        **trade_fair_photos(
            subject_categories=["client_data_subject"], legal_basis=LegalBasis.CONSENT, data_use="marketing"
        ),
    )

    assert marketing_sentence in _notice(installed, "client_data_subject")


def test_the_fides_export_declares_the_added_activity(installed: Actor) -> None:
    processing_activity_create(actor=installed, **trade_fair_photos())

    manifest = yaml.safe_load(fides_yaml(register_snapshot(actor=installed)))
    system = parse_dict("system", manifest["system"][0])

    assert isinstance(system, System)
    declaration = next(d for d in system.privacy_declarations if d.name == "Photos at trade fairs")
    assert declaration.data_use == "marketing.advertising.first_party"
    assert declaration.data_categories == ["user.content.self_image", "user.name"]


def test_a_key_the_workspace_has_is_refused_at_the_key(installed: Actor) -> None:
    processing_activity_create(actor=installed, **trade_fair_photos())
    before = _state(installed)

    with pytest.raises(ValidationError) as refused:
        processing_activity_create(actor=installed, **trade_fair_photos(name_en="Other photos"))

    assert refused.value.message_dict == {
        "key": ["This workspace already has a processing activity with the key trade_fair_photos."]
    }
    assert _state(installed) == before


def test_a_shipped_key_is_refused_at_the_key(installed: Actor) -> None:
    before = _state(installed)

    with pytest.raises(ValidationError) as refused:
        processing_activity_create(actor=installed, **trade_fair_photos(key="newsletters_and_invitations"))

    assert refused.value.message_dict == {
        "key": ["This workspace already has a processing activity with the key newsletters_and_invitations."]
    }
    assert _state(installed) == before


def test_a_shipped_key_is_refused_where_the_defaults_are_not_installed(privacy_officer: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        processing_activity_create(
            actor=privacy_officer, **trade_fair_photos(key="newsletters_and_invitations")
        )

    # the workspace has no rules either; the key is refused for what it is
    assert sorted(refused.value.message_dict) == ["key", "retention"]
    assert refused.value.message_dict["key"] == [
        "newsletters_and_invitations is the key of a processing activity Zweck ships; install the shipped "
        "defaults to get it, or choose another key."
    ]
    assert not ProcessingActivity.objects.filter(workspace_id=privacy_officer.workspace_id).exists()


def test_every_problem_is_named_at_its_field_and_nothing_is_stored(installed: Actor) -> None:
    before = _state(installed)

    with pytest.raises(ValidationError) as refused:
        processing_activity_create(
            actor=installed,
            **trade_fair_photos(
                key="Trade fair photos!",
                name_de="",
                legitimate_interest_de="",
                subject_categories=["suppliers"],
                data_categories=["user.contact.carrier_pigeon"],
                retention="forever",
                data_use="selling_lists",
            ),
        )

    errors = refused.value.message_dict
    assert sorted(errors) == [
        "data_categories",
        "data_use",
        "key",
        "legitimate_interest_en",
        "name_de",
        "retention",
        "subject_categories",
    ]
    assert errors["data_use"] == [
        "Processing activity Trade fair photos!: selling_lists is not a fideslang data use."
    ]
    assert "user.contact.carrier_pigeon are not fideslang data categories" in errors["data_categories"][0]
    assert errors["retention"] == ["There is no retention rule with this key."]
    assert _state(installed) == before


def test_an_activity_without_data_categories_is_refused(installed: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        processing_activity_create(actor=installed, **trade_fair_photos(data_categories=[]))

    assert refused.value.message_dict == {
        "data_categories": ["Name the categories of personal data the activity processes."]
    }


def test_special_categories_need_their_condition(installed: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        processing_activity_create(
            actor=installed, **trade_fair_photos(data_categories=["user.name", "user.health_and_medical"])
        )

    assert list(refused.value.message_dict) == ["special_category_condition"]


def test_another_workspaces_retention_rule_is_refused(installed: Actor, stranger: Actor) -> None:
    register_defaults_install(actor=stranger)
    foreign_rule = retention_rule_get(actor=stranger, key="business_letters")

    with pytest.raises(ValidationError) as refused:
        processing_activity_create(actor=installed, **trade_fair_photos(retention=foreign_rule))

    assert list(refused.value.message_dict) == ["retention"]
    assert not ProcessingActivity.objects.filter(key="trade_fair_photos").exists()


@pytest.mark.parametrize("role", [Role.SALES, Role.READ_ONLY])
def test_a_member_without_privacy_manage_cannot_add_or_delete(
    installed: Actor, actor_with_role: Callable[[str], Actor], role: str
) -> None:
    added = processing_activity_create(actor=installed, **trade_fair_photos())
    member = actor_with_role(role)
    before = _state(installed)

    with pytest.raises(PermissionDenied):
        processing_activity_create(actor=member, **trade_fair_photos(key="other_photos"))
    with pytest.raises(PermissionDenied):
        processing_activity_delete(actor=member, activity=added)

    assert _state(installed) == before


def test_an_added_activity_is_deleted_audited_and_leaves_the_documents_and_its_recipients(
    installed: Actor,
) -> None:
    # given an added activity whose photos a processor in the EU hosts
    added = processing_activity_create(actor=installed, **trade_fair_photos())
    recipient = recipient_create(
        actor=installed,
        name="Bildarchiv GmbH",
        role=RecipientRole.PROCESSOR,
        service_en="Photo hosting",
        service_de="Foto-Hosting",
        country="DE",
        safeguard=TransferSafeguard.EEA,
        activity_keys=["trade_fair_photos", "newsletters_and_invitations"],
    )
    versions = _latest_versions(installed)
    # when the privacy officer deletes the activity
    processing_activity_delete(actor=installed, activity=added)
    # then it is gone, audited, and the recipient keeps only its other activity
    assert not ProcessingActivity.objects.filter(pk=added.pk).exists()
    assert AuditEvent.objects.filter(action="processing_activity.delete", object_id=str(added.pk)).exists()
    assert [activity.key for activity in Recipient.objects.get(pk=recipient.pk).activities.all()] == [
        "newsletters_and_invitations"
    ]
    assert AuditEvent.objects.filter(
        action="recipient.update", object_id=str(recipient.pk), changed_fields=["activities"]
    ).exists()
    # and the documents no longer name it; the business contacts' notices have a new version
    assert "Photos at trade fairs" not in _ropa(installed)
    assert "Photos at trade fairs" not in _notice(installed, "business_contact")
    assert _latest_versions(installed)[("business_contact", "en")] == versions[("business_contact", "en")] + 1


def test_a_shipped_activity_cannot_be_deleted(installed: Actor) -> None:
    before = _state(installed)

    with pytest.raises(ValidationError) as refused:
        processing_activity_delete(
            actor=installed,
            activity=processing_activity_get(actor=installed, key="newsletters_and_invitations"),
        )

    assert refused.value.messages == [
        "Newsletters and invitations is shipped with Zweck and the register's declarations refer to "
        "it, so it cannot be deleted. Switch it off instead."
    ]
    assert _state(installed) == before


def test_an_added_activity_keeps_its_data_categories_when_edited(installed: Actor) -> None:
    added = processing_activity_create(actor=installed, **trade_fair_photos())

    with pytest.raises(ValidationError) as refused:
        processing_activity_update(actor=installed, activity=added, data_categories=[])

    assert list(refused.value.message_dict) == ["data_categories"]
    updated = processing_activity_update(
        actor=installed, activity=added, data_categories=["user.name"], data_use="essential.service"
    )
    assert (updated.data_categories, updated.data_use) == (["user.name"], "essential.service")


def test_an_unknown_data_use_is_refused_when_edited(installed: Actor) -> None:
    activity = processing_activity_get(actor=installed, key="newsletters_and_invitations")

    with pytest.raises(ValidationError) as refused:
        processing_activity_update(actor=installed, activity=activity, data_use="personalize.profiling")

    assert refused.value.message_dict == {
        "data_use": [
            "Processing activity newsletters_and_invitations: personalize.profiling is not a fideslang data use."
        ]
    }
