"""Data-subject requests and what handling them leaves behind: the action log, record holds,
erasure tombstones, recipient notifications (Art. 19), marketing suppressions (Art. 21(3))
and the privacy officer's decisions on possible mentions.

Invariants: a request row holds the requester's contact details only as long as the request
record is kept (the ``audit_trail`` retention rule); holds, tombstones, suppressions and
mention decisions hold ids, dates, reasons and keyed hashes, never a plain personal value.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.core.scoping import WorkspaceManager


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (Art. 15 GDPR)")
    PORTABILITY = "portability", _("Data portability (Art. 20 GDPR)")
    RECTIFICATION = "rectification", _("Rectification (Art. 16 GDPR)")
    ERASURE = "erasure", _("Erasure (Art. 17 GDPR)")
    RESTRICTION = "restriction", _("Restriction of processing (Art. 18 GDPR)")
    OBJECTION = "objection", _("Objection (Art. 21 GDPR)")
    CONSENT_WITHDRAWAL = "consent_withdrawal", _("Withdrawal of consent (Art. 7(3) GDPR)")


class RequestChannel(models.TextChoices):
    PORTAL = "portal", _("Privacy portal")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")


class VerificationState(models.TextChoices):
    PENDING = "pending", _("Identity not yet verified")
    VERIFIED = "verified", _("Identity verified")
    FAILED = "failed", _("Identity could not be verified")


class Decision(models.TextChoices):
    NONE = "", _("Not decided")
    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    REFUSED = "refused", _("Refused")


class ObjectionScope(models.TextChoices):
    NONE = "", _("Not an objection")
    DIRECT_MARKETING = "direct_marketing", _("Direct marketing (Art. 21(2) GDPR)")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Processing on legitimate interests (Art. 21(1) GDPR)")


class DataSubjectRequest(WorkspaceScopedModel):
    """A request of a data subject to exercise one of their rights, from receipt to answer.

    ``due_on`` is one calendar month after receipt, moved to the next working day where that is a
    weekend or public holiday of the workspace (Art. 12(3) GDPR, ``zweck.privacy.deadlines``);
    ``extended_due_on`` is set once, by the due date, with the reasons the subject is told. Both
    are stored so the queue can sort and filter by them; ``request_deadlines_recompute`` keeps
    the open requests' dates in step when the workspace's federal state changes.
    """

    kind = models.CharField(_("right"), max_length=24, choices=RequestKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=RequestChannel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("due on"))
    extended_due_on = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reasons for the extension"), blank=True)
    extension_notified_at = models.DateTimeField(_("subject told of the extension"), null=True, blank=True)
    verification = models.CharField(
        _("identity verification"),
        max_length=10,
        choices=VerificationState.choices,
        default=VerificationState.PENDING,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    requester_email = models.EmailField(_("requester's email address"), blank=True)
    requester_name = models.CharField(_("requester's name"), max_length=200, blank=True)
    requester_phone = models.CharField(_("requester's phone number"), max_length=40, blank=True)
    requester_organization = models.CharField(_("requester's organization"), max_length=200, blank=True)
    details = models.TextField(_("what the subject asks for"), blank=True)
    objection_scope = models.CharField(
        _("objection to"), max_length=20, choices=ObjectionScope.choices, blank=True, default=""
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee"),
    )
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, blank=True, default=""
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    completed_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    persons = models.ManyToManyField(
        "crm.Person", blank=True, related_name="+", verbose_name=_("person records concerned")
    )

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["workspace", "status", "due_on"], name="dsr_workspace_status_due"),
            models.Index(fields=["workspace", "requester_email"], name="dsr_workspace_requester"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def deadline(self) -> date:
        """The date the answer is due: the extended date where the deadline was extended."""
        return self.extended_due_on or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class RequestAction(models.Model):
    """One step in handling a request: the request's own action log (the audit trail has it too)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(DataSubjectRequest, on_delete=models.CASCADE, related_name="actions")
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64)
    note = models.TextField(_("note"), blank=True)

    objects = WorkspaceManager()

    class Meta:
        verbose_name = _("request action")
        verbose_name_plural = _("request actions")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["workspace", "request"], name="dsr_action_request")]

    def __str__(self) -> str:
        return self.action


