"""Members: invitations, role changes, deactivation, and the last owner's guard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.members import (
    invitation_accept,
    invitation_from_token,
    invitation_revoke,
    invitation_token,
    member_deactivate,
    member_invite,
    member_role_change,
)
from zweck.accounts.models import ApiToken, Invitation, Membership, SignInSession
from zweck.accounts.security import Client
from zweck.accounts.services import token_authenticate, token_create
from zweck.accounts.sign_in_sessions import sign_in_session_start
from zweck.accounts.tests.factories import UserFactory
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Role

pytestmark = pytest.mark.django_db


def _membership(actor: Actor) -> Membership:
    return Membership.objects.get(workspace_id=actor.workspace_id, user_id=actor.user_id)


def _invite(actor: Actor, email: str, role: str = Role.SALES) -> tuple[Invitation, str]:
    sent: list[str] = []
    invitation = member_invite(
        actor=actor, email=email, role=role, notify=lambda _i, token: sent.append(token)
    )
    assert len(sent) == 1
    return invitation, sent[0]


def test_the_last_owner_can_be_neither_demoted_nor_deactivated(owner: Actor) -> None:
    with pytest.raises(ValidationError, match="last owner"):
        member_role_change(actor=owner, membership=_membership(owner), role=Role.ADMIN)
    with pytest.raises(ValidationError, match="last owner"):
        member_deactivate(actor=owner, membership=_membership(owner))
    assert _membership(owner).role == Role.OWNER and _membership(owner).is_active


def test_with_a_second_owner_one_may_step_down(owner: Actor, actor_with_role: Callable[[str], Actor]) -> None:
    second = actor_with_role(Role.OWNER)
    member_role_change(actor=owner, membership=_membership(owner), role=Role.ADMIN)
    assert _membership(owner).role == Role.ADMIN
    # and now the other one is the last
    with pytest.raises(ValidationError):
        member_role_change(actor=second, membership=_membership(second), role=Role.SALES)
    event = AuditEvent.objects.filter(action="membership.update").latest("id")
    assert event.details == {"role": "admin"}


def test_an_admin_cannot_touch_owners_or_make_one(
    owner: Actor, actor_with_role: Callable[[str], Actor]
) -> None:
    admin = actor_with_role(Role.ADMIN)
    seller = actor_with_role(Role.SALES)
    with pytest.raises(PermissionDenied):
        member_role_change(actor=admin, membership=_membership(owner), role=Role.SALES)
    with pytest.raises(PermissionDenied):
        member_deactivate(actor=admin, membership=_membership(owner))
    with pytest.raises(PermissionDenied):
        member_role_change(actor=admin, membership=_membership(seller), role=Role.OWNER)
    with pytest.raises(PermissionDenied):
        _invite(admin, "boss@example.com", Role.OWNER)
    # but other roles are theirs to give
    member_role_change(actor=admin, membership=_membership(seller), role=Role.ACCOUNTING)
    assert _membership(seller).role == Role.ACCOUNTING


def test_members_without_the_right_change_nothing(
    owner: Actor, actor_with_role: Callable[[str], Actor]
) -> None:
    seller = actor_with_role(Role.SALES)
    with pytest.raises(PermissionDenied):
        member_role_change(actor=seller, membership=_membership(seller), role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        member_deactivate(actor=seller, membership=_membership(owner))
    with pytest.raises(PermissionDenied):
        _invite(seller, "friend@example.com")
    assert _membership(seller).role == Role.SALES and not Invitation.objects.exists()


def test_deactivation_ends_sessions_and_tokens_at_once(
    owner: Actor, actor_with_role: Callable[[str], Actor]
) -> None:
    seller = actor_with_role(Role.SALES)
    assert seller.user is not None
    _token, plain = token_create(actor=seller, name="sync")
    session = sign_in_session_start(user=seller.user, session_key="k" * 32, client=Client())

    member_deactivate(actor=owner, membership=_membership(seller))

    assert token_authenticate(plain=plain) is None
    assert ApiToken.objects.get(user=seller.user).revoked_at is not None
    assert SignInSession.objects.get(pk=session.pk).ended_at is not None
    assert not _membership(seller).is_active
    assert AuditEvent.objects.filter(action="membership.deactivate").count() == 1


def test_an_invitation_link_works_once_for_its_address(owner: Actor) -> None:
    invitation, token = _invite(owner, "Neu@Example.com")
    assert invitation.email == "neu@example.com"
    assert invitation_from_token(token) == invitation
    newcomer = UserFactory(email="neu@example.com")

    membership = invitation_accept(invitation=invitation, user=newcomer)

    assert (membership.role, membership.is_active, membership.workspace_id) == (
        Role.SALES,
        True,
        owner.workspace_id,
    )
    assert invitation_from_token(token) is None
    event = AuditEvent.objects.get(action="invitation.create")
    assert "neu@example.com" not in str(event.details)


def test_an_invitation_is_for_its_address_only(owner: Actor) -> None:
    invitation, _token = _invite(owner, "neu@example.com")
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=UserFactory(email="other@example.com"))
    assert not Membership.objects.filter(user__email="other@example.com").exists()


def test_forged_expired_and_withdrawn_links_are_refused(owner: Actor) -> None:
    invitation, token = _invite(owner, "neu@example.com")
    assert invitation_from_token(token + "x") is None
    assert invitation_from_token(signing.dumps({"i": invitation.pk, "n": "guess"}, salt="other")) is None
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert invitation_from_token(token) is None
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    assert invitation_from_token(invitation_token(invitation)) is not None
    invitation_revoke(actor=owner, invitation=invitation)
    assert invitation_from_token(token) is None


def test_inviting_a_member_or_a_bad_address_says_so(owner: Actor) -> None:
    assert owner.user is not None
    with pytest.raises(ValidationError) as member:
        _invite(owner, owner.user.email)
    assert "email" in member.value.message_dict
    with pytest.raises(ValidationError) as bad:
        _invite(owner, "not an address")
    assert "email" in bad.value.message_dict
    with pytest.raises(ValidationError) as role:
        _invite(owner, "neu@example.com", "emperor")
    assert "role" in role.value.message_dict
    assert not Invitation.objects.exists()


def test_a_new_invitation_withdraws_the_open_one(owner: Actor) -> None:
    first, first_token = _invite(owner, "neu@example.com")
    _second, second_token = _invite(owner, "neu@example.com", Role.ACCOUNTING)
    assert invitation_from_token(first_token) is None
    assert invitation_from_token(second_token) is not None
    first.refresh_from_db()
    assert first.revoked_at is not None
