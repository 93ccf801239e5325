"""A real SMTP server for tests: what it received, message by message (see the ``smtp_inbox``
fixture in the root ``conftest.py``)."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.message import Message
from typing import Any


class Inbox:
    """What a real SMTP server on the loopback received, message by message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
