"""The shared HTTP client and the rule for which URLs may receive a token."""

from __future__ import annotations

import httpx
import pytest
import truststore

from bmx_console.api import http as bmx_http
from bmx_console.api.http import check_url, make_http_client
from bmx_console.errors import ConfigError


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.butterflymx.com/", "https://api.butterflymx.com"),
        (" https://api.na.sandbox.butterflymx.com ", "https://api.na.sandbox.butterflymx.com"),
        ("HTTPS://API.EXAMPLE/v4/", "HTTPS://API.EXAMPLE/v4"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("http://127.9.0.1", "http://127.9.0.1"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://[::1]:8000/", "http://[::1]:8000"),
    ],
)
def test_accepted_urls(url: str, expected: str) -> None:
    assert check_url("api_base", url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://api.butterflymx.com",
        "http://192.168.1.10",
        "http://localhost.evil.example",
        "ftp://api.butterflymx.com",
        "api.butterflymx.com",
        "https://",
        "",
        "http://[::1",
    ],
)
def test_refused_urls(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_url("api_base", url)
    assert str(caught.value).startswith(
        "api_base must be an https:// URL (plain http is allowed only for loopback hosts such "
        "as 127.0.0.1 or localhost): got "
    )


def test_refusal_names_the_field_and_hides_a_password() -> None:
    with pytest.raises(ConfigError) as caught:
        check_url("token_url", "http://user:hunter2@accounts.example/oauth/token")
    assert str(caught.value).startswith("token_url must")
    assert "accounts.example/oauth/token" in str(caught.value)
    assert "hunter2" not in str(caught.value)


async def test_client_settings() -> None:
    client = make_http_client(timeout_s=7.5)
    try:
        assert client.timeout == httpx.Timeout(7.5)
        assert client.follow_redirects is False
        assert client.trust_env is True
        assert client.headers["user-agent"].startswith("bmx-console/")
        assert client.headers["accept"] == "application/json"
    finally:
        await client.aclose()


def test_tls_uses_the_os_trust_store_and_always_verifies() -> None:
    context = bmx_http._tls_verify()
    assert isinstance(context, truststore.SSLContext)
    assert context.verify_mode.name == "CERT_REQUIRED"
    assert context.check_hostname is True


async def test_proxy_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    client = make_http_client(timeout_s=5)
    try:
        mounts = {str(pattern.pattern): transport for pattern, transport in client._mounts.items()}
        assert mounts["https://"] is not None
        assert mounts["all://*internal.example"] is None
    finally:
        await client.aclose()


async def test_given_transport_is_used() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"ok": True})

    client = make_http_client(timeout_s=5, transport=httpx.MockTransport(handler))
    try:
        assert (await client.get("https://sim.invalid/v4/buildings")).json() == {"ok": True}
    finally:
        await client.aclose()
    assert seen == ["https://sim.invalid/v4/buildings"]
