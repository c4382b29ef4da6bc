"""Face sequences from real photos: bona fide presentations and attacks.

A real portrait (:mod:`testkit.photos`) is framed like a phone selfie
(:func:`prepare`), then every frame is *warped with its own face mesh*:

- the mesh's 3-D landmarks are rotated about the head centre (yaw, pitch),
  the jaw and lower lip are lowered (mouth), the upper lids are pulled onto
  the lower lids (eyelids), and the image is warped piecewise-affinely from the
  original landmarks to the moved ones (background anchored at the frame edges);
- the phone screen's light is added by :func:`render_screen_light`
  (per-pixel Lambertian shading from the mesh's surface normals; see there);
- a camera stage adds lag, hand shake, sensor noise and JPEG compression.

Sources and warping live in :mod:`testkit.faces_warp`, the screen's light in
:mod:`testkit.faces_light`; both are re-exported here.

Attack generators (``print_attack``, ``glossy_print_attack``, ``screen_replay``,
``static_frames``, ``tinted_static``, ``face_cut``) build the presentation attacks the liveness
checks must refuse. Everything is deterministic given ``seed``.

Coordinates: pixels, origin top-left, x right, y down; mediapipe's z (pixels,
negative towards the camera). Colours: sRGB uint8 in, sRGB uint8 out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from barrierfree.vision.frames import Frame
from testkit.faces_light import BACKGROUND_GAIN, ScreenLightMaps, apply_screen_light, linear_to_srgb, render_screen_light, screen_light_maps, srgb_to_linear
from testkit.faces_warp import FRAME_SIZE, FacePose, FaceSource, posed_landmarks, prepare, warp


# --------------------------------------------------------------------------- sequences

#: A screen colour over time: ``t`` (s) -> (sRGB colour, or None for no flash).
LightSchedule = Callable[[float], "tuple[int, int, int] | None"]
PoseSchedule = Callable[[float], FacePose]


@dataclass(frozen=True)
class Camera:
    """The capture stage: frame rate, latency and imperfections."""

    fps: float = 15.0
    lag_s: float = 0.08  # the screen shows a colour; the camera frame shows it this much later
    noise_sigma: float = 2.0  # sensor noise, 0..255
    shake_px: float = 1.5  # hand shake amplitude
    jpeg_quality: int = 88
    strength: float = 0.6  # screen light over room light


def _camera_finish(rgb: np.ndarray, camera: Camera, rng: np.random.Generator) -> np.ndarray:
    noise = np.empty(rgb.shape, np.int16)
    cv2.setRNGSeed(int(rng.integers(0, 2**31 - 1)))  # cv2's generator is several times faster than NumPy's normal()
    cv2.randn(noise, 0.0, camera.noise_sigma)
    out = np.clip(rgb.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    if camera.jpeg_quality < 100:
        ok, data = cv2.imencode(".jpg", out[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, camera.jpeg_quality])
        out = cv2.imdecode(data, cv2.IMREAD_COLOR)[..., ::-1]
    return np.ascontiguousarray(out)


def _shake(t: float, amplitude: float, phase: float) -> tuple[float, float]:
    return (amplitude * math.sin(2.1 * t + phase), amplitude * math.sin(1.7 * t + 2 * phase))


def render_sequence(
    source: FaceSource,
    duration_s: float,
    poses: PoseSchedule,
    light: LightSchedule | None = None,
    camera: Camera = Camera(),
    seed: int = 0,
    start_s: float = 0.0,
) -> list[Frame]:
    """A bona fide clip: the real head moving by ``poses`` under the screen ``light``."""
    rng = np.random.default_rng(seed)
    phase = float(rng.uniform(0, 2 * math.pi))
    frames = []
    for k in range(int(round(duration_s * camera.fps))):
        t = start_s + k / camera.fps
        pose = poses(t)
        pose = replace(pose, shift_px=_shake(t, camera.shake_px, phase))
        rgb, posed = warp(source, pose)
        colour = light(t - camera.lag_s) if light else None
        if colour is not None:
            rgb = render_screen_light(rgb, posed, colour, camera.strength)
        frames.append(Frame(_camera_finish(rgb, camera, rng), t))
    return frames


def idle_poses(seed: int, amplitude_deg: float = 4.0) -> PoseSchedule:
    """A person holding still as asked: small natural sway of the head, blinking now and then."""
    rng = np.random.default_rng(seed)
    a, b, p1, p2 = rng.uniform(0.5, 1.0), rng.uniform(0.5, 1.0), rng.uniform(0, 6.3), rng.uniform(0, 6.3)
    blink_at = float(rng.uniform(0.8, 2.2))

    def pose(t: float) -> FacePose:
        lids = max(0.0, 1.0 - abs(t - blink_at) / 0.12) * 0.9
        return FacePose(
            yaw_deg=amplitude_deg * a * math.sin(1.3 * t + p1),
            pitch_deg=amplitude_deg * 0.6 * b * math.sin(0.9 * t + p2),
            eyelids=lids,
        )

    return pose


#: The pose that performs each active-liveness action at its peak.
ACTION_POSES = {
    "blink": FacePose(eyelids=0.95),
    "turn_left": FacePose(yaw_deg=32.0),
    "turn_right": FacePose(yaw_deg=-32.0),
    "open_mouth": FacePose(mouth=1.0),
    "nod": FacePose(pitch_deg=-24.0),
}


def action_poses(actions: Sequence[str], seed: int, start_s: float = 0.8, each_s: float = 1.6) -> PoseSchedule:
    """A person doing ``actions`` one after another (each rises, holds and returns in ``each_s``)."""
    idle = idle_poses(seed, amplitude_deg=2.0)

    def pose(t: float) -> FacePose:
        base = idle(t)
        index = int((t - start_s) // each_s)
        if t < start_s or index >= len(actions):
            return base
        u = (t - start_s - index * each_s) / each_s
        peak = ACTION_POSES[actions[index]]
        # Blinks are quick; head moves take the whole slot.
        if actions[index] == "blink":
            # A deliberate blink: closed for about 0.3 s.
            level = min(1.0, max(0.0, (0.16 - abs(u - 0.5)) / 0.06))
        else:
            level = min(1.0, max(0.0, math.sin(math.pi * u) * 1.6))
        return FacePose(
            yaw_deg=base.yaw_deg + level * peak.yaw_deg,
            pitch_deg=base.pitch_deg + level * peak.pitch_deg,
            mouth=level * peak.mouth,
            eyelids=max(base.eyelids, level * peak.eyelids),
        )

    return pose


def flash_light(colours: Sequence[tuple[tuple[int, int, int], float, float]]) -> LightSchedule:
    """The screen's colour at time t from ``(colour, start_s, duration_s)`` triples (None outside)."""

    def colour(t: float) -> tuple[int, int, int] | None:
        for rgb, start, duration in colours:
            if start <= t < start + duration:
                return tuple(rgb)  # type: ignore[return-value]
        return None

    return colour


