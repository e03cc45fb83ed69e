"""A ring you hear: a call for the desk plays the project's ringtone through miniaudio into
a PulseAudio null sink, recorded from its monitor with parec, until it is acknowledged; with
no sound device the banner says so and nothing fails."""

from __future__ import annotations

import array
import asyncio
import math
import os
import shutil
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bmx_console.ringtone import NO_DEVICE, Ringer, ringtone_path
from tests.gui.sim_desk import open_sim_desk
from tests.gui.test_calls_banner import KINZIE_MAIN_PANEL, SimDesk, make_banner, ring
from tests.support import require_or_skip

RATE = 22_050
ATTENDANT = {"id": None, "type": "Attendant"}
WAIT_MS = 15_000


@pytest.fixture
def desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[SimDesk]:
    yield from open_sim_desk(qtbot, SimDesk)


@pytest.fixture
def null_sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A PulseAudio of the test's own with one null sink; yields the file its monitor is
    recorded into (raw signed 16-bit mono at 22 050 Hz)."""
    tools = [shutil.which(t) for t in ("pulseaudio", "parec", "pactl")]
    require_or_skip(all(tools), "pulseaudio and pulseaudio-utils are not installed")
    runtime = tmp_path / "pulse"
    runtime.mkdir()
    env = {**os.environ, "PULSE_RUNTIME_PATH": str(runtime), "HOME": str(tmp_path)}
    env.pop("PULSE_SERVER", None)
    subprocess.run(
        [
            "pulseaudio",
            "--daemonize",
            "--exit-idle-time=-1",
            "-n",
            "--load=module-null-sink sink_name=bmx_test",
            "--load=module-native-protocol-unix",
            "--log-target=stderr",
        ],
        env=env,
        check=True,
        timeout=20,
        capture_output=True,
    )
    server = f"unix:{runtime / 'native'}"
    monkeypatch.setenv("PULSE_SERVER", server)
    monkeypatch.setenv("PULSE_RUNTIME_PATH", str(runtime))
    recording = tmp_path / "monitor.raw"
    with recording.open("wb") as sink:
        parec = subprocess.Popen(
            [
                "parec",
                "--device=bmx_test.monitor",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--raw",
                "--latency-msec=20",
            ],
            stdout=sink,
            env={**env, "PULSE_SERVER": server},
        )
        try:
            yield recording
        finally:
            parec.kill()
            parec.wait(timeout=10)
            subprocess.run(["pulseaudio", "--kill"], env=env, timeout=20, check=False)


def rms(recording: Path, start_byte: int = 0, seconds: float | None = None) -> float:
    data = recording.read_bytes()[start_byte:]
    if seconds is not None:
        data = data[: int(seconds * RATE) * 2]
    samples = array.array("h", data[: len(data) // 2 * 2])
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def recorded_s(recording: Path, since_byte: int = 0) -> float:
    return max(0, recording.stat().st_size - since_byte) / 2 / RATE


def test_the_ringtone_is_the_projects_own_and_loops_cleanly() -> None:
    path = ringtone_path()
    assert path is not None and path.parts[-3:] == ("resources", "sounds", "ring.wav")
    with wave.open(str(path)) as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (1, 2, RATE)
        assert 1.5 < sound.getnframes() / RATE < 4
        frames = array.array("h", sound.readframes(sound.getnframes()))
    assert max(abs(s) for s in frames) > 20_000  # loud enough to hear
    assert abs(frames[0]) < 200 and abs(frames[-1]) < 200  # no click where it loops


def test_a_desk_call_rings_into_the_sound_device_until_acknowledged(
    qtbot: QtBot, desk: SimDesk, null_sink: Path
) -> None:
    banner = make_banner(qtbot, desk)
    ringer = Ringer(volume=100, on_problem=banner.sound_problem.emit)
    banner.set_ringer(ringer)
    banner.set_alerts(raise_window=False, sound=True)
    qtbot.waitUntil(lambda: recorded_s(null_sink) > 0.3, timeout=WAIT_MS)
    quiet = rms(null_sink)
    assert quiet < 50  # the sink is silent before the call

    ring(qtbot, desk, device=KINZIE_MAIN_PANEL, recipient=ATTENDANT)
    assert banner.is_ringing()
    start = null_sink.stat().st_size
    qtbot.waitUntil(lambda: rms(null_sink, start) > 1500, timeout=WAIT_MS)

    banner.acknowledge()
    assert not banner.is_ringing()
    ringer.stop().result(timeout=10)  # queued after the acknowledge's own stop: both done
    after = null_sink.stat().st_size + int(0.3 * RATE) * 2  # what was already buffered
    qtbot.waitUntil(lambda: recorded_s(null_sink, after) > 1.0, timeout=WAIT_MS)
    assert rms(null_sink, after, seconds=1.0) < 50
    assert banner.sound_note.isHidden()
    ringer.close()


def test_without_a_sound_device_the_banner_says_so_and_still_alerts(
    qtbot: QtBot, desk: SimDesk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PulseAudio at an address where nothing listens, and no ALSA card in the test machine.
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'nobody-here'}")
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(tmp_path / "no-alsa.conf"))
    (tmp_path / "no-alsa.conf").write_text("")
    banner = make_banner(qtbot, desk, alert_repeat_ms=50)
    beeps: list[int] = []
    monkeypatch.setattr(type(banner), "_beep", lambda self: beeps.append(1))
    ringer = Ringer(on_problem=banner.sound_problem.emit)
    banner.set_ringer(ringer)
    banner.set_alerts(raise_window=False, sound=True)

    ring(qtbot, desk, device=KINZIE_MAIN_PANEL, recipient=ATTENDANT)
    qtbot.waitUntil(lambda: banner.sound_note.isVisible(), timeout=WAIT_MS)
    assert banner.sound_note.text() == NO_DEVICE
    assert ringer.problem == NO_DEVICE
    qtbot.waitUntil(lambda: len(beeps) >= 2, timeout=WAIT_MS)  # the system beep instead
    assert banner.isVisible() and banner.current_call() is not None
    ringer.close()
