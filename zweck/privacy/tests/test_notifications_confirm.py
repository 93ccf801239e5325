"""Recipient notifications (Art. 19 GDPR) tracked until confirmed: the service, the selector,
``zweck dsr notifications`` / ``confirm-notification``, and lifting a request's restriction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent, AuditEventSubject
from zweck.core.permissions import Role
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person
from zweck.privacy.dsr import dsr_link_persons, dsr_open, dsr_restrict, dsr_restriction_lift, dsr_verify
from zweck.privacy.models import DataSubjectRequest, RecipientNotification, RequestAction
from zweck.privacy.notifications import (
    NotificationStateError,
    recipient_notification_confirm,
    recipient_notification_get,
    recipient_notification_list,
)
from zweck.privacy.request_models import NotificationStatus, RequestChannel, RequestKind
from zweck.privacy.services import recipient_create

EMAIL = "anna.beispiel@example.com"


@pytest.fixture
def restricted(installed: Actor, owner: Actor) -> DataSubjectRequest:
    """Anna asked for restriction; two recipients of contact data are to be told."""
    for name in ("Mailhost GmbH", "Druckhaus Beispiel KG"):
        recipient_create(
            actor=installed,
            name=name,
            role="processor",
            service_en="Service",
            service_de="Dienst",
            country="DE",
            activity_keys=["client_relationship"],
        )
    anna = make_person(owner, first_name="Anna", last_name="Beispiel", email=EMAIL)
    request = dsr_open(
        actor=installed, kind=RequestKind.RESTRICTION, channel=RequestChannel.EMAIL, requester_email=EMAIL
    )
    dsr_verify(actor=installed, request=request)
    dsr_link_persons(actor=installed, request=request, person_ids=[anna.pk])
    dsr_restrict(actor=installed, request=request)
    return request


def _notifications(request: DataSubjectRequest) -> list[RecipientNotification]:
    return list(RecipientNotification.objects.filter(request=request).order_by("pk"))


def test_confirming_sets_status_and_time_and_is_audited_and_logged(
    installed: Actor, restricted: DataSubjectRequest
) -> None:
    # given
    first, second = _notifications(restricted)
    # when
    confirmed = recipient_notification_confirm(actor=installed, notification=first)
    # then
    stored = RecipientNotification.objects.get(pk=first.pk)
    assert (stored.status, stored.confirmed_at) == (NotificationStatus.CONFIRMED, confirmed.confirmed_at)
    assert stored.confirmed_at is not None
    assert RecipientNotification.objects.get(pk=second.pk).status == NotificationStatus.PENDING
    event = AuditEvent.objects.filter(action="recipient_notification.confirm").get()
    assert (event.object_id, event.changed_fields, event.actor_id) == (
        str(first.pk),
        ["confirmed_at", "status"],
        installed.user_id,
    )
    assert list(AuditEventSubject.objects.filter(event=event).values_list("subject_id", flat=True)) == [
        first.subject_id
    ]
    last = RequestAction.objects.filter(request=restricted).order_by("pk").last()
    assert last is not None
    assert (last.action, last.note) == ("notification.confirm", f"#{first.pk}")


def test_a_second_confirmation_is_refused_and_changes_nothing(
    installed: Actor, restricted: DataSubjectRequest
) -> None:
    # given
    first = _notifications(restricted)[0]
    recipient_notification_confirm(actor=installed, notification=first)
    confirmed_at = RecipientNotification.objects.get(pk=first.pk).confirmed_at
    assert confirmed_at is not None
    events, actions = AuditEvent.objects.count(), RequestAction.objects.count()
    # when
    with pytest.raises(NotificationStateError) as refused:
        recipient_notification_confirm(actor=installed, notification=first)
    # then
    assert refused.value.messages == [
        f"This notification was already confirmed on {timezone.localdate(confirmed_at).isoformat()}."
    ]
    assert RecipientNotification.objects.get(pk=first.pk).confirmed_at == confirmed_at
    assert (AuditEvent.objects.count(), RequestAction.objects.count()) == (events, actions)


def test_the_list_holds_pending_ones_oldest_first(installed: Actor, restricted: DataSubjectRequest) -> None:
    # given the second task is older than the first, and a third is confirmed
    first, second = _notifications(restricted)
    RecipientNotification.objects.filter(pk=second.pk).update(created_at=timezone.now() - timedelta(days=3))
    third = RecipientNotification.objects.create(
        workspace_id=installed.workspace_id,
        recipient=first.recipient,
        subject_id=first.subject_id,
        action="erasure",
    )
    recipient_notification_confirm(actor=installed, notification=third)
    # when
    pending = list(recipient_notification_list(actor=installed, pending_only=True))
    everything = list(recipient_notification_list(actor=installed))
    # then
    assert [row.pk for row in pending] == [second.pk, first.pk]
    assert [row.pk for row in everything] == [second.pk, first.pk, third.pk]


def test_another_workspace_sees_and_confirms_nothing(stranger: Actor, restricted: DataSubjectRequest) -> None:
    first = _notifications(restricted)[0]

    assert list(recipient_notification_list(actor=stranger)) == []
    with pytest.raises(RecipientNotification.DoesNotExist):
        recipient_notification_get(actor=stranger, notification_id=first.pk)
    with pytest.raises(RecipientNotification.DoesNotExist):
        recipient_notification_confirm(actor=stranger, notification=first)
    assert RecipientNotification.objects.get(pk=first.pk).status == NotificationStatus.PENDING


def test_a_member_without_the_privacy_permissions_is_refused(
    actor_with_role: Callable[[str], Actor], restricted: DataSubjectRequest
) -> None:
    sales = actor_with_role(Role.SALES)
    first = _notifications(restricted)[0]

    with pytest.raises(PermissionDenied):
        recipient_notification_list(actor=sales)
    with pytest.raises(PermissionDenied):
        recipient_notification_confirm(actor=sales, notification=first)
    assert RecipientNotification.objects.get(pk=first.pk).status == NotificationStatus.PENDING


def test_cli_lists_pending_notifications_and_confirms_one(
    owner: Actor, restricted: DataSubjectRequest
) -> None:
    # given
    first, second = _notifications(restricted)
    slug = owner.workspace.slug
    # when
    listed = StringIO()
    call_command("dsr", "notifications", "--workspace", slug, stdout=listed)
    confirmed = StringIO()
    call_command("dsr", "confirm-notification", str(first.pk), "--workspace", slug, stdout=confirmed)
    after = StringIO()
    call_command("dsr", "notifications", "--workspace", slug, stdout=after)
    # then
    assert [line.split("\t")[0] for line in listed.getvalue().splitlines()] == [str(first.pk), str(second.pk)]
    assert f"request #{restricted.pk}" in listed.getvalue()
    assert confirmed.getvalue().startswith(f"{first.pk}\tconfirmed\t")
    assert [line.split("\t")[0] for line in after.getvalue().splitlines()] == [str(second.pk)]
    with pytest.raises(CommandError, match="already confirmed"):
        call_command("dsr", "confirm-notification", str(first.pk), "--workspace", slug, stdout=StringIO())
    with pytest.raises(CommandError, match="No notification"):
        call_command("dsr", "confirm-notification", "999999", "--workspace", slug, stdout=StringIO())


def test_lifting_a_requests_restriction_tells_the_subject_first(
    installed: Actor,
    restricted: DataSubjectRequest,
    mailoutbox: list,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    # given
    anna_id = restricted.persons.get().pk
    # when
    with django_capture_on_commit_callbacks(execute=True):
        lifted = dsr_restriction_lift(actor=installed, request=restricted, reason="Accuracy confirmed")
    # then
    assert lifted == 1
    assert Person.objects.get(pk=anna_id).restricted_at is None
    steps = list(
        RequestAction.objects.filter(request=restricted).order_by("pk").values_list("action", flat=True)
    )
    assert steps[-2:] == ["person.restriction_notice", "person.restriction_lift"]
    assert [message.to for message in mailoutbox] == [[EMAIL]]
    assert AuditEvent.objects.filter(action="dsr.restriction_lift", object_id=str(restricted.pk)).count() == 1


def test_lifting_needs_reasons_and_a_restricted_record(
    installed: Actor, restricted: DataSubjectRequest
) -> None:
    with pytest.raises(ValidationError) as no_reason:
        dsr_restriction_lift(actor=installed, request=restricted, reason="  ")
    assert no_reason.value.message_dict == {"reason": ["Give the reasons for lifting the restriction."]}
    dsr_restriction_lift(actor=installed, request=restricted, reason="Accuracy confirmed")
    with pytest.raises(ValidationError) as nothing_left:
        dsr_restriction_lift(actor=installed, request=restricted, reason="Again")
    assert nothing_left.value.messages == ["None of the request's person records is restricted."]
