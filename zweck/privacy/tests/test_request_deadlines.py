"""The workspace's federal state: chosen at creation or later, it moves the open requests'
deadlines; existing requests were moved to working days by a data migration."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role
from zweck.privacy.dsr import dsr_decide, dsr_extend, dsr_open
from zweck.privacy.models import DataSubjectRequest, RequestAction
from zweck.privacy.request_deadlines import workspace_federal_state_set
from zweck.privacy.request_models import Decision, RequestChannel, RequestKind

# One month after 19 May 2025 is Corpus Christi, a public holiday in Bavaria but not in Berlin;
# three months after is a Tuesday.
RECEIVED_AT = datetime(2025, 5, 19, 9, 0, tzinfo=UTC)

migration = importlib.import_module("zweck.privacy.migrations.0005_request_deadlines_on_working_days")


def _open(actor: Actor, kind: str = RequestKind.ACCESS) -> DataSubjectRequest:
    return dsr_open(actor=actor, kind=kind, channel=RequestChannel.LETTER, received_at=RECEIVED_AT)


def test_setting_the_federal_state_moves_the_open_requests_only(owner: Actor) -> None:
    # given an open, an extended and a closed request under the nationwide holidays
    still_open = _open(owner)
    extended = _open(owner, RequestKind.ERASURE)
    dsr_extend(actor=owner, request=extended, reason="Many systems", today=date(2025, 6, 1))
    closed = _open(owner, RequestKind.RECTIFICATION)
    dsr_decide(actor=owner, request=closed, decision=Decision.GRANTED)
    assert {row.due_on for row in DataSubjectRequest.objects.all()} == {date(2025, 6, 19)}
    # when the workspace turns out to be in Bavaria
    workspace = workspace_federal_state_set(actor=owner, federal_state="BY")
    # then the open requests' first deadline moves past Corpus Christi; the extended one and the
    # closed request keep theirs
    assert Workspace.objects.get(pk=workspace.pk).federal_state == "BY"
    stored = {row.pk: (row.due_on, row.extended_due_on) for row in DataSubjectRequest.objects.all()}
    assert stored == {
        still_open.pk: (date(2025, 6, 20), None),
        extended.pk: (date(2025, 6, 20), date(2025, 8, 19)),
        closed.pk: (date(2025, 6, 19), None),
    }
    moved = RequestAction.objects.filter(action="dsr.deadline_recompute").order_by("request_id")
    assert [(row.request_id, row.note) for row in moved] == [
        (still_open.pk, "2025-06-20"),
        (extended.pk, "2025-08-19"),
    ]
    events = AuditEvent.objects.filter(action="dsr.deadline_recompute").order_by("object_id")
    assert [(event.object_id, event.changed_fields) for event in events] == [
        (str(still_open.pk), ["due_on"]),
        (str(extended.pk), ["due_on"]),
    ]
    # and back to nationwide: the dates return
    workspace_federal_state_set(actor=owner, federal_state="")
    assert DataSubjectRequest.objects.get(pk=still_open.pk).due_on == date(2025, 6, 19)


def test_only_who_manages_the_workspace_sets_its_federal_state(
    owner: Actor, actor_with_role: Callable[[str], Actor]
) -> None:
    request = _open(owner)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        workspace_federal_state_set(actor=actor_with_role(Role.PRIVACY_OFFICER), federal_state="BY")
    assert Workspace.objects.get(pk=owner.workspace_id).federal_state == ""
    assert DataSubjectRequest.objects.get(pk=request.pk).due_on == date(2025, 6, 19)
    assert AuditEvent.objects.count() == before


def test_an_unknown_state_or_one_outside_germany_is_refused(owner: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        workspace_federal_state_set(actor=owner, federal_state="XX")
    assert list(refused.value.message_dict) == ["federal_state"]
    workspace = Workspace.objects.get(pk=owner.workspace_id)
    workspace.country, workspace.federal_state = "AT", "BY"
    with pytest.raises(ValidationError) as outside:
        workspace.full_clean()
    assert outside.value.message_dict == {
        "federal_state": ["A federal state can only be chosen for a workspace in Germany."]
    }


def test_cli_shows_and_sets_the_federal_state(owner: Actor) -> None:
    request = _open(owner)
    shown = StringIO()
    call_command("dsr", "federal-state", "--workspace", owner.workspace.slug, stdout=shown)
    assert shown.getvalue() == "Public holidays for deadlines: None (nationwide public holidays only)\n"
    changed = StringIO()
    call_command("dsr", "federal-state", "de-by", "--workspace", owner.workspace.slug, stdout=changed)
    assert changed.getvalue() == "Public holidays for deadlines: Bavaria\n"
    assert DataSubjectRequest.objects.get(pk=request.pk).due_on == date(2025, 6, 20)
    with pytest.raises(CommandError, match="XX is not a German federal state; use one of BB, BE, "):
        call_command("dsr", "federal-state", "XX", "--workspace", owner.workspace.slug)
    assert Workspace.objects.get(pk=owner.workspace_id).federal_state == "BY"


@pytest.mark.django_db
def test_createworkspace_takes_the_federal_state() -> None:
    out = StringIO()
    call_command(
        "createworkspace", "Süd GmbH", "--owner-email", "sued@example.com", "--state", "BY", stdout=out
    )
    assert Workspace.objects.get(slug="sud-gmbh").federal_state == "BY"
    assert out.getvalue().splitlines()[2] == "Public holidays for deadlines: Bavaria"
    call_command("createworkspace", "Nord GmbH", "--owner-email", "nord@example.com", "--state", "none")
    assert Workspace.objects.get(slug="nord-gmbh").federal_state == ""
    with pytest.raises(CommandError, match="Hessen is not a German federal state"):
        call_command(
            "createworkspace", "Mitte GmbH", "--owner-email", "mitte@example.com", "--state", "Hessen"
        )
    assert not Workspace.objects.filter(slug="mitte-gmbh").exists()


def test_the_migration_moves_stored_deadlines_to_working_days_and_back(owner: Actor) -> None:
    # given requests stored with the calendar dates, as before working days counted
    plain = _open(owner)
    extended = _open(owner, RequestKind.ERASURE)
    Workspace.objects.filter(pk=owner.workspace_id).update(federal_state="BY")
    DataSubjectRequest.objects.filter(pk=plain.pk).update(due_on=date(2025, 6, 19))
    DataSubjectRequest.objects.filter(pk=extended.pk).update(
        due_on=date(2025, 6, 19), extended_due_on=date(2025, 8, 19)
    )
    # 31 January 2023 + 3 months is Sunday 30 April, then Labour Day
    late = dsr_open(
        actor=owner,
        kind=RequestKind.OBJECTION,
        channel=RequestChannel.EMAIL,
        received_at=datetime(2023, 1, 31, 12, 0, tzinfo=UTC),
    )
    DataSubjectRequest.objects.filter(pk=late.pk).update(
        due_on=date(2023, 2, 28), extended_due_on=date(2023, 4, 30)
    )

    def stored() -> dict[int, tuple[date, date | None]]:
        return {row.pk: (row.due_on, row.extended_due_on) for row in DataSubjectRequest.objects.all()}

    # when the migration runs
    migration.move_to_working_days(apps, None)
    # then every date ends on a working day of the workspace's calendar
    assert stored() == {
        plain.pk: (date(2025, 6, 20), None),
        extended.pk: (date(2025, 6, 20), date(2025, 8, 19)),
        late.pk: (date(2023, 2, 28), date(2023, 5, 2)),
    }
    # and going back restores the calendar dates
    migration.back_to_calendar_dates(apps, None)
    assert stored() == {
        plain.pk: (date(2025, 6, 19), None),
        extended.pk: (date(2025, 6, 19), date(2025, 8, 19)),
        late.pk: (date(2023, 2, 28), date(2023, 4, 30)),
    }
