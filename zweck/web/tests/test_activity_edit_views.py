"""The activity's own pages: detail, edit form and delete, with their permission matrix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import MembershipFactory
from zweck.audit.models import AuditEvent
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Activity, Organization, Person
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_organization, make_person
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db
P = Permission
BERLIN = ZoneInfo("Europe/Berlin")
CHANGE = frozenset({P.CRM_VIEW, P.ACTIVITY_CHANGE})
# The member calling does not own the activity: changing it needs the right to manage all.
MANAGE = CHANGE | {P.ACTIVITY_MANAGE_ALL}


@dataclass
class People:
    owner: Actor
    organization: Organization
    jana: Person
    otto: Person


@dataclass
class Scene(People):
    meeting: Activity


def two_contacts_at_an_organization(owner: Actor) -> tuple[Organization, Person, Person]:
    """Nordlicht Beratung GmbH with Jana Beispiel and Otto Normal (the deal tests use them too)."""
    organization = make_organization(owner, name="Nordlicht Beratung GmbH")
    jana = make_person(owner, first_name="Jana", last_name="Beispiel", organization=organization)
    otto = make_person(owner, first_name="Otto", last_name="Normal", organization=organization)
    return organization, jana, otto


@pytest.fixture
def scene(owner: Actor) -> Scene:
    organization, jana, otto = two_contacts_at_an_organization(owner)
    meeting = activity_create(
        actor=owner,
        kind=ActivityKind.MEETING,
        subject="Workshop Datenmigration",
        participants=[jana],
        starts_at=datetime(2030, 3, 4, 10, 0, 30, tzinfo=BERLIN),
        ends_at=datetime(2030, 3, 4, 12, 0, tzinfo=BERLIN),
        location="Hamburg",
        owner=owner.user,
        organization=organization,
    )
    return Scene(owner, organization, jana, otto, meeting)


def edit_data(scene: Scene, **changes: Any) -> dict[str, Any]:
    """What the edit form posts when the user changes nothing but ``changes``."""
    return {
        "kind": "meeting",
        "subject": "Workshop Datenmigration",
        "body": "",
        "starts_at": "2030-03-04T10:00",
        "ends_at": "2030-03-04T12:00",
        "due_at": "",
        "location": "Hamburg",
        "owner": scene.owner.user_id,
        "organization": scene.organization.pk,
        "participants": [scene.jana.pk],
        **changes,
    }


def stored(activity: Activity) -> tuple[Any, ...]:
    row = Activity.objects.filter(pk=activity.pk).first()
    if row is None:
        return (None,)
    people = sorted(row.participant_links.values_list("person_id", flat=True))
    return (row.kind, row.subject, row.starts_at, row.ends_at, row.done_at, row.location, people)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    needs: frozenset[Permission]
    status: int
    audit: str = ""

    def send(self, client: Client, scene: Scene) -> Any:
        url = self.path.format(activity=scene.meeting.pk)
        if self.method == "GET":
            return client.get(url)
        return client.post(url, edit_data(scene, subject="Workshop verschoben") if "edit" in url else {})


CALLS = [
    Call("GET", "/app/activities/{activity}/", frozenset({P.CRM_VIEW}), 200),
    Call("GET", "/app/activities/{activity}/edit/", MANAGE, 200),
    Call("POST", "/app/activities/{activity}/edit/", MANAGE, 302, "activity.update"),
    Call("GET", "/app/activities/{activity}/delete/", MANAGE, 200),
    Call("POST", "/app/activities/{activity}/delete/", MANAGE, 302, "activity.delete"),
]
by_call = pytest.mark.parametrize("call", CALLS, ids=[f"{c.method} {c.path}" for c in CALLS])


def client_holding(
    owner: Actor, permissions: frozenset[Permission], monkeypatch: pytest.MonkeyPatch
) -> Client:
    """A member of ``owner``'s workspace whose role grants exactly ``permissions`` (for this test)."""
    membership = MembershipFactory(workspace=owner.workspace, role=Role.READ_ONLY)
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.READ_ONLY, permissions)
    return client_for(Actor.for_membership(membership))


