"""The owners' page about the end of the contract, the whole-workspace download and the signed
link from the warning email: who may open them, and what a refused link answers."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.crm.tests.factories import make_person
from zweck.privacy.offboarding import workspace_contract_set
from zweck.privacy.workspace_data import download_token_create
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

PAGE = "/app/workspace/contract/"
DOWNLOAD = "/app/workspace/export.zip"


def _ending(workspace: Workspace) -> Workspace:
    today = timezone.localdate()
    return workspace_contract_set(workspace=workspace, ends_on=today + timedelta(days=10), today=today)


def _exports(workspace: Workspace) -> int:
    return AuditEvent.objects.in_workspace(workspace.pk).filter(action="workspace.export").count()


def test_anonymous_visitors_are_sent_to_sign_in(workspace: Workspace) -> None:
    for path in (PAGE, DOWNLOAD, "/app/workspace/export/anything/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/app/login/")


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PRIVACY_OFFICER, Role.SALES, Role.READ_ONLY])
def test_only_owners_see_the_page_and_download(
    member_client: Callable[[str], tuple[Client, Actor]], role: str
) -> None:
    client, actor = member_client(role)

    assert client.get(PAGE).status_code == 403
    assert client.get(DOWNLOAD).status_code == 403
    assert _exports(actor.workspace) == 0


def test_the_owner_sees_the_dates_and_downloads_the_workspace(
    member_client: Callable[[str], tuple[Client, Actor]],
) -> None:
    client, owner = member_client(Role.OWNER)
    make_person(owner, "Rita")
    workspace = _ending(owner.workspace)

    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    download = client.get(DOWNLOAD)

    text = page.content.decode()
    assert page.status_code == 200
    assert "Contract and deletion" in text
    assert "in 40 days" in text
    assert workspace.deletion_due_on is not None
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["workspace"]["id"] == workspace.pk
    assert archive.read("data/crm.person.jsonl").decode().count("\n") == 1
    assert _exports(workspace) == 1


def test_an_owner_of_another_workspace_sees_only_their_own(owner: Actor, stranger: Actor) -> None:
    _ending(owner.workspace)

    text = client_for(stranger).get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No end date: the contract continues." in text
    assert owner.workspace.name not in text


def test_the_dashboard_reminds_owners_only(member_client: Callable[[str], tuple[Client, Actor]]) -> None:
    owner_client, owner = member_client(Role.OWNER)
    seller_client, _seller = member_client(Role.SALES)
    _ending(owner.workspace)

    assert "will be deleted on" in owner_client.get("/app/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "will be deleted on" not in seller_client.get("/app/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_link_works_for_its_owner_until_its_day(owner: Actor) -> None:
    assert owner.user is not None
    client = client_for(owner)
    today = timezone.localdate()
    valid = download_token_create(
        workspace=owner.workspace, user=owner.user, expires_on=today + timedelta(days=1)
    )
    expired = download_token_create(workspace=owner.workspace, user=owner.user, expires_on=today)

    assert client.get(f"/app/workspace/export/{valid}/").status_code == 200
    assert client.get(f"/app/workspace/export/{expired}/").status_code == 410
    assert client.get(f"/app/workspace/export/{valid[:-2]}xx/").status_code == 404
    assert _exports(owner.workspace) == 1


def test_a_link_is_not_passed_on(owner: Actor, actor_with_role: Callable[[str], Actor]) -> None:
    assert owner.user is not None
    other_owner = actor_with_role(Role.OWNER)
    admin = actor_with_role(Role.ADMIN)
    token = download_token_create(workspace=owner.workspace, user=owner.user, expires_on=date(2999, 1, 1))
    path = f"/app/workspace/export/{token}/"

    assert client_for(other_owner).get(path).status_code == 404
    assert client_for(admin).get(path).status_code == 404
    assert _exports(owner.workspace) == 0


def test_a_link_stops_working_when_its_owner_is_no_longer_an_owner(owner: Actor) -> None:
    assert owner.user is not None
    token = download_token_create(workspace=owner.workspace, user=owner.user, expires_on=date(2999, 1, 1))
    owner.workspace.memberships.filter(user=owner.user).update(role=Role.SALES)

    assert client_for(owner).get(f"/app/workspace/export/{token}/").status_code == 404


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_pages_pass_the_accessibility_check(owner: Actor, language: str) -> None:
    _ending(owner.workspace)
    client = client_for(owner)
    client.cookies["django_language"] = language

    for response in (
        client.get(PAGE),
        client.get("/app/"),
        client.get("/app/workspace/export/not-a-link/"),
    ):
        assert accessibility_problems(response.content.decode()) == []
