"""Starting and stopping the gunicorn servers the HTTP operations talk to.

Both systems run the same way: gunicorn's sync workers, the same worker count, bound to
127.0.0.1, no access log, no control socket. The benchmark only stops the processes it
started, by their process id.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(
    *,
    name: str,
    gunicorn: Path,
    application: str,
    workers: int,
    environment: dict[str, str],
    cwd: Path,
    log: Path,
    port: int | None = None,
    timeout: float = 120,
) -> Server:
    port = port or free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(gunicorn),
        application,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "600",
        "--no-control-socket",
    ]
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **environment}, stdout=output, stderr=subprocess.STDOUT
        )
    server = Server(name, process, port, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} did not start; see {log}")
        if len(server.worker_pids()) >= workers:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return server
            except OSError:
                pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not answer on port {port} within {timeout:.0f} s; see {log}")