class RecordHold(WorkspaceScopedModel):
    """A row kept for a legal reason until a date (Art. 17(3) GDPR, § 147(3) AO).

    Two kinds, told apart by ``erase_on_release``:
    - a hold an erasure left (the row was kept despite it): the row is restricted while the
      hold lasts (Art. 17(3) with Art. 18(1)) — selectors other than storage and the privacy
      officer's views leave it out — and erased when the hold ends;
    - a legal hold the privacy officer placed on a live record (a legal claim, an open tax
      assessment): the record stays in use, an erasure keeps it (and from then on the hold is
      of the first kind), and when the hold ends without an erasure it simply ends.
    A hold ends when ``ends_on`` has passed (``holds_release``) or early, with reasons
    (``record_hold_release``); ``released_at`` says when.
    """

    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.BigIntegerField(_("object id"))
    reason = models.TextField(_("legal reason"))
    ends_on = models.DateField(_("held until"))
    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="holds"
    )
    erase_on_release = models.BooleanField(_("erase the record when the hold ends"), default=False)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.TextField(_("reasons for the early release"), blank=True)

    class Meta:
        verbose_name = _("record hold")
        verbose_name_plural = _("record holds")
        ordering = ["ends_on", "id"]
        indexes = [
            models.Index(fields=["workspace", "object_type", "object_id"], name="hold_workspace_object"),
            models.Index(fields=["workspace", "ends_on"], name="hold_workspace_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} until {self.ends_on}"


class ErasureTombstone(WorkspaceScopedModel):
    """The keyed hash of one identifier of an erased subject (email, phone, name).

    After a backup is restored, ``erasure_reapply`` finds the subject again by these hashes
    and erases them again, without the tombstone ever holding a plain value.
    """

    digest = models.CharField(_("keyed hash"), max_length=64)
    identifier_kind = models.CharField(_("identifier kind"), max_length=10)
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("erasure tombstone")
        verbose_name_plural = _("erasure tombstones")
        indexes = [models.Index(fields=["workspace", "digest"], name="tombstone_workspace_digest")]

    def __str__(self) -> str:
        return self.identifier_kind


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("To be sent")
    CONFIRMED = "confirmed", _("Confirmed by the recipient")


class RecipientNotification(WorkspaceScopedModel):
    """A task to tell one recipient of a subject's data about a rectification, erasure or
    restriction (Art. 19 GDPR), tracked until the recipient confirms."""

    recipient = models.ForeignKey("privacy.Recipient", on_delete=models.CASCADE, related_name="notifications")
    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    # The person's id only (a pseudonym): the recipient is told through its own channel.
    subject_id = models.BigIntegerField(_("data subject"))
    action = models.CharField(_("what happened"), max_length=16)
    status = models.CharField(
        _("status"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient notification")
        verbose_name_plural = _("recipient notifications")
        ordering = ["status", "id"]
        indexes = [models.Index(fields=["workspace", "status"], name="notification_workspace_status")]

    def __str__(self) -> str:
        return f"{self.action} → {self.recipient_id}"


class MarketingSuppression(WorkspaceScopedModel):
    """An address that must never receive direct marketing again (Art. 21(3) GDPR), kept as a
    keyed hash so the suppression itself discloses nothing and survives erasure."""

    digest = models.CharField(_("keyed hash"), max_length=64)
    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("marketing suppression")
        verbose_name_plural = _("marketing suppressions")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "digest"], name="suppression_unique_digest"),
        ]

    def __str__(self) -> str:
        return self.digest[:8]


class MentionDecision(WorkspaceScopedModel):
    """The privacy officer's decision on one possible mention of a request's subject
    (``zweck.privacy.mentions.PossibleMention``): confirmed, it is handled like a certain
    mention (exported, erased); dismissed, it is left alone.

    A mention is a row, a field and a term; the term is kept only as its keyed hash, so the
    decision outlives the erasure of the words it was about without holding them.
    """

    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.CASCADE, related_name="mention_decisions"
    )
    data_set = models.CharField(_("data set"), max_length=100)
    row_id = models.BigIntegerField(_("record"))
    field_name = models.CharField(_("field"), max_length=100)
    term_digest = models.CharField(_("keyed hash of the term"), max_length=64)
    confirmed = models.BooleanField(_("confirmed as a mention"))

    class Meta:
        verbose_name = _("decision on a possible mention")
        verbose_name_plural = _("decisions on possible mentions")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "data_set", "row_id", "field_name", "term_digest"],
                name="mention_decision_unique",
            ),
        ]
        indexes = [models.Index(fields=["workspace", "request"], name="mention_decision_request")]

    def __str__(self) -> str:
        return f"{self.data_set}#{self.row_id}.{self.field_name}"
