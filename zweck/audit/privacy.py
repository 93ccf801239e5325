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