@by_call
def test_anonymous_visitors_are_sent_to_log_in(call: Call, scene: Scene) -> None:
    before = (stored(scene.meeting), AuditEvent.objects.count())

    response = call.send(Client(), scene)

    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=")
    assert (stored(scene.meeting), AuditEvent.objects.count()) == before


@by_call
def test_another_workspace_gets_404(call: Call, scene: Scene, stranger: Actor) -> None:
    before = (stored(scene.meeting), AuditEvent.objects.count())

    response = call.send(client_for(stranger), scene)

    assert response.status_code == 404
    assert (stored(scene.meeting), AuditEvent.objects.count()) == before


CASES = [(call, missing) for call in CALLS for missing in sorted(call.needs)]


@pytest.mark.parametrize(
    ("call", "missing"), CASES, ids=[f"{c.method} {c.path} without {m}" for c, m in CASES]
)
def test_a_member_without_the_permission_is_refused(
    call: Call, missing: Permission, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_holding(scene.owner, call.needs - {missing}, monkeypatch)
    before = (stored(scene.meeting), AuditEvent.objects.count())

    response = call.send(client, scene)

    assert response.status_code == 403
    assert (stored(scene.meeting), AuditEvent.objects.count()) == before


@by_call
def test_a_member_with_the_permission_succeeds(
    call: Call, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_holding(scene.owner, call.needs, monkeypatch)
    before = stored(scene.meeting)

    response = call.send(client, scene)

    assert response.status_code == call.status
    if call.audit:
        assert stored(scene.meeting) != before
        event = AuditEvent.objects.get(action=call.audit)
        assert event.object_id == str(scene.meeting.pk)


def test_the_detail_page_shows_the_activity_and_offers_edit_and_delete(scene: Scene) -> None:
    response = client_for(scene.owner).get(f"/app/activities/{scene.meeting.pk}/")

    page = response.content.decode()
    assert "<h1>Workshop Datenmigration</h1>" in page
    assert f'href="/app/contacts/{scene.jana.pk}/"' in page
    assert f'href="/app/organizations/{scene.organization.pk}/"' in page
    assert f'href="/app/activities/{scene.meeting.pk}/ics/"' in page
    assert f'href="/app/activities/{scene.meeting.pk}/edit/"' in page
    assert f'href="/app/activities/{scene.meeting.pk}/delete/"' in page
    assert accessibility_problems(page) == []


def test_a_member_who_may_not_change_activities_is_not_offered_edit_or_delete(
    scene: Scene, actor_with_role: Any
) -> None:
    reader = actor_with_role(Role.READ_ONLY)

    page = client_for(reader).get(f"/app/activities/{scene.meeting.pk}/").content.decode()

    assert "<h1>Workshop Datenmigration</h1>" in page
    assert f"/app/activities/{scene.meeting.pk}/edit/" not in page
    assert f"/app/activities/{scene.meeting.pk}/delete/" not in page


@pytest.mark.parametrize(
    "path", ["/app/contacts/{person}/", "/app/organizations/{organization}/", "/app/calendar/"]
)
def test_timelines_and_the_week_link_to_the_activity(path: str, scene: Scene) -> None:
    url = path.format(person=scene.jana.pk, organization=scene.organization.pk)

    page = client_for(scene.owner).get(f"{url}?week=2030-03-04").content.decode()

    assert f'<a href="/app/activities/{scene.meeting.pk}/">Workshop Datenmigration</a>' in page


def test_the_task_list_links_to_the_task(scene: Scene) -> None:
    task = activity_create(
        actor=scene.owner,
        kind=ActivityKind.TASK,
        subject="Angebot nachfassen",
        due_at=timezone.now() + timedelta(days=1),
        owner=scene.owner.user,
    )

    page = client_for(scene.owner).get("/app/tasks/").content.decode()

    assert f'<a href="/app/activities/{task.pk}/">Angebot nachfassen</a>' in page


def test_the_edit_form_offers_the_organizations_contacts_and_is_accessible(scene: Scene) -> None:
    elsewhere = make_person(scene.owner, first_name="Erika", last_name="Fremd")

    response = client_for(scene.owner).get(f"/app/activities/{scene.meeting.pk}/edit/")

    page = response.content.decode()
    choices = response.context["form"]["participants"].field.widget.choices
    assert choices == [
        (
            "Contacts at Nordlicht Beratung GmbH",
            [(scene.jana.pk, "Jana Beispiel"), (scene.otto.pk, "Otto Normal")],
        )
    ]
    assert elsewhere.full_name not in page
    assert accessibility_problems(page) == []


def test_editing_the_subject_and_participants_records_only_what_changed(scene: Scene) -> None:
    client = client_for(scene.owner)

    response = client.post(
        f"/app/activities/{scene.meeting.pk}/edit/",
        edit_data(scene, subject="Workshop Teil 2", participants=[scene.jana.pk, scene.otto.pk]),
    )

    meeting = Activity.objects.get(pk=scene.meeting.pk)
    assert response.status_code == 302
    assert response["Location"] == f"/app/activities/{meeting.pk}/"
    assert meeting.subject == "Workshop Teil 2"
    # The form shows minutes; the stored seconds stay, as the user did not touch the time.
    assert meeting.starts_at == datetime(2030, 3, 4, 10, 0, 30, tzinfo=BERLIN)
    assert sorted(meeting.participants.values_list("pk", flat=True)) == sorted([scene.jana.pk, scene.otto.pk])
    event = AuditEvent.objects.get(action="activity.update")
    assert event.changed_fields == ["participants", "subject"]


def test_a_participant_of_another_workspace_is_refused(scene: Scene, stranger: Actor) -> None:
    foreign = make_person(stranger, first_name="Fritz", last_name="Fremd")
    before = (stored(scene.meeting), AuditEvent.objects.count())

    response = client_for(scene.owner).post(
        f"/app/activities/{scene.meeting.pk}/edit/", edit_data(scene, participants=[foreign.pk])
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["participants"]
    assert (stored(scene.meeting), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "2030-03-04T09:00"}, "ends_at", "The end lies before the start."),
        ({"subject": ""}, "subject", "This field is required."),
        ({"kind": "task", "starts_at": "", "ends_at": ""}, "due_at", "A task needs a due date."),
        ({"is_recorded": "on"}, "is_recorded", "Only calls can be marked as recorded."),
    ],
)
def test_bad_input_is_reported_at_its_field_and_changes_nothing(
    scene: Scene, changes: dict[str, str], field: str, message: str
) -> None:
    before = (stored(scene.meeting), AuditEvent.objects.count())

    response = client_for(scene.owner).post(
        f"/app/activities/{scene.meeting.pk}/edit/", edit_data(scene, **changes)
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert 'aria-invalid="true"' in response.content.decode()
    assert (stored(scene.meeting), AuditEvent.objects.count()) == before


def test_ticking_done_completes_the_activity(scene: Scene) -> None:
    client_for(scene.owner).post(f"/app/activities/{scene.meeting.pk}/edit/", edit_data(scene, done="on"))

    assert Activity.objects.get(pk=scene.meeting.pk).done_at is not None
    assert AuditEvent.objects.get(action="activity.update").changed_fields == ["done_at"]


def test_editing_keeps_a_participant_whose_processing_is_restricted(scene: Scene) -> None:
    from zweck.crm.services import activity_update

    activity_update(actor=scene.owner, activity=scene.meeting, participants=[scene.jana, scene.otto])
    Person.objects.filter(pk=scene.otto.pk).update(restricted_at=timezone.now())

    client_for(scene.owner).post(
        f"/app/activities/{scene.meeting.pk}/edit/", edit_data(scene, subject="Workshop Teil 2")
    )

    meeting = Activity.objects.get(pk=scene.meeting.pk)
    assert meeting.subject == "Workshop Teil 2"
    assert sorted(meeting.participant_links.values_list("person_id", flat=True)) == sorted(
        [scene.jana.pk, scene.otto.pk]
    )


def test_deleting_returns_to_the_first_participants_page(scene: Scene) -> None:
    response = client_for(scene.owner).post(f"/app/activities/{scene.meeting.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == f"/app/contacts/{scene.jana.pk}/"
    assert not Activity.objects.filter(pk=scene.meeting.pk).exists()
    assert AuditEvent.objects.filter(action="activity.delete", object_id=str(scene.meeting.pk)).count() == 1
