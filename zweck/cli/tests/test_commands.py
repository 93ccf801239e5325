"""The ``zweck`` entry point and the account commands, run in this process against the test database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zweck.accounts.models import ApiToken, Membership, User, Workspace
from zweck.accounts.services import token_authenticate
from zweck.accounts.tests.factories import MembershipFactory, UserFactory, WorkspaceFactory
from zweck.cli.main import main
from zweck.core.permissions import Role


def run(*arguments: str) -> str:
    out = StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


def test_zweck_alone_lists_its_own_commands_with_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0

    listed = capsys.readouterr().out
    lines = {line.split()[0]: line for line in listed.splitlines() if line.startswith("  ")}
    for command in ("createtoken", "createworkspace", "demo", "seed", "serve"):
        assert command in lines
        assert len(lines[command].split(maxsplit=1)[1]) > 10
    assert "migrate" not in lines


def test_zweck_help_flag_lists_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    main([])
    alone = capsys.readouterr().out

    main(["--help"])

    assert capsys.readouterr().out == alone


@pytest.mark.django_db
def test_createworkspace_creates_workspace_and_owner_with_the_given_password() -> None:
    output = run("createworkspace", "Beispiel Beratung GmbH", "--owner-email", "Chefin@Example.com",
                 "--password", "a long test password", "--owner-name", "Clara Chefin")  # fmt: skip

    workspace = Workspace.objects.get()
    owner = User.objects.get()
    assert (workspace.name, workspace.slug) == ("Beispiel Beratung GmbH", "beispiel-beratung-gmbh")
    assert (owner.email, owner.full_name) == ("chefin@example.com", "Clara Chefin")
    assert owner.check_password("a long test password")
    assert Membership.objects.get().role == Role.OWNER
    assert output.splitlines() == [
        "Workspace Beispiel Beratung GmbH created, short name beispiel-beratung-gmbh.",
        "Owner: chefin@example.com",
        "Public holidays for deadlines: None (nationwide public holidays only)",
    ]


@pytest.mark.django_db
def test_createworkspace_without_password_prints_a_generated_one_that_works() -> None:
    output = run("createworkspace", "Nord GmbH", "--owner-email", "nord@example.com", "--slug", "nord")

    password = output.splitlines()[-1].removeprefix("Password (shown once): ")
    assert len(password) >= 16
    assert User.objects.get(email="nord@example.com").check_password(password)
    assert Workspace.objects.get().slug == "nord"


@pytest.mark.django_db
def test_createworkspace_makes_an_existing_login_owner_of_a_second_workspace() -> None:
    user = UserFactory(email="berater@example.com")
    MembershipFactory(user=user)

    run("createworkspace", "Zweite GmbH", "--owner-email", "berater@example.com")

    assert Membership.objects.get(workspace__name="Zweite GmbH").user == user
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_createworkspace_refuses_to_change_an_existing_logins_password() -> None:
    user = UserFactory(email="berater@example.com")

    with pytest.raises(CommandError, match="password is left unchanged"):
        run("createworkspace", "Zweite GmbH", "--owner-email", "berater@example.com", "--password", "x" * 20)

    assert Workspace.objects.count() == 0
    user.refresh_from_db()
    assert user.check_password("correct horse battery staple")


@pytest.mark.django_db
def test_createtoken_prints_a_token_that_authenticates_as_the_member() -> None:
    membership = MembershipFactory(role=Role.SALES, user=UserFactory(email="vertrieb@example.com"))

    output = run("createtoken", "--email", "vertrieb@example.com", "--workspace", membership.workspace.slug,
                 "--name", "Import script")  # fmt: skip

    plain = output.splitlines()[-1]
    actor = token_authenticate(plain=plain)
    assert actor is not None
    assert (actor.user, actor.workspace, actor.role) == (membership.user, membership.workspace, Role.SALES)
    assert ApiToken.objects.get().name == "Import script"
    assert plain not in ApiToken.objects.values_list("digest", flat=True)


@pytest.mark.django_db
def test_createtoken_refuses_a_workspace_the_login_is_not_a_member_of() -> None:
    UserFactory(email="vertrieb@example.com")
    other = WorkspaceFactory()

    with pytest.raises(CommandError, match="No active member"):
        run("createtoken", "--email", "vertrieb@example.com", "--workspace", other.slug, "--name", "x")

    assert ApiToken.objects.count() == 0
