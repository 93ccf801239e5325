"""The privacy officer handles a whole data-subject request in the browser: every page and
action against the four kinds of caller, a full request from a phone call to the confirmed
recipient notification, and the refusals (twice extended, twice confirmed, forced POSTs)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import MembershipFactory
from zweck.audit.models import AuditEvent
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role
from zweck.crm.choices import ActivityKind, ContactLabel
from zweck.crm.models import Activity, Person
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_person
from zweck.privacy.dsr import (
    dsr_extend,
    dsr_link_persons,
    dsr_open,
    dsr_restrict,
    dsr_verify,
    objection_record,
)
from zweck.privacy.mention_decisions import request_possible_mentions
from zweck.privacy.models import DataSubjectRequest, MentionDecision, RecipientNotification, RequestAction
from zweck.privacy.request_models import (
    NotificationStatus,
    ObjectionScope,
    RequestChannel,
    RequestKind,
    RequestStatus,
    VerificationState,
)
from zweck.privacy.services import register_defaults_install
from zweck.privacy.tests.factories import mailhost_processor
from zweck.web.templatetags.staff import day
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db
P = Permission
APP = "/app/privacy"


@dataclass
class World:
    officer: Actor
    owner: Actor
    anna: Person
    mention_key: str = ""

    def request(self, kind: str, *, verified: bool = True, linked: bool = True, **details: Any) -> int:
        opened = dsr_open(
            actor=self.officer,
            kind=kind,
            channel=RequestChannel.EMAIL,
            requester_email=f"{kind}.request@example.com",
            requester_name="Anna Beispiel",
            **details,
        )
        if verified:
            dsr_verify(actor=self.officer, request=opened)
        if linked:
            dsr_link_persons(actor=self.officer, request=opened, person_ids=[self.anna.pk])
        return opened.pk


@pytest.fixture
def world(owner: Actor, actor_with_role: Callable[[str], Actor]) -> World:
    officer = actor_with_role(Role.PRIVACY_OFFICER)
    register_defaults_install(actor=officer)
    mailhost_processor(officer)
    anna = make_person(owner, first_name="Anna", last_name="Beispiel", email="anna.beispiel@example.com")
    return World(officer=officer, owner=owner, anna=anna)


def _get(world: World, request_id: int) -> DataSubjectRequest:
    return DataSubjectRequest.objects.get(pk=request_id)


def restricted_request(world: World) -> int:
    request_id = world.request(RequestKind.RESTRICTION)
    dsr_restrict(actor=world.officer, request=_get(world, request_id))
    return request_id


def legitimate_interest_objection(world: World) -> int:
    request_id = world.request(RequestKind.OBJECTION, objection_scope=ObjectionScope.LEGITIMATE_INTEREST)
    objection_record(actor=world.officer, request=_get(world, request_id))
    return request_id


def erasure_with_possible_mention(world: World) -> int:
    """An erasure request for Anna, and Ben's note naming "A. Beispiel" (only possibly her)."""
    ben = make_person(world.owner, first_name="Ben", last_name="Anders")
    activity_create(
        actor=world.owner,
        kind=ActivityKind.NOTE,
        subject="Note",
        body="A. Beispiel rief an.",
        participants=[ben],
    )
    request_id = world.request(RequestKind.ERASURE)
    [possible] = request_possible_mentions(actor=world.officer, request=_get(world, request_id))
    world.mention_key = possible.mention.key
    return request_id


def pending_notification(world: World) -> int:
    restricted_request(world)
    notification = RecipientNotification.objects.filter(status=NotificationStatus.PENDING).first()
    assert notification is not None
    return notification.pk


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    needs: Permission
    # What the case acts on: returns the id that fills ``{id}`` in the path.
    prepare: Callable[[World], int] = field(default=lambda world: world.request(RequestKind.ACCESS))
    data: Callable[[World], dict[str, Any]] = field(default=lambda world: {})
    status: int = 200
    # The audit event a successful POST writes.
    audited: str = ""
    # Whether another workspace's caller is refused with 404 (pages about one request).
    addressed: bool = True

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


