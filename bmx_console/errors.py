"""What can go wrong talking to ButterflyMX, each with the sentence an operator needs.

``str(error)`` is that sentence, in plain words: what happened and what to do. The HTTP
status and the endpoint are not in it: they are ``details``, which the desk shows behind a
Details toggle and in tooltips, the log records, and the command line prints after the
sentence (``cli_text``). No error text ever contains a secret: bodies are summarised, never
echoed whole, and token values are never formatted into messages.
"""

from __future__ import annotations

from datetime import datetime

# Exit codes of the command line, one per family of failure.
EXIT_OK = 0
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_TRANSIENT = 5


class BmxError(Exception):
    """Base of every failure the console reports to a person."""

    exit_code = 1

    def __init__(self, sentence: str, *, status: int | None = None, endpoint: str = "") -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.status = status
        self.endpoint = endpoint

    @property
    def details(self) -> str:
        """The technical part, for a Details view and the log: "HTTP 403 on /v4/doors"."""
        return error_details(self.status, self.endpoint)

    def cli_text(self) -> str:
        """The sentence, then the details in brackets: the command line keeps the code."""
        details = self.details
        return f"{self.sentence} ({details})" if details else self.sentence


def error_details(status: int | None, endpoint: str) -> str:
    if status is not None and endpoint:
        return f"HTTP {status} on {endpoint}"
    if status is not None:
        return f"HTTP {status}"
    return f"on {endpoint}" if endpoint else ""


class ConfigError(BmxError):
    """A setting is missing or has a value outside its rule."""

    exit_code = EXIT_USAGE


class KeyringUnavailable(ConfigError):
    """No usable OS keyring: secrets cannot be stored, and are never written to a file instead."""


class AuthError(BmxError):
    exit_code = EXIT_AUTH


class TokenRequestFailed(AuthError):
    """The token endpoint refused the credentials (400/401)."""


class SignedOut(AuthError):
    """No usable token and no way to get one without the operator: sign in again."""


class Forbidden(AuthError):
    """The credentials work but lack the scope for this request (403)."""


class NotFound(BmxError):
    exit_code = EXIT_NOT_FOUND


class ReleaseEndpointMissing(NotFound):
    """404 on the release endpoint: the contract tier has a different path."""


class InvalidRequest(BmxError):
    """422: the cloud rejected what was sent (a pass window, a name…)."""

    exit_code = EXIT_USAGE


class TransientError(BmxError):
    """Worth trying again later: 5xx, timeouts, connection failures, rate limits."""

    exit_code = EXIT_TRANSIENT

    def __init__(
        self,
        sentence: str,
        *,
        status: int | None = None,
        endpoint: str = "",
        retry_after: float | None = None,
        sent: bool = True,
    ) -> None:
        super().__init__(sentence, status=status, endpoint=endpoint)
        self.retry_after = retry_after
        # False only when the request provably never left this machine (connect failed):
        # the one case in which a door release may be sent again.
        self.sent = sent


class RateLimited(TransientError):
    """429: the cloud asks us to slow down for ``retry_after`` seconds.

    ``retry_at`` is the moment that wait ends (set when the cloud named one), so that a
    poller or the desk can say "try again at 15:42" rather than a countdown gone stale."""

    def __init__(
        self,
        sentence: str,
        *,
        status: int | None = None,
        endpoint: str = "",
        retry_after: float | None = None,
        sent: bool = True,
        retry_at: datetime | None = None,
    ) -> None:
        super().__init__(
            sentence, status=status, endpoint=endpoint, retry_after=retry_after, sent=sent
        )
        self.retry_at = retry_at


class ServerError(TransientError):
    """5xx from the cloud."""


class NetworkError(TransientError):
    """Timeout, refused or dropped connection, DNS or TLS failure."""


class ProtocolError(BmxError):
    """The cloud answered with something that is not the JSON the contract describes."""

    exit_code = EXIT_TRANSIENT


class WriteUnconfirmed(ProtocolError):
    """A write (a revoke, a pass) got an answer that does not prove it was done, nor that it
    was not: the operator must check, and nothing may report it as done."""
