"""The simulated ButterflyMX account server: Doorkeeper-style token grants with expiry on the
cloud's clock, rotating refresh tokens and PKCE-checked authorization codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bmx_console.clock import Clock

DEMO_CLIENT_ID = "bmx-demo"
DEMO_CLIENT_SECRET = "demo-secret"
OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
AUTH_CODE_LIFETIME_S = 600


@dataclass(frozen=True, slots=True)
class GrantReply:
    status: int
    body: dict[str, Any]


def _error(status: int, code: str, description: str) -> GrantReply:
    return GrantReply(status, {"error": code, "error_description": description})


def pkce_challenge(verifier: str) -> str:
    """The S256 code challenge of ``verifier`` (RFC 7636), unpadded base64url."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class _Code:
    challenge: str
    client_id: str
    expires_at: datetime


class TokenAuthority:
    """Issues and checks tokens. Secrets never leave it except in the grant replies."""

    def __init__(self, clock: Clock, lifetime_s: int) -> None:
        self._clock = clock
        self.lifetime_s = lifetime_s
        self._lock = threading.Lock()
        self._clients = {DEMO_CLIENT_ID: DEMO_CLIENT_SECRET}
        self._access: dict[str, datetime] = {}
        self._refresh: set[str] = set()
        self._codes: dict[str, _Code] = {}
        self._requests: list[dict[str, Any]] = []
        self._issued: list[str] = []

    # --- what the /v4 routes ask -------------------------------------------------------
    def is_valid(self, access_token: str) -> bool:
        with self._lock:
            expires_at = self._access.get(access_token)
            return expires_at is not None and self._clock.now() < expires_at

    def history(self) -> list[dict[str, Any]]:
        """Every token request so far: grant type, client id, time, status, error code."""
        with self._lock:
            return [dict(entry) for entry in self._requests]

    def issued_secrets(self) -> list[str]:
        """Every access and refresh token handed out, for tests that look for leaks."""
        with self._lock:
            return list(self._issued)

    def expire_all(self) -> None:
        with self._lock:
            self._access.clear()

    def revoke_refresh_tokens(self) -> None:
        with self._lock:
            self._refresh.clear()

    def issue_auth_code(self, challenge: str, client_id: str = DEMO_CLIENT_ID) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Code(
                challenge,
                client_id,
                self._clock.now() + timedelta(seconds=AUTH_CODE_LIFETIME_S),
            )
        return code

    def known_client(self, client_id: str | None) -> bool:
        return client_id in self._clients

    # --- the token endpoint ------------------------------------------------------------
    def grant(self, params: dict[str, str], basic: tuple[str, str] | None = None) -> GrantReply:
        """Answer one POST /oauth/token with ``params`` from the form or JSON body."""
        client_id = params.get("client_id")
        client_secret = params.get("client_secret")
        if basic is not None:
            client_id, client_secret = basic
        grant_type = params.get("grant_type", "")
        with self._lock:
            reply = self._grant(grant_type, client_id, client_secret, params)
            self._requests.append(
                {
                    "grant_type": grant_type,
                    "client_id": client_id,
                    "at": self._clock.now().isoformat().replace("+00:00", "Z"),
                    "status": reply.status,
                    "error": reply.body.get("error"),
                    "basic_auth": basic is not None,
                }
            )
        return reply

    def _grant(
        self,
        grant_type: str,
        client_id: str | None,
        client_secret: str | None,
        params: dict[str, str],
    ) -> GrantReply:
        if grant_type == "client_credentials":
            if not self._secret_matches(client_id, client_secret):
                return self._bad_client()
            return self._issue(with_refresh=False)
        if grant_type == "authorization_code":
            if not self._public_client_ok(client_id, client_secret):
                return self._bad_client()
            return self._redeem_code(client_id or "", params)
        if grant_type == "refresh_token":
            if not self._public_client_ok(client_id, client_secret):
                return self._bad_client()
            old = params.get("refresh_token", "")
            if old not in self._refresh:
                return _error(
                    400,
                    "invalid_grant",
                    "The provided authorization grant is invalid, expired, revoked, does not "
                    "match the redirection URI used in the authorization request, or was "
                    "issued to another client.",
                )
            self._refresh.discard(old)
            return self._issue(with_refresh=True)
        if not grant_type:
            return _error(400, "invalid_request", "The request is missing grant_type.")
        return _error(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        )

    def _redeem_code(self, client_id: str, params: dict[str, str]) -> GrantReply:
        code = self._codes.pop(params.get("code", ""), None)
        invalid = _error(
            400,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match "
            "the redirection URI used in the authorization request, or was issued to another "
            "client.",
        )
        if code is None or code.client_id != client_id or self._clock.now() >= code.expires_at:
            return invalid
        if params.get("redirect_uri") != OOB_REDIRECT_URI:
            return invalid
        verifier = params.get("code_verifier", "")
        if not verifier or not hmac.compare_digest(pkce_challenge(verifier), code.challenge):
            return invalid
        return self._issue(with_refresh=True)

    def _secret_matches(self, client_id: str | None, client_secret: str | None) -> bool:
        expected = self._clients.get(client_id or "")
        return (
            expected is not None
            and client_secret is not None
            and hmac.compare_digest(expected, client_secret)
        )

    def _public_client_ok(self, client_id: str | None, client_secret: str | None) -> bool:
        """A PKCE client may omit its secret; a secret that is sent must be right."""
        if client_id not in self._clients:
            return False
        return client_secret in (None, "") or self._secret_matches(client_id, client_secret)

    def _bad_client(self) -> GrantReply:
        return _error(
            401,
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication "
            "included, or unsupported authentication method.",
        )

    def _issue(self, *, with_refresh: bool) -> GrantReply:
        now = self._clock.now()
        access = secrets.token_urlsafe(32)
        self._access[access] = now + timedelta(seconds=self.lifetime_s)
        self._issued.append(access)
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.lifetime_s,
            "scope": "public",
            "created_at": int(now.timestamp()),
        }
        if with_refresh:
            refresh = secrets.token_urlsafe(32)
            self._refresh.add(refresh)
            self._issued.append(refresh)
            body["refresh_token"] = refresh
        return GrantReply(200, body)
