"""Versioned privacy notices: a change of the register makes a new version of each notice it
alters and of no other; the portal shows the current version, its date and the history with
readable changes; the notice names the privacy portal and sets the right to object apart."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings

from zweck.accounts.actors import Actor
from zweck.api.tests.support import api_as
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.privacy.controller import controller_update
from zweck.privacy.defaults import DOCUMENT_SUBJECTS, NOTICE_SUBJECTS
from zweck.privacy.models import NoticeVersion
from zweck.privacy.notice_versions import (
    ADDED,
    REMOVED,
    notice_changes,
    notice_version_current,
    notice_versions_refresh,
)
from zweck.privacy.selectors import retention_rule_get
from zweck.privacy.services import retention_rule_update
from zweck.web.tests.accessibility import accessibility_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_here(installed: Actor, actor_with_role: Callable[[str], Actor]) -> Actor:
    return actor_with_role(Role.OWNER)


def _numbers(actor: Actor) -> dict[tuple[str, str], int]:
    """The latest version number of each notice of the actor's workspace."""
    latest: dict[tuple[str, str], int] = {}
    for subject, language, number in NoticeVersion.objects.in_workspace(actor.workspace_id).values_list(
        "subject", "language", "number"
    ):
        latest[(subject, language)] = max(number, latest.get((subject, language), 0))
    return latest


def test_installing_the_register_publishes_version_one_of_every_notice(installed: Actor) -> None:
    assert _numbers(installed) == {
        (subject, lang): 1 for subject in DOCUMENT_SUBJECTS for lang in ("de", "en")
    }
    events = AuditEvent.objects.filter(workspace_id=installed.workspace_id, action="notice_version.create")
    assert events.count() == 2 * len(DOCUMENT_SUBJECTS)
    version = NoticeVersion.objects.get(workspace=installed.workspace, subject="other_contact", language="en")
    # the stored text is the notice without its date, and its digest is the text's
    assert version.text.startswith("# Privacy notice for Other people who contact us\n")
    assert "As of" not in version.text
    assert len(version.digest) == 64


def test_a_change_makes_a_version_only_of_the_notices_whose_text_changed(installed: Actor) -> None:
    # given: every notice at version 1; staff accounts appear in no contact's notice
    before = _numbers(installed)
    # when the retention of staff accounts changes
    retention_rule_update(
        actor=installed, rule=retention_rule_get(actor=installed, key="staff_account"), days=60
    )
    # then only the staff's own notice changed, and only it has a new version
    before = {key: 2 if key[0] == "staff" else number for key, number in before.items()}
    assert _numbers(installed) == before
    # when the retention of business letters changes (answering enquiries keeps them)
    rule = retention_rule_get(actor=installed, key="business_letters")
    retention_rule_update(actor=installed, rule=rule, years=7)
    # then every notice that names it has version 2, in both languages; the notice for people
    # whose data a client entrusts to us names no business letters and stays at version 1
    expected = {
        key: number + (key[0] not in ("client_data_subject", "staff")) for key, number in before.items()
    }
    assert _numbers(installed) == expected
    # and reading a notice again adds nothing
    for subject in NOTICE_SUBJECTS:
        notice_version_current(workspace=installed.workspace, subject=subject, lang="de")
    assert _numbers(installed) == expected


def test_changing_the_controller_makes_a_new_version_with_a_readable_difference(
    installed: Actor, owner_here: Actor
) -> None:
    controller_update(actor=owner_here, dpo_email="dsb@example.com")
    versions = list(
        NoticeVersion.objects.filter(
            workspace=installed.workspace, subject="client_contact", language="en"
        ).order_by("number")
    )
    assert [version.number for version in versions] == [1, 2]
    changes = notice_changes(versions[0].text, versions[1].text)
    assert len(changes) == 1
    change = changes[0]
    assert change.section == "1. Name and contact details of the controller"
    assert [line.kind for line in change.lines] == [REMOVED, ADDED]
    removed = [segment.text for segment in change.lines[0].segments if segment.kind == REMOVED]
    added = [segment.text for segment in change.lines[1].segments if segment.kind == ADDED]
    assert removed == ["privacy@example.com"]
    assert added == ["dsb@example.com"]
    # the version was made in the change's transaction, by the owner, and audited
    assert versions[1].created_by_id == owner_here.user_id
    assert AuditEvent.objects.filter(action="workspace.update", changed_fields=["dpo_email"]).count() == 1


def test_a_version_is_stored_when_the_text_changed_without_a_register_write(installed: Actor) -> None:
    # A release of Zweck may word a notice differently: the first read afterwards publishes it.
    stored = NoticeVersion.objects.get(
        workspace=installed.workspace, subject="business_contact", language="de"
    )
    NoticeVersion.objects.filter(pk=stored.pk).update(text="# Alte Fassung\n", digest="0" * 64)
    current = notice_version_current(workspace=installed.workspace, subject="business_contact", lang="de")
    assert current.number == 2
    assert current.created_by_id is None  # the workspace's own machinery
    # and the refresh after it finds nothing more to store
    assert notice_versions_refresh(actor=installed) == []


