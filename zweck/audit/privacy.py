"""Register declarations for the audit trail: ids and field names only, never values."""

from zweck.audit import models as audit
from zweck.core.register import NOT_PERSONAL, Personal, register

register.declare(
    audit.AuditEvent,
    subject_kind="employee",
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "occurred_at": NOT_PERSONAL,
        "actor": Personal("user.unique_id"),
        "channel": NOT_PERSONAL,
        "action": NOT_PERSONAL,
        "object_type": NOT_PERSONAL,
        "object_id": NOT_PERSONAL,
        "changed_fields": NOT_PERSONAL,
        "client_ip": Personal("user.device.ip_address"),
        # A keyed pseudonym of the acting user, which outlives the account.
        "actor_label": Personal("user.unique_id.pseudonymous"),
        "details": NOT_PERSONAL,
        "sequence": NOT_PERSONAL,
        "previous_hash": NOT_PERSONAL,
        "hash": NOT_PERSONAL,
    },
    activities=("security_logging",),
    retention="audit_trail",
    clocks={"record_created": "occurred_at"},
)
register.declare(
    audit.AuditEventSubject,
    subject="subject_id",
    fields={
        "id": NOT_PERSONAL,
        "event": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "subject_id": Personal("user.unique_id.pseudonymous"),
    },
    activities=("security_logging",),
    retention="audit_trail",
    clocks={"record_created": "event__occurred_at"},
)
register.declare(
    audit.AuditChain,
    subject_kind="employee",
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "sequence": NOT_PERSONAL,
        "hash": NOT_PERSONAL,
        # The key that turns a user id into their label: kept out of every export like a credential.
        "label_key": Personal("user.authorization.credentials"),
    },
    activities=("security_logging",),
    # Kept as long as the workspace's trail: it goes with the workspace, never with a sweep.
    retention="audit_trail",
)
register.declare(
    audit.AuditAnchor,
    subject_kind="employee",
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "chain": NOT_PERSONAL,
        "sequence": NOT_PERSONAL,
        "hash": NOT_PERSONAL,
        "floor": NOT_PERSONAL,
        "anchored_at": NOT_PERSONAL,
        "signature": NOT_PERSONAL,
    },
)