CASES = [
    Case("GET", "/requests/", P.PRIVACY_VIEW, addressed=False),
    Case("GET", "/notifications/", P.PRIVACY_VIEW, addressed=False),
    Case("GET", "/requests/new/", P.PRIVACY_MANAGE, addressed=False),
    Case(
        "POST",
        "/requests/new/",
        P.PRIVACY_MANAGE,
        data=lambda world: {
            "kind": "access",
            "channel": "letter",
            "received_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "requester_name": "Bernd Brief",
        },
        status=302,
        audited="dsr.open",
        addressed=False,
    ),
    Case("GET", "/requests/{id}/", P.PRIVACY_VIEW),
    Case("GET", "/requests/{id}/plan/", P.PRIVACY_VIEW, prepare=lambda w: w.request(RequestKind.ERASURE)),
    Case("GET", "/requests/{id}/assign/", P.PRIVACY_MANAGE),
    Case(
        "POST",
        "/requests/{id}/assign/",
        P.PRIVACY_MANAGE,
        data=lambda world: {"assignee": world.officer.user_id},
        status=302,
        audited="dsr.assign",
    ),
    Case(
        "POST",
        "/requests/{id}/verify/",
        P.PRIVACY_MANAGE,
        prepare=lambda w: w.request(RequestKind.ACCESS, verified=False),
        status=302,
        audited="dsr.verify",
    ),
    Case(
        "POST",
        "/requests/{id}/verification-failed/",
        P.PRIVACY_MANAGE,
        prepare=lambda w: w.request(RequestKind.ACCESS, verified=False),
        status=302,
        audited="dsr.verify",
    ),
    Case("GET", "/requests/{id}/subjects/", P.PRIVACY_MANAGE),
    Case(
        "POST",
        "/requests/{id}/subjects/",
        P.PRIVACY_MANAGE,
        prepare=lambda w: w.request(RequestKind.ACCESS, linked=False),
        data=lambda world: {"persons": [world.anna.pk]},
        status=302,
        audited="dsr.link_persons",
    ),
    Case("GET", "/requests/{id}/extend/", P.PRIVACY_MANAGE),
    Case(
        "POST",
        "/requests/{id}/extend/",
        P.PRIVACY_MANAGE,
        data=lambda world: {"reason": "Many records in several systems"},
        status=302,
        audited="dsr.extend",
    ),
    Case(
        "POST",
        "/requests/{id}/export/",
        P.PRIVACY_MANAGE,
        data=lambda world: {"format": "json", "lang": "en"},
        audited="dsr.export",
    ),
    Case(
        "POST",
        "/requests/{id}/transmission-link/",
        P.PRIVACY_MANAGE,
        prepare=lambda w: w.request(RequestKind.PORTABILITY),
        data=lambda world: {"format": "csv"},
        audited="dsr.transmission_link",
    ),
    Case(
        "GET",
        "/requests/{id}/rectify/",
        P.PRIVACY_MANAGE,
        prepare=lambda w: w.request(RequestKind.RECTIFICATION),
    ),
    Case(
        "POST",
        "/requests/{id}/rectify/",
        P.PRIVACY_MANAGE,
        prepare=lambda w: w.request(RequestKind.RECTIFICATION),
        data=lambda world: {"person": world.anna.pk, "first_name": "Anne", "last_name": "Beispiel"},
        status=302,
        audited="dsr.rectify",
    ),
    Case(
        "POST",
        "/requests/{id}/restrict/",
        P.PRIVACY_MANAGE,
        prepare=lambda w: w.request(RequestKind.RESTRICTION),
        status=302,
        audited="dsr.restrict",
    ),
    Case("GET", "/requests/{id}/lift-restriction/", P.PRIVACY_MANAGE, prepare=restricted_request),
    Case(
        "POST",
        "/requests/{id}/lift-restriction/",
        P.PRIVACY_MANAGE,
        prepare=restricted_request,
        data=lambda world: {"reason": "The data was found to be accurate"},
        status=302,
        audited="dsr.restriction_lift",
    ),
    Case(
        "POST",
        "/requests/{id}/objection/",
        P.PRIVACY_MANAGE,
        prepare=lambda w: w.request(RequestKind.OBJECTION),
        status=302,
        audited="objection.suppress",
    ),
    Case("GET", "/requests/{id}/objection/decide/", P.PRIVACY_MANAGE, prepare=legitimate_interest_objection),
    Case(
        "POST",
        "/requests/{id}/objection/decide/",
        P.PRIVACY_MANAGE,
        prepare=legitimate_interest_objection,
        data=lambda world: {"decision": "stop", "reason": "No compelling grounds"},
        status=302,
        audited="objection.decide",
    ),
    Case("GET", "/requests/{id}/decide/", P.PRIVACY_MANAGE),
    Case(
        "POST",
        "/requests/{id}/decide/",
        P.PRIVACY_MANAGE,
        data=lambda world: {"decision": "refused", "reason": "Manifestly unfounded"},
        status=302,
        audited="dsr.decide",
    ),
    Case(
        "POST",
        "/requests/{id}/erase/",
        P.PRIVACY_MANAGE,
        prepare=lambda w: w.request(RequestKind.ERASURE),
        data=lambda world: {"confirm": "erase"},
        status=302,
        audited="dsr.erase",
    ),
    Case(
        "POST",
        "/requests/{id}/mentions/decide/",
        P.PRIVACY_MANAGE,
        prepare=erasure_with_possible_mention,
        data=lambda world: {"key": world.mention_key, "decision": "confirm"},
        status=302,
        audited="mention.confirm",
    ),
    Case(
        "POST",
        "/notifications/{id}/confirm/",
        P.PRIVACY_MANAGE,
        prepare=pending_notification,
        status=302,
        audited="recipient_notification.confirm",
    ),
]


