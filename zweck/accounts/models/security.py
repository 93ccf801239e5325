from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zweck.core.scoping import WorkspaceManager


class SecurityEventKind(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    PASSWORD_RESET_COMPLETED = "password_reset_completed", _("Password reset completed")
    TOKEN_USED = "token_used", _("API token used")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    ACCOUNT_LOCKED = "account_locked", _("Locked after too many failed attempts")
    ACCOUNT_UNLOCKED = "account_unlocked", _("Unlocked")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor authentication turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor authentication turned off")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Wrong second-factor code")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    SESSION_ENDED = "session_ended", _("Session ended")
    MEMBER_DEACTIVATED = "member_deactivated", _("Member deactivated")


class SecurityChannel(models.TextChoices):
    WEB = "web", _("Browser")
    API = "api", _("API")
    ADMIN = "admin", _("Operator administration")
    SYSTEM = "system", _("Command line")


class SecurityEvent(models.Model):
    """One entry of the sign-in and security log: who (if known) did what, when, from where.

    Rows about a known account carry its user and, for each workspace the user works in, that
    workspace (the owner sees their staff's entries). A failed sign-in or a reset request for
    an address no account has carries neither: only a keyed digest of what was entered
    (``account_digest``), so that repeated attempts on the same name can be told apart without
    storing the name. Entries are kept for the short period of the register's ``security_log``
    rule, counted from ``created_at``; entries without a workspace by its shipped default.
    """

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    kind = models.CharField(_("event"), max_length=32, choices=SecurityEventKind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=SecurityChannel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    token = models.ForeignKey(
        "accounts.ApiToken",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("API token"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser or client"), max_length=200, blank=True)
    # The permissions a refused action needed (codes such as "crm.change"), never a value.
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    account_digest = models.CharField(_("account digest"), max_length=64, blank=True)

    objects = WorkspaceManager()

    class Meta:
        verbose_name = _("security log entry")
        verbose_name_plural = _("security log entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-created_at", "-id"], name="securityevent_workspace_time"),
            models.Index(fields=["workspace", "user", "-created_at"], name="securityevent_workspace_user"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
