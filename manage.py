#!/usr/bin/env python
"""Django's command-line utility; ``zweck`` is the friendlier entry point."""

import sys

from config import env


def main() -> None:
    env.set_default_settings_module("config.settings.development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
