"""The phone screen's light on a face (the screen-light stage of :mod:`testkit.faces`):
per-pixel Lambertian shading from the face mesh's surface normals, in linear light.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from barrierfree.vision.face.geometry import facing_cosine
from testkit.faces_warp import _GRID, _OVAL, _dense


#: Share of the screen's light reaching the background (a wall ~1 m away against a face ~30 cm away).
BACKGROUND_GAIN = 0.08


# --------------------------------------------------------------------------- screen light


def _to_linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


#: sRGB byte -> linear light, and linear light quantised to 1/4095 -> sRGB byte (exact to the byte).
_TO_LINEAR = _to_linear(np.arange(256, dtype=np.float64) / 255.0)
_LINEAR_STEPS = 4095
_FROM_LINEAR = np.round(
    np.where(
        (q := np.arange(_LINEAR_STEPS + 1) / _LINEAR_STEPS) <= 0.0031308, q * 12.92, 1.055 * np.power(q, 1 / 2.4) - 0.055
    ) * 255.0
).astype(np.uint8)


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB uint8 (or 0..1 floats) to linear light 0..1 (IEC 61966-2-1)."""
    array = np.asarray(rgb)
    if array.dtype == np.uint8:
        return _TO_LINEAR[array]
    return _to_linear(array.astype(np.float32))


def linear_to_srgb(linear: np.ndarray) -> np.ndarray:
    """Linear light 0..1 to sRGB uint8 (through a 4096-step table; dark tones keep byte precision)."""
    index = np.clip(np.asarray(linear, np.float32) * _LINEAR_STEPS + 0.5, 0, _LINEAR_STEPS).astype(np.int32)
    return _FROM_LINEAR[index]


@dataclass(frozen=True, eq=False)
class ScreenLightMaps:
    """Per-pixel maps of one photo for :func:`render_screen_light`, cheap to port to a JS canvas.

    ``albedo``: ``(H, W, 3)`` float32 linear light 0..1 (the photo as lit by the room).
    ``shading``: ``(H, W)`` float32 0..1, the cosine between the surface normal and
    the direction to the screen on the face, :data:`BACKGROUND_GAIN` elsewhere.
    """

    albedo: np.ndarray
    shading: np.ndarray


def screen_light_maps(face_rgb: np.ndarray, landmarks: np.ndarray, background_gain: float = BACKGROUND_GAIN) -> ScreenLightMaps:
    """Precompute :class:`ScreenLightMaps` for a photo and its ``(478, 3)`` mesh landmarks.

    Per-vertex normals come from the mesh's triangles (mediapipe's face
    tessellation; normals from the 3-D landmarks), their z component gives the
    cosine with the screen direction (the screen is where the camera is, so
    the light comes along the viewing axis: ``cos = max(0, -n_z)``), and it is
    interpolated linearly (barycentric) across the frame's Delaunay triangles
    of the landmarks. Outside the face oval it ramps linearly down to
    ``background_gain``, reached on a halo 1.45 times the oval's size about its
    centre (hair and ears get some light, the room little).

    Porting: compute ``cosine`` per landmark as above, draw the landmark
    triangles with per-vertex shading (WebGL does the barycentric
    interpolation), then ``out = albedo * (1 + strength * shading * C)`` per pixel.
    """
    height, width = face_rgb.shape[:2]
    points = np.asarray(landmarks, np.float64)[:468]
    cosine = facing_cosine(points)
    # Beyond the face oval the shading ramps down to the background's over a halo 1.45 times the oval.
    oval = points[_OVAL, :2]
    centre = oval.mean(axis=0)
    halo = centre + (oval - centre) * 1.45
    corners = np.array([(0, 0), (width - 1, 0), (0, height - 1), (width - 1, height - 1)], np.float64)
    where = np.vstack([points[:, :2], halo, corners])
    values = np.concatenate([cosine, np.full(len(halo) + 4, background_gain)])
    shading = np.clip(_dense(where, values, width, height, fill=background_gain, step=2 * _GRID), 0.0, 1.0)
    return ScreenLightMaps(srgb_to_linear(face_rgb), shading.astype(np.float32))


def apply_screen_light(maps: ScreenLightMaps, colour_rgb: Sequence[int], strength: float) -> np.ndarray:
    """``out = to_sRGB(albedo * (1 + strength * shading * linear(colour)))``, clipped; uint8 RGB."""
    colour = srgb_to_linear(np.asarray(colour_rgb, np.uint8).reshape(1, 1, 3))
    return linear_to_srgb(maps.albedo * (1.0 + strength * maps.shading[..., None] * colour))


def render_screen_light(face_rgb: np.ndarray, landmarks: np.ndarray, colour_rgb: Sequence[int], strength: float) -> np.ndarray:
    """A face photo lit by a phone screen showing ``colour_rgb`` (pure function).

    The physical model (Lambertian skin, the screen a broad source at the camera):
    in linear light, a pixel's value is its albedo ``A`` times the irradiance,
    ``I = A * (E_room + E_screen * cos(theta) * C)`` where ``theta`` is the angle
    between the surface normal and the direction to the screen and ``C`` the
    screen colour in linear light. Taking the photo as ``A * E_room`` and
    ``strength = E_screen / E_room``::

        out_linear = photo_linear * (1 + strength * shading * linear(C))
        shading    = max(0, -n_z)  on the face (n from the mesh), BACKGROUND_GAIN elsewhere

    so the nose and forehead (facing the screen) change most, the cheek sides
    less, and the distant background hardly at all. ``strength`` is about 0.3
    in an office and above 1 in a dim room. sRGB conversion: IEC 61966-2-1.
    """
    return apply_screen_light(screen_light_maps(face_rgb, landmarks), colour_rgb, strength)
