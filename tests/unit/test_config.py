from __future__ import annotations

from pathlib import Path

import pytest

from bmx_console.config import (
    KioskSettings,
    Settings,
    config_path,
    load_settings,
    parse_settings,
    save_settings,
)
from bmx_console.errors import ConfigError


def test_defaults_are_the_gem_driver_defaults() -> None:
    s = load_settings()
    assert s.api_base == "https://api.butterflymx.com"
    assert s.token_url == "https://accounts.butterflymx.com/oauth/token"
    assert (s.status_interval, s.events_interval, s.request_timeout, s.released_state_ms) == (
        60_000,
        30_000,
        15_000,
        5_000,
    )


def test_file_lives_in_the_os_config_dir(isolated_dirs: dict[str, Path]) -> None:
    assert config_path().is_relative_to(isolated_dirs["config"])


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"status_interval": 500}, ["status_interval", "at least 15000"]),
        ({"events_interval": -1}, ["events_interval", "0 disables"]),
        ({"request_timeout": "soon"}, ["request_timeout", "integer"]),
        ({"api_base": "http://api.example.com"}, ["api_base", "https"]),
        ({"building_id": "abc"}, ["building_id", "id"]),
        ({"colour": "red"}, ["unknown setting", "colour"]),
        ({"client_secret": "x"}, ["client_secret", "keyring"]),
        ({"kiosk": {"doors": [1, 2, 3, 4, 5, 6, 7, 8, 9]}}, ["kiosk.doors", "1 to 8"]),
    ],
)
def test_bad_values_name_the_field_and_the_rule(raw: dict, words: list[str]) -> None:
    with pytest.raises(ConfigError) as err:
        parse_settings(raw)
    for word in words:
        assert word in str(err.value)


def test_events_interval_zero_disables() -> None:
    assert parse_settings({"events_interval": 0}).events_interval == 0


def test_loopback_http_is_allowed_for_the_simulator() -> None:
    s = parse_settings({"api_base": "http://127.0.0.1:8080/", "token_url": "http://localhost:1/t"})
    assert s.api_base == "http://127.0.0.1:8080"


def test_save_and_load_round_trip_keeps_the_file_short() -> None:
    s = Settings(client_id="abc", building_id=7, kiosk=KioskSettings(doors=(1, 2), hold_ms=800))
    path = save_settings(s)
    text = path.read_text()
    assert "client_id" in text and "status_interval" not in text
    assert load_settings() == s


def test_broken_file_is_reported_with_its_path() -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text("status_interval = [")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert str(config_path()) in str(err.value)


def test_environment_overrides_the_client_id(monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings(Settings(client_id="from-file"))
    monkeypatch.setenv("BMX_CLIENT_ID", "from-env")
    assert load_settings().client_id == "from-env"


def test_with_changes_validates_like_the_file() -> None:
    with pytest.raises(ConfigError, match="release_tenant_id"):
        Settings().with_changes(release_tenant_id="front desk")
    assert Settings().with_changes(building_id="42").building_id == 42


def test_release_tenants_map_buildings_to_their_front_desk() -> None:
    from bmx_console.config import parse_settings, to_toml_dict

    settings = parse_settings(
        {"release_tenant_id": 5, "release_tenants": {"577696272": 377389742, "2": 3}}
    )
    assert settings.release_tenant_for(577696272) == 377389742
    assert settings.release_tenant_for(2) == 3
    # A building missing from the table falls back to the one-building tenant.
    assert settings.release_tenant_for(9) == 5
    assert parse_settings(to_toml_dict(settings)) == settings


@pytest.mark.parametrize(
    "table",
    [{"x": 3}, {"1": 0}, {"1": "abc"}, 7, ["1", "2"]],
)
def test_a_malformed_release_tenants_table_names_the_field(table: object) -> None:
    from bmx_console.config import parse_settings

    with pytest.raises(ConfigError, match="release_tenants"):
        parse_settings({"release_tenants": table})


def test_the_kiosk_holds_600_ms_unless_a_written_zero_turns_it_off(tmp_path: Path) -> None:
    assert parse_settings({}).kiosk.hold_ms == 600
    assert parse_settings({"kiosk": {"doors": [1]}}).kiosk.hold_ms == 600
    assert parse_settings({"kiosk": {"hold_ms": 0}}).kiosk.hold_ms == 0
    # A saved 0 is written out, so it stays off after the next start.
    path = save_settings(Settings(kiosk=KioskSettings(hold_ms=0)), tmp_path / "c.toml")
    assert "hold_ms = 0" in path.read_text(encoding="utf-8")
    assert load_settings(path, env={}).kiosk.hold_ms == 0


def test_passes_default_to_4_hours_for_visitors_and_2_for_deliveries() -> None:
    s = parse_settings({})
    assert (s.visitor_pass_hours, s.delivery_pass_hours) == (4, 2)
    with pytest.raises(ConfigError, match="delivery_pass_hours"):
        parse_settings({"delivery_pass_hours": 0})


def test_a_pin_hash_is_never_written_to_the_settings_file(tmp_path: Path) -> None:
    old = Settings(kiosk=KioskSettings(pin_hash="scrypt$16384$8$1$c2FsdHNhbHQ=$" + "A" * 44))
    path = save_settings(old, tmp_path / "c.toml")
    assert "pin_hash" not in path.read_text(encoding="utf-8")


def test_hotkeys_bind_f_keys_to_doors_and_round_trip_through_the_file(tmp_path: Path) -> None:
    from bmx_console.config import load_settings, parse_settings, save_settings

    settings = parse_settings({"hotkeys": {"F1": 4021, "f3": "4022", "F12": 9}})
    assert settings.hotkeys == ((1, 4021), (3, 4022), (12, 9))
    path = save_settings(settings, tmp_path / "config.toml")
    assert "[hotkeys]\nF1 = 4021\nF3 = 4022\nF12 = 9" in path.read_text(encoding="utf-8")
    assert load_settings(path, env={}) == settings
    assert Settings().with_changes(hotkeys=[(2, 7)]).hotkeys == ((2, 7),)


@pytest.mark.parametrize(
    ("table", "rule"),
    [
        ({"F13": 1}, "F1 to F12"),
        ({"G1": 1}, "F1 to F12"),
        ({"F1": 0}, "hotkeys.F1"),
        ({"F1": 5, "F2": 5}, "door 5 to more than one key"),
        ([("F1", 5), ("F1", 6)], "F1 twice"),
        ("F1=5", "table of key = door id"),
    ],
)
def test_a_malformed_hotkeys_table_says_which_rule_it_breaks(table: object, rule: str) -> None:
    from bmx_console.config import parse_settings

    with pytest.raises(ConfigError, match=rule):
        parse_settings({"hotkeys": table})
