from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInSession(models.Model):
    """One signed-in browser of a user: what the user sees on their sessions page to end it.

    Django's own session row holds the session's data; this row says where it came from and
    when it was last seen, and names Django's row by its key, so ending it here deletes it
    there. ``ended_at`` is set when it ends (sign-out, ended by the user, deactivation); the
    row is then kept only as long as the security log.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_sessions"
    )
    session_key = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now, editable=False)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser or client"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["user", "ended_at"], name="signinsession_user_open")]

    def __str__(self) -> str:
        return f"session {self.pk} of {self.user_id}"