def by_case(cases: list[Case] = CASES) -> Any:
    return pytest.mark.parametrize("case", cases, ids=[case.id for case in cases])


def call(client: Client, case: Case, world: World, target: int) -> Any:
    url = APP + case.path.format(id=target)
    if case.method == "GET":
        return client.get(url)
    return client.post(url, case.data(world))


def snapshot() -> tuple[Any, ...]:
    """Everything a refused call could have changed."""
    return (
        AuditEvent.objects.count(),
        RequestAction.objects.count(),
        list(
            DataSubjectRequest.objects.order_by("pk").values_list(
                "status", "verification", "assignee", "extended_due_on", "decision"
            )
        ),
        list(Person.objects.order_by("pk").values_list("first_name", "restricted_at")),
        list(RecipientNotification.objects.order_by("pk").values_list("status", "confirmed_at")),
        list(MentionDecision.objects.order_by("pk").values_list("row_id", "confirmed")),
    )


def client_without(world: World, permission: Permission, monkeypatch: pytest.MonkeyPatch) -> Client:
    """A member whose role holds everything a privacy officer holds except ``permission``."""
    membership = MembershipFactory(workspace=world.officer.workspace, role=Role.READ_ONLY)
    granted = ROLE_PERMISSIONS[Role.PRIVACY_OFFICER] - {permission}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.READ_ONLY, granted)
    return client_for(Actor.for_membership(membership))


@by_case()
def test_anonymous_visitors_are_sent_to_log_in(case: Case, world: World) -> None:
    target = case.prepare(world)
    before = snapshot()

    response = call(Client(), case, world, target)

    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=")
    assert snapshot() == before


@by_case([case for case in CASES if case.addressed])
def test_another_workspace_gets_404_and_changes_nothing(case: Case, world: World, stranger: Actor) -> None:
    target = case.prepare(world)
    before = snapshot()

    response = call(client_for(stranger), case, world, target)

    assert response.status_code == 404
    assert snapshot() == before


