"""``zweck demo`` end to end: fresh SQLite file, printed logins, a real server answering the API.

Settings are read once per process, so the commands run as subprocesses with their own
``ZWECK_DATA_DIR``, exactly as a user runs them.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from zweck.cli.demo import DEMO_LOGINS

REPOSITORY = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def data_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo") / "data"


@pytest.fixture(scope="module")
def demo_environment(data_directory: Path) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"} and not name.startswith("ZWECK_")
    }
    environment["ZWECK_DATA_DIR"] = str(data_directory)
    return environment


def zweck(environment: dict[str, str], *arguments: str) -> str:
    finished = subprocess.run(
        [sys.executable, "-m", "zweck.cli.main", *arguments],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def printed_password(output: str) -> str:
    return next(line for line in output.splitlines() if "Password for every login:" in line).split()[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def demo_loaded(demo_environment: dict[str, str]) -> str:
    """What ``zweck demo --no-serve`` printed the first time, on a fresh data directory."""
    return zweck(demo_environment, "demo", "--no-serve")


@pytest.fixture
def server(demo_environment: dict[str, str], demo_loaded: str) -> Iterator[str]:
    """``zweck serve`` on a free port over the demo data; yields its base URL once it accepts connections."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "zweck.cli.main", "serve", "--port", str(port), "--workers", "1"],
        cwd=REPOSITORY,
        env=demo_environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("zweck serve did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def get_json(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.load(response)


def test_demo_loads_the_sample_workspace_once(
    demo_environment: dict[str, str], demo_loaded: str, data_directory: Path
) -> None:
    # given the demo prepared on a fresh data directory
    first = demo_loaded

    # then the SQLite file holds the sample workspace and every login is printed
    database = data_directory / "zweck.sqlite3"
    with sqlite3.connect(database) as connection:
        counts = [
            connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("accounts_workspace", "accounts_user", "crm_organization", "crm_person", "crm_deal")
        ]
        categories = {row[0] for row in connection.execute("SELECT subject_category FROM crm_person")}
        deal_states = {row[0] for row in connection.execute("SELECT status FROM crm_deal")}
        recorded_calls = connection.execute("SELECT COUNT(*) FROM crm_activity WHERE is_recorded").fetchone()[
            0
        ]
    # One sample contact's retention period had ended: the demo's nightly maintenance erased him.
    assert counts == [1, len(DEMO_LOGINS), 9, 17, 6]
    assert "expired records erased" in first
    assert categories == {"business_contact", "client_contact", "client_data_subject", "other_contact"}
    assert deal_states == {"open", "won", "lost"}
    assert recorded_calls == 1
    for login in DEMO_LOGINS:
        assert login.email in first
    assert "http://127.0.0.1:8000/app/" in first
    password = printed_password(first)

    # when it runs again, nothing is loaded twice and the same password is printed
    second = zweck(demo_environment, "demo", "--no-serve")
    assert "loaded already" in second
    assert printed_password(second) == password
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM crm_person").fetchone()[0] == 17


def test_demo_owner_gets_a_token_and_reads_the_sample_data_over_http(
    demo_environment: dict[str, str], server: str
) -> None:
    owner = DEMO_LOGINS[0]
    token = zweck(
        demo_environment, "createtoken", "--email", owner.email, "--workspace", "demo", "--name", "test"
    ).splitlines()[-1]

    me = get_json(f"{server}/api/v1/me", token)
    persons = get_json(f"{server}/api/v1/persons?q=Demir", token)

    assert json.dumps(me).count(owner.email) == 1
    assert [person["last_name"] for person in persons["items"]] == ["Demir"]


def test_printed_password_signs_the_owner_in(
    demo_environment: dict[str, str], demo_loaded: str, data_directory: Path
) -> None:
    password = printed_password(demo_loaded)

    checked = zweck(
        demo_environment,
        "shell",
        "-c",
        "from django.contrib.auth import authenticate; "
        f"print(authenticate(username={DEMO_LOGINS[0].email!r}, password={password!r}) is not None)",
    )

    assert checked.strip().splitlines()[-1] == "True"
    assert (data_directory / "demo-password.txt").stat().st_mode & 0o077 == 0


def test_demo_refuses_a_database_that_is_not_its_own_sqlite_file(demo_environment: dict[str, str]) -> None:
    environment = demo_environment | {"DATABASE_URL": "postgres://nobody@127.0.0.1:9/not_the_demo"}

    finished = subprocess.run(
        [sys.executable, "-m", "zweck.cli.main", "demo", "--no-serve"],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert finished.returncode == 1
    assert "The demo runs on its own SQLite file" in finished.stderr
