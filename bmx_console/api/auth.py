"""OAuth 2.0 access tokens for ButterflyMX: get one, keep it fresh, never leak it.

Two ways in, as the cloud offers them: a ``client_id`` + ``client_secret`` pair
(``client_credentials``), or a person's sign-in by pasted code (``authorization_code`` with
PKCE) that is then kept alive with ``refresh_token``. Refresh tokens rotate: each refresh
returns a new one and the old one dies, so the new one goes to ``on_refresh_token`` (the
keyring) before anything else happens, or the next start would have to sign in again.

Concurrent callers share one token request: pollers, a release and the kiosk all wake up
on an expired token at the same moment, and N refreshes of a rotating token would leave
all but one of them holding a dead refresh token.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

import httpx

from bmx_console.api.http import check_url, network_error
from bmx_console.api.replies import (
    SIGN_IN_SERVICE,
    TOKEN_REPLY_MAX_BYTES,
    Grant,
    deadline_error,
    token_lifetime,
    token_reply,
)
from bmx_console.api.transfer import DeadlineExceeded, send_bounded
from bmx_console.clock import Clock, SystemClock
from bmx_console.errors import (
    ConfigError,
    InvalidRequest,
    SignedOut,
    TokenRequestFailed,
    TransientError,
)

log = logging.getLogger("bmx_console.api")

State = Literal["signed_in", "signed_out", "idle"]

REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
REFRESH_AHEAD_S = 300.0
# Below this lifetime "5 minutes ahead" would refresh at once or constantly: use half-life.
SHORT_LIFETIME_S = 600.0

REFUSED = "signed out: sign in again — the saved sign-in was refused by ButterflyMX."
NO_SIGN_IN = (
    "signed out: sign in again — there is no saved sign-in and no client secret for this client_id."
)
SIGNED_OUT_HERE = "signed out: sign in again — you signed out of ButterflyMX on this desk."


@dataclass(frozen=True)
class Token:
    access_token: str = field(repr=False)
    expires_at: datetime
    refresh_token: str | None = field(default=None, repr=False)
    scope: str | None = None


@dataclass(frozen=True)
class SignInRequest:
    """One pending sign-in: open ``url``, then pass the code ButterflyMX shows back."""

    url: str
    verifier: str = field(repr=False)
    state: str


class TokenManager:
    """Holds the current access token and gets a new one when it is due.

    ``state`` is ``idle`` while there is a way to get a token but none has been fetched yet,
    ``signed_in`` while a token is held, and ``signed_out`` when only the operator can help
    (no credentials, the saved sign-in was refused, or they signed out).
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        token_url: str,
        client_id: str,
        client_secret: str | None = None,
        refresh_token: str | None = None,
        on_refresh_token: Callable[[str | None], None] | None = None,
        clock: Clock = SystemClock(),  # noqa: B008 - stateless, safe to share
        authorize_url: str | None = None,
    ) -> None:
        self._http = http
        self._token_url = check_url("token_url", token_url)
        self._authorize_url = (
            check_url("authorize_url", authorize_url)
            if authorize_url
            else _authorize_url_for(self._token_url)
        )
        self._client_id = client_id
        self._client_secret = client_secret or None
        self._refresh_token = refresh_token or None
        self._on_refresh_token = on_refresh_token
        self._clock = clock
        self._token: Token | None = None
        self._refresh_at: datetime | None = None
        self._inflight: asyncio.Task[Token] | None = None
        # Bumped by sign-in and sign-out, so that a token request already in flight cannot
        # bring back a session the operator has just replaced or ended.
        self._generation = 0
        self._signed_out_reason = NO_SIGN_IN
        self._listeners: list[Callable[[str], None]] = []
        # Whether the last refresh token handed to ``on_refresh_token`` was kept there (None:
        # none handed over yet), and why not: sign-in must not claim to be saved when it is not.
        self._saved: bool | None = None
        self._save_problem: str | None = None
        self._state: State = "idle" if self._has_grant() else "signed_out"

    def __repr__(self) -> str:
        return (
            f"TokenManager(token_url={self._token_url!r}, client_id={self._client_id!r}, "
            f"state={self._state!r}, expires_at={self.expires_at!r})"
        )

    @property
    def state(self) -> State:
        return self._state

    @property
    def expires_at(self) -> datetime | None:
        return self._token.expires_at if self._token else None

    @property
    def refresh_token_saved(self) -> bool | None:
        """True once the newest refresh token was stored, False when storing it failed (it
        lives in this process only), None when none was handed over."""
        return self._saved

    @property
    def save_problem(self) -> str | None:
        """The sentence saying why the refresh token could not be stored, if it could not."""
        return self._save_problem

    @property
    def signed_in_as_person(self) -> bool:
        """Whether tokens come from a person's sign-in (pasted code, then refresh) rather
        than client credentials: what ``/v3/me`` needs to know who is answering a call."""
        return self._client_secret is None and self._refresh_token is not None

    def add_listener(self, callback: Callable[[str], None]) -> None:
        self._listeners.append(callback)

    async def access_token(self) -> str:
        """A token good for the next request; fetched or refreshed first when due."""
        token, refresh_at = self._token, self._refresh_at
        if token is not None and refresh_at is not None and self._clock.now() < refresh_at:
            return token.access_token
        try:
            return (await self._shared_request()).access_token
        except TransientError:
            # A refresh ahead of expiry that fails on the network is no reason to stop: the
            # current token still works for a few minutes, and the next call tries again.
            current = self._token
            if current is not None and self._clock.now() < current.expires_at:
                return current.access_token
            raise

    def invalidate(self, access_token: str) -> None:
        """Forget ``access_token`` after a 401, unless a newer token has replaced it already
        (then the caller that got the 401 simply uses the newer one)."""
        if self._token is not None and secrets.compare_digest(
            self._token.access_token, access_token
        ):
            self._token = None
            self._refresh_at = None

    async def refresh(self) -> Token:
        """Get a new token now, whatever the current one's expiry."""
        self._refresh_at = None
        return await self._shared_request()

    def set_client_secret(self, client_secret: str | None) -> None:
        """Use new client credentials (e.g. re-minted after a refusal) from the next call."""
        self._client_secret = client_secret or None
        self._generation += 1
        self._token = None
        self._refresh_at = None
        self._set_state("idle" if self._has_grant() else "signed_out")

    def start_sign_in(self) -> SignInRequest:
        """A browser URL for the operator; ButterflyMX then shows a code to paste back."""
        if not self._authorize_url:
            raise ConfigError(
                "authorize_url is not set and cannot be derived from token_url: set it to "
                "the ButterflyMX /oauth/authorize address."
            )
        verifier = secrets.token_urlsafe(64)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest())
            .rstrip(b"=")
            .decode("ascii")
        )
        state = secrets.token_urlsafe(16)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self._client_id,
                "redirect_uri": REDIRECT_URI,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                "state": state,
            }
        )
        return SignInRequest(url=f"{self._authorize_url}?{query}", verifier=verifier, state=state)

    async def finish_sign_in(self, request: SignInRequest, code: str) -> Token:
        """Trade the pasted code for a token; the new refresh token goes to the keyring."""
        code = code.strip()
        if not code:
            raise InvalidRequest(
                "the sign-in code is empty: paste the code ButterflyMX showed after you signed in."
            )
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": self._client_id,
            "code_verifier": request.verifier,
        }
        if self._client_secret:
            form["client_secret"] = self._client_secret
        response = await self._post(form)
        data = self._reply(response, "authorization_code")
        self._generation += 1
        return self._accept(data)

    def sign_out(self) -> None:
        """Forget every token and credential held here; the keyring copy is cleared too."""
        self._generation += 1
        self._token = None
        self._refresh_at = None
        self._client_secret = None
        self._refresh_token = None
        self._signed_out_reason = SIGNED_OUT_HERE
        self._hand_over_refresh_token(None)
        self._set_state("signed_out")

    # -- internals -------------------------------------------------------------------------

    def _has_grant(self) -> bool:
        return bool(self._client_secret or self._refresh_token)

    def _set_state(self, state: State) -> None:
        if state == self._state:
            return
        self._state = state
        for callback in list(self._listeners):
            try:
                callback(state)
            except Exception:
                log.exception("token state listener failed")

    def _hand_over_refresh_token(self, value: str | None) -> None:
        if self._on_refresh_token is None:
            return
        try:
            self._on_refresh_token(value)
        except Exception as exc:
            # The rotated token is held in memory, so this session keeps working; only the
            # next start would need a new sign-in. The message may carry the value: not logged
            # (a ConfigError's sentence is ours, and never carries it).
            log.warning("could not save the refresh token: %s", type(exc).__name__)
            self._saved = False
            self._save_problem = str(exc) if isinstance(exc, ConfigError) else None
        else:
            self._saved = value is not None
            self._save_problem = None

    async def _shared_request(self) -> Token:
        task = self._inflight
        if task is None:
            task = asyncio.ensure_future(self._request_token())
            self._inflight = task
            task.add_done_callback(self._request_done)
        # shield: one waiter giving up (a cancelled poll) must not cancel the others' request.
        return await asyncio.shield(task)

    def _request_done(self, task: asyncio.Task[Token]) -> None:
        if self._inflight is task:
            self._inflight = None
        if not task.cancelled():
            task.exception()  # every waiter may have gone: mark it seen, they got it or left

    async def _request_token(self) -> Token:
        generation = self._generation
        grant: Grant
        if self._client_secret:
            grant = "client_credentials"
            form = {
                "grant_type": grant,
                "client_id": self._client_id,
                "client_secret": self._client_secret,
            }
        elif self._refresh_token:
            grant = "refresh_token"
            form = {
                "grant_type": grant,
                "refresh_token": self._refresh_token,
                "client_id": self._client_id,
            }
        else:
            self._set_state("signed_out")
            raise SignedOut(self._signed_out_reason, endpoint=self._token_path)
        response = await self._post(form)
        if generation != self._generation:
            return self._superseded()
        try:
            data = self._reply(response, grant)
        except (SignedOut, TokenRequestFailed):
            if generation == self._generation:
                self._token = None
                self._refresh_at = None
                self._set_state("signed_out")
            raise
        if generation != self._generation:
            return self._superseded()
        return self._accept(data)

    def _superseded(self) -> Token:
        if self._token is not None:
            return self._token
        raise SignedOut(self._signed_out_reason, endpoint=self._token_path)

    @property
    def _token_path(self) -> str:
        return urlsplit(self._token_url).path or "/"

    async def _post(self, form: dict[str, str]) -> httpx.Response:
        started = self._clock.monotonic()
        deadline = self._http.timeout.read or 15.0
        try:
            response = await send_bounded(
                self._http,
                "POST",
                self._token_url,
                deadline_s=deadline,
                endpoint=self._token_path,
                max_bytes=TOKEN_REPLY_MAX_BYTES,
                data=form,
            )
        except DeadlineExceeded:
            log.warning("POST %s: no complete answer within %g s", self._token_path, deadline)
            raise deadline_error(
                self._token_path, deadline, sent=False, service=SIGN_IN_SERVICE
            ) from None
        except httpx.TransportError as exc:
            error = network_error(
                exc,
                host=urlsplit(self._token_url).hostname or self._token_url,
                endpoint=self._token_path,
                timeout_s=self._http.timeout.read,
                service=SIGN_IN_SERVICE,
            )
            log.warning("POST %s failed: %s", self._token_path, type(exc).__name__)
            # The API request this token was for has not been sent: safe to send later.
            error.sent = False
            raise error from exc
        log.debug(
            "POST %s -> %s in %.0f ms",
            self._token_path,
            response.status_code,
            (self._clock.monotonic() - started) * 1000,
        )
        return response

    def _reply(self, response: httpx.Response, grant: Grant) -> dict[str, Any]:
        status = response.status_code
        if status in (400, 401) and grant == "refresh_token":
            self._refresh_token = None
            self._signed_out_reason = REFUSED
            self._hand_over_refresh_token(None)
            raise SignedOut(REFUSED, status=status, endpoint=self._token_path)
        return token_reply(response, grant, self._token_url, now=self._clock.now())

    def _accept(self, data: dict[str, Any]) -> Token:
        now = self._clock.now()
        lifetime = token_lifetime(data)
        rotated = data.get("refresh_token")
        if isinstance(rotated, str) and rotated and rotated != self._refresh_token:
            self._refresh_token = rotated
            self._hand_over_refresh_token(rotated)
        scope = data.get("scope")
        token = Token(
            access_token=data["access_token"],
            expires_at=now + timedelta(seconds=lifetime),
            refresh_token=self._refresh_token,
            scope=scope if isinstance(scope, str) else None,
        )
        ahead = REFRESH_AHEAD_S if lifetime >= SHORT_LIFETIME_S else lifetime / 2
        self._token = token
        self._refresh_at = token.expires_at - timedelta(seconds=ahead)
        self._signed_out_reason = NO_SIGN_IN
        self._set_state("signed_in")
        log.info("New access token from %s, valid until %s", self._token_path, token.expires_at)
        return token


def _authorize_url_for(token_url: str) -> str | None:
    # Doorkeeper serves both from the same /oauth/ prefix.
    if token_url.endswith("/oauth/token"):
        return token_url[: -len("token")] + "authorize"
    return None
