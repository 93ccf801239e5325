"""Register declarations for staff accounts: these are the workspace's employees."""

from zweck.accounts import models as accounts
from zweck.core.register import NOT_PERSONAL, Mask, Personal, register

STAFF = "employee"

register.declare(
    accounts.User,
    subject_kind=STAFF,
    fields={
        "id": NOT_PERSONAL,
        "password": Personal("user.authorization.password", mask=Mask.BLANK),
        "last_login": Personal("user.behavior"),
        "is_superuser": NOT_PERSONAL,
        "email": Personal("user.contact.email", provided=True),
        "full_name": Personal("user.name", provided=True),
        "language": Personal("user.demographic.language", provided=True),
        "is_active": NOT_PERSONAL,
        "is_staff": NOT_PERSONAL,
        "date_joined": Personal("user.account"),
    },
    activities=("account_administration",),
    retention="staff_account",
)
register.declare(
    accounts.User.groups.through,
    subject_kind=STAFF,
    fields={"id": NOT_PERSONAL, "user": NOT_PERSONAL, "group": NOT_PERSONAL},
)
register.declare(
    accounts.User.user_permissions.through,
    subject_kind=STAFF,
    fields={"id": NOT_PERSONAL, "user": NOT_PERSONAL, "permission": NOT_PERSONAL},
)
register.declare(
    accounts.Workspace,
    subject_kind=STAFF,
    # The controller's own details; the DPO's name and contact are published in every notice.
    fields={
        "id": NOT_PERSONAL,
        "name": NOT_PERSONAL,
        "slug": NOT_PERSONAL,
        "legal_name": NOT_PERSONAL,
        "street": NOT_PERSONAL,
        "postal_code": NOT_PERSONAL,
        "city": NOT_PERSONAL,
        "country": NOT_PERSONAL,
        "federal_state": NOT_PERSONAL,
        "email": NOT_PERSONAL,
        "phone": NOT_PERSONAL,
        "website": NOT_PERSONAL,
        "representative": NOT_PERSONAL,
        "privacy_portal_url": NOT_PERSONAL,
        "dpo_name": Personal("user.name"),
        "dpo_email": Personal("user.contact.email"),
        "dpo_phone": Personal("user.contact.phone_number"),
        "supervisory_authority": NOT_PERSONAL,
        "supervisory_authority_url": NOT_PERSONAL,
        "default_currency": NOT_PERSONAL,
        "contract_status": NOT_PERSONAL,
        "contract_ends_on": NOT_PERSONAL,
        "deletion_grace_days": NOT_PERSONAL,
        "session_idle_minutes": NOT_PERSONAL,
        "session_lifetime_hours": NOT_PERSONAL,
        "require_two_factor": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
    },
    activities=("account_administration",),
    retention="tenant_contract",
)
register.declare(
    accounts.Membership,
    subject_kind=STAFF,
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "user": Personal("user.unique_id"),
        "role": Personal("user.authorization"),
        "is_active": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
    },
    activities=("account_administration",),
    retention="staff_account",
)
register.declare(
    accounts.ApiToken,
    subject_kind=STAFF,
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "user": Personal("user.unique_id"),
        "name": NOT_PERSONAL,
        "prefix": Personal("user.authorization.credentials"),
        "digest": Personal("user.authorization.credentials"),
        "created_at": NOT_PERSONAL,
        "last_used_at": Personal("user.behavior"),
        "expires_at": NOT_PERSONAL,
        "revoked_at": NOT_PERSONAL,
        "scope": NOT_PERSONAL,
    },
    activities=("security_logging",),
    retention="staff_account",
    clocks={"account_closed": "revoked_at"},
)
register.declare(
    accounts.SecurityEvent,
    subject_kind=STAFF,
    # A failed sign-in for an address no account has carries no user: only the digest of what
    # was entered, a pseudonym of whoever owns that address.
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "kind": NOT_PERSONAL,
        "channel": NOT_PERSONAL,
        "user": Personal("user.unique_id"),
        "token": Personal("user.unique_id"),
        "ip_address": Personal("user.device.ip_address"),
        "user_agent": Personal("user.device"),
        "detail": NOT_PERSONAL,
        "account_digest": Personal("user.unique_id.pseudonymous"),
    },
    activities=("security_logging",),
    retention="security_log",
)
register.declare(
    accounts.AttemptCounter,
    subject_kind=STAFF,
    # The digest of an entered account name or address, or of a client's IP address: a
    # pseudonym of whoever it belongs to. Rows live for the window or the lock, then go.
    fields={
        "id": NOT_PERSONAL,
        "scope": NOT_PERSONAL,
        "key_kind": NOT_PERSONAL,
        "key_digest": Personal("user.unique_id.pseudonymous"),
        "attempts": NOT_PERSONAL,
        "window_started_at": NOT_PERSONAL,
        "locked_until": NOT_PERSONAL,
    },
    activities=("security_logging",),
    retention="security_log",
)
register.declare(
    accounts.TwoFactorDevice,
    subject_kind=STAFF,
    # The shared secret of the member's authenticator app: a credential, blanked on erasure.
    fields={
        "id": NOT_PERSONAL,
        "user": Personal("user.unique_id"),
        "secret": Personal("user.authorization.credentials", mask=Mask.BLANK),
        "created_at": NOT_PERSONAL,
        "confirmed_at": Personal("user.account"),
        "last_used_step": Personal("user.behavior"),
    },
    activities=("security_logging",),
    retention="staff_account",
)
register.declare(
    accounts.RecoveryCode,
    subject_kind=STAFF,
    fields={
        "id": NOT_PERSONAL,
        "user": Personal("user.unique_id"),
        "digest": Personal("user.authorization.credentials"),
        "created_at": NOT_PERSONAL,
        "used_at": Personal("user.behavior"),
    },
    activities=("security_logging",),
    retention="staff_account",
)
register.declare(
    accounts.SignInSession,
    subject_kind=STAFF,
    # Where a member is signed in: shown to the member to end sessions they do not recognise.
    fields={
        "id": NOT_PERSONAL,
        "user": Personal("user.unique_id"),
        "session_key": Personal("user.authorization.credentials"),
        "created_at": Personal("user.behavior"),
        "last_seen_at": Personal("user.behavior"),
        "ip_address": Personal("user.device.ip_address"),
        "user_agent": Personal("user.device"),
        "ended_at": NOT_PERSONAL,
    },
    activities=("security_logging",),
    retention="security_log",
)
register.declare(
    accounts.Invitation,
    subject_kind=STAFF,
    # The address of someone asked to join: kept until the invitation is accepted or lapses.
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "email": Personal("user.contact.email"),
        "role": Personal("user.authorization"),
        "invited_by": Personal("user.unique_id"),
        "nonce": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "expires_at": NOT_PERSONAL,
        "accepted_at": NOT_PERSONAL,
        "revoked_at": NOT_PERSONAL,
    },
    activities=("account_administration",),
    retention="security_log",
)
