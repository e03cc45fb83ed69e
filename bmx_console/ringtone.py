"""The desk's ring: the project's own ringtone (``resources/sounds/ring.wav``, made by
``scripts/make_ringtone.py``), looped through miniaudio until the call is acknowledged,
answered or over.

A desk PC without a sound device (or without miniaudio) is a logged warning and a visible
note (``problem``), never an error: the banner still shows the call. Opening and closing the
audio device can take a moment (PulseAudio, a USB headset waking up), so both happen on a
worker thread of their own and never on the UI thread.
"""

from __future__ import annotations

import logging
import sys
import threading
from array import array
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bmx_console.core.words import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

SAMPLE_RATE = 22_050

# Marked for the banner's translation; the banner translates it when shown.
NO_DEVICE = QT_TRANSLATE_NOOP(
    "CallBanner", "No sound device is available: calls ring on screen only."
)


def ringtone_path() -> Path | None:
    """resources/sounds/ring.wav: beside the package in a checkout, inside the bundle."""
    roots = [Path(__file__).resolve().parents[1]]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.insert(0, Path(bundle))
    for root in roots:
        path = root / "resources" / "sounds" / "ring.wav"
        if path.is_file():
            return path
    return None


def _looped(samples: array[int]) -> Generator[array[int], int, None]:
    """miniaudio's stream protocol: it sends how many frames it wants, gets them back."""
    position = 0
    length = len(samples)
    wanted = yield array("h")
    while True:
        out = array("h")
        while len(out) < wanted:
            take = min(wanted - len(out), length - position)
            out.extend(samples[position : position + take])
            position = (position + take) % length
        wanted = yield out


class Ringer:
    """Plays the ringtone in a loop between ``start()`` and ``stop()``.

    ``volume`` is 0–100. ``on_problem`` is told (from the worker thread) a sentence when the
    ring cannot be heard; callers hop it to their own thread."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        volume: int = 80,
        on_problem: Callable[[str], None] | None = None,
    ) -> None:
        self._path = path or ringtone_path()
        self._volume = max(0, min(100, volume))
        self._on_problem = on_problem
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ringer")
        self._lock = threading.Lock()
        self._device: Any = None
        self._samples: array[int] | None = None
        self._wanted = False
        self.problem: str | None = None

    @property
    def playing(self) -> bool:
        """Whether the ring was asked for (it sounds once the device is open)."""
        return self._wanted

    def set_volume(self, volume: int) -> None:
        self._volume = max(0, min(100, volume))
        self._samples = None  # scaled again on the next start

    def start(self) -> Future[None]:
        self._wanted = True
        return self._worker.submit(self._start)

    def stop(self) -> Future[None]:
        self._wanted = False
        return self._worker.submit(self._stop)

    def close(self) -> None:
        self._wanted = False
        self._worker.submit(self._stop)
        self._worker.shutdown(wait=False)

    # -- on the worker thread ----------------------------------------------------------------

    def _start(self) -> None:
        if not self._wanted or self._device is not None:
            return
        try:
            import miniaudio

            samples = self._load(miniaudio)
            device = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=SAMPLE_RATE,
                app_name="bmx-console",
            )
            stream = _looped(samples)
            next(stream)
            device.start(stream)
        except Exception as exc:  # no device, no backend, no miniaudio: never an error
            self._problem(NO_DEVICE, exc)
            return
        with self._lock:
            self._device = device
        self.problem = None
        if not self._wanted:
            self._stop()

    def _stop(self) -> None:
        with self._lock:
            device, self._device = self._device, None
        if device is None:
            return
        try:
            device.close()
        except Exception as exc:
            log.warning("closing the sound device failed: %s", type(exc).__name__)

    def _load(self, miniaudio: Any) -> array[int]:
        if self._samples is None:
            if self._path is None:
                raise FileNotFoundError("resources/sounds/ring.wav")
            sound = miniaudio.decode_file(
                str(self._path),
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=SAMPLE_RATE,
            )
            scale = self._volume / 100
            self._samples = array("h", (int(s * scale) for s in sound.samples))
        return self._samples

    def _problem(self, sentence: str, exc: BaseException) -> None:
        log.warning("the call ring cannot play: %s (%s)", sentence, type(exc).__name__)
        self.problem = sentence
        if self._on_problem is not None:
            try:
                self._on_problem(sentence)
            except Exception:
                log.exception("the ring's problem listener failed")
