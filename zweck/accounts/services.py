"""Writes for users, workspaces, memberships and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import (
    ApiToken,
    Membership,
    SecurityEventKind,
    ThrottleKey,
    ThrottleScope,
    TokenScope,
    TwoFactorDevice,
    User,
    Workspace,
)
from zweck.accounts.security import Client, security_account_event, security_event_record
from zweck.accounts.throttle import (
    TooManyAttempts,
    key,
    keys_for,
    throttle_count,
    throttle_refusal,
    unlock_keys,
)
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission, Role

TOKEN_PREFIX = "zk_"
# last_used_at is refreshed at most this often, so a busy client does not write on every call.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
# A token made without an expiry date expires after this many days (OWASP ASVS 4.0 V3.5).
DEFAULT_TOKEN_DAYS = 90


class TokenExpired(Exception):
    """A known token whose expiry date has passed: its client is told so (401)."""

    def __init__(self, expired_at: datetime) -> None:
        super().__init__("token expired")
        self.expired_at = expired_at


class TokenReadOnly(Exception):
    """A read-only token was used for a change (403)."""


class TokenNeedsTwoFactor(Exception):
    """The token's workspace requires two factors, and its user has set up none (403)."""


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "workspace"
    slug, counter = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def workspace_create(
    *, name: str, owner: User | None = None, slug: str | None = None, **details: object
) -> Workspace:
    """Create a workspace (a tenant) and, when given, make ``owner`` its owner."""
    workspace = Workspace(name=name, slug=slug or _unique_slug(name), **details)
    workspace.full_clean()
    workspace.save()
    actor = Actor.system(workspace)
    audit_record(actor=actor, action="workspace.create", instance=workspace)
    if owner is not None:
        membership_set(actor=actor, user=owner, role=Role.OWNER)
    return workspace


@transaction.atomic
def workspace_update(*, actor: Actor, **changes: object) -> Workspace:
    """Change the workspace's controller details (name, address, DPO, authority, contract)."""
    actor.require(Permission.WORKSPACE_MANAGE)
    workspace = Workspace.objects.select_for_update().get(pk=actor.workspace_id)
    changed = [name for name, value in changes.items() if getattr(workspace, name) != value]
    for name, value in changes.items():
        setattr(workspace, name, value)
    workspace.full_clean()
    if changed:
        workspace.save(update_fields=changed)
        audit_record(actor=actor, action="workspace.update", instance=workspace, changed_fields=changed)
    return workspace


@transaction.atomic
def workspace_contract_end_set(
    *, workspace: Workspace, ends_on: date | None, grace_days: int | None = None, today: date | None = None
) -> Workspace:
    """The operator sets the day the workspace's hosting contract ends (``None``: it runs on)
    and, when given, the days from then until the workspace is deleted.

    The deletion date must lie after ``today``, so that the owners are warned before it;
    recorded in the workspace's audit trail with the names of the changed fields.
    """
    locked = Workspace.objects.select_for_update().get(pk=workspace.pk)
    changes: dict[str, object] = {"contract_ends_on": ends_on}
    if grace_days is not None:
        changes["deletion_grace_days"] = grace_days
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    deletion_on = locked.deletion_due_on
    if deletion_on is not None and deletion_on <= (today or timezone.localdate()):
        raise ValidationError(
            {
                "contract_ends_on": _(
                    "The workspace would be deleted on %(date)s, which is not after today: its owners "
                    "must be warned first. Choose a later end or more days until deletion."
                )
                % {"date": deletion_on.isoformat()}
            }
        )
    if changed:
        locked.save(update_fields=changed)
        audit_record(
            actor=Actor.system(locked), action="workspace.contract", instance=locked, changed_fields=changed
        )
    return locked


@transaction.atomic
def user_create(*, email: str, password: str | None, full_name: str = "", language: str = "en") -> User:
    """Create a login. The password must pass the installation's password rules (at least 12
    characters, not a common password; NIST SP 800-63B 5.1.1.2) and is hashed with Argon2;
    ``None`` makes a login without a usable password (set later through a reset)."""
    if password is not None:
        try:
            validate_password(password, User(email=email, full_name=full_name))
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
    user = User.objects.create_user(email=email, password=password, full_name=full_name, language=language)
    return user


