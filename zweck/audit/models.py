"""The audit trail.

Invariants: rows are only ever inserted — ``save`` refuses updates and ``delete``
refuses outright; queryset ``update``/``delete`` are blocked by the manager. Rows leave only
when their retention period has ended (``retention_delete``, called by the retention sweep). A row holds
ids, action names and the *names* of changed fields, never a personal value, so erasing
a person never has to touch it and it can never leak what was erased.

Every row is sealed into its workspace's hash chain as it is inserted (``zweck.audit.chain``):
it carries its place in the chain (``sequence``), the hash of the event before it and its own
hash over a canonical form of its fields and subjects. What the retention sweep removes is
recorded by a chained ``audit.prune`` event, so ``zweck audit verify`` can tell a removal by
the retention rule from any other.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zweck.core.scoping import WorkspaceManager, WorkspaceQuerySet


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(WorkspaceQuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        if self.model is AuditEvent:
            # Each event takes its place in the chain one after the other (``save``).
            raise AppendOnlyError("Audit events are appended one at a time.")
        return super().bulk_create(*args, **kwargs)

    def retention_delete(self) -> int:
        """Remove these rows because their retention period has ended: the only removal the
        trail allows, used by the retention sweep (``zweck.privacy.retention``). Removed events
        are recorded in their chains (``zweck.audit.chain.prune``), in the same transaction."""
        from zweck.audit import chain

        events = self.model is AuditEvent
        with transaction.atomic(using=self.db, savepoint=False):
            gone = list(self.values_list("workspace_id", "sequence", "action", "details")) if events else []
            _total, per_model = models.QuerySet.delete(self)
            if events:
                chain.prune(gone)
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
    # Who acted, as a pseudonym that stays when the user is deleted (``actor`` becomes NULL):
    # "system", "operator", or a label keyed per workspace (``zweck.audit.chain.actor_label``).
    actor_label = models.CharField(_("actor"), max_length=32, default="", blank=True)
    # Counts and names only (how many rows a bulk read returned, which filters it used),
    # never a value.
    details = models.JSONField(_("details"), default=dict, blank=True)
    # The hash chain: the event's place in its workspace's chain, the hash of the event before
    # it and its own. NULL only for a row that was never appended through the chain.
    sequence = models.BigIntegerField(_("sequence"), null=True, blank=True, editable=False)
    previous_hash = models.CharField(_("previous hash"), max_length=64, default="", editable=False)
    hash = models.CharField(_("hash"), max_length=64, default="", editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "occurred_at"], name="audit_workspace_time"),
            models.Index(fields=["workspace", "object_type", "object_id"], name="audit_workspace_object"),
            # The viewer's filters by who and what, newest first.
            models.Index(fields=["workspace", "actor_label", "occurred_at"], name="audit_workspace_actor"),
            models.Index(fields=["workspace", "action", "occurred_at"], name="audit_workspace_action"),
        ]
        constraints = [
            # One event per place in a chain: two appends that raced would fail here rather
            # than fork the chain. The operator's chain (no workspace) has its own.
            models.UniqueConstraint(fields=["workspace", "sequence"], name="audit_chain_place"),
            models.UniqueConstraint(
                fields=["sequence"],
                condition=models.Q(workspace__isnull=True),
                name="audit_operator_chain_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Append the event to its workspace's chain; an existing event cannot be saved again.

        The subjects the event concerns are part of its hash: ``audit_record`` names them in
        ``chain_subjects`` before saving and inserts their rows after.
        """
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Audit events cannot be changed.")
        from zweck.audit import chain

        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            chain.append(self, getattr(self, "chain_subjects", ()))
            kwargs["force_insert"] = True
            super().save(*args, **kwargs)
            chain.advance(self)

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


class AuditChain(models.Model):
    """The head of one workspace's audit chain (``id`` 0: the operator's events, no workspace).

    Every append locks this row (``select_for_update``) until its transaction ends, so the
    events of a workspace take their places one after another even across database
    connections. ``label_key`` keys the pseudonymous actor labels of the workspace.
    """

    id = models.BigIntegerField(primary_key=True)
    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sequence = models.BigIntegerField(_("sequence"), default=0)
    hash = models.CharField(_("hash"), max_length=64, default="")
    label_key = models.CharField(_("label key"), max_length=64)

    objects = WorkspaceManager()

    class Meta:
        verbose_name = _("audit chain")
        verbose_name_plural = _("audit chains")

    def __str__(self) -> str:
        return f"chain {self.pk} at {self.sequence}"


class AuditAnchor(models.Model):
    """A chain's head as it was at one moment, signed with the installation's secret key.

    Written by the nightly maintenance (and ``zweck audit anchor``) here and, line by line, to
    a file under the data directory; ``zweck audit verify`` checks the chain against both, so
    rewriting the chain in the database alone shows.
    """

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    chain = models.BigIntegerField(_("chain"))
    sequence = models.BigIntegerField(_("sequence"))
    hash = models.CharField(_("hash"), max_length=64)
    # Every place up to ``floor`` had been removed by the retention sweep when this was written.
    floor = models.BigIntegerField(_("floor"), default=0)
    anchored_at = models.DateTimeField(_("anchored at"), default=timezone.now)
    signature = models.CharField(_("signature"), max_length=128)

    objects = WorkspaceManager()

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        indexes = [models.Index(fields=["chain", "sequence"], name="audit_anchor_place")]

    def __str__(self) -> str:
        return f"anchor of chain {self.chain} at {self.sequence}"
