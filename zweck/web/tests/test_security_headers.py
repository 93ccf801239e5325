"""Every kind of response carries the security headers under the production settings: staff
pages, the login page, the API, its documentation, the public portal and static files."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.services import token_create
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

PRODUCTION = Path(__file__).resolve().parents[3] / "config" / "settings" / "production.py"
# What the production module decides about security; the database and files stay the tests'.
SECURITY_SETTINGS = (
    "DEBUG",
    "MIDDLEWARE",
    "SECURE_CSP",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "PERMISSIONS_POLICY",
    "CROSS_ORIGIN_RESOURCE_POLICY",
    "X_FRAME_OPTIONS",
)


@pytest.fixture
def production(settings: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("ZWECK_SECRET_KEY", "q8Vd3kP0zLr7Wm2Nx5Tb9Hc4Jf6Gs1Ya" * 2)
    values = runpy.run_path(str(PRODUCTION), run_name="config.settings.production_under_test")
    for name in SECURITY_SETTINGS:
        setattr(settings, name, values[name])
    return values


def _assert_headers(response: Any) -> None:
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https(production: dict[str, Any]) -> None:
    response = Client().get("/app/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/app/login/"


def test_a_forwarded_https_is_believed_only_from_a_trusted_proxy(
    production: dict[str, Any], settings: Any
) -> None:
    settings.ZWECK_TRUSTED_PROXIES = ["10.0.0.1"]
    from_proxy = Client(REMOTE_ADDR="10.0.0.1").get("/app/login/", HTTP_X_FORWARDED_PROTO="https")
    assert from_proxy.status_code == 200
    from_anyone = Client(REMOTE_ADDR="192.0.2.1").get("/app/login/", HTTP_X_FORWARDED_PROTO="https")
    assert from_anyone.status_code == 301


@pytest.mark.parametrize(
    "path",
    [
        "/app/login/",
        "/app/password-reset/",
        "/api/v1/docs",
        "/api/v1/openapi.json",
        "/static/web/zweck.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/privacy/document.css",
        "/app/no-such-page/",
    ],
)
def test_anonymous_responses_carry_the_headers(production: dict[str, Any], path: str) -> None:
    response = Client().get(path, secure=True)
    assert response.status_code in (200, 302, 404), response.status_code
    _assert_headers(response)


def test_staff_pages_api_and_portal_carry_the_headers(production: dict[str, Any], owner: Actor) -> None:
    staff = client_for(owner)
    for path in ("/app/", "/app/security-log/", "/app/password/", "/app/settings/sessions/"):
        response = staff.get(path, secure=True)
        assert response.status_code == 200, path
        _assert_headers(response)
    _token, plain = token_create(actor=owner, name="headers")
    api = Client().get("/api/v1/persons", secure=True, HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert api.status_code == 200
    _assert_headers(api)
    refused = Client().get("/api/v1/persons", secure=True, HTTP_AUTHORIZATION="Bearer zk_unknown")
    assert refused.status_code == 401
    _assert_headers(refused)
    portal = Client().get(f"/privacy/?workspace={owner.workspace.slug}", secure=True)
    _assert_headers(portal)


def test_the_api_documentation_is_served_from_local_files(production: dict[str, Any]) -> None:
    page = Client().get("/api/v1/docs", secure=True).content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_no_template_has_an_inline_script_or_style() -> None:
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        text = template.read_text()
        if "<style" in text or " style=" in text or " onclick=" in text or "javascript:" in text:
            offenders.append(str(template.relative_to(root)))
        for line in text.splitlines():
            if "<script" in line and "src=" not in line and "application/json" not in line:
                offenders.append(f"{template.relative_to(root)}: {line.strip()}")
    # Documents made to travel alone (PDF, downloaded HTML) carry their styles inside; the pages
    # Zweck serves from _document.html replace its style block with a link to the same file.
    allowed = {
        "privacy/templates/privacy/access_export.html",
        "privacy/templates/privacy/_document.html",
        "sales/templates/sales/document.html",  # rendered to PDF only, never served as a page
        "sales/templates/sales/reminder.html",  # the reminder letter: PDF only
        "sales/templates/sales/_page_style.html",  # the letters' shared styles: PDF only
        # The consent proof carries its styles only in the PDF (proof_html(inline_css=True)).
        "marketing/templates/marketing/proof.html",
    }
    assert [name for name in offenders if name not in allowed] == []
