"""Real X input from another process: the pointer moves and clicks through the XTEST
extension (what ``xdotool`` does, through the same libXtst), on the display in $DISPLAY.

``python bench/_xclick.py`` reads commands from stdin, one a line, and answers each with one
line on stdout:

* ``move X Y``: move the pointer to screen position (X, Y); answers ``ok``;
* ``click``: press and release the left button where the pointer is; answers the
  CLOCK_MONOTONIC nanoseconds read just before the press was sent (the clock is system-wide,
  so the console process compares it with its own stamps).

A process of its own, so that the click is an X event the console reads from its X
connection like any other, not a call into its own Qt event queue.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import time


def main() -> int:
    x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    xtst = ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    xtst.XTestFakeMotionEvent.argtypes = [
        ctypes.c_void_p,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_ulong,
    ]
    xtst.XTestFakeButtonEvent.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_ulong,
    ]
    display = x11.XOpenDisplay(None)
    if not display:
        print("error: cannot open the X display", flush=True)
        return 2
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "move":
            xtst.XTestFakeMotionEvent(display, -1, int(words[1]), int(words[2]), 0)
            x11.XSync(display, 0)
            print("ok", flush=True)
        elif words[0] == "click":
            sent = time.monotonic_ns()
            xtst.XTestFakeButtonEvent(display, 1, 1, 0)
            xtst.XTestFakeButtonEvent(display, 1, 0, 0)
            x11.XFlush(display)
            print(sent, flush=True)
        else:
            print(f"error: unknown command {words[0]!r}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
