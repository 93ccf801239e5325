from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.crm.choices import ActivityKind


class Activity(WorkspaceScopedModel):
    """Something that happened or is planned with contacts: a meeting, call, email, task, note or event."""

    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    is_recorded = models.BooleanField(
        _("call recorded"),
        default=False,
        help_text=_("The call was recorded (with the participants' consent)."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    organization = models.ForeignKey(
        "crm.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organization"),
    )
    deal = models.ForeignKey(
        "crm.Deal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("deal"),
    )
    participants = models.ManyToManyField(
        "crm.Person",
        through="crm.ActivityParticipant",
        related_name="activities",
        verbose_name=_("participants"),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-due_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "kind", "starts_at"], name="activity_workspace_kind_start"),
            models.Index(fields=["workspace", "owner", "due_at"], name="activity_workspace_owner_due"),
            models.Index(fields=["workspace", "organization"], name="activity_workspace_org"),
            models.Index(fields=["workspace", "deal"], name="activity_workspace_deal"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(is_recorded=False) | Q(kind=ActivityKind.CALL),
                name="activity_only_calls_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        errors = {}
        if self.kind in {ActivityKind.MEETING, ActivityKind.EVENT} and self.starts_at is None:
            errors["starts_at"] = _("A meeting or event needs a start time.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The end lies before the start.")
        if self.is_recorded and self.kind != ActivityKind.CALL:
            errors["is_recorded"] = _("Only calls can be marked as recorded.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ActivityParticipant(WorkspaceScopedModel):
    """A person taking part in (or the counterpart of) an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participant_links")
    person = models.ForeignKey("crm.Person", on_delete=models.CASCADE, related_name="activity_links")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["workspace", "person"], name="participant_workspace_person")]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="participant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}→{self.activity_id}"
