from zweck.accounts.models.invitations import Invitation
from zweck.accounts.models.security import SecurityChannel, SecurityEvent, SecurityEventKind
from zweck.accounts.models.sessions import SignInSession
from zweck.accounts.models.throttle import AttemptCounter, ThrottleKey, ThrottleScope
from zweck.accounts.models.tokens import ApiToken, TokenScope
from zweck.accounts.models.two_factor import RecoveryCode, TwoFactorDevice
from zweck.accounts.models.users import User, UserManager
from zweck.accounts.models.workspaces import (
    DEFAULT_DELETION_GRACE_DAYS,
    MAXIMUM_DELETION_GRACE_DAYS,
    ContractStatus,
    FederalState,
    Membership,
    Workspace,
)

__all__ = [
    "DEFAULT_DELETION_GRACE_DAYS",
    "MAXIMUM_DELETION_GRACE_DAYS",
    "ApiToken",
    "AttemptCounter",
    "ContractStatus",
    "FederalState",
    "Invitation",
    "Membership",
    "RecoveryCode",
    "SecurityChannel",
    "SecurityEvent",
    "SecurityEventKind",
    "SignInSession",
    "ThrottleKey",
    "ThrottleScope",
    "TokenScope",
    "TwoFactorDevice",
    "User",
    "UserManager",
    "Workspace",
]
