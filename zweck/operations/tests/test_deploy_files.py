"""The reference deployment's files are valid for the tools that read them: the systemd units
for ``systemd-analyze verify`` (their /opt/zweck paths pointed at this checkout, whose
programs then exist), the nginx site for ``nginx -t`` (with a certificate made for the test)."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

REPOSITORY = Path(__file__).resolve().parents[3]
DEPLOY = REPOSITORY / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("zweck-*"))


def test_the_deployment_ships_a_unit_for_the_server_the_worker_and_the_backups() -> None:
    assert [unit.name for unit in UNITS] == [
        "zweck-backup.service",
        "zweck-backup.timer",
        "zweck-web.service",
        "zweck-worker.service",
    ]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("unit", [unit for unit in UNITS if unit.suffix == ".service"], ids=lambda u: u.name)
def test_systemd_units_verify(unit: Path, tmp_path: Path) -> None:
    for source in UNITS:
        text = source.read_text().replace("/opt/zweck", str(REPOSITORY))
        (tmp_path / source.name).write_text(text)
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / unit.name)], capture_output=True, text=True, check=False
    )
    complaints = [line for line in checked.stderr.splitlines() if "zweck" in line]
    assert checked.returncode == 0, checked.stderr
    assert complaints == []


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "crm.example.com")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    chain, private = directory / "fullchain.pem", directory / "privkey.pem"
    chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return chain, private


def _nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.mark.skipif(_nginx() is None, reason="nginx is not installed")
def test_the_nginx_site_passes_nginx_t(tmp_path: Path) -> None:
    chain, private = _certificate(tmp_path)
    site = (DEPLOY / "nginx" / "zweck.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/crm.example.com/fullchain.pem", str(chain))
    site = site.replace("/etc/letsencrypt/live/crm.example.com/privkey.pem", str(private))
    (tmp_path / "zweck.conf").write_text(site)
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"error_log {tmp_path}/logs/error.log;\npid {tmp_path}/nginx.pid;\n"
        "events {}\n"
        f"http {{\n  client_body_temp_path {tmp_path}/body;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/zweck.conf;\n}}\n"
    )
    checked = subprocess.run(
        [str(_nginx()), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr
