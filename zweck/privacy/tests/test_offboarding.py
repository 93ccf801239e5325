"""The end of a tenant, the whole way: the operator sets the contract's end, the owners receive
the warnings (a real SMTP server), download the workspace through the link, and on the deletion
date the workspace is deleted in batches — stopped half-way by a crash, continued by the nightly
run — until only the tombstone is left and the other workspace is as it was."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import Message
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from zweck.accounts.actors import Actor
from zweck.accounts.models import ApiToken, Membership, User, Workspace
from zweck.accounts.selectors import actor_for
from zweck.accounts.services import token_create, user_set_language
from zweck.accounts.tests.factories import MembershipFactory, UserFactory, make_actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.core.tests.smtp import Inbox, free_port
from zweck.crm.models import Person
from zweck.crm.services import AddressInput
from zweck.crm.tests.factories import make_organization
from zweck.outbox.testing import outbox_deliver
from zweck.privacy.dsr import dsr_open, objection_record
from zweck.privacy.models import DeletionWarning, WorkspaceTombstone
from zweck.privacy.offboarding import (
    OffboardingNotDue,
    offboarding_plan,
    tombstone_for_slug,
    tombstone_of,
    warning_stage,
    warning_to_send,
    workspace_contract_set,
    workspace_offboard,
    workspaces_offboard_due,
    workspaces_warn,
)
from zweck.privacy.request_models import ObjectionScope, RequestKind
from zweck.privacy.tests.test_scoping_generated import World, build_world
from zweck.privacy.workspace_data import export_data_sets, workspace_data_sets

CONTRACT_END = date(2027, 1, 31)
DELETION = date(2027, 3, 2)  # 30 days later


@pytest.fixture
def inbox(smtp_inbox: Inbox) -> Iterator[Inbox]:
    yield smtp_inbox


class Crash(Exception):
    """The process dies between two batches."""


def _body(message: Message) -> str:
    return message.get_payload(decode=True).decode()  # type: ignore[union-attr]


def _extend(world: World) -> dict[str, Any]:
    """Rows the scoping world does not make: tags, an address, a token, a suppression, staff
    accounts of every kind the deletion treats differently."""
    owner = world.owner
    make_organization(
        owner, tags=["Kunde", "Partner"], addresses=[AddressInput(street="Domplatz 1", city="Köln")]
    )
    token_create(actor=owner, name="laptop")
    objection = dsr_open(
        actor=owner,
        kind=RequestKind.OBJECTION,
        channel="email",
        requester_email="frank.objects@example.com",
        objection_scope=ObjectionScope.DIRECT_MARKETING,
        person_ids=[world.free.pk],
    )
    objection_record(actor=owner, request=objection)
    assert owner.user is not None
    user_set_language(actor=owner, language="de")
    english_owner = make_actor(Role.OWNER, owner.workspace)
    seller = make_actor(Role.SALES, owner.workspace)
    return {"german_owner": owner.user, "english_owner": english_owner.user, "seller": seller.user}


def _snapshot(workspace_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of a workspace, every column, by data set (and its members' accounts)."""
    return {
        data_set.label: sorted(data_set.rows(workspace_id).values_list(), key=repr)
        for data_set in export_data_sets()
    }


def _tables_with_workspace() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.attname)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is Workspace
    ]


