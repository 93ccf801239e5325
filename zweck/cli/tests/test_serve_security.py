"""No fixed secret key, and development settings never serve a network."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from zweck.cli.server import is_loopback

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.0.2.1", False),
        ("no-such-host.invalid", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_development_settings_on_a_network_address(settings: Any) -> None:
    settings.ZWECK_DEVELOPMENT_SETTINGS = True
    with pytest.raises(CommandError, match="this machine only"):
        call_command("serve", "--host", "0.0.0.0", "--port", "1")
    with pytest.raises(CommandError, match="this machine only"):
        call_command("demo", "--host", "192.0.2.1", "--port", "1")


def _development_key(data_dir: Path) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZWECK_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.development as d; print(d.SECRET_KEY)"],
        cwd=REPO,
        env=clean | {"ZWECK_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_each_installation_makes_and_keeps_its_own_key(tmp_path: Path) -> None:
    first = _development_key(tmp_path / "one")
    again = _development_key(tmp_path / "one")
    other = _development_key(tmp_path / "two")
    assert len(first) >= 50
    assert first == again
    assert first != other
    key_file = tmp_path / "one" / "secret-key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "zweck-insecure" not in (REPO / "config" / "settings" / "base.py").read_text()
