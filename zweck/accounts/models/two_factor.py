from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TwoFactorDevice(models.Model):
    """A user's authenticator app: the shared TOTP secret (RFC 6238, 30-second steps, six digits).

    A device counts only once ``confirmed_at`` is set, after the user typed a code it made.
    ``last_used_step`` is the time step of the last code accepted: a code is accepted only for a
    later step, so a code seen by someone else cannot be used a second time (RFC 6238, 5.2).
    The secret must be readable to check codes, so it is stored as it is; it is worth nothing
    without the password, and the register declares it as a credential.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor_device"
    )
    secret = models.CharField(_("secret"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    last_used_step = models.BigIntegerField(_("last time step used"), default=0, editable=False)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code that replaces the authenticator app once, e.g. after a lost phone.

    Only a keyed digest is stored (the code has 50 random bits; a slow hash buys nothing); the
    codes are shown once, when they are made. ``used_at`` marks a used code.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recoverycode_unique_digest")]

    def __str__(self) -> str:
        return f"recovery code {self.pk}"