def _download(client: Client, path: str) -> zipfile.ZipFile:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db(transaction=True)
def test_the_end_of_a_tenant_from_the_contract_end_to_the_tombstone(inbox: Inbox) -> None:
    # given: the tenant that leaves, with one member who also works elsewhere and an operator
    # account; and a tenant that stays
    leaving = build_world("Abschied GmbH")
    staff = _extend(leaving)
    workspace = leaving.owner.workspace
    staying = build_world("Bleibt GmbH")
    _extend(staying)
    commuter = MembershipFactory(workspace=staying.owner.workspace, role=Role.SALES).user
    MembershipFactory(workspace=workspace, user=commuter, role=Role.SALES)
    operator = UserFactory(email="operator@example.com", is_staff=True, is_superuser=True)
    MembershipFactory(workspace=workspace, user=operator, role=Role.ADMIN)
    owner_client = Client()
    owner_client.force_login(staff["german_owner"])
    seller_client = Client()
    seller_client.force_login(staff["seller"])
    staying_before = _snapshot(staying.owner.workspace_id)

    # when: the operator sets the contract's end; the nightly job runs on some days, twice on
    # one, and misses the week before the 7-day warning was due
    workspace_contract_set(workspace=workspace, ends_on=CONTRACT_END, today=date(2027, 1, 2))
    nights = [
        DELETION - timedelta(days=31),
        DELETION - timedelta(days=30),
        DELETION - timedelta(days=30),
        DELETION - timedelta(days=4),
        DELETION - timedelta(days=1),
        DELETION - timedelta(days=1),
    ]
    sent = [workspaces_warn(night) for night in nights]
    outbox_deliver()

    # then: each stage once, the 7-day one late but once, to both owners in their languages
    assert sent == [0, 1, 0, 1, 1, 0]
    stages = DeletionWarning.objects.in_workspace(workspace.pk).order_by("sent_at")
    assert [warning.days_before for warning in stages] == [30, 7, 1]
    assert len(inbox.messages) == 6
    german = [m for m in inbox.messages if m["To"] == staff["german_owner"].email]
    english = [m for m in inbox.messages if m["To"] == staff["english_owner"].email]
    assert len(german) == len(english) == 3
    assert all("02.03.2027" in m["Subject"] for m in german)
    assert all("2 Mar 2027" in m["Subject"] for m in english)
    assert "Abschied GmbH" in english[0]["Subject"]
    assert "In 30 days, on 2 Mar 2027" in _body(english[0])
    assert "In 4 days, on 2 Mar 2027" in _body(english[1])
    assert "In 1 day, on 2 Mar 2027" in _body(english[2])

    # when: the German owner follows the link in her last warning
    link = re.search(r"https?://\S+(/app/workspace/export/\S+/)", _body(german[-1]))
    assert link is not None
    path = link.group(1)
    archive = _download(owner_client, path)

    # then: the whole workspace, machine-readable, described by the register
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["workspace"] == {"id": workspace.pk, "slug": workspace.slug, "name": "Abschied GmbH"}
    assert manifest["deletion_due_on"] == "2027-03-02"
    described = {entry["data_set"]: entry for entry in manifest["data_sets"]}
    assert set(described) == {data_set.label for data_set in export_data_sets()}
    for data_set in export_data_sets():
        entry = described[data_set.label]
        rows = data_set.rows(workspace.pk).count()
        assert entry["rows"] == rows, data_set.label
        if entry["file"]:
            lines = archive.read(entry["file"]).decode().splitlines()
            assert len(lines) == rows, data_set.label
    persons = [
        json.loads(line) for line in archive.read(described["crm.Person"]["file"]).decode().splitlines()
    ]
    assert {person["first_name"] for person in persons} >= {"Rita", "Frank"}
    person_facts = described["crm.Person"]
    assert person_facts["register"]["purposes"], "the register's purposes of the contacts"
    first_name = next(field for field in person_facts["fields"] if field["column"] == "first_name")
    assert first_name == {
        "column": "first_name",
        "name": "First name",
        "personal": True,
        "category": "user.name.first",
        "category_name": "First name",
        "provided": True,
    }
    accounts = [
        json.loads(line) for line in archive.read(described["accounts.User"]["file"]).decode().splitlines()
    ]
    assert {account["email"] for account in accounts} >= {staff["german_owner"].email, commuter.email}
    assert all("password" not in account for account in accounts)
    assert [field["column"] for field in described["accounts.User"]["left_out"]] == ["password"]
    assert described["crm.SearchPosting"]["file"] is None and described["crm.SearchPosting"]["rows"] > 0
    assert AuditEvent.objects.in_workspace(workspace.pk).filter(action="workspace.export").count() == 1

    # and: the link is the German owner's only: not for another member, not without a session
    assert seller_client.get(path).status_code == 404
    assert Client().get(path).status_code == 302

    # when: the deletion is tried a day early, then runs and dies after a few batches
    with pytest.raises(OffboardingNotDue):
        workspace_offboard(workspace=workspace, today=DELETION - timedelta(days=1))
    assert tombstone_of(workspace.pk) is None
    planned = {data_set.label: data_set.rows(workspace.pk).count() for data_set in workspace_data_sets()}
    batches: list[tuple[str, int]] = []

    def crash_after_seven(label: str, rows: int) -> None:
        batches.append((label, rows))
        if len(batches) == 7:
            raise Crash

    with pytest.raises(Crash):
        workspace_offboard(workspace=workspace, today=DELETION, batch_size=2, on_batch=crash_after_seven)

    # then: whole batches are gone and counted, the rest is there, and no one works in it
    stopped = tombstone_of(workspace.pk)
    assert stopped is not None and stopped.finished_at is None
    assert stopped.rows_planned == planned
    deleted_so_far = sum(rows for _label, rows in batches)
    assert sum(stopped.rows_deleted.values()) == deleted_so_far > 0
    remaining = {data_set.label: data_set.rows(workspace.pk).count() for data_set in workspace_data_sets()}
    assert {
        label: planned[label] - remaining[label] for label in planned if planned[label] != remaining[label]
    } == (stopped.rows_deleted)
    assert actor_for(user=staff["german_owner"], workspace=workspace) is None
    assert owner_client.get("/app/workspace/contract/").status_code == 403
    with pytest.raises(ValidationError):
        workspace_contract_set(workspace=workspace, ends_on=None)

    # when: the nightly run comes, twice
    assert workspaces_offboard_due(DELETION) == 1
    assert workspaces_offboard_due(DELETION) == 0

    # then: nothing of the workspace is left in any table
    leftovers = {
        model._meta.label: count
        for model, column in _tables_with_workspace()
        if (count := model._base_manager.filter(**{column: workspace.pk}).count())
    }
    assert leftovers == {}
    assert not Workspace.objects.filter(pk=workspace.pk).exists()
    for data_set in workspace_data_sets():
        assert not data_set.rows(workspace.pk).exists(), data_set.label
    # the owners and the seller had no other workspace: their accounts and sessions are gone
    gone = [staff["german_owner"].pk, staff["english_owner"].pk, staff["seller"].pk]
    assert not User.objects.filter(pk__in=gone).exists()
    assert not ApiToken.objects.filter(user_id__in=gone).exists()
    signed_in = {str(session.get_decoded().get("_auth_user_id")) for session in Session.objects.all()}
    assert signed_in.isdisjoint({str(pk) for pk in gone})
    # the commuter and the operator keep their accounts, without a seat here
    assert set(Membership.objects.filter(user=commuter).values_list("workspace_id", flat=True)) == {
        staying.owner.workspace_id
    }
    assert User.objects.filter(pk=operator.pk, is_active=True).exists()

    # and: the tombstone holds ids, dates and counts, no personal value
    tombstone = WorkspaceTombstone.objects.get(workspace_id=workspace.pk)
    assert tombstone.finished_at is not None
    assert tombstone.contract_ended_on == CONTRACT_END and tombstone.deletion_due_on == DELETION
    assert [warning["days_before"] for warning in tombstone.warnings] == [30, 7, 1]
    assert tombstone.rows_deleted == {label: rows for label, rows in planned.items() if rows}
    assert (tombstone.accounts_deleted, tombstone.accounts_kept) == (3, 2)
    stored = json.dumps(
        {field.name: str(getattr(tombstone, field.attname)) for field in WorkspaceTombstone._meta.fields}
    )
    for value in ("Abschied", workspace.slug, "Rita", "Frank", "example.com"):
        assert value not in stored
    assert tombstone_for_slug(workspace.slug) == tombstone
    operator_events = AuditEvent.objects.filter(workspace__isnull=True, object_id=str(workspace.pk))
    assert sorted(operator_events.values_list("action", flat=True)) == [
        "workspace.offboarded",
        "workspace.offboarding_started",
    ]

    # and: the tenant that stays is exactly as it was
    assert _snapshot(staying.owner.workspace_id) == staying_before
    assert Person.objects.in_workspace(staying.owner.workspace_id).filter(first_name="Rita").exists()


