"""How frames reach the guide and its replies reach the person: the server path and the on-device path.

Server path (what the SDK does today, ``barrierfree.js`` ``frame()``): the phone grabs a
frame, posts it, waits for the reply, says what the reply says, then waits until
``max(1 / fps, 1.2 × smoothed round trip)`` after the grab before grabbing the next
one. A round trip is drawn per frame around a median (lognormal spread, and now and
then a stall of several times the median, as mobile networks and loaded servers do).

On-device path (``engine.js``): the same pacing with no network for guidance; each frame
costs ``compute_s`` on the phone. The default is an assumption, not a measurement:
:data:`DEVICE_COMPUTE_S`. Its captures (the card stills, the liveness challenge) still
take a network round trip (``rtt_s``).

Server path: when the guide says "captured", the SDK grabs the capture still at the moment
the reply arrives (``capture(captureWidth, 0.92)``), so the still shows the scene then, not
the frame the guide judged. What the device path takes is :mod:`.capture`'s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

#: The SDK's defaults (``barrierfree.js`` DEFAULTS): frames per second, frame JPEG quality, still JPEG quality.
SDK_FPS = 8.0
SDK_FRAME_JPEG_QUALITY = 70
SDK_STILL_JPEG_QUALITY = 92
#: Round-trip spread: lognormal sigma around the median.
RTT_SIGMA = 0.35
#: Share of frames that stall, and how many times the median a stall lasts.
STALL_SHARE = 0.03
STALL_FACTOR = 4.0
#: Named round trips, seconds (median): the figures the benchmark prints.
ROUND_TRIPS = {"ideal": 0.0, "good 4G": 0.12, "weak 4G": 0.3, "loaded server": 0.8}
#: Per-frame compute of the on-device guide, seconds. ASSUMPTION until the JavaScript port is
#: measured: a face or card detector in WebAssembly on a mid-range phone plus the guide's
#: own arithmetic (the Python guide takes well under 1 ms a frame).
DEVICE_COMPUTE_S = 0.06

PathKind = Literal["server", "device"]


@dataclass(frozen=True)
class Path:
    """Which way frames go, with its delays (seconds)."""

    kind: PathKind = "server"
    rtt_s: float = 0.3
    compute_s: float = DEVICE_COMPUTE_S
    fps: float = SDK_FPS

    def __post_init__(self) -> None:
        if self.kind not in ("server", "device"):
            raise ValueError(f"path must be 'server' or 'device', not {self.kind!r}")
        if not (self.rtt_s >= 0 and self.compute_s >= 0 and self.fps > 0):
            raise ValueError("round trip and compute time must be >= 0 and fps > 0")

    @property
    def label(self) -> str:
        if self.kind == "device":
            return f"device {1000 * self.compute_s:.0f} ms"
        return f"server {self.rtt_s:g} s"


class Pacer:
    """The SDK's frame loop on a simulated clock: when a reply arrives, when the next frame is grabbed."""

    def __init__(self, path: Path, rng: np.random.Generator) -> None:
        self.path, self.rng = path, rng
        self._smoothed = 0.0  # the SDK's this.rtt, seconds

    def latency(self) -> float:
        """Seconds from grabbing a frame to acting on its reply."""
        p = self.path
        if p.kind == "device":
            return p.compute_s * float(self.rng.lognormal(0.0, 0.15)) if p.compute_s else 0.0
        return self.round_trip()

    def round_trip(self) -> float:
        """One request's network round trip, seconds (on the device path too: its captures and
        liveness challenges still go to the server)."""
        p = self.path
        if p.rtt_s == 0:
            return 0.0
        drawn = p.rtt_s * float(self.rng.lognormal(0.0, RTT_SIGMA))
        return drawn * STALL_FACTOR if self.rng.random() < STALL_SHARE else drawn

    def next_grab(self, grabbed_s: float, replied_s: float) -> float:
        """When the next frame is grabbed: ``max(1/fps, 1.2 × smoothed round trip)`` after the last grab,
        and never before its reply (``frame()`` awaits the reply, then sleeps the rest)."""
        self._smoothed = 0.8 * self._smoothed + 0.2 * (replied_s - grabbed_s)
        wait = max(1.0 / self.path.fps, 1.2 * self._smoothed)
        return max(replied_s, grabbed_s + wait)


def frames_per_second(path: Path, seconds: float, rng: np.random.Generator) -> float:
    """Frames the pacer grabs per second over ``seconds`` (a check of the pacing, used by tests)."""
    pacer, t, count = Pacer(path, rng), 0.0, 0
    while t < seconds:
        reply = t + pacer.latency()
        t = pacer.next_grab(t, reply)
        count += 1
    return count / seconds if seconds > 0 else math.nan
