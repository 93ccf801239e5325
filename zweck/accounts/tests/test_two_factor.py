"""Two factors: an authenticator app (TOTP, RFC 6238) and single-use recovery codes."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import (
    RecoveryCode,
    SecurityEvent,
    SecurityEventKind,
    ThrottleKey,
    ThrottleScope,
    TwoFactorDevice,
    User,
)
from zweck.accounts.security import Client
from zweck.accounts.services import sign_in_unlock
from zweck.accounts.throttle import DEFAULT_LIMITS, TooManyAttempts, locked_accounts
from zweck.accounts.two_factor import (
    provisioning_uri,
    qr_code_data_uri,
    recovery_codes_renew,
    two_factor_disable,
    two_factor_enabled,
    two_factor_enrol_confirm,
    two_factor_enrol_start,
    two_factor_verify,
)
from zweck.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
CLIENT = Client(ip_address="192.0.2.10", user_agent="Firefox")


def _user(actor: Actor) -> User:
    assert actor.user is not None
    return actor.user


def _code(device: TwoFactorDevice, seconds: int = 0) -> str:
    return pyotp.TOTP(device.secret).at(timezone.now() + timedelta(seconds=seconds))


def _enrolled(user: User) -> tuple[TwoFactorDevice, list[str]]:
    device = two_factor_enrol_start(user=user)
    codes = two_factor_enrol_confirm(user=user, code=_code(device, -30), client=CLIENT)
    device.refresh_from_db()
    return device, codes


def test_enrolment_needs_a_code_of_the_new_app_and_gives_ten_recovery_codes(owner: Actor) -> None:
    user = _user(owner)
    device = two_factor_enrol_start(user=user)
    assert not two_factor_enabled(user)
    uri = provisioning_uri(device, user)
    assert uri.startswith("otpauth://totp/Zweck:") and f"secret={device.secret}" in uri
    assert qr_code_data_uri(uri).startswith("data:image/svg+xml")

    with pytest.raises(ValidationError) as wrong:
        two_factor_enrol_confirm(user=user, code="000000" if _code(device) != "000000" else "111111")
    assert "code" in wrong.value.message_dict
    assert not two_factor_enabled(user)

    codes = two_factor_enrol_confirm(user=user, code=_code(device), client=CLIENT)

    assert two_factor_enabled(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 11 and code[5] == "-" for code in codes)
    # only digests are kept
    stored = list(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert len(stored) == 10 and not any(
        code.replace("-", "") in digest for code in codes for digest in stored
    )
    event = AuditEvent.objects.get(action="user.two_factor_enable")
    assert (event.workspace_id, event.object_id) == (owner.workspace_id, str(user.pk))
    assert device.secret not in str(event.details) and device.secret not in str(event.changed_fields)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.TWO_FACTOR_ENABLED, user=user).count() == 1


def test_a_code_is_accepted_once_and_never_again_in_its_window(owner: Actor) -> None:
    user = _user(owner)
    device, _codes = _enrolled(user)
    code = _code(device)

    assert two_factor_verify(user=user, code=code, client=CLIENT).recovery_code_used is False
    with pytest.raises(ValidationError):
        two_factor_verify(user=user, code=code, client=CLIENT)
    # nor an older code of the window, once a newer step was used
    with pytest.raises(ValidationError):
        two_factor_verify(user=user, code=_code(device, -30), client=CLIENT)
    # the next step's code (a phone's clock a little ahead) still works once
    assert two_factor_verify(user=user, code=_code(device, 30), client=CLIENT).recovery_code_used is False


def test_codes_far_from_now_are_refused(owner: Actor) -> None:
    user = _user(owner)
    device, _codes = _enrolled(user)
    for seconds in (-120, 120):
        code = _code(device, seconds)
        if code in {_code(device, offset) for offset in (-30, 0, 30)}:
            continue  # the rare coincidence of equal codes says nothing
        with pytest.raises(ValidationError):
            two_factor_verify(user=user, code=code, client=CLIENT)


def test_a_recovery_code_works_once_and_is_audited_without_the_code(owner: Actor) -> None:
    user = _user(owner)
    _device, codes = _enrolled(user)

    result = two_factor_verify(user=user, code=codes[3].lower(), client=CLIENT)

    assert (result.recovery_code_used, result.recovery_codes_left) == (True, 9)
    with pytest.raises(ValidationError):
        two_factor_verify(user=user, code=codes[3], client=CLIENT)
    event = AuditEvent.objects.get(action="user.recovery_code_use")
    assert codes[3] not in str(event.details) and codes[3].replace("-", "") not in str(event.details)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.RECOVERY_CODE_USED).count() == 1


def test_wrong_codes_lock_the_second_step_until_the_owner_unlocks(owner: Actor) -> None:
    user = _user(owner)
    device, _codes = _enrolled(user)
    limit = DEFAULT_LIMITS[(ThrottleScope.TWO_FACTOR, ThrottleKey.ACCOUNT)].attempts
    wrong = "123456" if _code(device) != "123456" else "654321"
    for _attempt in range(limit):
        with pytest.raises(ValidationError):
            two_factor_verify(user=user, code=wrong, client=CLIENT)

    # now even the right code is refused, before it is checked
    with pytest.raises(TooManyAttempts) as refused:
        two_factor_verify(user=user, code=_code(device), client=CLIENT)
    assert "Too many wrong codes" in refused.value.refusal.message
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.TWO_FACTOR_FAILED).count() == limit
    # the owner sees the lock among the locked sign-ins
    assert list(locked_accounts([user.email])) == [user.email]

    assert sign_in_unlock(actor=owner, user=user) is True
    assert two_factor_verify(user=user, code=_code(device), client=CLIENT).recovery_code_used is False


def test_turning_off_needs_the_password_and_a_code(owner: Actor) -> None:
    user = _user(owner)
    device, _codes = _enrolled(user)

    with pytest.raises(ValidationError) as wrong_password:
        two_factor_disable(user=user, password="not my password at all", code=_code(device), client=CLIENT)
    assert "password" in wrong_password.value.message_dict
    with pytest.raises(ValidationError) as wrong_code:
        two_factor_disable(user=user, password=PASSWORD, code="12345", client=CLIENT)
    assert "code" in wrong_code.value.message_dict
    assert two_factor_enabled(user)

    two_factor_disable(user=user, password=PASSWORD, code=_code(device), client=CLIENT)

    assert not two_factor_enabled(user)
    assert not TwoFactorDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert (
        AuditEvent.objects.filter(action="user.two_factor_disable", workspace_id=owner.workspace_id).count()
        == 1
    )


def test_new_recovery_codes_replace_the_old_ones(owner: Actor) -> None:
    user = _user(owner)
    device, old = _enrolled(user)

    new = recovery_codes_renew(user=user, code=_code(device))

    assert set(new).isdisjoint(old)
    with pytest.raises(ValidationError):
        two_factor_verify(user=user, code=old[0], client=CLIENT)
    assert two_factor_verify(user=user, code=new[0], client=CLIENT).recovery_code_used


def test_a_second_enrolment_while_on_is_refused(owner: Actor) -> None:
    user = _user(owner)
    _enrolled(user)
    with pytest.raises(ValidationError):
        two_factor_enrol_start(user=user)