@pytest.mark.django_db
def test_the_data_sets_come_from_the_models_children_before_parents() -> None:
    order = [data_set.model for data_set in workspace_data_sets()]
    with_workspace = {model for model, _column in _tables_with_workspace()}
    assert with_workspace <= set(order)
    assert order[-1] is Workspace
    for position, model in enumerate(order):
        for field in model._meta.concrete_fields:
            # (a nullable link into its own table is ordered row by row when deleting)
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model in order
                and field.related_model is not model
            ):
                assert order.index(field.related_model) > position, f"{model._meta.label}.{field.name}"
    # the many-to-many link tables hang on their rows on either side
    linked = {data_set.label: data_set.links for data_set in workspace_data_sets() if data_set.links}
    assert linked == {
        "crm.Organization_tags": ("organization", "tag"),
        "privacy.DataSubjectRequest_persons": ("datasubjectrequest", "person"),
        "privacy.Recipient_activities": ("recipient", "processingactivity"),
        "sales.BankTransaction_payments": ("banktransaction", "payment"),
    }


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [(45, None), (31, None), (30, 30), (29, 30), (8, 30), (7, 7), (2, 7), (1, 1), (0, None), (-3, None)],
)
def test_the_most_urgent_warning_due(days_left: int, stage: int | None) -> None:
    assert warning_stage(DELETION, DELETION - timedelta(days=days_left)) == stage


