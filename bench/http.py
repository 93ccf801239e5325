"""The HTTP clients the benchmark drives Zweck and the peer with.

``ServerClient`` talks to a real server over TCP (one new connection per request: the
sync gunicorn workers used for both systems close the connection after each response,
so keeping it open would not help either side). ``InProcessClient`` calls Zweck's WSGI
application in this process; the smoke test uses it because a server process cannot see
the test's transaction.
"""

from __future__ import annotations

import http.client
import json
import uuid
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class HttpClient(Protocol):
    pids: list[int]

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: object | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> Response: ...


def multipart(files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for field_name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class ServerClient:
    """Requests to ``http://host:port`` with ``Authorization: Bearer <token>``."""

    def __init__(self, *, host: str, port: int, token: str, pids: list[int] | None = None) -> None:
        self.host, self.port, self.token = host, port, token
        self.pids = pids or []

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: object | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> Response:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        body: bytes | None = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif files is not None:
            body, headers["Content-Type"] = multipart(files)
        connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.read())
        finally:
            connection.close()


class InProcessClient:
    """Zweck's WSGI application called in this process (the same URL routing and middleware)."""

    def __init__(self, *, token: str) -> None:
        from django.test import Client

        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        self.pids: list[int] = []
        import os

        self.pids = [os.getpid()]

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: object | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> Response:
        if files is not None:
            body, content_type = multipart(files)
            answer = self.client.generic(method, path, data=body, content_type=content_type)
        elif json_body is not None:
            answer = self.client.generic(
                method, path, data=json.dumps(json_body), content_type="application/json"
            )
        else:
            answer = self.client.generic(method, path)
        content = (
            b"".join(answer.streaming_content)  # type: ignore[attr-defined]
            if answer.streaming
            else answer.content
        )
        return Response(answer.status_code, content)
