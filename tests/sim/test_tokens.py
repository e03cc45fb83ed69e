"""The simulated account server: client credentials (form, JSON, Basic), sign-in by pasted
code with PKCE, rotating refresh tokens, and expiry that follows the cloud's clock."""

from __future__ import annotations

import base64
import re
import secrets

import httpx

from bmx_console.clock import FakeClock
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.tokens import OOB_REDIRECT_URI, pkce_challenge
from bmx_console.sim.transport import in_process_transport

from .conftest import client_credentials


async def _sign_in_by_code(anon: httpx.AsyncClient, verifier: str) -> httpx.Response:
    page = await anon.get(
        "/oauth/authorize",
        params={
            "client_id": DEMO_CLIENT_ID,
            "redirect_uri": OOB_REDIRECT_URI,
            "response_type": "code",
            "code_challenge": pkce_challenge(verifier),
            "code_challenge_method": "S256",
        },
    )
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    match = re.search(r"<code id='authorization_code'>([^<]+)</code>", page.text)
    assert match, page.text
    return await anon.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": DEMO_CLIENT_ID,
            "code": match.group(1),
            "redirect_uri": OOB_REDIRECT_URI,
            "code_verifier": verifier,
        },
    )


async def _refresh(anon: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await anon.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "client_id": DEMO_CLIENT_ID,
            "refresh_token": refresh_token,
        },
    )


async def _buildings(anon: httpx.AsyncClient, token: str) -> httpx.Response:
    return await anon.get("/v4/buildings", headers={"Authorization": f"Bearer {token}"})


async def test_client_credentials_in_the_form_body_give_a_doorkeeper_token(
    anon: httpx.AsyncClient,
) -> None:
    reply = await anon.post("/oauth/token", data=client_credentials())
    assert reply.status_code == 200
    body = reply.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 86400
    assert body["scope"] == "public"
    assert isinstance(body["created_at"], int)
    assert (await _buildings(anon, body["access_token"])).status_code == 200


async def test_client_credentials_also_work_as_json_and_as_http_basic(
    anon: httpx.AsyncClient, cloud: Cloud
) -> None:
    as_json = await anon.post("/oauth/token", json=client_credentials())
    basic = base64.b64encode(f"{DEMO_CLIENT_ID}:{DEMO_CLIENT_SECRET}".encode()).decode()
    as_basic = await anon.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert as_json.status_code == 200
    assert as_basic.status_code == 200
    assert [r["basic_auth"] for r in cloud.token_requests] == [False, True]


async def test_a_wrong_secret_is_401_invalid_client(anon: httpx.AsyncClient, cloud: Cloud) -> None:
    wrong = client_credentials() | {"client_secret": "not-the-secret"}
    reply = await anon.post("/oauth/token", data=wrong)
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"
    assert reply.json()["error_description"]
    recorded = cloud.token_requests
    assert recorded[-1]["status"] == 401
    assert "not-the-secret" not in repr(recorded)
    assert DEMO_CLIENT_SECRET not in repr(recorded)


async def test_an_unknown_grant_type_is_400(anon: httpx.AsyncClient) -> None:
    reply = await anon.post("/oauth/token", data=client_credentials() | {"grant_type": "password"})
    assert reply.status_code == 400
    assert reply.json()["error"] == "unsupported_grant_type"


async def test_a_token_expires_on_the_clouds_clock(clock: FakeClock) -> None:
    cloud = Cloud(clock=clock, token_lifetime_s=600, event_rate_per_min=0, call_rate_per_min=0)
    async with httpx.AsyncClient(transport=in_process_transport(cloud), base_url="http://s") as c:
        token = (await c.post("/oauth/token", data=client_credentials())).json()
        assert token["expires_in"] == 600
        clock.advance(599)
        assert (await _buildings(c, token["access_token"])).status_code == 200
        clock.advance(1)
        expired = await _buildings(c, token["access_token"])
    assert expired.status_code == 401
    assert expired.json()["errors"][0]["messages"] == "Unauthorized"


