"""A service's refusal (``ValidationError``) as a command's error, in the command's words."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def refusal(error: ValidationError, options: Mapping[str, str]) -> CommandError:
    """One line per message, led by the option it is about (``options`` names the option for
    each service argument, e.g. ``{"ends_on": "--until"}``); a message about no argument stands
    alone."""
    if not hasattr(error, "error_dict"):
        return CommandError(" ".join(error.messages))
    lines = [
        f"{options.get(name, name)}: {message}" if name != "__all__" else message
        for name, messages in error.message_dict.items()
        for message in messages
    ]
    return CommandError("\n".join(lines))
