"""Light in the scene: the phone screen as an area light, the room's own light, and their reflections.

Units: illuminance in lux, radiance in cd/m² (a matte surface of albedo ``A``
under ``E`` lux has radiance ``A E / π``). Colours are linear RGB of the
light, scaled so that a white screen at full brightness emits
``screen_nits`` in each channel.

The screen is integrated as ``nx × ny`` small emitters (a rectangle beside the
camera, facing the person). A patch of area ``dA`` and radiance ``L`` at
distance ``r`` gives a surface point ``L dA cos θ_p cos θ_s / r²`` lux
(``θ_p`` the angle at the surface, ``θ_s`` at the screen): close surfaces
facing the screen get most, oblique and distant ones less, with no
shortcut along the viewing axis. Gloss reflects each emitter in a Blinn-Phong
lobe (a glossy print or a display's glass shows a blurred mirror image of
the screen); skin has a weak, broad lobe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from testkit.light.scene import Optics, Surfaces


@dataclass(frozen=True)
class Room:
    """The room's light: diffuse ``ambient_lux`` (a little more from above) and one ``key_lux`` lamp.

    ``key_direction``: unit vector from the scene towards the lamp (camera
    frame: Y down, so an overhead lamp has negative Y). ``colour``: the light's
    linear RGB, green = 1 (warm bulbs are red-heavy). ``flicker``: depth of the
    100 Hz ripple of mains-driven lamps (0..1).
    """

    ambient_lux: float = 150.0
    key_lux: float = 250.0
    key_direction: tuple[float, float, float] = (0.3, -0.8, -0.5)
    colour: tuple[float, float, float] = (1.0, 1.0, 1.0)
    flicker: float = 0.0


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def screen_patches(optics: Optics, nx: int = 3, ny: int = 6) -> tuple[np.ndarray, float]:
    """Centres ``(k, 3)`` (mm) of the screen's patches and each patch's area (m²)."""
    w, h = optics.screen_mm
    xs = (np.arange(nx) + 0.5) / nx * w - w / 2
    ys = (np.arange(ny) + 0.5) / ny * h - h / 2 + optics.screen_offset_mm
    centres = np.array([(x, y, 0.0) for y in ys for x in xs])
    return centres, (w / nx) * (h / ny) * 1e-6


@dataclass(frozen=True, eq=False)
class LightMaps:
    """Per-pixel factors of one frame's geometry (``(H, W)`` float32).

    ``screen``: lux per cd/m² of screen radiance (the diffuse irradiance
    factor); ``screen_gloss``: radiance reflected specularly per cd/m² of
    screen radiance; ``room``: the room's lux (before its colour);
    ``room_gloss``: room radiance reflected by gloss (cd/m², before colour).
    """

    screen: np.ndarray
    screen_gloss: np.ndarray
    room: np.ndarray
    room_gloss: np.ndarray


def light_maps(surfaces: Surfaces, optics: Optics, room: Room, skin_gloss: float = 0.02, skin_shininess: float = 12.0) -> LightMaps:
    """Irradiance and specular factors for every pixel of ``surfaces``."""
    p = surfaces.xyz.astype(np.float32)
    n = surfaces.normal.astype(np.float32)
    centres, area = screen_patches(optics)
    diffuse = np.zeros(p.shape[:2], np.float32)
    gloss = np.zeros(p.shape[:2], np.float32)
    gloss_k = np.where(surfaces.skin, skin_gloss, surfaces.gloss).astype(np.float32)
    shininess = np.where(surfaces.skin, skin_shininess, surfaces.shininess).astype(np.float32)
    shiny = gloss_k > 0
    ps, ns, ks, ss = p[shiny], n[shiny], gloss_k[shiny], shininess[shiny]
    view = _unit(-ps)  # towards the camera
    glossy = np.zeros(len(ps), np.float32)
    for centre in centres.astype(np.float32):
        w = centre - p
        r2 = np.maximum(np.einsum("ijk,ijk->ij", w, w), 1.0)
        r = np.sqrt(r2)
        cos_p = np.clip(np.einsum("ijk,ijk->ij", n, w) / r, 0, None)
        cos_s = np.clip(p[..., 2] / r, 0, None)  # the screen faces +Z
        diffuse += cos_p * cos_s / (r2 * 1e-6)
        if len(ps):
            half = _unit(w[shiny] / r[shiny][:, None] + view)
            lobe = np.clip(np.einsum("ij,ij->i", ns, half), 0, None) ** ss
            # Normalised Blinn-Phong: the lobe integrates to about the reflectance over its solid angle.
            glossy += ks * lobe * (ss + 8) / (8 * math.pi) * cos_s[shiny] * cos_p[shiny] / (r2[shiny] * 1e-6)
    gloss[shiny] = glossy
    view = _unit(-p)
    key = np.asarray(room.key_direction, np.float32)
    key /= np.linalg.norm(key)
    up = -n[..., 1]
    room_lux = room.ambient_lux * (0.7 + 0.3 * up) + room.key_lux * np.clip(n @ key, 0, None)
    room_gloss = np.zeros_like(room_lux)
    if shiny.any():
        # The lamp's mirror image (a sharp lobe) plus the room's diffuse light reflected as a veil.
        half = _unit(key + view)
        lobe = np.clip(np.einsum("ijk,ijk->ij", n, half), 0, None) ** shininess
        room_gloss = gloss_k * (lobe * (shininess + 8) / (8 * math.pi) * room.key_lux * np.clip(n @ key, 0, None) + room.ambient_lux / math.pi)
    return LightMaps((diffuse * area).astype(np.float32), (gloss * area).astype(np.float32), room_lux.astype(np.float32),
                     room_gloss.astype(np.float32))
