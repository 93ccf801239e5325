"""The subcommands of ``zweck workspace``: one class each, listed in ``SUBCOMMANDS``.

A subcommand names itself, adds its arguments to its own parser (the workspace's short name is
already there as ``slug``) and runs for the workspace's system actor. To add one, write a
class like ``update.UpdateWorkspace`` in a module of this package and list an instance below.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.management.base import BaseCommand, CommandParser

from zweck.accounts.actors import Actor


class WorkspaceSubcommand(Protocol):
    name: str
    help: str

    def add_arguments(self, parser: CommandParser) -> None:
        """The subcommand's own arguments and options."""
        ...

    def handle(self, command: BaseCommand, actor: Actor, options: dict[str, Any]) -> None:
        """Run for ``actor`` (the workspace's system actor); write to ``command.stdout``;
        refuse with ``CommandError``."""
        ...


def subcommands() -> tuple[WorkspaceSubcommand, ...]:
    from zweck.cli.workspace.offboard import OffboardWorkspace
    from zweck.cli.workspace.update import ShowWorkspace, UpdateWorkspace

    return (ShowWorkspace(), UpdateWorkspace(), OffboardWorkspace())
