from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThrottleScope(models.TextChoices):
    SIGN_IN = "sign_in", _("Sign-in")
    API_TOKEN = "api_token", _("API token")
    PASSWORD_RESET = "password_reset", _("Password reset")
    PORTAL = "portal", _("Privacy portal")
    TWO_FACTOR = "two_factor", _("Second factor")


class ThrottleKey(models.TextChoices):
    ACCOUNT = "account", _("Account")
    ADDRESS = "address", _("Email address")
    IP = "ip", _("IP address")


class AttemptCounter(models.Model):
    """How often one key (an account name, an email address, a client IP) has tried one thing
    (signing in, an API token, a password reset, a portal request) in the current window, and
    until when it is refused.

    Kept in the database so that every server process counts together. The key is stored only
    as a keyed digest (HMAC with the installation's secret key), never in clear. Rows are
    installation-wide (an attacker's attempts do not belong to a workspace) and short-lived: a
    row whose window and lock have both passed is deleted by the next new counter.
    """

    scope = models.CharField(_("what was tried"), max_length=16, choices=ThrottleScope.choices)
    key_kind = models.CharField(_("counted by"), max_length=8, choices=ThrottleKey.choices)
    key_digest = models.CharField(_("key digest"), max_length=64)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    window_started_at = models.DateTimeField(_("window started at"), default=timezone.now)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt counter")
        verbose_name_plural = _("attempt counters")
        constraints = [
            models.UniqueConstraint(
                fields=["key_digest", "scope", "key_kind"], name="attemptcounter_unique_key"
            )
        ]
        indexes = [models.Index(fields=["locked_until"], name="attemptcounter_locked_until")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_kind} {self.attempts}"
