"""`login` on a machine without a usable keyring: it says the sign-in was not saved, where it
is (this command only) and how to make it last, instead of claiming it was saved."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import keyring
import keyring.backends.fail
import pytest

from bmx_console import cli
from bmx_console.config import Settings, save_settings
from bmx_console.sim.cloud import DEMO_CLIENT_ID, Cloud
from bmx_console.sim.server import SimServer
from tests.support import PastedCode


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def test_login_without_a_keyring_does_not_claim_to_have_saved(
    no_keyring: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with SimServer(Cloud(seed=5)) as server:
        save_settings(
            Settings(client_id=DEMO_CLIENT_ID, api_base=server.base_url, token_url=server.token_url)
        )
        out = io.StringIO()
        monkeypatch.setattr(sys, "stdin", PastedCode(out, server.cloud))
        code = cli.main(["login"], out=out)
    said = out.getvalue()
    assert "saved in the OS keyring" not in said
    assert "signed in for this command only" in said
    assert "NOT saved" in said and "next command asks to sign in again" in said
    assert "No usable OS keyring was found" in said
    assert "gnome-keyring" in said  # how to make it last, on this OS (Linux here)
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err
