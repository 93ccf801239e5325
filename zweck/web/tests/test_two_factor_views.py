"""Signing in with two factors, setting them up, the workspace's requirement, turning them off."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import ThrottleKey, ThrottleScope, TwoFactorDevice, User, Workspace
from zweck.accounts.throttle import DEFAULT_LIMITS
from zweck.accounts.two_factor import two_factor_enabled, two_factor_enrol_confirm, two_factor_enrol_start
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _user(actor: Actor) -> User:
    assert actor.user is not None
    return actor.user


def _code(secret: str, seconds: int = 0) -> str:
    return pyotp.TOTP(secret).at(timezone.now() + timedelta(seconds=seconds))


def _enrol(user: User) -> tuple[str, list[str]]:
    device = two_factor_enrol_start(user=user)
    codes = two_factor_enrol_confirm(user=user, code=_code(device.secret, -30))
    return device.secret, codes


def _password_step(user: User, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post("/app/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/app/login/two-factor/"
    return client


def test_with_two_factors_the_password_alone_does_not_sign_in(owner: Actor) -> None:
    user = _user(owner)
    secret, _codes = _enrol(user)
    client = _password_step(user)

    # not signed in yet
    assert client.get("/app/")["Location"].startswith("/app/login/")
    page = client.get("/app/login/two-factor/")
    assert page.status_code == 200 and "authenticator app" in page.content.decode()

    wrong = client.post("/app/login/two-factor/", {"code": "12345x"})
    assert wrong.status_code == 422
    assert client.get("/app/").status_code == 302

    done = client.post("/app/login/two-factor/", {"code": _code(secret)})
    assert done.status_code == 302 and done["Location"] == "/app/"
    assert client.get("/app/").status_code == 200


def test_a_code_seen_once_does_not_sign_in_a_second_browser(owner: Actor) -> None:
    user = _user(owner)
    secret, _codes = _enrol(user)
    code = _code(secret)
    first = _password_step(user)
    assert first.post("/app/login/two-factor/", {"code": code}).status_code == 302

    second = _password_step(user)
    replay = second.post("/app/login/two-factor/", {"code": code})

    assert replay.status_code == 422
    assert "used already" in replay.content.decode()
    assert second.get("/app/").status_code == 302


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(owner: Actor) -> None:
    user = _user(owner)
    _secret, codes = _enrol(user)
    client = _password_step(user)
    response = client.post("/app/login/two-factor/", {"code": codes[0]}, follow=True)
    assert response.status_code == 200
    assert "9 codes are left" in response.content.decode()
    again = _password_step(user).post("/app/login/two-factor/", {"code": codes[0]})
    assert again.status_code == 422


def test_wrong_codes_are_throttled_with_a_clear_message(owner: Actor) -> None:
    user = _user(owner)
    _enrol(user)
    client = _password_step(user)
    limit = DEFAULT_LIMITS[(ThrottleScope.TWO_FACTOR, ThrottleKey.ACCOUNT)].attempts
    for _attempt in range(limit):
        assert client.post("/app/login/two-factor/", {"code": "0000000000"}).status_code == 422
    refused = client.post("/app/login/two-factor/", {"code": "0000000000"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many wrong codes" in refused.content.decode()


def test_the_second_step_without_the_first_goes_back_to_sign_in(db: None) -> None:
    response = Client().post("/app/login/two-factor/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == "/app/login/"


def test_a_workspace_that_requires_two_factors_sends_members_to_set_them_up(
    owner: Actor, workspace: Workspace
) -> None:
    Workspace.objects.filter(pk=workspace.pk).update(require_two_factor=True)
    user = _user(owner)
    client = client_for(owner)

    response = client.get("/app/contacts/")
    assert response.status_code == 302
    assert response["Location"] == "/app/account/two-factor/?required=1"
    # htmx requests are redirected too
    assert client.get("/app/contacts/", HTTP_HX_REQUEST="true")["HX-Redirect"].startswith(
        "/app/account/two-factor/"
    )

    page = client.get(response["Location"])
    content = page.content.decode()
    assert page.status_code == 200
    assert "asks every member" in content
    assert 'src="data:image/svg+xml' in content
    secret = TwoFactorDevice.objects.get(user=user).secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in content

    wrong = client.post(
        "/app/account/two-factor/", {"code": "000000" if _code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 422
    # the secret stays the same across a failed confirmation
    assert TwoFactorDevice.objects.get(user=user).secret == secret

    done = client.post("/app/account/two-factor/", {"code": _code(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", done.content.decode())
    assert len(codes) == 10
    assert two_factor_enabled(user)
    assert client.get("/app/contacts/").status_code == 200


def test_turning_off_asks_for_password_and_code(owner: Actor) -> None:
    user = _user(owner)
    secret, _codes = _enrol(user)
    client = client_for(owner)

    wrong = client.post(
        "/app/account/two-factor/off/", {"password": "wrong wrong wrong", "code": _code(secret)}
    )
    assert wrong.status_code == 422
    assert two_factor_enabled(user)

    done = client.post("/app/account/two-factor/off/", {"password": PASSWORD, "code": _code(secret)})
    assert done.status_code == 302 and done["Location"] == "/app/account/"
    assert not two_factor_enabled(user)
    # and the next sign-in needs the password only
    response = Client().post("/app/login/", {"username": user.email, "password": PASSWORD})
    assert response["Location"] == "/app/"


def test_the_owner_requires_two_factors_on_the_sessions_page(owner: Actor, workspace: Workspace) -> None:
    client = client_for(owner)
    response = client.post(
        "/app/settings/sessions/",
        {"session_idle_minutes": 30, "session_lifetime_hours": 8, "require_two_factor": "on"},
    )
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.require_two_factor is True


def test_new_recovery_codes_need_a_code_and_replace_the_old_ones(owner: Actor) -> None:
    user = _user(owner)
    secret, old = _enrol(user)
    client = client_for(owner)
    assert client.get("/app/account/recovery-codes/").status_code == 200
    assert client.post("/app/account/recovery-codes/", {"code": old[0]}).status_code == 422

    done = client.post("/app/account/recovery-codes/", {"code": _code(secret)})

    new = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", done.content.decode())
    assert done.status_code == 200 and len(new) == 10 and set(new).isdisjoint(old)
    assert _password_step(user).post("/app/login/two-factor/", {"code": old[1]}).status_code == 422
    assert _password_step(user).post("/app/login/two-factor/", {"code": new[1]}).status_code == 302
