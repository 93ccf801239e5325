"""The controller's details, changed by the workspace's owner on the settings page, through the
API and with ``zweck workspace update``: checked, audited, and shown by the notices at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.api.tests.support import api_as
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.privacy.controller import CONTROLLER_FIELDS, controller_update
from zweck.privacy.dsr import dsr_open
from zweck.privacy.models import DataSubjectRequest, NoticeVersion
from zweck.privacy.request_models import RequestChannel, RequestKind
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

# One month after 19 May 2025 is Corpus Christi, a public holiday in Bavaria but not in Berlin.
RECEIVED_AT = datetime(2025, 5, 19, 9, 0, tzinfo=UTC)
SETTINGS = "/app/settings/workspace/"


def _stored(workspace_id: int) -> dict[str, Any]:
    return model_to_dict(Workspace.objects.get(pk=workspace_id), fields=CONTROLLER_FIELDS)


def _notice(workspace: Workspace, subject: str = "client_contact", lang: str = "en") -> str:
    return Client().get(f"/privacy/notice/{subject}/?workspace={workspace.slug}&lang={lang}").content.decode()


# The service.


def test_the_owner_changes_the_controllers_details_and_every_notice_shows_them(owner: Actor) -> None:
    # when the owner gives the legal name, the representative and a new data-protection officer
    controller_update(
        actor=owner,
        legal_name="Nordlicht IT-Beratung GmbH",
        representative="Nordlicht EU Representative B.V., Keizersgracht 1, 1015 Amsterdam",
        dpo_name="Jana Jansen",
        dpo_email="dsb@nordlicht.example.com",
        country="de",
    )
    # then they are stored (the country as its code), audited without values, and published
    stored = _stored(owner.workspace_id)
    assert (stored["legal_name"], stored["dpo_email"], stored["country"]) == (
        "Nordlicht IT-Beratung GmbH",
        "dsb@nordlicht.example.com",
        "DE",
    )
    event = AuditEvent.objects.get(action="workspace.update")
    assert event.changed_fields == ["dpo_email", "dpo_name", "legal_name", "representative"]
    assert event.actor_id == owner.user_id
    notice = _notice(owner.workspace)
    assert "Nordlicht IT-Beratung GmbH" in notice
    assert "Jana Jansen" in notice and "dsb@nordlicht.example.com" in notice
    assert "Representative in the Union" in notice and "Keizersgracht 1" in notice


def test_only_the_owner_changes_them(owner: Actor, actor_with_role: Callable[[str], Actor]) -> None:
    before = _stored(owner.workspace_id)
    for role in (Role.ADMIN, Role.PRIVACY_OFFICER, Role.SALES):
        with pytest.raises(PermissionDenied):
            controller_update(actor=actor_with_role(role), dpo_email="someone@example.com")
    assert _stored(owner.workspace_id) == before
    assert not AuditEvent.objects.filter(action="workspace.update").exists()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"dpo_email": "not an address"}, {"dpo_email": ["Enter a valid email address."]}),
        ({"supervisory_authority_url": "nowhere"}, {"supervisory_authority_url": ["Enter a valid URL."]}),
        ({"name": ""}, {"name": ["This field cannot be blank."]}),
        ({"country": "XY"}, {"country": ["Enter a country as its two-letter ISO code, such as DE."]}),
        (
            {"country": "AT", "federal_state": "BY"},
            {"federal_state": ["A federal state can only be chosen for a workspace in Germany."]},
        ),
        ({"slug": "elsewhere"}, {"slug": ["This field cannot be changed here."]}),
    ],
)
def test_bad_details_are_refused_at_their_field_and_nothing_changes(
    owner: Actor, changes: dict[str, str], errors: dict[str, list[str]]
) -> None:
    before = _stored(owner.workspace_id)
    with pytest.raises(ValidationError) as refused:
        controller_update(actor=owner, **changes)
    assert refused.value.message_dict == errors
    assert _stored(owner.workspace_id) == before


def test_moving_to_another_country_with_the_state_cleared_works(owner: Actor) -> None:
    controller_update(actor=owner, federal_state="BY")
    controller_update(actor=owner, country="AT", federal_state="")
    assert (_stored(owner.workspace_id)["country"], _stored(owner.workspace_id)["federal_state"]) == (
        "AT",
        "",
    )


def test_a_new_federal_state_moves_the_open_requests_deadlines(owner: Actor) -> None:
    request = dsr_open(
        actor=owner, kind=RequestKind.ACCESS, channel=RequestChannel.LETTER, received_at=RECEIVED_AT
    )
    assert request.due_on == date(2025, 6, 19)
    controller_update(actor=owner, federal_state="BY", city="München")
    assert DataSubjectRequest.objects.get(pk=request.pk).due_on == date(2025, 6, 20)


# The settings page.


def test_the_settings_page_as_each_kind_of_caller(
    owner: Actor, stranger: Actor, actor_with_role: Callable[[str], Actor]
) -> None:
    anonymous = Client().get(SETTINGS)
    assert anonymous.status_code == 302 and "/app/login/" in anonymous["Location"]
    assert client_for(actor_with_role(Role.ADMIN)).get(SETTINGS).status_code == 403
    refused = client_for(actor_with_role(Role.PRIVACY_OFFICER)).post(SETTINGS, {"name": "Taken over"})
    assert refused.status_code == 403
    assert Workspace.objects.get(pk=owner.workspace_id).name != "Taken over"
    # another workspace's owner sees and changes only their own
    page = client_for(stranger).get(SETTINGS).content.decode()
    assert stranger.workspace.name in page and owner.workspace.name not in page
    # the owner reads a page with one h1, labelled fields and the link to the notices
    own = client_for(owner).get(SETTINGS)
    assert own.status_code == 200
    html = own.content.decode()
    assert accessibility_problems(html) == []
    assert f"/privacy/notice/?workspace={owner.workspace.slug}" in html
    assert "Data-protection officer" in html and "Supervisory authority" in html


def _form(workspace: Workspace, **changes: str) -> dict[str, str]:
    values = {name: value or "" for name, value in model_to_dict(workspace, fields=CONTROLLER_FIELDS).items()}
    return {**values, **changes}


def test_the_owner_saves_the_settings_page(owner: Actor) -> None:
    client = client_for(owner)
    versions = NoticeVersion.objects.filter(workspace=owner.workspace).count()
    response = client.post(
        SETTINGS,
        _form(owner.workspace, legal_name="Beispiel Beratung GmbH & Co. KG", federal_state="HH"),
        follow=True,
    )
    assert response.redirect_chain == [(SETTINGS, 302)]
    assert "Settings saved. The privacy notices now show them." in response.content.decode()
    assert _stored(owner.workspace_id)["legal_name"] == "Beispiel Beratung GmbH & Co. KG"
    assert _stored(owner.workspace_id)["federal_state"] == "HH"
    # a workspace without an installed register still publishes its notices, now changed
    assert NoticeVersion.objects.filter(workspace=owner.workspace).count() > versions


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # refused by the form
        ({"dpo_email": "nobody"}, "Enter a valid email address."),
        # refused by the service, shown at the field it names
        (
            {"country": "AT", "federal_state": "BY"},
            "A federal state can only be chosen for a workspace in Germany.",
        ),
    ],
)
def test_a_refused_setting_shows_at_its_field_keeps_the_input_and_saves_nothing(
    owner: Actor, changes: dict[str, str], message: str
) -> None:
    before = _stored(owner.workspace_id)
    response = client_for(owner).post(SETTINGS, _form(owner.workspace, legal_name="Neu GmbH", **changes))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Please correct the marked fields." in html
    assert html.count(message) == 2  # in the summary at the top and at the field
    assert 'value="Neu GmbH"' in html
    assert _stored(owner.workspace_id) == before


def test_the_settings_page_in_german(owner: Actor) -> None:
    client = client_for(owner)
    client.post("/app/language/", {"language": "de"})
    html = client.get(SETTINGS).content.decode()
    assert '<html lang="de">' in html
    for label in (
        "Firmierung",
        "E-Mail der/des Datenschutzbeauftragten",
        "Website der Aufsichtsbehörde",
        "Speichern",
    ):
        assert label in html


# The API.


def test_the_api_reads_and_changes_the_details(owner: Actor, actor_with_role: Callable[[str], Actor]) -> None:
    api = api_as(owner)
    read = api.call("GET", "/workspace")
    assert read.status_code == 200
    assert (
        read.json()["privacy_portal"]
        == f"https://crm.example.com/privacy/requests/?workspace={owner.workspace.slug}"
    )
    changed = api.call("PATCH", "/workspace", {"dpo_email": "dsb@example.com", "federal_state": "NW"})
    assert changed.status_code == 200
    assert (changed.json()["dpo_email"], changed.json()["federal_state"]) == ("dsb@example.com", "NW")
    # every member reads them; only the owner changes them
    seller = api_as(actor_with_role(Role.SALES))
    assert seller.call("GET", "/workspace").json()["dpo_email"] == "dsb@example.com"
    assert seller.call("PATCH", "/workspace", {"dpo_email": "x@example.com"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"dpo_email": "nobody"}, "dpo_email", "Enter a valid email address."),
        ({"country": "XY"}, "country", "Enter a country as its two-letter ISO code, such as DE."),
        ({"country": "Germany"}, "country", "Enter at most 2 characters."),
        ({"federal_state": "XX"}, "federal_state", None),
        ({"name": ""}, "name", "Enter at least 1 characters."),
        ({"slug": "elsewhere"}, "slug", "Unknown field."),
        ({"legal_name": "A\x00B"}, "legal_name", "Text may not contain the NUL character."),
    ],
)
def test_the_api_answers_bad_details_with_422(
    owner: Actor, body: dict[str, str], field: str, message: str | None
) -> None:
    before = _stored(owner.workspace_id)
    response = api_as(owner).call("PATCH", "/workspace", body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == [field]
    if message is not None:
        assert errors[0]["message"] == message
    assert _stored(owner.workspace_id) == before


# The command.


def test_the_command_updates_and_shows_the_details(owner: Actor) -> None:
    out = StringIO()
    call_command(
        "workspace",
        "update",
        owner.workspace.slug,
        "--legal-name",
        "Nordlicht IT-Beratung GmbH",
        "--dpo-email",
        "dsb@nordlicht.example.com",
        "--state",
        "BY",
        stdout=out,
    )
    stored = _stored(owner.workspace_id)
    assert (stored["legal_name"], stored["dpo_email"], stored["federal_state"]) == (
        "Nordlicht IT-Beratung GmbH",
        "dsb@nordlicht.example.com",
        "BY",
    )
    text = out.getvalue()
    assert "Legal name: Nordlicht IT-Beratung GmbH\n" in text
    assert "Federal state: Bavaria\n" in text
    assert (
        f"Privacy portal named in the notices: https://crm.example.com/privacy/requests/?workspace={owner.workspace.slug}"
        in text
    )
    # the command acts for the workspace's own machinery: audited without a user
    assert AuditEvent.objects.get(action="workspace.update").actor_id is None
    shown = StringIO()
    call_command("workspace", "show", owner.workspace.slug, stdout=shown)
    assert shown.getvalue() == text
    # and the federal-state command keeps working beside it
    state = StringIO()
    call_command("dsr", "federal-state", "--workspace", owner.workspace.slug, stdout=state)
    assert state.getvalue() == "Public holidays for deadlines: Bavaria\n"


def test_the_command_refuses_naming_the_option(owner: Actor) -> None:
    before = _stored(owner.workspace_id)
    with pytest.raises(CommandError) as refused:
        call_command("workspace", "update", owner.workspace.slug, "--dpo-email", "nobody", "--country", "XY")
    assert str(refused.value) == "--country: Enter a country as its two-letter ISO code, such as DE."
    with pytest.raises(CommandError) as refused:
        call_command("workspace", "update", owner.workspace.slug, "--dpo-email", "nobody")
    assert str(refused.value) == "--dpo-email: Enter a valid email address."
    with pytest.raises(CommandError, match=r"There is no workspace nowhere\."):
        call_command("workspace", "show", "nowhere")
    with pytest.raises(CommandError, match="XX is not a German federal state"):
        call_command("workspace", "update", owner.workspace.slug, "--state", "XX")
    assert _stored(owner.workspace_id) == before
