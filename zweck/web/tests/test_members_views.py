"""The members page: invitations by real email, following the link, roles, deactivation; and a
member's own sessions and API tokens."""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import Message
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.models import ApiToken, Invitation, Membership, SignInSession, TokenScope, User
from zweck.accounts.services import token_authenticate, token_create
from zweck.core.permissions import Role
from zweck.outbox.testing import outbox_deliver
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _text(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


def _membership(actor: Actor) -> Membership:
    return Membership.objects.get(workspace_id=actor.workspace_id, user_id=actor.user_id)


def _invite(client: Client, smtp_inbox: Any, email: str, role: str = Role.SALES) -> str:
    response = client.post("/app/settings/members/invite/", {"email": email, "role": role})
    assert response.status_code == 302
    assert outbox_deliver() == 1
    message = smtp_inbox.messages[-1]
    assert message["To"] == email
    link = re.search(r"http://testserver(/app/join/\S+/)", _text(message))
    assert link is not None
    return link.group(1)


def test_the_members_page_lists_roles_and_last_sign_in(
    owner: Actor, actor_with_role: Callable[[str], Actor]
) -> None:
    seller = actor_with_role(Role.SALES)
    assert seller.user is not None
    page = client_for(owner).get("/app/settings/members/")
    content = page.content.decode()
    assert page.status_code == 200
    assert seller.user.email in content
    assert f'id="role-{_membership(seller).pk}"' in content
    # the owner's own row offers no change of their own role
    assert f'id="role-{_membership(owner).pk}"' not in content


def test_only_member_managers_see_the_page(owner: Actor, actor_with_role: Callable[[str], Actor]) -> None:
    assert client_for(actor_with_role(Role.SALES)).get("/app/settings/members/").status_code == 403
    assert client_for(actor_with_role(Role.ADMIN)).get("/app/settings/members/").status_code == 200
    assert Client().get("/app/settings/members/").status_code == 302


def test_an_invited_person_makes_an_account_from_the_emailed_link(owner: Actor, smtp_inbox: Any) -> None:
    link = _invite(client_for(owner), smtp_inbox, "neu@example.com")
    assert "Invitation to" in smtp_inbox.messages[0]["Subject"]

    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200 and "neu@example.com" in page.content.decode()
    short = visitor.post(link, {"full_name": "Nora Neu", "password1": "kurz", "password2": "kurz"})
    assert short.status_code == 422
    assert not User.objects.filter(email="neu@example.com").exists()

    done = visitor.post(link, {"full_name": "Nora Neu", "password1": PASSWORD, "password2": PASSWORD})

    assert done.status_code == 302 and done["Location"] == "/app/"
    user = User.objects.get(email="neu@example.com")
    membership = Membership.objects.get(user=user)
    assert (membership.workspace_id, membership.role) == (owner.workspace_id, Role.SALES)
    assert visitor.get("/app/").status_code == 200
    # the link works once
    assert Client().get(link).status_code == 404


def test_an_existing_account_signs_in_and_accepts(owner: Actor, smtp_inbox: Any, stranger: Actor) -> None:
    assert stranger.user is not None
    link = _invite(client_for(owner), smtp_inbox, stranger.user.email, Role.ACCOUNTING)
    anonymous = Client().get(link)
    assert anonymous.status_code == 200 and "/app/login/?next=" in anonymous.content.decode()

    client = client_for(stranger)
    assert client.get(link).status_code == 200
    accepted = client.post(link)

    assert accepted.status_code == 302
    assert Membership.objects.get(user=stranger.user, workspace_id=owner.workspace_id).role == Role.ACCOUNTING
    assert client.get("/app/").status_code == 200


def test_a_withdrawn_invitation_link_no_longer_works(owner: Actor, smtp_inbox: Any) -> None:
    client = client_for(owner)
    link = _invite(client, smtp_inbox, "neu@example.com")
    invitation = Invitation.objects.get()
    assert client.post(f"/app/settings/invitations/{invitation.pk}/withdraw/").status_code == 302
    page = Client().get(link)
    assert page.status_code == 404 and "Invitation not valid" in page.content.decode()


def test_an_invitation_to_a_member_or_a_bad_address_is_refused_at_the_field(
    owner: Actor, smtp_inbox: Any
) -> None:
    assert owner.user is not None
    client = client_for(owner)
    for email in (owner.user.email, "kein-name"):
        response = client.post("/app/settings/members/invite/", {"email": email, "role": Role.SALES})
        assert response.status_code == 422
    assert outbox_deliver() == 0 and not Invitation.objects.exists()


def test_the_role_changes_and_the_last_owner_is_kept(
    owner: Actor, actor_with_role: Callable[[str], Actor]
) -> None:
    seller = actor_with_role(Role.SALES)
    client = client_for(owner)
    response = client.post(f"/app/settings/members/{_membership(seller).pk}/role/", {"role": Role.ADMIN})
    assert response.status_code == 302
    assert _membership(seller).role == Role.ADMIN

    refused = client.post(f"/app/settings/members/{_membership(owner).pk}/role/", {"role": Role.SALES})
    assert refused.status_code == 422
    assert "last owner" in refused.content.decode()
    assert _membership(owner).role == Role.OWNER
    bad = client.post(f"/app/settings/members/{_membership(seller).pk}/role/", {"role": "emperor"})
    assert bad.status_code == 422


def test_another_workspaces_member_is_404(owner: Actor, stranger: Actor) -> None:
    client = client_for(owner)
    theirs = _membership(stranger)
    assert client.post(f"/app/settings/members/{theirs.pk}/role/", {"role": Role.SALES}).status_code == 404
    assert client.post(f"/app/settings/members/{theirs.pk}/deactivate/").status_code == 404
    assert _membership(stranger).role == Role.OWNER and _membership(stranger).is_active


def test_deactivation_signs_the_member_out_and_stops_their_tokens(
    owner: Actor, actor_with_role: Callable[[str], Actor]
) -> None:
    seller = actor_with_role(Role.SALES)
    seller_browser = client_for(seller)
    assert seller_browser.get("/app/").status_code == 200
    _token, plain = token_create(actor=seller, name="Abgleich")
    client = client_for(owner)
    confirm = client.get(f"/app/settings/members/{_membership(seller).pk}/deactivate/")
    assert confirm.status_code == 200 and "signed out everywhere" in confirm.content.decode()

    assert client.post(f"/app/settings/members/{_membership(seller).pk}/deactivate/").status_code == 302

    assert seller_browser.get("/app/")["Location"].startswith("/app/login/")
    assert token_authenticate(plain=plain) is None
    assert not Session.objects.filter(session_key=seller_browser.session.session_key).exists()


def test_a_member_sees_their_sessions_and_ends_another_browser(owner: Actor) -> None:
    assert owner.user is not None
    laptop = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
    laptop.post("/app/login/", {"username": owner.user.email, "password": PASSWORD})
    phone = Client(
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
        REMOTE_ADDR="198.51.100.7",
    )
    phone.post("/app/login/", {"username": owner.user.email, "password": PASSWORD})

    page = laptop.get("/app/account/")
    content = page.content.decode()
    assert "Firefox on Linux" in content and "Chrome on Android" in content
    assert "198.51.100.7" in content
    phone_session = SignInSession.objects.get(ip_address="198.51.100.7")

    ended = laptop.post(f"/app/account/sessions/{phone_session.pk}/end/")

    assert ended.status_code == 302
    assert phone.get("/app/")["Location"].startswith("/app/login/")
    assert laptop.get("/app/").status_code == 200
    assert SignInSession.objects.get(pk=phone_session.pk).ended_at is not None


def test_no_one_ends_someone_elses_session(owner: Actor, actor_with_role: Callable[[str], Actor]) -> None:
    seller = actor_with_role(Role.SALES)
    seller_browser = client_for(seller)
    theirs = SignInSession.objects.get(user=seller.user)
    assert client_for(owner).post(f"/app/account/sessions/{theirs.pk}/end/").status_code == 404
    assert seller_browser.get("/app/").status_code == 200


def test_sign_out_ends_the_listed_session(owner: Actor) -> None:
    client = client_for(owner)
    record = SignInSession.objects.get(user=owner.user)
    client.post("/app/logout/")
    assert SignInSession.objects.get(pk=record.pk).ended_at is not None


def test_a_member_makes_a_read_only_token_and_revokes_it(owner: Actor) -> None:
    client = client_for(owner)
    made = client.post("/app/account/tokens/new/", {"name": "Berichte", "scope": "read", "days": "30"})
    assert made.status_code == 201
    plain = re.search(r"(zk_[A-Za-z0-9_-]{20,})", made.content.decode())
    assert plain is not None
    token = ApiToken.objects.get(name="Berichte")
    assert token.scope == TokenScope.READ
    assert token.expires_at is not None
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    assert "Berichte" in client.get("/app/account/").content.decode()
    bad = client.post("/app/account/tokens/new/", {"name": "", "scope": "root", "days": "9999"})
    assert bad.status_code == 422 and ApiToken.objects.count() == 1

    assert client.post(f"/app/account/tokens/{token.pk}/revoke/").status_code == 302
    assert token_authenticate(plain=plain.group(1)) is None


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_new_pages_pass_the_accessibility_check(
    language: str, owner: Actor, actor_with_role: Callable[[str], Actor], smtp_inbox: Any
) -> None:
    from zweck.web.tests.accessibility import accessibility_problems

    seller = actor_with_role(Role.SALES)
    client = client_for(owner)
    client.cookies["django_language"] = language
    link = _invite(client, smtp_inbox, "neu@example.com")
    token_create(actor=owner, name="Berichte")
    pages = [
        "/app/account/",
        "/app/account/two-factor/",
        "/app/settings/members/",
        f"/app/settings/members/{_membership(seller).pk}/deactivate/",
        "/app/settings/sessions/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert accessibility_problems(response.content.decode()) == [], path
    visitor = Client()
    visitor.cookies["django_language"] = language
    response = visitor.get(link)
    assert accessibility_problems(response.content.decode()) == []
