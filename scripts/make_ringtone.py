#!/usr/bin/env python3
"""Synthesise the desk's ringtone into resources/sounds/ring.wav (the project's own sound:
nothing sampled, nothing licensed).

A two-note chime struck twice (E6 then C6, each with a few soft harmonics and a bell-like
decay), then a rest: about 2.4 s that loop cleanly, loud enough to cut through a lobby
without the harshness of a square-wave buzzer. Mono, 16-bit, 22 050 Hz: ~100 KB.

    python3 scripts/make_ringtone.py [PATH]
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 22_050
NOTES = ((1318.5, 0.00), (1046.5, 0.22), (1318.5, 0.70), (1046.5, 0.92))  # Hz, start s
LENGTH_S = 2.4
NOTE_S = 0.55
PEAK = 0.82  # of full scale: headroom for the sum of overlapping notes


def sample(t: float) -> float:
    value = 0.0
    for frequency, start in NOTES:
        age = t - start
        if not 0.0 <= age < NOTE_S:
            continue
        attack = min(1.0, age / 0.004)  # a 4 ms attack: no click
        decay = math.exp(-age * 6.5)
        release = min(1.0, (NOTE_S - age) / 0.03)
        tone = sum(
            weight * math.sin(2 * math.pi * frequency * partial * age)
            for partial, weight in ((1.0, 1.0), (2.0, 0.35), (3.01, 0.12), (4.2, 0.05))
        )
        value += attack * decay * release * tone
    return value


def render() -> list[float]:
    samples = [sample(i / RATE) for i in range(int(LENGTH_S * RATE))]
    loudest = max(abs(s) for s in samples) or 1.0
    return [s / loudest * PEAK for s in samples]


def write(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = b"".join(struct.pack("<h", int(s * 32767)) for s in render())
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


if __name__ == "__main__":
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[1] / "resources" / "sounds" / "ring.wav"
    )
    write(target)
    print(f"wrote {target} ({target.stat().st_size} bytes)")
