"""Two-factor authentication: an authenticator app (TOTP, RFC 6238) and single-use recovery codes.

Invariants:
- a code is checked with ``pyotp`` against the current 30-second step and one step either side
  (clock drift, RFC 6238 5.2); a code is accepted only for a step later than the last one
  accepted, and that is settled by one conditional UPDATE, so of two requests with the same
  code only one succeeds (no replay, not even concurrently);
- recovery codes are stored as keyed digests and marked used by one conditional UPDATE, so
  each works once;
- wrong codes are counted by the throttle (scope ``two_factor``) per account and per client
  address, and a locked account or address is refused before any code is checked;
- the secret and the codes never reach a log, an audit row or the security log; the audit
  trail records only that two factors were turned on or off, or that a recovery code was used.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pyotp
import segno
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import (
    Membership,
    RecoveryCode,
    SecurityEventKind,
    ThrottleScope,
    TwoFactorDevice,
    User,
)
from zweck.accounts.security import Client, security_account_event
from zweck.accounts.throttle import TooManyAttempts, keys_for, throttle_count, throttle_refusal
from zweck.audit.services import audit_record

ISSUER = "Zweck"
RECOVERY_CODE_COUNT = 10
# Ten characters of the Base32 alphabet: 50 random bits, written as two groups of five.
RECOVERY_CODE_LENGTH = 10
_RECOVERY_SALT = "zweck.accounts.two_factor.recovery"
# Codes of the step before and after the current one are accepted too (clock drift).
VALID_WINDOW = 1


def _audit_for_user(user: User, action: str, changed_fields: tuple[str, ...] = ()) -> None:
    """The event in each workspace the user works in (where its owner can read it)."""
    memberships = Membership.objects.select_related("workspace", "user").filter(user=user, is_active=True)
    for membership in memberships:
        audit_record(
            actor=Actor.for_membership(membership),
            action=action,
            instance=user,
            changed_fields=changed_fields,
        )


def two_factor_device_of(user: User) -> TwoFactorDevice | None:
    """The user's confirmed authenticator app, or ``None``."""
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def two_factor_enabled(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def provisioning_uri(device: TwoFactorDevice, user: User) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    issuer = settings.ZWECK.get("TOTP_ISSUER", ISSUER)
    return pyotp.TOTP(device.secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_code_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` address (drawn here, never by a third party)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@transaction.atomic
def two_factor_enrol_start(*, user: User) -> TwoFactorDevice:
    """A new, unconfirmed secret for ``user`` (replacing an unconfirmed one). A user who
    already has a confirmed app must turn it off first."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.is_confirmed:
        raise ValidationError(_("Two-factor authentication is already on."))
    if device is None:
        device = TwoFactorDevice(user=user)
    device.secret = pyotp.random_base32()
    device.created_at = timezone.now()
    device.last_used_step = 0
    device.save()
    return device


def _normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code is ``code``, within the accepted window, or ``None``."""
    code = _normalized(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        if constant_time_compare(totp.at(now, counter_offset=offset), code):
            return current + offset
    return None


def _use_step(device: TwoFactorDevice, step: int) -> bool:
    """Accept ``step`` once: True only for the first request to claim a step later than the last."""
    return bool(
        TwoFactorDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(last_used_step=step)
    )


def _recovery_digest(code: str) -> str:
    return salted_hmac(_RECOVERY_SALT, _normalized(code), algorithm="sha256").hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    codes = [
        "".join(secrets.choice(alphabet) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_recovery_digest(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@transaction.atomic
def two_factor_enrol_confirm(*, user: User, code: str, client: Client | None = None) -> list[str]:
    """Turn two factors on with a code the new app made; returns the recovery codes (shown once)."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.is_confirmed:
        raise ValidationError(
            {"code": _("Start the set-up again: there is no new authenticator to confirm.")}
        )
    step = _matching_step(device.secret, code)
    if step is None or not _use_step(device, step):
        raise ValidationError(
            {"code": _("This code does not match. Check the time on your phone and type the newest code.")}
        )
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    codes = _new_recovery_codes(user)
    security_account_event(kind=SecurityEventKind.TWO_FACTOR_ENABLED, client=client or Client(), user=user)
    _audit_for_user(user, "user.two_factor_enable", ("two_factor",))
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), confirmed with a current app code."""
    device = two_factor_device_of(user)
    if device is None:
        raise ValidationError(_("Two-factor authentication is off."))
    step = _matching_step(device.secret, code)
    if step is None or not _use_step(device, step):
        raise ValidationError({"code": _("This code does not match. Type the newest code from your app.")})
    codes = _new_recovery_codes(user)
    _audit_for_user(user, "user.recovery_codes_renew", ("recovery_codes",))
    return codes


@dataclass(frozen=True)
class SecondFactor:
    """How the second step was passed."""

    recovery_code_used: bool
    recovery_codes_left: int


def _check_code(user: User, device: TwoFactorDevice, code: str) -> SecondFactor | None:
    step = _matching_step(device.secret, code)
    if step is not None:
        return SecondFactor(False, 0) if _use_step(device, step) else None
    normalized = _normalized(code)
    if len(normalized) != RECOVERY_CODE_LENGTH:
        return None
    used = RecoveryCode.objects.filter(
        user=user, digest=_recovery_digest(normalized), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not used:
        return None
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    return SecondFactor(True, left)


def two_factor_verify(*, user: User, code: str, client: Client | None = None) -> SecondFactor:
    """Check the second step of a sign-in: a code of the app or an unused recovery code.

    Raises ``TooManyAttempts`` for a locked account or address (before any check) and
    ``ValidationError`` for a wrong or already used code (which is counted).
    """
    client = client or Client()
    keys = keys_for(account=user.email, ip=client.ip_address)
    refusal = throttle_refusal(ThrottleScope.TWO_FACTOR, keys)
    if refusal is not None:
        raise TooManyAttempts(refusal)
    device = two_factor_device_of(user)
    with transaction.atomic():
        result = _check_code(user, device, code) if device is not None else None
        if result is not None and result.recovery_code_used:
            security_account_event(kind=SecurityEventKind.RECOVERY_CODE_USED, client=client, user=user)
            _audit_for_user(user, "user.recovery_code_use", ("recovery_codes",))
    if result is None:
        security_account_event(kind=SecurityEventKind.TWO_FACTOR_FAILED, client=client, user=user)
        throttle_count(ThrottleScope.TWO_FACTOR, keys)
        raise ValidationError(
            {"code": _("This code is wrong or was used already. Type the newest code from your app.")}
        )
    return result


def two_factor_disable(*, user: User, password: str, code: str, client: Client | None = None) -> None:
    """Turn two factors off: needs the password and a current code (or a recovery code). The
    app's secret and every recovery code are deleted."""
    keys = keys_for(account=user.email, ip=(client or Client()).ip_address)
    refusal = throttle_refusal(ThrottleScope.TWO_FACTOR, keys)
    if refusal is not None:
        raise TooManyAttempts(refusal)
    if not check_password(password, user.password):
        throttle_count(ThrottleScope.TWO_FACTOR, keys)
        raise ValidationError({"password": _("This password is wrong.")})
    two_factor_verify(user=user, code=code, client=client)
    with transaction.atomic():
        TwoFactorDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        security_account_event(
            kind=SecurityEventKind.TWO_FACTOR_DISABLED, client=client or Client(), user=user
        )
        _audit_for_user(user, "user.two_factor_disable", ("two_factor",))


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def two_factor_required_for(user: User) -> bool:
    """Whether a workspace the user works in requires two factors."""
    return Membership.objects.filter(user=user, is_active=True, workspace__require_two_factor=True).exists()
