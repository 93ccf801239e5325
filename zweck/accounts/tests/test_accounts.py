from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import ApiToken, Membership
from zweck.accounts.services import (
    TokenExpired,
    membership_set,
    token_authenticate,
    token_create,
    token_revoke,
    workspace_create,
)
from zweck.accounts.tests.factories import UserFactory
from zweck.audit.models import AuditEvent
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[3]


def test_every_role_has_an_entry_and_owner_has_everything() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert ROLE_PERMISSIONS[Role.OWNER] == frozenset(Permission)
    assert Permission.PRIVACY_MANAGE not in ROLE_PERMISSIONS[Role.SALES]
    assert Permission.CRM_CHANGE not in ROLE_PERMISSIONS[Role.READ_ONLY]


def test_passwords_are_hashed_with_argon2_outside_tests(settings) -> None:
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_workspace_create_makes_owner_and_audits() -> None:
    user = UserFactory()
    workspace = workspace_create(name="Kanzlei Beispiel", owner=user)
    assert workspace.slug == "kanzlei-beispiel"
    assert Membership.objects.get(workspace=workspace, user=user).role == Role.OWNER
    assert list(
        AuditEvent.objects.filter(workspace=workspace).values_list("action", flat=True).order_by("id")
    ) == [
        "workspace.create",
        "membership.create",
    ]


def test_token_is_shown_once_stored_hashed_and_authenticates(owner: Actor) -> None:
    token, plain = token_create(actor=owner, name="Integration")
    assert plain.startswith("zk_") and plain not in (token.digest, token.prefix)
    assert not ApiToken.objects.filter(digest__contains=plain[3:]).exists()
    actor = token_authenticate(plain=plain)
    assert actor is not None and (actor.workspace_id, actor.user_id) == (owner.workspace_id, owner.user_id)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_expired_unknown_tokens_and_ex_members_are_refused(owner: Actor) -> None:
    revoked, revoked_plain = token_create(actor=owner, name="old")
    token_revoke(actor=owner, token=revoked)
    assert token_authenticate(plain=revoked_plain) is None
    _, expired_plain = token_create(
        actor=owner, name="short", expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(TokenExpired):
        token_authenticate(plain=expired_plain)
    assert token_authenticate(plain="zk_not-a-token") is None
    assert token_authenticate(plain="Bearer nonsense") is None
    _, plain = token_create(actor=owner, name="current")
    Membership.objects.filter(user=owner.user).update(is_active=False)
    assert token_authenticate(plain=plain) is None


def test_member_cannot_revoke_someone_elses_token(owner: Actor, actor_with_role) -> None:
    token, plain = token_create(actor=owner, name="owner's")
    sales = actor_with_role(Role.SALES)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=sales, token=token)
    assert token_authenticate(plain=plain) is not None


def test_unknown_role_is_refused(owner: Actor) -> None:
    with pytest.raises(ValidationError):
        membership_set(actor=owner, user=UserFactory(), role="emperor")
    assert Membership.objects.count() == 1


def _settings_import(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZWECK_")}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=REPO,
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    result = _settings_import({})
    assert result.returncode != 0
    assert "ZWECK_SECRET_KEY must be set" in result.stderr
    short = _settings_import({"ZWECK_SECRET_KEY": "short"})
    assert "at least 50 random characters" in short.stderr
    monotonous = _settings_import({"ZWECK_SECRET_KEY": "x" * 60})
    assert "at least 50 random characters" in monotonous.stderr
    known = _settings_import({"ZWECK_SECRET_KEY": "zweck-insecure-development-key-change-me-0123456789"})
    assert "published example key" in known.stderr
    django_default = _settings_import({"ZWECK_SECRET_KEY": "django-insecure-" + "a1b2c3d4e5" * 6})
    assert "published example key" in django_default.stderr
    ok = _settings_import({"ZWECK_SECRET_KEY": "q8Vd3kP0zLr7Wm2Nx5Tb9Hc4Jf6Gs1Ya" * 2})
    assert ok.returncode == 0, ok.stderr
