"""The client's address: forwarding headers believed from trusted proxies only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from zweck.core.clients import client_address


def _request(**meta: str) -> Any:
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_connection_is_the_client(settings: Any) -> None:
    settings.ZWECK_TRUSTED_PROXIES = []
    request = _request(
        REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https"
    )
    assert client_address(request) == "192.0.2.1"
    # the untrusted headers are gone, so HTTPS detection cannot be fooled either
    assert "HTTP_X_FORWARDED_FOR" not in request.META
    assert "HTTP_X_FORWARDED_PROTO" not in request.META


def test_behind_a_trusted_proxy_the_forwarded_client_counts(settings: Any) -> None:
    settings.ZWECK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = _request(
        REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https"
    )
    assert client_address(request) == "203.0.113.9"
    assert request.META["HTTP_X_FORWARDED_PROTO"] == "https"


def test_a_client_cannot_forge_the_left_part_of_the_chain(settings: Any) -> None:
    settings.ZWECK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # the client wrote "1.2.3.4" itself; the proxies appended the real client and each other
    request = _request(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.7")
    assert client_address(request) == "203.0.113.9"


def test_a_malformed_chain_ends_at_the_last_good_hop(settings: Any) -> None:
    settings.ZWECK_TRUSTED_PROXIES = ["10.0.0.5"]
    request = _request(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9, not-an-address")
    assert client_address(request) == "10.0.0.5"


@pytest.mark.django_db
def test_the_middleware_gives_every_reader_the_same_address(settings: Any) -> None:
    settings.ZWECK_TRUSTED_PROXIES = ["10.0.0.5"]
    response = Client(REMOTE_ADDR="10.0.0.5").get("/app/login/", HTTP_X_FORWARDED_FOR="2001:db8::1")
    assert response.wsgi_request.META["REMOTE_ADDR"] == "2001:db8::1"
    assert client_address(response.wsgi_request) == "2001:db8::1"
