from __future__ import annotations

from django.db.models import QuerySet

from zweck.accounts.actors import Actor
from zweck.accounts.models import ApiToken, Invitation, Membership, SecurityEvent, User, Workspace
from zweck.core.permissions import Permission


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The workspaces a user may act in."""
    return (
        Membership.objects.select_related("workspace")
        .filter(user=user, is_active=True)
        .order_by("workspace__name")
    )


def actor_for(*, user: User, workspace: Workspace | int) -> Actor | None:
    """The actor for ``user`` in ``workspace``; ``None`` when they are not an active member."""
    workspace_id = workspace.pk if isinstance(workspace, Workspace) else workspace
    membership = (
        Membership.objects.select_related("user", "workspace")
        .filter(user=user, workspace_id=workspace_id, is_active=True, user__is_active=True)
        .first()
    )
    return Actor.for_membership(membership) if membership else None


def member_list(*, actor: Actor) -> QuerySet[Membership]:
    """The workspace's members: whom a record can be assigned to; every member may see them."""
    return Membership.objects.visible_to(actor, None).select_related("user")


def token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own tokens; member managers see everyone's in the workspace."""
    tokens = ApiToken.objects.visible_to(actor, None)
    if not actor.can(Permission.MEMBER_MANAGE):
        tokens = tokens.filter(user=actor.user)
    return tokens.order_by("-created_at", "-id")


def workspace_get_by_slug(*, slug: str) -> Workspace | None:
    """A workspace by its short name, for operators' commands; ``None`` when there is none."""
    return Workspace.objects.filter(slug=slug).first()


def user_get_by_email(*, email: str) -> User | None:
    """A login by email address (compared case-insensitively, as stored lower-cased)."""
    return User.objects.filter(email=email.strip().lower()).first()


def security_event_list(
    *, actor: Actor, kind: str | None = None, user_id: int | None = None
) -> QuerySet[SecurityEvent]:
    """The workspace's sign-in and security log, newest first; only its owner may read it."""
    events = SecurityEvent.objects.visible_to(actor, Permission.SECURITY_LOG_VIEW).select_related(
        "user", "token"
    )
    if kind:
        events = events.filter(kind=kind)
    if user_id is not None:
        events = events.filter(user_id=user_id)
    return events.order_by("-created_at", "-id")


def security_event_list_own(*, actor: Actor) -> QuerySet[SecurityEvent]:
    """The acting user's own entries of the security log in this workspace, newest first: every
    member may read what is logged about them (Art. 15 GDPR)."""
    return (
        SecurityEvent.objects.visible_to(actor, None)
        .filter(user=actor.user)
        .select_related("token")
        .order_by("-created_at", "-id")
    )


def session_limits_for(*, user: User) -> tuple[int, int]:
    """How long a session of ``user`` may stay idle and last at all, in seconds: the strictest
    of the workspaces the user works in (the shipped defaults for a user without one)."""
    from django.db.models import Min

    from zweck.accounts.models.workspaces import DEFAULT_SESSION_IDLE_MINUTES, DEFAULT_SESSION_LIFETIME_HOURS

    limits = Workspace.objects.filter(memberships__user=user, memberships__is_active=True).aggregate(
        idle=Min("session_idle_minutes"), lifetime=Min("session_lifetime_hours")
    )
    idle = limits["idle"] or DEFAULT_SESSION_IDLE_MINUTES
    lifetime = limits["lifetime"] or DEFAULT_SESSION_LIFETIME_HOURS
    return idle * 60, lifetime * 60 * 60


def member_list_for_management(*, actor: Actor) -> QuerySet[Membership]:
    """Every seat of the workspace, active ones first, for those who manage members."""
    return (
        Membership.objects.visible_to(actor, Permission.MEMBER_MANAGE)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "user__email", "pk")
    )


def invitation_list_open(*, actor: Actor) -> QuerySet[Invitation]:
    """The workspace's invitations that can still be accepted, newest first."""
    from django.utils import timezone

    return (
        Invitation.objects.visible_to(actor, Permission.MEMBER_MANAGE)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at", "-pk")
    )