async def test_expire_tokens_makes_every_token_fail_with_401(
    api: httpx.AsyncClient, cloud: Cloud
) -> None:
    assert (await api.get("/v4/buildings")).status_code == 200
    cloud.expire_tokens()
    assert (await api.get("/v4/buildings")).status_code == 401


async def test_a_made_up_bearer_token_is_refused(anon: httpx.AsyncClient) -> None:
    assert (await _buildings(anon, "guessed")).status_code == 401
    reply = await anon.get("/v4/buildings", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert reply.status_code == 401


async def test_sign_in_by_pasted_code_with_pkce_gives_a_refreshable_token(
    anon: httpx.AsyncClient,
) -> None:
    reply = await _sign_in_by_code(anon, secrets.token_urlsafe(48))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["refresh_token"]
    assert (await _buildings(anon, body["access_token"])).status_code == 200


async def test_a_code_with_the_wrong_verifier_is_400_invalid_grant(
    anon: httpx.AsyncClient, cloud: Cloud
) -> None:
    code = cloud.issue_auth_code(pkce_challenge("the-verifier-the-console-kept-" + "x" * 20))
    reply = await anon.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": DEMO_CLIENT_ID,
            "code": code,
            "redirect_uri": OOB_REDIRECT_URI,
            "code_verifier": "some-other-verifier-" + "y" * 30,
        },
    )
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_grant"


async def test_a_code_works_once_and_not_after_it_expires(
    anon: httpx.AsyncClient, cloud: Cloud, clock: FakeClock
) -> None:
    verifier = secrets.token_urlsafe(48)

    def exchange(code: str) -> dict[str, str]:
        return {
            "grant_type": "authorization_code",
            "client_id": DEMO_CLIENT_ID,
            "code": code,
            "redirect_uri": OOB_REDIRECT_URI,
            "code_verifier": verifier,
        }

    code = cloud.issue_auth_code(pkce_challenge(verifier))
    assert (await anon.post("/oauth/token", data=exchange(code))).status_code == 200
    assert (await anon.post("/oauth/token", data=exchange(code))).status_code == 400
    stale = cloud.issue_auth_code(pkce_challenge(verifier))
    clock.advance(601)
    assert (await anon.post("/oauth/token", data=exchange(stale))).status_code == 400


async def test_authorize_refuses_a_request_without_s256_pkce(anon: httpx.AsyncClient) -> None:
    reply = await anon.get(
        "/oauth/authorize",
        params={"client_id": DEMO_CLIENT_ID, "redirect_uri": OOB_REDIRECT_URI},
    )
    assert reply.status_code == 400
    assert "code_challenge" in reply.text


async def test_refresh_tokens_rotate_and_an_old_one_is_invalid_grant(
    anon: httpx.AsyncClient, cloud: Cloud
) -> None:
    first = (await _sign_in_by_code(anon, secrets.token_urlsafe(48))).json()
    second = await _refresh(anon, first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()["refresh_token"]
    assert rotated != first["refresh_token"]
    assert (await _buildings(anon, second.json()["access_token"])).status_code == 200

    reused = await _refresh(anon, first["refresh_token"])
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    assert (await _refresh(anon, rotated)).status_code == 200
    grants = [r["grant_type"] for r in cloud.token_requests]
    assert grants == ["authorization_code", "refresh_token", "refresh_token", "refresh_token"]
    assert [r["status"] for r in cloud.token_requests] == [200, 200, 400, 200]


async def test_revoked_refresh_tokens_are_refused(anon: httpx.AsyncClient, cloud: Cloud) -> None:
    signed_in = (await _sign_in_by_code(anon, secrets.token_urlsafe(48))).json()
    cloud.revoke_refresh_tokens()
    reply = await _refresh(anon, signed_in["refresh_token"])
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_grant"


async def test_refresh_with_an_unknown_client_is_401(anon: httpx.AsyncClient) -> None:
    signed_in = (await _sign_in_by_code(anon, secrets.token_urlsafe(48))).json()
    reply = await anon.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "client_id": "someone-else",
            "refresh_token": signed_in["refresh_token"],
        },
    )
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"