@given(
    nights=st.lists(st.integers(min_value=-5, max_value=60), max_size=40).map(
        lambda days: sorted(days, reverse=True)
    )
)
def test_whatever_nights_the_job_runs_each_warning_goes_out_once_and_the_last_one_comes(
    nights: list[int],
) -> None:
    sent: list[int] = []
    for days_left in nights:
        stage = warning_to_send(DELETION, DELETION - timedelta(days=days_left), set(sent))
        if stage is not None:
            assert days_left <= stage
            sent.append(stage)
    assert len(sent) == len(set(sent)) and sent == sorted(sent, reverse=True)
    due = [
        stage
        for days_left in nights
        if (stage := warning_stage(DELETION, DELETION - timedelta(days=days_left)))
    ]
    assert sent[-1:] == [min(due)] if due else sent == []


def test_the_contract_end_must_leave_time_to_warn(workspace: Workspace) -> None:
    with pytest.raises(ValidationError) as refused:
        workspace_contract_set(workspace=workspace, ends_on=date(2027, 1, 1), today=date(2027, 1, 31))
    assert "contract_ends_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as too_long:
        workspace_contract_set(
            workspace=workspace, ends_on=date(2027, 1, 1), grace_days=400, today=date(2026, 12, 1)
        )
    assert "deletion_grace_days" in too_long.value.message_dict

    changed = workspace_contract_set(
        workspace=workspace, ends_on=date(2027, 1, 1), grace_days=60, today=date(2026, 12, 1)
    )

    assert changed.deletion_due_on == date(2027, 3, 2)
    event = AuditEvent.objects.in_workspace(workspace.pk).get(action="workspace.contract")
    assert event.changed_fields == ["contract_ends_on", "deletion_grace_days"]
    assert workspace_contract_set(workspace=workspace, ends_on=None).deletion_due_on is None


def test_a_changed_deletion_date_warns_again(owner: Actor, inbox: Inbox) -> None:
    workspace = owner.workspace
    workspace_contract_set(workspace=workspace, ends_on=CONTRACT_END, today=date(2027, 1, 1))
    assert workspaces_warn(DELETION - timedelta(days=3)) == 1
    # the contract is extended by a month: the new date gets its own warnings
    workspace_contract_set(workspace=workspace, ends_on=date(2027, 2, 28), today=date(2027, 2, 27))

    assert workspaces_warn(date(2027, 3, 1)) == 1

    assert [w.days_before for w in DeletionWarning.objects.in_workspace(workspace.pk).order_by("pk")] == [
        7,
        30,
    ]
    outbox_deliver()
    assert len(inbox.messages) == 2


def test_an_smtp_outage_keeps_the_warning_and_its_mail_goes_out_later(
    owner: Actor, inbox: Inbox, settings: Any
) -> None:
    workspace = owner.workspace
    workspace_contract_set(workspace=workspace, ends_on=CONTRACT_END, today=date(2027, 1, 1))
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }

    assert workspaces_warn(DELETION - timedelta(days=10)) == 1
    assert outbox_deliver() == 0
    assert DeletionWarning.objects.in_workspace(workspace.pk).count() == 1
    assert inbox.messages == []

    settings.MAILERS = working
    assert workspaces_warn(DELETION - timedelta(days=9)) == 0
    assert outbox_deliver() == 1
    assert len(inbox.messages) == 1


def test_the_dry_run_counts_without_changing_anything(owner: Actor) -> None:
    workspace = owner.workspace
    make_organization(owner, tags=["Kunde"])
    workspace = workspace_contract_set(workspace=workspace, ends_on=CONTRACT_END, today=date(2027, 1, 1))

    plan = offboarding_plan(workspace=workspace)

    counted = {data_set.label: data_set.rows for data_set in plan.data_sets}
    assert counted["crm.Organization"] == 1
    assert counted["crm.Organization_tags"] == 1
    assert counted["accounts.Workspace"] == 1
    assert (plan.accounts_deleted, plan.accounts_kept) == (1, 0)
    assert plan.deletion_on == DELETION
    assert tombstone_of(workspace.pk) is None
    assert Membership.objects.in_workspace(workspace.pk).filter(is_active=True).count() == 1


def test_a_workspace_without_owners_is_warned_at_its_contact_address(db: None, inbox: Inbox) -> None:
    admin = make_actor(Role.ADMIN)
    workspace = workspace_contract_set(
        workspace=admin.workspace, ends_on=CONTRACT_END, today=date(2027, 1, 1)
    )

    assert workspaces_warn(DELETION - timedelta(days=1)) == 1
    outbox_deliver()

    (message,) = inbox.messages
    assert message["To"] == workspace.email
    assert "02.03.2027" in message["Subject"]
    assert "/app/workspace/export/" not in _body(message)
    assert "/app/workspace/contract/" in _body(message)