@by_case()
def test_a_member_without_the_permission_is_refused(
    case: Case, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = case.prepare(world)
    client = client_without(world, case.needs, monkeypatch)
    before = snapshot()

    response = call(client, case, world, target)

    assert response.status_code == 403
    assert snapshot() == before


@by_case()
def test_the_privacy_officer_is_served_and_the_action_is_audited(case: Case, world: World) -> None:
    target = case.prepare(world)
    before = snapshot()

    response = call(client_for(world.officer), case, world, target)

    assert response.status_code == case.status
    if case.audited:
        assert AuditEvent.objects.filter(action=case.audited, actor=world.officer.user).count() >= 1
        assert AuditEvent.objects.count() > before[0]
    if case.method == "POST" and case.status == 302:
        assert response["Location"] != f"/app/login/?next={APP}{case.path.format(id=target)}"
        page = client_for(world.officer).get(response["Location"]).content.decode()
        assert "message-error" not in page


def test_actions_are_offered_only_to_who_may_take_them(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a request waiting for the identity check
    request_id = world.request(RequestKind.ACCESS, verified=False)
    detail = f"{APP}/requests/{request_id}/"
    action_urls = [f"{detail}{step}/" for step in ("verify", "assign", "subjects", "extend", "decide")]
    # when
    officer_page = client_for(world.officer).get(detail).content.decode()
    viewer_page = client_without(world, P.PRIVACY_MANAGE, monkeypatch).get(detail).content.decode()
    # then
    assert all(url in officer_page for url in action_urls)
    assert not any(url in viewer_page for url in action_urls)
    assert "/export/" not in viewer_page


def test_a_read_only_member_forcing_a_post_is_refused_and_nothing_changes(
    world: World, actor_with_role: Callable[[str], Actor]
) -> None:
    request_id = world.request(RequestKind.ERASURE)
    reader = client_for(actor_with_role(Role.READ_ONLY))
    before = snapshot()

    responses = [
        reader.post(f"{APP}/requests/{request_id}/erase/"),
        reader.post(f"{APP}/requests/{request_id}/decide/", {"decision": "granted"}),
        reader.post(f"{APP}/requests/new/", {"kind": "access", "channel": "phone", "requester_name": "X"}),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403]
    assert snapshot() == before
    assert Person.objects.filter(pk=world.anna.pk).exists()


def test_extending_twice_shows_the_services_refusal(world: World) -> None:
    request_id = world.request(RequestKind.ACCESS)
    client = client_for(world.officer)
    url = f"{APP}/requests/{request_id}/extend/"
    client.post(url, {"reason": "Many records in several systems"})
    extended_to = _get(world, request_id).extended_due_on
    assert extended_to is not None

    again = client.post(url, {"reason": "Still more records"})

    assert again.status_code == 200
    assert "The deadline has already been extended once." in again.content.decode()
    stored = _get(world, request_id)
    assert (stored.extended_due_on, stored.extension_reason) == (
        extended_to,
        "Many records in several systems",
    )
    assert AuditEvent.objects.filter(action="dsr.extend").count() == 1


def test_extending_after_the_first_month_is_refused(world: World) -> None:
    old = dsr_open(
        actor=world.officer,
        kind=RequestKind.ACCESS,
        channel=RequestChannel.LETTER,
        requester_name="Anna Beispiel",
        received_at=timezone.now() - timedelta(days=45),
    )

    response = client_for(world.officer).post(f"{APP}/requests/{old.pk}/extend/", {"reason": "Busy"})

    assert (
        "The deadline can only be extended up to and including the original due date, "
        f"{old.due_on.isoformat()}." in response.content.decode()
    )
    assert _get(world, old.pk).extended_due_on is None


def test_confirming_twice_shows_the_refusal(world: World) -> None:
    notification_id = pending_notification(world)
    client = client_for(world.officer)
    url = f"{APP}/notifications/{notification_id}/confirm/"
    client.post(url)
    confirmed_at = RecipientNotification.objects.get(pk=notification_id).confirmed_at

    again = client.post(url, follow=True)

    assert "This notification was already confirmed on" in again.content.decode()
    assert RecipientNotification.objects.get(pk=notification_id).confirmed_at == confirmed_at
    assert AuditEvent.objects.filter(action="recipient_notification.confirm").count() == 1


def test_opening_validates_each_field(world: World) -> None:
    client = client_for(world.officer)
    before = DataSubjectRequest.objects.count()

    response = client.post(
        f"{APP}/requests/new/",
        {
            "kind": "access",
            "channel": "phone",
            "received_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "requester_email": "not an address",
            "requester_phone": "call me",
            "objection_scope": "direct_marketing",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {
        "received_at",
        "requester_email",
        "requester_phone",
        "requester_name",
        "objection_scope",
    }
    assert errors["received_at"] == ["A request cannot be received in the future."]
    assert DataSubjectRequest.objects.count() == before


def test_the_detail_shows_the_deadline_overdue_and_the_plan_link(world: World) -> None:
    late = dsr_open(
        actor=world.officer,
        kind=RequestKind.ERASURE,
        channel=RequestChannel.LETTER,
        requester_name="Anna Beispiel",
        received_at=timezone.now() - timedelta(days=40),
    )

    page = client_for(world.officer).get(f"{APP}/requests/{late.pk}/").content.decode()

    assert day(late.due_on) in page
    assert "The answer is overdue." in page
    assert f"{APP}/requests/{late.pk}/plan/" in page
    assert "Received" in page


def test_rectifying_shows_the_changed_fields_and_logs_them(world: World) -> None:
    request_id = world.request(RequestKind.RECTIFICATION)
    client = client_for(world.officer)

    response = client.post(
        f"{APP}/requests/{request_id}/rectify/?person={world.anna.pk}",
        {"person": world.anna.pk, "first_name": "Anne", "last_name": "Beispiel-Neu", "title": "Dr."},
        follow=True,
    )

    page = response.content.decode()
    assert "Changed: first name, last name, title." in page
    assert Person.objects.values_list("first_name", "last_name", "title").get(pk=world.anna.pk) == (
        "Anne",
        "Beispiel-Neu",
        "Dr.",
    )
    assert RequestAction.objects.filter(request_id=request_id, action="person.rectify").get().note == (
        "first_name, last_name, title"
    )
    assert RecipientNotification.objects.filter(request_id=request_id, action="rectification").count() == 1


def test_rectifying_contact_details_keeps_labels_and_names_the_changed_lists(world: World) -> None:
    request_id = world.request(RequestKind.RECTIFICATION)
    world.anna.emails.update(label=ContactLabel.HOME)

    response = client_for(world.officer).post(
        f"{APP}/requests/{request_id}/rectify/?person={world.anna.pk}",
        {
            "person": world.anna.pk,
            "first_name": "Anna",
            "last_name": "Beispiel",
            "emails": "anna.beispiel@example.com\nanna@beispiel.example",
            "phones": "0171 2345678",
        },
        follow=True,
    )

    assert "Changed: email addresses, phone numbers." in response.content.decode()
    emails = list(world.anna.emails.order_by("-is_primary").values_list("email", "label", "is_primary"))
    assert emails == [
        ("anna.beispiel@example.com", ContactLabel.HOME, True),
        ("anna@beispiel.example", ContactLabel.WORK, False),
    ]
    assert list(world.anna.phones.values_list("number", flat=True)) == ["+491712345678"]
    assert RequestAction.objects.filter(request_id=request_id, action="person.rectify").get().note == (
        "emails, phones"
    )


def test_rectifying_refuses_a_malformed_phone_number_and_changes_nothing(world: World) -> None:
    request_id = world.request(RequestKind.RECTIFICATION)

    response = client_for(world.officer).post(
        f"{APP}/requests/{request_id}/rectify/?person={world.anna.pk}",
        {"person": world.anna.pk, "first_name": "Anne", "last_name": "Beispiel", "phones": "call me maybe"},
    )

    assert response.status_code == 200
    assert Person.objects.get(pk=world.anna.pk).first_name == "Anna"
    assert not RequestAction.objects.filter(request_id=request_id, action="person.rectify").exists()


def test_deciding_a_refusal_needs_reasons(world: World) -> None:
    request_id = world.request(RequestKind.ACCESS)

    response = client_for(world.officer).post(f"{APP}/requests/{request_id}/decide/", {"decision": "refused"})

    assert response.context["form"].errors == {"reason": ["Give the reasons for the decision."]}
    assert _get(world, request_id).status == RequestStatus.IN_PROGRESS


def test_a_whole_request_from_a_phone_call_to_the_confirmed_notification(world: World, owner: Actor) -> None:
    # given two duplicate records of the caller
    first = make_person(
        owner, first_name="Jonas", last_name="Beispiel", email="jonas@example.com", phone="+49 30 9876543"
    )
    second = make_person(
        owner,
        first_name="Jonas",
        last_name="Beispiel",
        email="j.beispiel@example.com",
        phone="+49 30 9876543",
    )
    client = client_for(world.officer)

    # when the privacy officer records the call
    opened = client.post(
        f"{APP}/requests/new/",
        {
            "kind": "erasure",
            "channel": "phone",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "requester_name": "Jonas Beispiel",
            "requester_phone": "030 9876543",
            "details": "Asks for erasure of all his data.",
        },
    )
    request = DataSubjectRequest.objects.get(requester_name="Jonas Beispiel")
    assert opened["Location"] == f"{APP}/requests/{request.pk}/"
    assert (request.channel, request.requester_phone) == (RequestChannel.PHONE, "+49309876543")

    # and verifies the identity
    client.post(f"{APP}/requests/{request.pk}/verify/")
    assert _get(world, request.pk).verification == VerificationState.VERIFIED

    # and finds both records with their evidence, and links them
    found = client.get(f"{APP}/requests/{request.pk}/subjects/").content.decode()
    assert f'value="{first.pk}"' in found and f'value="{second.pk}"' in found
    assert "phone number matches" in found and "name matches" in found
    client.post(f"{APP}/requests/{request.pk}/subjects/", {"persons": [first.pk, second.pk]})
    assert sorted(_get(world, request.pk).persons.values_list("pk", flat=True)) == [first.pk, second.pk]

    # and downloads the access export, which holds both records
    export = client.post(f"{APP}/requests/{request.pk}/export/", {"format": "zip", "lang": "de"})
    assert export["Content-Type"] == "application/zip"
    assert export["Content-Disposition"] == f'attachment; filename="request-{request.pk}-erasure.zip"'
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        assert sorted(archive.namelist()) == ["access-export.html", "access-export.json", "access-export.pdf"]
        data = json.loads(archive.read("access-export.json"))
    assert data["subject_records"] == sorted([first.pk, second.pk])

    # and reviews the plan and erases
    plan = client.get(f"{APP}/requests/{request.pk}/plan/")
    assert plan.status_code == 200
    client.post(f"{APP}/requests/{request.pk}/erase/", {"confirm": "erase"})
    assert not Person.objects.filter(pk__in=[first.pk, second.pk], first_name="Jonas").exists()

    # then the recipient's notifications are listed, the oldest first
    pending = client.get(f"{APP}/notifications/")
    listed = [task.pk for task in pending.context["page"].object_list]
    expected = list(
        RecipientNotification.objects.filter(request=request)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    assert listed == expected and len(listed) == 2
    assert "Mailhost GmbH" in pending.content.decode()

    # when one is confirmed
    confirmed = client.post(f"{APP}/notifications/{listed[0]}/confirm/", follow=True)
    assert "Mailhost GmbH confirmed the notification." in confirmed.content.decode()
    assert [task.pk for task in confirmed.context["page"].object_list] == listed[1:]

    # then the detail shows it confirmed, the log has every step, and the queue shows the request closed
    detail = client.get(f"{APP}/requests/{request.pk}/").content.decode()
    assert "Confirmed by the recipient" in detail
    steps = list(
        RequestAction.objects.filter(request=request).order_by("pk").values_list("action", flat=True)
    )
    assert steps[:4] == ["request.received", "dsr.verify", "dsr.link_persons", "export.generated"]
    assert steps[-1] == "notification.confirm"
    assert f'href="{APP}/requests/{request.pk}/"' not in client.get(f"{APP}/requests/").content.decode()
    closed = client.get(f"{APP}/requests/?all=1")
    row = next(row for row in closed.context["rows"] if row.pk == request.pk)
    assert row.status == RequestStatus.COMPLETED
    assert "Completed" in closed.content.decode()


def test_a_linked_request_shows_lift_restriction_only_when_restricted(world: World) -> None:
    request_id = world.request(RequestKind.RESTRICTION)
    client = client_for(world.officer)
    lift = f"{APP}/requests/{request_id}/lift-restriction/"
    assert lift not in client.get(f"{APP}/requests/{request_id}/").content.decode()

    dsr_restrict(actor=world.officer, request=_get(world, request_id))

    assert lift in client.get(f"{APP}/requests/{request_id}/").content.decode()


def test_extend_through_the_service_hides_the_extend_button(world: World) -> None:
    request_id = world.request(RequestKind.ACCESS)
    dsr_extend(actor=world.officer, request=_get(world, request_id), reason="Complex")

    page = client_for(world.officer).get(f"{APP}/requests/{request_id}/").content.decode()

    assert f"{APP}/requests/{request_id}/extend/" not in page
    assert "Complex" in page


def test_the_request_page_speaks_german(world: World) -> None:
    request_id = world.request(RequestKind.RESTRICTION)
    dsr_restrict(actor=world.officer, request=_get(world, request_id))
    client = client_for(world.officer)
    client.cookies["django_language"] = "de"

    detail = client.get(f"{APP}/requests/{request_id}/").content.decode()
    pending = client.get(f"{APP}/notifications/").content.decode()

    assert "Anfrage bearbeiten" in detail
    assert "Einschränkung aufheben" in detail
    assert "Personendatensätze eingeschränkt" in detail
    assert "Empfängermitteilungen" in pending
    assert "Einschränkung" in pending


def test_the_officer_confirms_a_possible_mention_on_the_erasure_plan_and_the_erasure_removes_it(
    world: World,
) -> None:
    # given
    request_id = erasure_with_possible_mention(world)
    client = client_for(world.officer)
    plan_url = f"{APP}/requests/{request_id}/plan/"
    page = client.get(plan_url).content.decode()
    assert "A. Beispiel" in page and "Initial and surname" in page and "Not decided" in page
    # when
    decided = client.post(
        f"{APP}/requests/{request_id}/mentions/decide/",
        {"key": world.mention_key, "decision": "confirm", "next": plan_url},
        follow=True,
    )
    client.post(f"{APP}/requests/{request_id}/erase/", {"confirm": "erase"})
    # then
    assert decided.redirect_chain == [(plan_url, 302)]
    assert "The possible mention is confirmed" in decided.content.decode()
    assert ">Confirmed" in decided.content.decode()
    assert list(Activity.objects.filter(kind=ActivityKind.NOTE).values_list("body", flat=True)) == [
        "[erased] rief an."
    ]
    log = client.get(f"{APP}/requests/{request_id}/").content.decode()
    assert "Possible mention confirmed" in log


def test_an_unknown_mention_is_refused_with_a_message(world: World) -> None:
    request_id = erasure_with_possible_mention(world)
    before = snapshot()
    response = client_for(world.officer).post(
        f"{APP}/requests/{request_id}/mentions/decide/",
        {"key": "crm.activity:1:body:0", "decision": "confirm"},
        follow=True,
    )
    assert "This request has no such possible mention." in response.content.decode()
    assert snapshot() == before
