from zweck.accounts.models.security import SecurityChannel, SecurityEvent, SecurityEventKind
from zweck.accounts.models.tokens import ApiToken
from zweck.accounts.models.users import User, UserManager
from zweck.accounts.models.workspaces import ContractStatus, FederalState, Membership, Workspace

__all__ = [
    "ApiToken",
    "ContractStatus",
    "FederalState",
    "Membership",
    "SecurityChannel",
    "SecurityEvent",
    "SecurityEventKind",
    "User",
    "UserManager",
    "Workspace",
]