# --------------------------------------------------------------------------- attacks


def _plane_homography(width: int, height: int, t: float, phase: float, wobble: float, scale: float) -> np.ndarray:
    """A rigid plane (a print or a phone) held in front of the camera: it sways, slides and tilts a little.

    The four corners of the plane's image move smoothly by up to ``wobble``
    (share of the width) each, in different phases: a perspective tilt plus a
    slide, as a hand-held sheet does. ``scale`` is the plane's size in the frame.
    """
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    centre = np.float32([width / 2, height / 2])
    placed = (corners - centre) * scale + centre
    offsets = np.float32([
        [math.sin(0.9 * t + phase + k), math.cos(0.7 * t + 2 * phase + 1.7 * k)] for k in range(4)
    ]) * wobble * width
    slide = np.float32([math.sin(0.5 * t + phase), math.sin(0.4 * t + 3 * phase)]) * wobble * width
    return cv2.getPerspectiveTransform(corners, placed + offsets + slide)


def _room(width: int, height: int, seed: int) -> np.ndarray:
    """A plain dim room behind a held print or phone."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(40, 90, 3)
    gradient = np.linspace(0.8, 1.2, height)[:, None, None]
    return np.clip(base * gradient * np.ones((height, width, 1)), 0, 255).astype(np.uint8)


def print_attack(
    source: FaceSource, duration_s: float, light: LightSchedule | None = None, camera: Camera = Camera(), seed: int = 0,
    start_s: float = 0.0, *, highlight: np.ndarray | None = None,
) -> list[Frame]:
    """A printed photo held in front of the camera.

    The print is the neutral selfie with a printer's smaller gamut (lower
    contrast, less saturation) and paper grain; it moves as one rigid plane;
    the screen's light falls on it uniformly (it is flat and faces the screen),
    on its paper margin as much as on the face. ``highlight`` (``(H, W)``
    float 0..1 in the print's own coordinates) is a specular reflection on a
    glossy surface, blended towards white and moving with the plane (see
    :func:`glossy_print_attack`).
    """
    rng = np.random.default_rng(seed)
    height, width = source.rgb.shape[:2]
    grey = source.rgb.astype(np.float32).mean(axis=2, keepdims=True)
    ink = (0.75 * source.rgb + 0.25 * grey) * 0.85 + 20 + rng.normal(0, 3, source.rgb.shape)
    printed = np.clip(ink, 0, 255).astype(np.uint8)
    room = _room(width, height, seed)
    phase = float(rng.uniform(0, 6.3))
    frames = []
    for k in range(int(round(duration_s * camera.fps))):
        t = start_s + k / camera.fps
        h = _plane_homography(width, height, t, phase, wobble=0.025, scale=0.92)
        paper = cv2.warpPerspective(printed, h, (width, height), flags=cv2.INTER_LINEAR)
        inside = cv2.warpPerspective(np.full((height, width), 255, np.uint8), h, (width, height))[..., None] > 127
        colour = light(t - camera.lag_s) if light else None
        if colour is not None:
            lit = apply_screen_light(ScreenLightMaps(srgb_to_linear(paper), np.full((height, width), 0.85, np.float32)), colour, camera.strength)
            far = apply_screen_light(ScreenLightMaps(srgb_to_linear(room), np.full((height, width), BACKGROUND_GAIN, np.float32)), colour, camera.strength)
        else:
            lit, far = paper, room
        if highlight is not None:
            shine = cv2.warpPerspective(highlight, h, (width, height), flags=cv2.INTER_LINEAR)[..., None]
            lit = (lit * (1.0 - shine) + 255.0 * shine).astype(np.uint8)
        frames.append(Frame(_camera_finish(np.where(inside, lit, far), camera, rng), t))
    return frames


def lamp_highlight(source: FaceSource, seed: int = 0, size: float = 0.42) -> np.ndarray:
    """A lamp's or window's specular reflection on a glossy sheet, over the face (``(H, W)`` float32 0..1).

    A mirror-like reflection of a bright source saturates the camera: a white,
    colourless patch with a soft rim. It is an ellipse ``size`` of the face
    width long (half as high), tilted, placed on the forehead and upper cheek
    where a print or phone held at chest height catches a ceiling lamp; it is
    in the sheet's coordinates, so it moves rigidly with the sheet.
    """
    rng = np.random.default_rng(seed)
    height, width = source.rgb.shape[:2]
    width_px = source.face_width
    forehead, nose = source.landmarks[151, :2], source.landmarks[1, :2]
    centre = forehead + float(rng.uniform(0.3, 0.5)) * (nose - forehead) + [float(rng.uniform(-0.12, 0.12)) * width_px, 0.0]
    axes = (int(size * width_px), int(0.5 * size * width_px))
    core = np.zeros((height, width), np.float32)
    cv2.ellipse(core, (int(centre[0]), int(centre[1])), axes, float(rng.uniform(-30, 30)), 0, 360, 1.0, -1, cv2.LINE_AA)
    # A soft rim (the lamp's halo), but the core stays saturated.
    return np.maximum(core, cv2.GaussianBlur(core, (0, 0), 0.06 * width_px) * 0.9)


def glossy_print_attack(
    source: FaceSource, duration_s: float, light: LightSchedule | None = None, camera: Camera = Camera(), seed: int = 0,
    start_s: float = 0.0,
) -> list[Frame]:
    """A photo printed on glossy paper (or shown on a phone's glass) catching a lamp's reflection.

    :func:`print_attack` with a :func:`lamp_highlight` that moves rigidly with the plane.
    """
    return print_attack(source, duration_s, light, camera, seed, start_s, highlight=lamp_highlight(source, seed))


def screen_replay(
    recording: Sequence[Frame], light: LightSchedule | None = None, camera: Camera = Camera(), seed: int = 0,
    time_offset_s: float = 0.0,
) -> list[Frame]:
    """A recording played on a phone or monitor held in front of the camera.

    The display resamples the video to its pixel grid with RGB sub-pixel
    stripes and its own gamma; the camera re-samples that grid at a slight
    angle (moiré); the live screen's light adds only a faint uniform glare on
    the display's glass; the replay is re-timed onto the new clock
    (``time_offset_s`` later than the original frame times).
    """
    rng = np.random.default_rng(seed)
    height, width = recording[0].pixels.shape[:2]
    pitch = float(rng.uniform(2.6, 3.4))  # display pixel pitch as seen by the camera, in camera pixels
    angle = float(rng.uniform(2.0, 6.0))
    stripes = np.zeros((height, width, 3), np.float32)
    xs = (np.arange(width)[None, :] + 0.0 * np.arange(height)[:, None])
    rotated = cv2.warpAffine(xs.astype(np.float32), cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0), (width, height), borderMode=cv2.BORDER_REFLECT_101)
    for channel in range(3):
        phase = (rotated / pitch - channel / 3.0) % 1.0
        stripes[..., channel] = 0.55 + 0.45 * np.cos(2 * math.pi * phase)
    room = _room(width, height, seed + 1)
    phase0 = float(rng.uniform(0, 6.3))
    frames = []
    for k, frame in enumerate(recording):
        t = (frame.timestamp_s or k / camera.fps) + time_offset_s
        shown = srgb_to_linear(frame.pixels) ** 1.15 * stripes * 1.25
        h = _plane_homography(width, height, t, phase0, wobble=0.02, scale=0.95)
        screen = cv2.warpPerspective(linear_to_srgb(shown), h, (width, height), flags=cv2.INTER_LINEAR)
        inside = cv2.warpPerspective(np.full((height, width), 255, np.uint8), h, (width, height))[..., None] > 127
        colour = light(t - camera.lag_s) if light else None
        if colour is not None:
            glare = 0.04 * camera.strength * srgb_to_linear(np.asarray(colour, np.uint8).reshape(1, 1, 3))
            screen = linear_to_srgb(srgb_to_linear(screen) + glare)
        frames.append(Frame(_camera_finish(np.where(inside, screen, room), camera, rng), t))
    return frames


def static_frames(source: FaceSource, duration_s: float, fps: float = 15.0, start_s: float = 0.0) -> list[Frame]:
    """One still image sent again and again (a virtual camera showing a photo)."""
    return [Frame(source.rgb.copy(), start_s + k / fps) for k in range(int(round(duration_s * fps)))]


def tinted_static(source: FaceSource, duration_s: float, light: LightSchedule, camera: Camera = Camera(), start_s: float = 0.0) -> list[Frame]:
    """A still photo injected with the issued colours tinted over the whole picture at the right time.

    The attacker knows the challenge and times the tint perfectly; what gives
    it away is that the tint is the same everywhere: no relief, background included.
    """
    maps = ScreenLightMaps(srgb_to_linear(source.rgb), np.full(source.rgb.shape[:2], 0.8, np.float32))
    frames = []
    for k in range(int(round(duration_s * camera.fps))):
        t = start_s + k / camera.fps
        colour = light(t - camera.lag_s)
        frames.append(Frame(apply_screen_light(maps, colour, camera.strength) if colour else source.rgb.copy(), t))
    return frames


def face_cut(first: Sequence[Frame], second: Sequence[Frame], at_s: float) -> list[Frame]:
    """Frames of ``first`` until ``at_s``, then ``second``'s (one person does the easy part, another the rest)."""
    return [f for f in first if (f.timestamp_s or 0) < at_s] + [f for f in second if (f.timestamp_s or 0) >= at_s]


__all__ = [
    "ACTION_POSES",
    "BACKGROUND_GAIN",
    "Camera",
    "FRAME_SIZE",
    "FacePose",
    "FaceSource",
    "LightSchedule",
    "PoseSchedule",
    "ScreenLightMaps",
    "action_poses",
    "apply_screen_light",
    "face_cut",
    "flash_light",
    "glossy_print_attack",
    "idle_poses",
    "lamp_highlight",
    "linear_to_srgb",
    "posed_landmarks",
    "prepare",
    "print_attack",
    "render_screen_light",
    "render_sequence",
    "screen_light_maps",
    "screen_replay",
    "srgb_to_linear",
    "static_frames",
    "tinted_static",
    "warp",
]
