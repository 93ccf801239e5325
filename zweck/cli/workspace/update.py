"""``zweck workspace show SLUG`` and ``zweck workspace update SLUG --legal-name ... --state BY``:
the controller's details every notice and the records of processing name."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.cli.arguments import FEDERAL_STATE_HELP, federal_state
from zweck.cli.refusal import refusal
from zweck.privacy.controller import CONTROLLER_FIELDS, controller_get, controller_update
from zweck.privacy.documents import portal_address

# The option of each detail (the service's argument names read as options).
OPTIONS = {
    "name": "--name",
    "legal_name": "--legal-name",
    "street": "--street",
    "postal_code": "--postal-code",
    "city": "--city",
    "country": "--country",
    "federal_state": "--state",
    "email": "--email",
    "phone": "--phone",
    "website": "--website",
    "privacy_portal_url": "--portal-url",
    "representative": "--representative",
    "dpo_name": "--dpo-name",
    "dpo_email": "--dpo-email",
    "dpo_phone": "--dpo-phone",
    "supervisory_authority": "--authority",
    "supervisory_authority_url": "--authority-url",
}
assert set(OPTIONS) == set(CONTROLLER_FIELDS)


def _label(name: str) -> str:
    model_field = Workspace._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    return str(model_field.verbose_name)


def details_text(workspace: Workspace) -> str:
    """The controller's details, one ``label: value`` line each, in the interface language."""
    lines = []
    for name in CONTROLLER_FIELDS:
        label = _label(name)
        value = workspace.get_federal_state_display() if name == "federal_state" else getattr(workspace, name)
        lines.append(f"{label[:1].upper()}{label[1:]}: {str(value).replace(chr(10), ', ') or '—'}")
    lines.append(f"{_('Privacy portal named in the notices')}: {portal_address(workspace) or '—'}")
    return "\n".join(lines)


class ShowWorkspace:
    name = "show"
    help = gettext_noop("Show the controller's details the privacy notices name.")

    def add_arguments(self, parser: CommandParser) -> None:
        pass

    def handle(self, command: BaseCommand, actor: Actor, options: dict[str, Any]) -> None:
        command.stdout.write(details_text(controller_get(actor=actor)))


class UpdateWorkspace:
    name = "update"
    help = gettext_noop(
        "Change the controller's details (name, address, representative, data-protection officer, "
        "supervisory authority, federal state, privacy portal); a changed notice gets a new version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for name, option in OPTIONS.items():
            if name == "federal_state":
                parser.add_argument(option, dest=name, type=federal_state, help=FEDERAL_STATE_HELP)
                continue
            parser.add_argument(option, dest=name, help=_label(name))

    def handle(self, command: BaseCommand, actor: Actor, options: dict[str, Any]) -> None:
        changes = {name: options[name] for name in OPTIONS if options.get(name) is not None}
        if changes:
            try:
                controller_update(actor=actor, **changes)
            except ValidationError as error:
                raise refusal(error, OPTIONS) from error
        command.stdout.write(details_text(controller_get(actor=actor)))
