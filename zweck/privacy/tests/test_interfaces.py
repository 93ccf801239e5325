"""The register from the command line and on the public privacy pages."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.privacy.defaults import ACTIVITY_PRESETS, RETENTION_PRESETS, SECURITY_MEASURE_PRESETS


def _run(*arguments: str) -> str:
    output = StringIO()
    call_command("register", *arguments, stdout=output, stderr=StringIO())
    return output.getvalue()


def test_cli_writes_the_notice(like_seed_004: Actor) -> None:
    slug = like_seed_004.workspace.slug
    document = _run("notice", "--subject", "client_contact", "--lang", "en", "--workspace", slug)
    assert document.startswith("# Privacy notice for Contacts at our clients\n")
    assert "NinjaOne, LLC" in document


def test_cli_writes_the_records_of_processing_as_pdf(like_seed_004: Actor, tmp_path: Path) -> None:
    target = tmp_path / "ropa.pdf"
    slug = like_seed_004.workspace.slug
    _run("ropa", "--lang", "de", "--format", "pdf", "--workspace", slug, "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF-")


def test_cli_exports_fides_yaml_and_reports_coverage(installed: Actor) -> None:
    slug = installed.workspace.slug
    manifest = yaml.safe_load(_run("fides", "--workspace", slug))
    assert sorted(manifest) == ["dataset", "system"]
    report = _run("coverage", "--workspace", slug)
    assert "Processing without a legal basis: none" in report
    assert "Recipients outside the EU/EEA without a safeguard: none" in report


def test_cli_installs_the_defaults_once(privacy_officer: Actor) -> None:
    slug = privacy_officer.workspace.slug
    shipped = len(RETENTION_PRESETS) + len(ACTIVITY_PRESETS) + len(SECURITY_MEASURE_PRESETS)
    assert shipped >= 29
    assert _run("install-defaults", "--workspace", slug) == f"{shipped} register rows created.\n"
    assert _run("install-defaults", "--workspace", slug) == "0 register rows created.\n"


def test_cli_refuses_an_unknown_workspace(db: None) -> None:
    with pytest.raises(CommandError, match=r"Name an existing workspace with --workspace\."):
        _run("coverage", "--workspace", "nowhere")


def test_public_notice_page_in_both_languages(like_seed_004: Actor, client: Client) -> None:
    slug = like_seed_004.workspace.slug
    german = client.get(f"/privacy/notice/client_contact/?workspace={slug}&lang=de")
    english = client.get(f"/privacy/notice/client_contact/?workspace={slug}&lang=en")
    assert german.status_code == english.status_code == 200
    assert german["Content-Language"] == "de"
    assert "<h1>Datenschutzhinweise für Ansprechpersonen bei unseren Kunden</h1>" in german.text
    assert "<h1>Privacy notice for Contacts at our clients</h1>" in english.text
    assert "NinjaOne, LLC" in english.text


def test_public_notice_as_pdf(like_seed_004: Actor, client: Client) -> None:
    response = client.get(
        f"/privacy/notice/business_contact/?workspace={like_seed_004.workspace.slug}&format=pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_public_notice_index_lists_the_four_groups(installed: Actor, client: Client) -> None:
    response = client.get(f"/privacy/notice/?workspace={installed.workspace.slug}&lang=en")
    assert response.status_code == 200
    for name in (
        "Business contacts",
        "Contacts at our clients",
        "People whose data our clients entrust to us",
        "Other people who contact us",
    ):
        assert name in response.text


@pytest.mark.parametrize(
    "path",
    ["/privacy/notice/staff/?workspace={slug}", "/privacy/notice/client_contact/?workspace=nowhere"],
)
def test_public_notice_answers_404_for_what_is_not_published(
    installed: Actor, client: Client, path: str
) -> None:
    assert client.get(path.format(slug=installed.workspace.slug)).status_code == 404