@transaction.atomic
def user_change_password(*, user: User, new_password: str, client: Client | None = None) -> User:
    """Give ``user`` a new password (checked by the password rules). Every other session of the
    user ends with it (Django's session hash), and the change is logged and audited."""
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from error
    user.set_password(new_password)
    user.save(update_fields=["password"])
    security_account_event(kind=SecurityEventKind.PASSWORD_CHANGED, client=client or Client(), user=user)
    memberships = Membership.objects.select_related("workspace", "user").filter(user=user, is_active=True)
    for membership in memberships:
        audit_record(
            actor=Actor.for_membership(membership),
            action="user.password_change",
            instance=user,
            changed_fields=["password"],
        )
    return user


@transaction.atomic
def sign_in_unlock(*, actor: Actor, user: User, client: Client | None = None) -> bool:
    """Lift the sign-in lock of a member of the actor's workspace (and the counters of their
    address for password resets). True when there was something to lift."""
    actor.require(Permission.MEMBER_MANAGE)
    if not Membership.objects.filter(workspace_id=actor.workspace_id, user=user).exists():
        raise User.DoesNotExist
    removed = unlock_keys([key(ThrottleKey.ACCOUNT, user.email), key(ThrottleKey.ADDRESS, user.email)])
    if removed:
        security_event_record(
            kind=SecurityEventKind.ACCOUNT_UNLOCKED,
            client=client or Client(),
            user=user,
            workspace_id=actor.workspace_id,
        )
        audit_record(actor=actor, action="user.unlock", instance=user)
    return bool(removed)


@transaction.atomic
def sign_in_unlock_operator(*, email: str | None = None, ip_address: str | None = None) -> int:
    """The operator lifts the locks of an account name (sign-in, password reset) or of a client
    IP address (sign-in, API tokens, password reset, portal), as ``zweck unlock`` does. Returns
    the counters removed; logged in the account's workspaces (or without one)."""
    keys = []
    if email:
        keys += [key(ThrottleKey.ACCOUNT, email), key(ThrottleKey.ADDRESS, email)]
    if ip_address:
        keys.append(key(ThrottleKey.IP, ip_address))
    removed = unlock_keys(keys)
    if removed and email:
        security_account_event(kind=SecurityEventKind.ACCOUNT_UNLOCKED, client=Client(), entered=email)
    if removed and ip_address:
        security_event_record(kind=SecurityEventKind.ACCOUNT_UNLOCKED, client=Client(ip_address=ip_address))
    return removed


@transaction.atomic
def workspace_session_limits_set(
    *, actor: Actor, idle_minutes: int, lifetime_hours: int, require_two_factor: bool | None = None
) -> Workspace:
    """How long the workspace's staff sessions last: without activity, and at most; and, when
    given, whether every member must sign in with two factors."""
    actor.require(Permission.WORKSPACE_MANAGE)
    workspace = Workspace.objects.select_for_update().get(pk=actor.workspace_id)
    fields = ["session_idle_minutes", "session_lifetime_hours"]
    workspace.session_idle_minutes = idle_minutes
    workspace.session_lifetime_hours = lifetime_hours
    if require_two_factor is not None:
        if require_two_factor != workspace.require_two_factor:
            fields.append("require_two_factor")
        workspace.require_two_factor = require_two_factor
    workspace.full_clean()
    workspace.save(update_fields=fields)
    audit_record(actor=actor, action="workspace.update", instance=workspace, changed_fields=fields)
    return workspace


@transaction.atomic
def membership_set(*, actor: Actor, user: User, role: str) -> Membership:
    """Give ``user`` a seat with ``role`` in the actor's workspace, or change their role."""
    actor.require(Permission.MEMBER_MANAGE)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    membership, created = Membership.objects.select_for_update().get_or_create(
        workspace_id=actor.workspace_id, user=user, defaults={"role": role}
    )
    if not created and (membership.role != role or not membership.is_active):
        membership.role, membership.is_active = role, True
        membership.save(update_fields=["role", "is_active"])
    audit_record(
        actor=actor,
        action="membership.create" if created else "membership.update",
        instance=membership,
        changed_fields=["role"],
    )
    return membership


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, actor: Actor, name: str, expires_at: datetime | None = None, scope: str = TokenScope.WRITE
) -> tuple[ApiToken, str]:
    """Create a personal API token for the acting user; returns the row and the plain token.

    The plain token is returned once and never stored. Without ``expires_at`` it expires after
    ``DEFAULT_TOKEN_DAYS``; a ``read`` token may only read.
    """
    actor.require(Permission.TOKEN_USE)
    if actor.user is None:
        raise ValueError("API tokens belong to a user; the system actor has none.")
    secret = secrets.token_urlsafe(32)
    prefix = secret[:8]
    plain = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken(
        workspace_id=actor.workspace_id,
        user=actor.user,
        name=name,
        prefix=prefix,
        digest=_digest(plain),
        expires_at=expires_at or timezone.now() + timedelta(days=DEFAULT_TOKEN_DAYS),
        scope=scope,
    )
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="apitoken.create", instance=token)
    return token, plain


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token; owners and admins may revoke anyone's, others only their own."""
    if token.workspace_id != actor.workspace_id:
        raise ApiToken.DoesNotExist
    if token.user_id != actor.user_id:
        actor.require(Permission.MEMBER_MANAGE)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="apitoken.revoke", instance=token, changed_fields=["revoked_at"])
    return token


def _token_guess(client: Client | None) -> None:
    """An unknown token: refused when its address is locked, else counted."""
    keys = keys_for(ip=client.ip_address if client else None)
    refusal = throttle_refusal(ThrottleScope.API_TOKEN, keys)
    if refusal is not None:
        raise TooManyAttempts(refusal)
    throttle_count(ThrottleScope.API_TOKEN, keys)


def token_authenticate(*, plain: str, client: Client | None = None, writes: bool = False) -> Actor | None:
    """The actor behind a plain token, or ``None`` for an unknown or revoked one.

    An expired token raises ``TokenExpired``; a read-only token used for a call that
    ``writes`` raises ``TokenReadOnly``; a token of a user without two factors in a workspace
    that requires them raises ``TokenNeedsTwoFactor``.

    A token only works while its user is active and still a member of its workspace. Its first
    use on each day is written to the security log (from ``client``, where the call came from).
    A client that sent too many unknown tokens gets ``TooManyAttempts`` for every further unknown
    one, without its attempts being counted. A valid token is served even from a locked address:
    a right guess of a 256-bit secret is no practical risk, and colleagues behind the same
    address as a guesser keep working; the lookup of a digest is one indexed SELECT.
    """
    token = None
    if plain.startswith(TOKEN_PREFIX) and len(plain) <= 200:
        token = ApiToken.objects.select_related("user", "workspace").filter(digest=_digest(plain)).first()
    if token is None:
        _token_guess(client)
        return None
    if token.revoked_at is not None or not token.user.is_active:
        return None
    if token.is_expired:
        assert token.expires_at is not None
        raise TokenExpired(token.expires_at)
    membership = (
        Membership.objects.select_related("user", "workspace")
        .filter(workspace_id=token.workspace_id, user_id=token.user_id, is_active=True)
        .first()
    )
    if membership is None:
        return None
    if writes and token.scope == TokenScope.READ:
        raise TokenReadOnly
    if (
        membership.workspace.require_two_factor
        and not TwoFactorDevice.objects.filter(user_id=token.user_id, confirmed_at__isnull=False).exists()
    ):
        raise TokenNeedsTwoFactor
    now = timezone.now()
    last_used_at = token.last_used_at
    if last_used_at is None or now - last_used_at > TOKEN_TOUCH_INTERVAL:
        # Bookkeeping, not a change of personal data: no audit event. Compared and set in one
        # statement, so of two calls racing past a day's start only one logs the day's first use.
        touched = ApiToken.objects.filter(pk=token.pk, last_used_at=last_used_at).update(last_used_at=now)
        first_today = last_used_at is None or timezone.localdate(last_used_at) != timezone.localdate(now)
        if touched and first_today:
            security_event_record(
                kind=SecurityEventKind.TOKEN_USED,
                client=client or Client(),
                user=membership.user,
                workspace_id=token.workspace_id,
                token_id=token.pk,
            )
    return Actor.for_membership(membership)


@transaction.atomic
def user_set_language(*, actor: Actor, language: str) -> User:
    """Remember the acting user's interface language for their next sign-in."""
    if actor.user is None:
        raise ValueError("The system actor has no language preference.")
    user = User.objects.select_for_update().get(pk=actor.user.pk)
    if user.language == language:
        return user
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["language"])
    audit_record(actor=actor, action="user.update", instance=user, changed_fields=["language"])
    return user
