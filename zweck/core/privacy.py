"""Register declarations for the models of Django and third-party apps Zweck installs."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission as AuthPermission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django_tasks_db.models import DBTaskResult

from zweck.core.register import NOT_PERSONAL, Personal, register

register.declare(
    LogEntry,
    subject_kind="employee",
    # The admin's own log names the changed object in object_repr, which can be a person's name.
    fields={
        "id": NOT_PERSONAL,
        "action_time": NOT_PERSONAL,
        "user": Personal("user.unique_id"),
        "content_type": NOT_PERSONAL,
        "object_id": NOT_PERSONAL,
        "object_repr": Personal("user.name"),
        "action_flag": NOT_PERSONAL,
        "change_message": Personal("user.content.private", free_text=True),
    },
    activities=("security_logging",),
    retention="audit_trail",
)
register.declare(
    AuthPermission,
    fields={
        "id": NOT_PERSONAL,
        "name": NOT_PERSONAL,
        "content_type": NOT_PERSONAL,
        "codename": NOT_PERSONAL,
    },
)
register.declare(
    Group.permissions.through,
    fields={"id": NOT_PERSONAL, "group": NOT_PERSONAL, "permission": NOT_PERSONAL},
)
register.declare(Group, fields={"id": NOT_PERSONAL, "name": NOT_PERSONAL})
register.declare(ContentType, fields={"id": NOT_PERSONAL, "app_label": NOT_PERSONAL, "model": NOT_PERSONAL})
register.declare(
    Session,
    subject_kind="employee",
    fields={
        "session_key": Personal("user.device.cookie_id"),
        "session_data": Personal("user.authorization.credentials"),
        "expire_date": NOT_PERSONAL,
    },
    activities=("account_administration",),
    retention="session",
)
register.declare(
    DBTaskResult,
    # Task arguments carry ids, never personal values (a house rule the tests check).
    fields={
        "id": NOT_PERSONAL,
        "status": NOT_PERSONAL,
        "enqueued_at": NOT_PERSONAL,
        "started_at": NOT_PERSONAL,
        "finished_at": NOT_PERSONAL,
        "args_kwargs": NOT_PERSONAL,
        "priority": NOT_PERSONAL,
        "task_path": NOT_PERSONAL,
        "worker_ids": NOT_PERSONAL,
        "queue_name": NOT_PERSONAL,
        "backend_name": NOT_PERSONAL,
        "run_after": NOT_PERSONAL,
        "return_value": NOT_PERSONAL,
        "exception_class_path": NOT_PERSONAL,
        "traceback": NOT_PERSONAL,
    },
)