def test_the_notice_names_the_portal_and_sets_the_right_to_object_apart(installed: Actor) -> None:
    client = Client()
    slug = installed.workspace.slug
    html = client.get(f"/privacy/notice/business_contact/?workspace={slug}&lang=en").content.decode()
    portal = f"https://crm.example.com/privacy/requests/?workspace={slug}"
    # The right to object comes first, in a section of its own, before section 1.
    objection = html.index('<section class="objection"')
    assert objection < html.index("1. Name and contact details of the controller")
    section = html[objection : html.index("</section>", objection)]
    assert "Your right to object (Art. 21 GDPR)" in section
    assert "you may object at any time, on grounds relating to your particular situation" in section
    assert "Managing business contacts" in section  # a purpose on legitimate interests
    assert "without giving reasons, to the use of your data for direct marketing" in section
    assert f'<a href="{portal}">{portal}</a>' in section
    # and the list of rights points to it instead of repeating it
    assert "Objection: see “Your right to object” at the beginning of this notice (Art. 21 GDPR)." in html
    assert html.count(portal) >= 2  # in the box and with the rights
    # the notice is dated by its current version, with a link to the history
    version = notice_version_current(workspace=installed.workspace, subject="business_contact", lang="en")
    assert "Version 1 · <a" in html
    assert f"As of: {version.created_at.date().isoformat()}" in html
    assert f'href="/privacy/notice/business_contact/versions/?workspace={slug}&amp;lang=en"' in html


def test_a_workspaces_own_portal_address_and_none_at_all(installed: Actor, owner_here: Actor) -> None:
    from zweck.privacy.documents import portal_address

    controller_update(actor=owner_here, privacy_portal_url="https://datenschutz.example.com/")
    workspace = owner_here.workspace.__class__.objects.get(pk=owner_here.workspace_id)
    assert portal_address(workspace) == "https://datenschutz.example.com/"
    controller_update(actor=owner_here, privacy_portal_url="")
    with override_settings(ZWECK_PUBLIC_URL=""):
        workspace.refresh_from_db()
        assert portal_address(workspace) == ""
        html = (
            Client()
            .get(f"/privacy/notice/client_contact/?workspace={workspace.slug}&lang=en")
            .content.decode()
        )
        assert "To object, write to the contact details below; no form is needed." in html


@pytest.mark.parametrize(
    ("lang", "removed", "added", "current"),
    [
        ("en", "Removed:", "Added:", "current version"),
        ("de", "Entfernt:", "Hinzugefügt:", "aktuelle Fassung"),
    ],
)
def test_the_portal_shows_the_history_with_what_changed(
    installed: Actor, owner_here: Actor, lang: str, removed: str, added: str, current: str
) -> None:
    controller_update(actor=owner_here, dpo_email="dsb@example.com")
    slug = installed.workspace.slug
    client = Client()
    response = client.get(f"/privacy/notice/client_contact/versions/?workspace={slug}&lang={lang}")
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    html = response.content.decode()
    assert accessibility_problems(html) == []
    assert html.index("Version 2") < html.index("Version 1")
    assert f"({current})" in html
    assert f"{removed}</span>" in html and f"{added}</span>" in html
    assert "<del>privacy@example.com</del>" in html
    assert "<ins>dsb@example.com</ins>" in html
    # one version in full, as it was published
    first = client.get(f"/privacy/notice/client_contact/versions/1/?workspace={slug}&lang={lang}")
    assert first.status_code == 200
    assert "privacy@example.com" in first.content.decode()
    assert "dsb@example.com" not in first.content.decode()
    assert accessibility_problems(first.content.decode()) == []
    assert client.get(f"/privacy/notice/client_contact/versions/9/?workspace={slug}").status_code == 404
    assert client.get(f"/privacy/notice/nobody/versions/?workspace={slug}").status_code == 404


def test_the_api_lists_the_versions_with_their_changes(
    installed: Actor, owner_here: Actor, actor_with_role: Callable[[str], Actor]
) -> None:
    controller_update(actor=owner_here, dpo_email="dsb@example.com")
    response = api_as(installed).call("GET", "/privacy/register/notices/client_contact/versions?lang=en")
    assert response.status_code == 200
    versions = response.json()
    assert [version["number"] for version in versions] == [2, 1]
    assert (
        "-**Data-protection officer:** Dana Datenschutz; Email: privacy@example.com" in versions[0]["changes"]
    )
    assert "+**Data-protection officer:** Dana Datenschutz; Email: dsb@example.com" in versions[0]["changes"]
    assert versions[1]["changes"] == ""
    # a member who may not read the register may not read its versions there either
    seller = api_as(actor_with_role(Role.SALES))
    assert seller.call("GET", "/privacy/register/notices/client_contact/versions").status_code == 403
