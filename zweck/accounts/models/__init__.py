from zweck.accounts.models.security import SecurityChannel, SecurityEvent, SecurityEventKind
from zweck.accounts.models.throttle import AttemptCounter, ThrottleKey, ThrottleScope
from zweck.accounts.models.tokens import ApiToken
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
    "Membership",
    "SecurityChannel",
    "SecurityEvent",
    "SecurityEventKind",
    "ThrottleKey",
    "ThrottleScope",
    "User",
    "UserManager",
    "Workspace",
]
