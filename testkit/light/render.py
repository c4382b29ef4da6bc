"""Filming a scene: the screen's colours over time, the room, the camera's loops, frame by frame.

:func:`film` is the one loop every clip goes through, live or attack: for each
frame it asks the caller for the scene's :class:`~.scene.Surfaces` at that
moment, lights them (:mod:`.lighting`) with the colour each sensor row saw
during its exposure (rolling shutter), and develops the frame
(:mod:`.camera`). The scene and its light maps are recomputed about every
125 ms (``geometry_every`` frames; a person holding still moves a pixel or two
in that time); the screen's light, the shutter and the camera change every frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from testkit.light.camera import CameraModel, CameraState, adapt, develop, meter, row_windows
from testkit.light.lighting import LightMaps, Room, light_maps
from testkit.light.scene import Optics, Surfaces

#: A screen schedule: (sRGB colour shown, start s, duration s), on the challenge clock.
Schedule = Sequence[tuple[tuple[int, int, int], float, float]]
#: What the screen shows outside the schedule (the page around the flash: dark grey).
IDLE_RGB = (24, 24, 24)


@dataclass(frozen=True, eq=False)
class Shot:
    """One delivered frame: RGB uint8 pixels and the browser's timestamp (s, challenge clock)."""

    pixels: np.ndarray
    timestamp_s: float


@dataclass(frozen=True)
class Display:
    """The phone's screen as a light: peak luminance (cd/m²), gamma, and its delay from the page's clock (s)."""

    nits: float = 450.0
    gamma: float = 2.2
    latency_s: float = 0.02


def screen_light(schedule: Schedule, times: np.ndarray, display: Display) -> np.ndarray:
    """Linear screen radiance (cd/m², RGB) at each of ``times`` (any shape): ``times.shape + (3,)``."""
    if not schedule:
        return np.broadcast_to(((np.array(IDLE_RGB) / 255.0) ** display.gamma * display.nits).astype(np.float32),
                               (*np.shape(times), 3)).copy()
    starts = np.array([s for _, s, _ in schedule])
    ends = np.array([s + d for _, s, d in schedule])
    colours = np.array([c for c, _, _ in schedule] + [IDLE_RGB], np.float64)
    shown = times - display.latency_s
    index = np.searchsorted(starts, shown, side="right") - 1
    inside = (index >= 0) & (shown < ends[np.clip(index, 0, None)])
    picked = colours[np.where(inside, index, len(schedule))]
    return ((picked / 255.0) ** display.gamma * display.nits).astype(np.float32)


@dataclass(frozen=True, eq=False)
class _Lit:
    """A frame's light split into what the room gives (``base``) and what each cd/m² of screen gives (``per_screen``)."""

    base: np.ndarray
    per_screen: np.ndarray
    emission: np.ndarray | None

    @classmethod
    def of(cls, surfaces: Surfaces, maps: LightMaps, room: Room) -> _Lit:
        room_rgb = np.asarray(room.colour, np.float32)
        base = surfaces.albedo / math.pi * maps.room[..., None] * room_rgb + maps.room_gloss[..., None] * room_rgb
        per_screen = surfaces.albedo / math.pi * maps.screen[..., None] + maps.screen_gloss[..., None]
        return cls(base.astype(np.float32), per_screen.astype(np.float32), surfaces.emission)

    def radiance(self, row_light: np.ndarray, row_flicker: np.ndarray) -> np.ndarray:
        """Linear radiance (cd/m²) with per-row screen light ``(H, 3)`` and room flicker ``(H,)``."""
        out = self.base * row_flicker[:, None, None] + self.per_screen * row_light[:, None, :]
        return out + self.emission if self.emission is not None else out


def _half(surfaces: Surfaces) -> Surfaces:
    """The maps at half size (lighting varies slowly across a surface)."""
    def shrink(a: np.ndarray) -> np.ndarray:
        return cv2.resize(a.astype(np.float32), None, fx=0.5, fy=0.5, interpolation=cv2.INTER_NEAREST)
    return Surfaces(shrink(surfaces.xyz), shrink(surfaces.normal), shrink(surfaces.albedo), shrink(surfaces.gloss),
                    surfaces.shininess, shrink(surfaces.skin.astype(np.float32)) > 0.5)


def _full(maps: LightMaps, width: int, height: int) -> LightMaps:
    def grow(a: np.ndarray) -> np.ndarray:
        return cv2.resize(a, (width, height), interpolation=cv2.INTER_LINEAR)
    return LightMaps(grow(maps.screen), grow(maps.screen_gloss), grow(maps.room), grow(maps.room_gloss))


def _lit(surfaces: Surfaces, optics: Optics, room: Room) -> _Lit:
    maps = _full(light_maps(_half(surfaces), optics, room), optics.width, optics.height)
    return _Lit.of(surfaces, maps, room)


def film(
    scene_at: Callable[[float], Surfaces],
    schedule: Schedule,
    duration_s: float,
    *,
    optics: Optics,
    room: Room,
    camera: CameraModel,
    display: Display,
    seed: int,
    geometry_every: int | None = None,
) -> list[Shot]:
    """Film ``scene_at(t)`` from t = 0 for ``duration_s`` while the screen plays ``schedule``."""
    rng = np.random.default_rng(seed)
    state = CameraState()
    height = optics.height
    # The camera has been previewing before the flash starts: its loops have settled on the idle page.
    lit = _lit(scene_at(0.0), optics, room)
    idle = screen_light(schedule, np.full(height, -10.0), display)
    first = lit.radiance(idle, np.ones(height, np.float32))
    adapt(state, camera, *meter(first), dt=1.0, settle=True)
    geometry_every = geometry_every or max(2, round(camera.fps / 8))
    shots: list[Shot] = []
    period = 1.0 / camera.fps
    for k in range(int(duration_s * camera.fps)):
        start = k * period + float(rng.normal(0, camera.jitter_s))
        if k % geometry_every == 0:
            lit = _lit(scene_at(start), optics, room)
        times = row_windows(start, state.exposure_s, camera, height)
        row_light = screen_light(schedule, times, display).mean(axis=1)
        flicker = 1.0 + room.flicker * np.cos(2 * math.pi * 100.0 * times).mean(axis=1)
        radiance = lit.radiance(row_light, flicker.astype(np.float32))
        pixels, metered = develop(radiance, state, camera, rng)
        adapt(state, camera, *meter(metered / max(state.gain * state.exposure_s, 1e-9) / camera.electrons_per_nit_s * camera.full_well), dt=period)
        if rng.random() >= camera.drop_rate:
            shots.append(Shot(pixels, start + camera.readout_s + camera.latency_s))
    return shots
