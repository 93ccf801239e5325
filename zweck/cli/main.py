"""The ``zweck`` command: one entry point for Zweck's own commands and Django's.

``zweck <command> [args]`` runs the management command of that name, so ``zweck migrate``
and ``zweck register ropa`` work alike. ``zweck`` alone (or ``zweck --help``) lists only
Zweck's own commands; ``zweck help`` lists every command, Django's included.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from config import env

DEFAULT_SETTINGS = "config.settings.development"
PROGRAM = "zweck"


def own_commands() -> dict[str, str]:
    """Zweck's own commands with the first line of their help, sorted by name."""
    from django.core.management import get_commands, load_command_class

    listed = {}
    for name, app in sorted(get_commands().items()):
        if app.startswith("zweck."):
            help_text = str(load_command_class(app, name).help or "")
            listed[name] = help_text.strip().splitlines()[0] if help_text.strip() else ""
    return listed


def usage() -> str:
    from django.utils.translation import gettext as _

    commands = own_commands()
    width = max((len(name) for name in commands), default=0)
    lines = [
        _("Usage: %(program)s <command> [options]") % {"program": PROGRAM},
        "",
        _("Zweck's commands:"),
        *(f"  {name.ljust(width)}  {help_text}" for name, help_text in commands.items()),
        "",
        _(
            "Django's commands work too (migrate, createsuperuser, shell, ...): '%(program)s help' lists them all."
        )
        % {"program": PROGRAM},
        _("'%(program)s <command> --help' explains one command.") % {"program": PROGRAM},
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``zweck``; returns the process exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    env.set_default_settings_module(DEFAULT_SETTINGS)
    import django
    from django.core.management import execute_from_command_line

    if not arguments or arguments[0] in {"-h", "--help"}:
        django.setup()
        print(usage())
        return 0
    execute_from_command_line([PROGRAM, *arguments])
    return 0


if __name__ == "__main__":
    sys.exit(main())
