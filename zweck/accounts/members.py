"""Members of a workspace: invitations by email, role changes, deactivation.

Invariants:
- only members who may manage members act here, and only an owner (who may manage the
  workspace) gives the owner role or changes or deactivates an owner;
- a workspace always keeps at least one active owner: the last one can be neither demoted
  nor deactivated (checked with the owners' rows locked, so two concurrent changes cannot
  both remove "the other" owner);
- deactivating a member ends at once everything that acts for them in the workspace: their
  API tokens there are revoked and every session of theirs is ended;
- an invitation link is signed with the installation's key, carries the invitation's id and
  a random nonce, expires after ``INVITATION_DAYS`` and works once; its mail is queued by the
  caller's ``notify`` in the invitation's transaction. The audit rows name ids and roles, never the
  invited address.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import ApiToken, Invitation, Membership, SecurityEventKind, User
from zweck.accounts.security import Client, security_event_record
from zweck.accounts.sign_in_sessions import sign_in_sessions_end_all
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission, Role

INVITATION_DAYS = 7
_INVITATION_SALT = "zweck.accounts.invitation"


def _require_may_touch(actor: Actor, role: str) -> None:
    """An owner's seat, and the owner role itself, are for owners to give and take."""
    if role == Role.OWNER:
        actor.require(Permission.WORKSPACE_MANAGE)


def _keeps_an_owner(membership: Membership) -> None:
    owners = list(
        Membership.objects.select_for_update()
        .filter(workspace_id=membership.workspace_id, role=Role.OWNER, is_active=True, user__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if owners == [membership.pk]:
        raise ValidationError(_("This is the workspace's last owner. Make another member owner first."))


@transaction.atomic
def member_role_change(*, actor: Actor, membership: Membership, role: str) -> Membership:
    """Give a member another role."""
    actor.require(Permission.MEMBER_MANAGE)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    locked = Membership.objects.select_for_update().get(pk=membership.pk, workspace_id=actor.workspace_id)
    if locked.role == role:
        return locked
    _require_may_touch(actor, locked.role)
    _require_may_touch(actor, role)
    if locked.role == Role.OWNER:
        _keeps_an_owner(locked)
    locked.role = role
    locked.full_clean()
    locked.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="membership.update",
        instance=locked,
        changed_fields=["role"],
        details={"role": role},
    )
    return locked


@transaction.atomic
def member_deactivate(*, actor: Actor, membership: Membership, client: Client | None = None) -> Membership:
    """Take a member's seat: their tokens in this workspace are revoked and all their
    sessions end now. The seat stays listed as inactive and can be given back by inviting
    them again."""
    actor.require(Permission.MEMBER_MANAGE)
    locked = Membership.objects.select_for_update().get(pk=membership.pk, workspace_id=actor.workspace_id)
    if not locked.is_active:
        return locked
    _require_may_touch(actor, locked.role)
    if locked.role == Role.OWNER:
        _keeps_an_owner(locked)
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    now = timezone.now()
    ApiToken.objects.filter(
        workspace_id=actor.workspace_id, user_id=locked.user_id, revoked_at__isnull=True
    ).update(revoked_at=now)
    sign_in_sessions_end_all(user=locked.user)
    security_event_record(
        kind=SecurityEventKind.MEMBER_DEACTIVATED,
        client=client or Client(),
        user=locked.user,
        workspace_id=actor.workspace_id,
    )
    audit_record(actor=actor, action="membership.deactivate", instance=locked, changed_fields=["is_active"])
    return locked


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=_INVITATION_SALT, compress=True)


@transaction.atomic
def member_invite(
    *, actor: Actor, email: str, role: str, notify: Callable[[Invitation, str], object]
) -> Invitation:
    """Invite ``email`` to the workspace with ``role``. ``notify(invitation, token)`` sends the
    link (the staff pages queue a mail in the outbox) inside this transaction, so an invitation
    whose mail could not be stored is not made. A still open invitation of the address is
    withdrawn."""
    actor.require(Permission.MEMBER_MANAGE)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid email address.")}) from error
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    _require_may_touch(actor, role)
    if Membership.objects.filter(workspace_id=actor.workspace_id, user__email=email, is_active=True).exists():
        raise ValidationError({"email": _("This person is already a member of the workspace.")})
    now = timezone.now()
    Invitation.objects.filter(
        workspace_id=actor.workspace_id, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = Invitation(
        workspace_id=actor.workspace_id,
        email=email,
        role=role,
        invited_by=actor.user,
        nonce=secrets.token_urlsafe(16),
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, action="invitation.create", instance=invitation, details={"role": role})
    notify(invitation, invitation_token(invitation))
    return invitation


def invitation_from_token(token: str) -> Invitation | None:
    """The open invitation the link names; ``None`` for a forged, used, withdrawn or expired one."""
    try:
        payload = signing.loads(token, salt=_INVITATION_SALT, max_age=timedelta(days=INVITATION_DAYS))
        invitation_id, nonce = int(payload["i"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    invitation = Invitation.objects.select_related("workspace").filter(pk=invitation_id).first()
    if invitation is None or not secrets.compare_digest(invitation.nonce, nonce) or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """``user`` (whose address the invitation named) takes the seat it offers."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ValidationError(_("This invitation was used, withdrawn or has expired."))
    if user.email.lower() != locked.email.lower():
        raise ValidationError(_("This invitation is for another email address."))
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    membership, created = Membership.objects.select_for_update().get_or_create(
        workspace_id=locked.workspace_id, user=user, defaults={"role": locked.role}
    )
    if not created:
        membership.role, membership.is_active = locked.role, True
        membership.save(update_fields=["role", "is_active"])
    membership = Membership.objects.select_related("workspace", "user").get(pk=membership.pk)
    actor = Actor.for_membership(membership)
    audit_record(actor=actor, action="invitation.accept", instance=locked, changed_fields=["accepted_at"])
    audit_record(
        actor=actor,
        action="membership.create" if created else "membership.update",
        instance=membership,
        changed_fields=["role", "is_active"],
    )
    return membership


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    actor.require(Permission.MEMBER_MANAGE)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk, workspace_id=actor.workspace_id)
    if locked.accepted_at is None and locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="invitation.revoke", instance=locked, changed_fields=["revoked_at"])
    return locked
