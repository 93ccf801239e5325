"""``zweck workspace offboard SLUG``: the operator sets the contract's end, sees what the deletion will do
(``--dry-run``), and deletes the workspace on its deletion date, asked to type its short name."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_organization, make_person
from zweck.privacy.models import WorkspaceTombstone
from zweck.privacy.offboarding import workspace_contract_set

pytestmark = pytest.mark.django_db


def run(*arguments: str) -> str:
    out = StringIO()
    call_command("workspace", "offboard", *arguments, stdout=out)
    return out.getvalue()


def _due(owner: Actor) -> Workspace:
    """The owner's workspace with a contract that ended 35 days ago: due since 5 days."""
    today = timezone.localdate()
    return workspace_contract_set(
        workspace=owner.workspace, ends_on=today - timedelta(days=35), today=today - timedelta(days=40)
    )


def test_the_operator_sets_and_clears_the_contract_end(owner: Actor) -> None:
    slug = owner.workspace.slug

    output = run(slug, "--contract-ends", "2099-01-31")

    assert "Contract ends on: 2099-01-31" in output
    assert "Deletion date: 2099-03-02 (30 days after the contract ends)" in output
    assert "Deletion date: 2099-04-01 (60 days" in run(slug, "--grace-days", "60")
    assert "Contract ends on: no end set" in run(slug, "--contract-ends", "none")
    assert Workspace.objects.get(pk=owner.workspace_id).contract_ends_on is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--contract-ends", "31.01.2099"), "--contract-ends: Enter a date"),
        (("--contract-ends", "2001-01-01"), "--contract-ends: The workspace would be deleted on 2001-01-31"),
        (
            ("--contract-ends", "2099-01-31", "--grace-days", "400"),
            "--grace-days: Enter a number from 0 to 365",
        ),
    ],
)
def test_a_contract_end_that_cannot_be_is_refused_at_its_option(
    owner: Actor, arguments: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError) as refused:
        run(owner.workspace.slug, *arguments)

    assert message in str(refused.value)
    assert Workspace.objects.get(pk=owner.workspace_id).contract_ends_on is None


def test_the_dry_run_shows_the_rows_in_deletion_order_and_changes_nothing(owner: Actor) -> None:
    organization = make_organization(owner, tags=["Kunde"])
    make_person(owner, "Rita", organization=organization)
    workspace = _due(owner)

    output = run(workspace.slug, "--dry-run")

    lines = [line.split() for line in output.splitlines() if line.startswith("  ")]
    rows = {label: int(count) for label, count in lines}
    assert rows["crm.Person"] == 1 and rows["crm.Organization_tags"] == 1 and rows["accounts.Workspace"] == 1
    order = [label for label, _count in lines]
    assert (
        order.index("crm.OrganizationMembership")
        < order.index("crm.Person")
        < order.index("accounts.Workspace")
    )
    assert f"Deletion date: {workspace.deletion_due_on.isoformat()}" in output  # type: ignore[union-attr]
    assert "User accounts deleted (no other workspace): 1" in output
    assert output.rstrip().endswith("Nothing was changed (dry run).")
    assert not WorkspaceTombstone.objects.exists()
    assert Person.objects.in_workspace(workspace.pk).count() == 1


def test_a_workspace_not_due_is_not_deleted(owner: Actor) -> None:
    make_person(owner, "Rita")
    run(owner.workspace.slug, "--contract-ends", "2099-01-31")

    with pytest.raises(CommandError) as refused:
        run(owner.workspace.slug, "--yes")

    assert "not due for deletion (deletion date: 2099-03-02)" in str(refused.value)
    assert Person.objects.in_workspace(owner.workspace_id).count() == 1


def test_the_deletion_asks_for_the_short_name(owner: Actor, monkeypatch: Any) -> None:
    make_person(owner, "Rita")
    workspace = _due(owner)
    monkeypatch.setattr("builtins.input", lambda prompt: "another-name")

    with pytest.raises(CommandError) as refused:
        run(workspace.slug)

    assert "nothing was deleted" in str(refused.value)
    assert Person.objects.in_workspace(workspace.pk).count() == 1
    assert not WorkspaceTombstone.objects.exists()


def test_the_deletion_on_its_date_leaves_the_tombstone_the_command_shows_afterwards(
    owner: Actor, monkeypatch: Any
) -> None:
    make_person(owner, "Rita")
    workspace = _due(owner)
    monkeypatch.setattr("builtins.input", lambda prompt: workspace.slug)

    output = run(workspace.slug)

    assert f"The workspace {workspace.slug} is deleted." in output
    assert "  crm.Person  1" in output
    assert not Workspace.objects.filter(pk=workspace.pk).exists()
    tombstone = WorkspaceTombstone.objects.get()
    assert tombstone.rows_deleted["crm.Person"] == 1
    shown = run(workspace.slug, "--dry-run")
    assert f"The workspace {workspace.slug} no longer exists." in shown
    assert f"Workspace number {workspace.pk}: contract ended on {workspace.contract_ends_on}" in shown
    assert "User accounts deleted: 1; kept: 0" in shown


def test_an_unknown_workspace_is_named(db: None) -> None:
    with pytest.raises(CommandError, match="No workspace nowhere"):
        run("nowhere", "--dry-run")
