"""The audit trail.

Invariants: rows are only ever inserted — ``save`` refuses updates and ``delete``
refuses outright; queryset ``update``/``delete`` are blocked by the manager. Rows leave only
when their retention period has ended (``retention_delete``, called by the retention sweep). A row holds
ids, action names and the *names* of changed fields, never a personal value, so erasing
a person never has to touch it and it can never leak what was erased.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zweck.core.scoping import WorkspaceQuerySet


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(WorkspaceQuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def retention_delete(self) -> int:
        """Remove these rows because their retention period has ended: the only removal the
        trail allows, used by the retention sweep (``zweck.privacy.retention``)."""
        _total, per_model = models.QuerySet.delete(self)
        return per_model.get(self.model._meta.label, 0)


class AuditEvent(models.Model):
    """One recorded action: who did what to which object, concerning which data subjects."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=16, default="system")
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    client_ip = models.GenericIPAddressField(_("client IP address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "occurred_at"], name="audit_workspace_time"),
            models.Index(fields=["workspace", "object_type", "object_id"], name="audit_workspace_object"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEventSubject(models.Model):
    """Links an event to a data subject (a person id) it concerns; append-only like the event.

    A table rather than a list column so "every event about person N" is an index lookup
    on every database.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="subjects")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+", null=True)
    subject_id = models.BigIntegerField(_("data subject"))

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event subject")
        verbose_name_plural = _("audit event subjects")
        indexes = [models.Index(fields=["workspace", "subject_id"], name="audit_subject_lookup")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")
