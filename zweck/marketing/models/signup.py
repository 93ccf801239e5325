"""A sign-up waiting for its confirmation click (double opt-in).

It holds what the form received until the person confirms: then the ledger records the consent
with the whole chain and the sign-up goes. One never confirmed is deleted by the retention
sweep once the ``consent_signup_pending`` period has passed; its link stopped working long before.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel


class ConsentSignup(WorkspaceScopedModel):
    """What a public sign-up form received, until the address's owner confirms it."""

    email = models.EmailField(_("email address"), max_length=254)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=8)
    # The purposes asked for and the digests of the texts shown for them, in the same order.
    purposes = models.JSONField(_("purposes"), default=list)
    text_digests = models.JSONField(_("texts shown"), default=list)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    page = models.CharField(_("page of the form"), max_length=500, blank=True)
    confirmation_digest = models.CharField(max_length=64, editable=False)
    confirmation_sent_at = models.DateTimeField(_("confirmation email queued at"), null=True, blank=True)
    confirmation_subject = models.CharField(max_length=200, blank=True)
    confirmation_mail_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up awaiting confirmation")
        verbose_name_plural = _("sign-ups awaiting confirmation")
        indexes = [
            models.Index(fields=["workspace", "created_at"], name="signup_workspace_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["confirmation_digest"], name="signup_unique_confirmation"),
        ]
