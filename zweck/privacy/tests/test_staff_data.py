"""Staff users as data subjects: the security log in the register, their own access export,
and the records of processing and the staff notice that name both."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import ApiToken, SecurityEvent, User
from zweck.accounts.services import token_create
from zweck.accounts.tests.factories import WorkspaceFactory, make_actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.core.register import register
from zweck.privacy.choices import RetentionEvent
from zweck.privacy.defaults import RETENTION_PRESETS
from zweck.privacy.documents import notice_document, ropa_document
from zweck.privacy.models import RetentionRule
from zweck.privacy.selectors import register_snapshot
from zweck.privacy.services import register_defaults_install, retention_rule_update
from zweck.privacy.staff_export import staff_access_data, staff_access_export, staff_data_sets

pytestmark = pytest.mark.django_db


def _event(actor: Actor, address: str) -> SecurityEvent:
    return SecurityEvent.objects.create(
        workspace_id=actor.workspace_id, user=actor.user, kind="sign_in", channel="web", ip_address=address
    )


def test_the_security_log_is_declared_as_staff_data_with_its_own_short_rule() -> None:
    declaration = register.get(SecurityEvent)
    assert declaration is not None
    assert (declaration.subject_kind, declaration.activities, declaration.retention) == (
        "employee",
        ("security_logging",),
        "security_log",
    )
    preset = RETENTION_PRESETS["security_log"]
    assert (preset.counts_from, preset.days, preset.years, preset.months) == (
        RetentionEvent.RECORD_CREATED,
        30,
        0,
        0,
    )
    created_at = SecurityEvent._meta.get_field("created_at")
    assert created_at.db_index
    assert SecurityEvent._meta.get_field("workspace").null


def test_a_new_workspace_gets_the_rule_with_the_shipped_defaults(owner: Actor) -> None:
    register_defaults_install(actor=owner)

    rule = RetentionRule.objects.get(workspace_id=owner.workspace_id, key="security_log")
    assert (rule.days, rule.counts_from, rule.statutory) == (30, "record_created", False)


def test_workspaces_installed_before_the_rule_get_it_from_the_migration(
    owner: Actor, stranger: Actor
) -> None:
    # given one workspace whose register predates the rule, and one without a register at all
    register_defaults_install(actor=owner)
    RetentionRule.objects.filter(workspace_id=owner.workspace_id, key="security_log").delete()
    migration = importlib.import_module("zweck.privacy.migrations.0008_security_log_retention_rule")
    # when the migration runs (twice: it is idempotent)
    migration.add_security_log_rule(apps, None)
    migration.add_security_log_rule(apps, None)
    # then the installed workspace has the rule once, the other nothing
    rules = RetentionRule.objects.filter(key="security_log")
    assert [(rule.workspace_id, rule.days, rule.counts_from) for rule in rules] == [
        (owner.workspace_id, 30, "record_created")
    ]
    assert rules[0].name_de == RETENTION_PRESETS["security_log"].name_de
    assert rules[0].legal_source_en == RETENTION_PRESETS["security_log"].legal_source_en


def test_the_staff_export_is_derived_from_the_staff_declarations() -> None:
    labels = [data_set.label for data_set in staff_data_sets()]

    assert labels[0] == "accounts.User"
    assert set(labels) == {
        "accounts.User",
        "accounts.Membership",
        # an invitation names the member who sent it
        "accounts.Invitation",
        "accounts.ApiToken",
        "accounts.SecurityEvent",
        "audit.AuditEvent",
        # a retention sweep started by hand names who started it, a notice version who changed the register
        "privacy.RetentionSweep",
        "privacy.NoticeVersion",
    }
    # the operator's own administration log belongs to no workspace
    assert "admin.LogEntry" not in labels


def test_a_staff_member_gets_their_account_and_their_log_but_no_secrets_and_nobody_else(owner: Actor) -> None:
    # given
    register_defaults_install(actor=owner)
    member = make_actor(Role.SALES, owner.workspace)
    token, plain = token_create(actor=member, name="Laptop")
    _event(member, "192.0.2.10")
    _event(owner, "192.0.2.11")
    elsewhere = make_actor(Role.OWNER)
    SecurityEvent.objects.create(
        workspace_id=elsewhere.workspace_id,
        user=member.user,
        kind="sign_in",
        channel="web",
        ip_address="192.0.2.12",
    )
    assert member.user is not None
    # when
    data = staff_access_data(workspace=owner.workspace, user_id=member.user.pk, lang="en")
    # then
    sets = {data_set["data_set"]: data_set for data_set in data["data_sets"]}
    assert sets["accounts.User"]["rows"] == [
        {
            "id": member.user.pk,
            "last_login": None,
            "is_superuser": False,
            "email": member.user.email,
            "full_name": member.user.full_name,
            "language": "en",
            "is_active": True,
            "is_staff": False,
            "date_joined": member.user.date_joined.isoformat(),
        }
    ]
    assert sets["accounts.User"]["withheld"] == ["password"]
    assert sets["accounts.ApiToken"]["withheld"] == ["prefix", "digest"]
    assert [row["name"] for row in sets["accounts.ApiToken"]["rows"]] == ["Laptop"]
    assert [row["ip_address"] for row in sets["accounts.SecurityEvent"]["rows"]] == ["192.0.2.10"]
    assert [row["role"] for row in sets["accounts.Membership"]["rows"]] == ["sales"]
    assert [row["action"] for row in sets["audit.AuditEvent"]["rows"]] == ["apitoken.create"]
    facts = sets["accounts.SecurityEvent"]["facts"]
    assert facts["retention"] == "30 days after the record arose"
    assert [purpose["name"] for purpose in facts["purposes"]] == ["Security logging"]
    assert "Browser and device (user agent)" in facts["categories"]
    assert data["subject_group"] == "Staff users of this system"
    text = json.dumps(data)
    stored = User.objects.get(pk=member.user.pk)
    for secret in (stored.password, plain, ApiToken.objects.get(pk=token.pk).digest):
        assert secret not in text
    assert "192.0.2.11" not in text and "192.0.2.12" not in text


def test_the_export_is_german_when_asked_and_its_download_is_audited(owner: Actor) -> None:
    register_defaults_install(actor=owner)
    _event(owner, "192.0.2.20")

    data = json.loads(staff_access_export(actor=owner, lang="de"))

    sets = {data_set["data_set"]: data_set for data_set in data["data_sets"]}
    assert (
        sets["accounts.SecurityEvent"]["facts"]["retention"] == "30 Tage nach der Entstehung des Datensatzes"
    )
    assert data["subject_group"] == "Mitarbeitende, die dieses System nutzen"
    event = AuditEvent.objects.get(action="staff.access_export")
    assert (event.actor_id, event.object_id) == (owner.user_id, str(owner.user_id))


def _ropa(actor: Actor, lang: str = "en") -> str:
    document = ropa_document(register_snapshot(actor=actor), lang=lang, fmt="md")
    assert isinstance(document, str)
    return document


def _staff_notice(actor: Actor, lang: str = "en") -> str:
    document = notice_document(register_snapshot(actor=actor), subject="staff", lang=lang, fmt="md")
    assert isinstance(document, str)
    return document


def _section(document: str, title: str) -> str:
    """The part of a Markdown document under the level-3 heading that ends with ``title``."""
    lines = document.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("### ") and line.endswith(title))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("##")), len(lines))
    return "\n".join(lines[start:end])


def test_the_records_of_processing_list_the_staff_and_the_security_log_with_its_period(owner: Actor) -> None:
    register_defaults_install(actor=owner)

    logging_section = _section(_ropa(owner), " Security logging")

    assert "Staff users of this system" in logging_section
    assert "Browser and device (user agent)" in logging_section
    assert "IP address" in logging_section
    assert "Sign-in and security log: 30 days after the record arose" in logging_section


def test_a_changed_period_reaches_the_records_and_the_staff_notice(owner: Actor) -> None:
    register_defaults_install(actor=owner)
    rule = RetentionRule.objects.get(workspace_id=owner.workspace_id, key="security_log")

    retention_rule_update(actor=owner, rule=rule, days=14)

    assert "Sign-in and security log: 14 days after the record arose" in _ropa(owner)
    assert "Sign-in and security log: 14 days after the record arose" in _staff_notice(owner)
    assert "Anmelde- und Sicherheitsprotokoll: 14 Tage nach der Entstehung des Datensatzes" in _staff_notice(
        owner, "de"
    )


def test_the_staff_notice_names_the_staff_and_the_security_log(owner: Actor) -> None:
    register_defaults_install(actor=owner)

    notice = _staff_notice(owner)

    assert "Staff users of this system" in notice
    assert "### Security logging" in notice
    assert "### Staff accounts and workspace administration" in notice
    assert "Browser and device (user agent)" in notice
    # the contacts' own purposes are not the staff's
    assert "### Newsletters and invitations" not in notice


def test_the_contacts_notices_do_not_claim_the_staff_log_period(owner: Actor) -> None:
    register_defaults_install(actor=owner)

    document = notice_document(register_snapshot(actor=owner), subject="client_contact", lang="en", fmt="md")

    assert "Sign-in and security log" not in str(document)


def test_a_workspace_without_a_register_yet_still_exports(db: None) -> None:
    actor = make_actor(Role.READ_ONLY, WorkspaceFactory())
    assert actor.user is not None
    _event(actor, "192.0.2.30")

    data = staff_access_data(workspace=actor.workspace, user_id=actor.user.pk)

    sets = {data_set["data_set"]: data_set for data_set in data["data_sets"]}
    assert sets["accounts.SecurityEvent"]["facts"]["retention"] == ""
    assert sets["accounts.SecurityEvent"]["rows"][0]["created_at"] <= timezone.now().isoformat()
