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
from scipy.interpolate import LinearNDInterpolator

from testkit import photos
from barrierfree.vision.face.geometry import facing_cosine
from barrierfree.vision.face.mesh import still_mesh
from barrierfree.vision.frames import Frame

#: Selfie frame size (width, height): a phone front camera held upright.
FRAME_SIZE = (480, 640)

#: Lid contours of each eye, upper lid and the lower-lid point below each upper point.
_UPPER_LIDS = ((246, 161, 160, 159, 158, 157, 173), (466, 388, 387, 386, 385, 384, 398))
_LOWER_LIDS = ((7, 163, 144, 145, 153, 154, 155), (249, 390, 373, 374, 380, 381, 382))
_IRISES = (tuple(range(468, 473)), tuple(range(473, 478)))
_INNER_LIPS = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95)
_MOUTH_CORNERS = (61, 291)
_LOWER_LIP = (95, 88, 178, 87, 14, 317, 402, 318, 324, 146, 91, 181, 84, 17, 314, 405, 321, 375)
#: Share of the screen's light reaching the background (a wall ~1 m away against a face ~30 cm away).
BACKGROUND_GAIN = 0.08
#: Grid step (pixels) at which warps and shading are interpolated before being resized to full size.
_GRID = 4


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True, eq=False)
class FaceSource:
    """A real photo framed as a selfie, with its mesh (``(478, 3)`` pixels)."""

    name: str
    rgb: np.ndarray
    landmarks: np.ndarray

    @property
    def face_width(self) -> float:
        return float(np.ptp(self.landmarks[:, 0]))


_SOURCES: dict[tuple[str, float], FaceSource] = {}


def prepare(name: str, face_width_fraction: float = 0.45, size: tuple[int, int] = FRAME_SIZE) -> FaceSource:
    """Frame the named photo so its face is ``face_width_fraction`` of the width, centred (cached)."""
    key = (name, face_width_fraction)
    if key not in _SOURCES:
        photo = photos.load(name)
        faces = still_mesh().landmarks(photo)
        if not faces:
            raise ValueError(f"no face found in photo {name!r}")
        points = max(faces, key=lambda f: float(np.ptp(f[:, 0])))
        scale = face_width_fraction * size[0] / float(np.ptp(points[:, 0]))
        centre = points[:, :2].mean(axis=0)
        # Put the face centre slightly above the frame centre, as people hold a phone.
        shift = np.array([size[0] / 2, size[1] * 0.45]) - centre * scale
        matrix = np.array([[scale, 0, shift[0]], [0, scale, shift[1]]], dtype=np.float64)
        rgb = cv2.warpAffine(photo, matrix, size, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REFLECT_101)
        found = still_mesh().landmarks(rgb)
        if not found:
            raise ValueError(f"no face found in the framed photo {name!r}")
        _SOURCES[key] = FaceSource(name, rgb, max(found, key=lambda f: float(np.ptp(f[:, 0]))))
    return _SOURCES[key]


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class FacePose:
    """What the head does in one frame: degrees (person's convention), openness 0..1."""

    yaw_deg: float = 0.0  # > 0: the head turns to the person's left (nose to the image right)
    pitch_deg: float = 0.0  # > 0: chin up
    mouth: float = 0.0  # 0 closed .. 1 wide open
    eyelids: float = 0.0  # 0 open .. 1 closed
    shift_px: tuple[float, float] = (0.0, 0.0)  # whole-head translation (hand shake)


def _rotation(yaw_deg: float, pitch_deg: float) -> np.ndarray:
    # Image axes (x right, y down, z away). Person's yaw left = nose to image right.
    y, p = math.radians(-yaw_deg), math.radians(-pitch_deg)
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    return ry @ rx


def posed_landmarks(source: FaceSource, pose: FacePose) -> np.ndarray:
    """The source's 3-D landmarks moved by ``pose`` (``(478, 3)`` pixels)."""
    points = source.landmarks.astype(np.float64).copy()
    width = source.face_width
    if pose.mouth > 0:
        c0, c1 = points[_MOUTH_CORNERS[0], :2], points[_MOUTH_CORNERS[1], :2]
        along = (c1 - c0) / np.linalg.norm(c1 - c0)
        down = np.array([-along[1], along[0]])  # perpendicular to the lip line, towards the chin
        rel = points[:, :2] - (c0 + c1) / 2
        below = np.clip(rel @ down / (0.08 * width), 0.0, 1.0)
        across = np.exp(-((rel @ along / (0.42 * width)) ** 2))
        weight = below * across
        weight[list(_LOWER_LIP)] = 1.0
        weight[list(_MOUTH_CORNERS)] = 0.0
        drop = pose.mouth * 0.35 * float(np.linalg.norm(c1 - c0))
        points[:, :2] += (drop * weight)[:, None] * down
    if pose.yaw_deg or pose.pitch_deg:
        centre = points[:468].mean(axis=0) + np.array([0.0, 0.0, 0.55 * width])
        points = (points - centre) @ _rotation(pose.yaw_deg, pose.pitch_deg).T + centre
    points[:, :2] += np.asarray(pose.shift_px)
    return points


def _face_oval() -> list[int]:
    import mediapipe as mp

    edges = list(mp.solutions.face_mesh.FACEMESH_FACE_OVAL)
    nxt = dict(edges)
    start = edges[0][0]
    loop = [start]
    while nxt[loop[-1]] != start:
        loop.append(nxt[loop[-1]])
    return loop


_OVAL = _face_oval()




def _anchors(source: FaceSource, posed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Extra (source, destination) points: frame border (fixed) and a halo that follows the head half-way."""
    height, width = source.rgb.shape[:2]
    border = []
    for t in np.linspace(0, 1, 9):
        border += [(t * (width - 1), 0), (t * (width - 1), height - 1), (0, t * (height - 1)), (width - 1, t * (height - 1))]
    border = np.array(border)
    oval_src = source.landmarks[_OVAL, :2].astype(np.float64)
    oval_dst = posed[_OVAL, :2]
    centre = oval_src.mean(axis=0)
    halo_src = centre + (oval_src - centre) * 1.45
    halo_dst = halo_src + 0.5 * (oval_dst.mean(axis=0) - centre)
    return np.vstack([border, halo_src]), np.vstack([border, halo_dst])


def _dense(points: np.ndarray, values: np.ndarray, width: int, height: int, fill: float, step: int = _GRID) -> np.ndarray:
    """Linear interpolation of per-point values over the frame (on a ``step``-pixel grid, then resized)."""
    gx, gy = np.meshgrid(np.arange(0, width + step, step), np.arange(0, height + step, step))
    sampled = LinearNDInterpolator(points, values, fill_value=fill)(gx, gy).astype(np.float32)
    full = cv2.resize(sampled, (gx.shape[1] * step, gx.shape[0] * step), interpolation=cv2.INTER_LINEAR)
    return full[:height, :width] if full.ndim == 2 else full[:height, :width, :]


def warp(source: FaceSource, pose: FacePose) -> tuple[np.ndarray, np.ndarray]:
    """The source photo with the head moved by ``pose``: (rgb, posed landmarks)."""
    posed = posed_landmarks(source, pose)
    height, width = source.rgb.shape[:2]
    extra_src, extra_dst = _anchors(source, posed)
    dst = np.vstack([posed[:, :2], extra_dst])
    src = np.vstack([source.landmarks[:, :2], extra_src])
    maps = _dense(dst, src, width, height, fill=-1.0)
    rgb = cv2.remap(source.rgb, maps[..., 0], maps[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
    if pose.mouth > 0.05:
        _paint_mouth(rgb, posed, pose.mouth)
    if pose.eyelids > 0.05:
        _paint_lids(rgb, posed, pose.eyelids)
    return rgb, posed


def _paint_lids(rgb: np.ndarray, posed: np.ndarray, amount: float) -> None:
    """Lower the upper lids: cover each eye opening with lid skin and a lash line."""
    for upper, lower in zip(_UPPER_LIDS, _LOWER_LIDS):
        up, low = posed[list(upper), :2], posed[list(lower), :2]
        opening = np.round(np.vstack([up, low[::-1]])).astype(np.int32)
        mask = np.zeros(rgb.shape[:2], np.uint8)
        cv2.fillPoly(mask, [opening], 255)
        mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
        # Lid skin looks like the skin just below the eye.
        height = float(np.ptp(opening[:, 1])) + 2
        below = np.round(low + [0, 0.8 * height]).astype(int)
        below[:, 0] = np.clip(below[:, 0], 0, rgb.shape[1] - 1)
        below[:, 1] = np.clip(below[:, 1], 0, rgb.shape[0] - 1)
        skin = np.median(rgb[below[:, 1], below[:, 0]].astype(np.float32), axis=0) * 0.92
        # The lid comes down from the top: the covered part grows with ``amount``.
        lid_edge = up + min(1.0, amount) * (low - up) * 0.92
        covered = np.zeros_like(mask)
        cv2.fillPoly(covered, [np.round(np.vstack([up - [0, 2], lid_edge[::-1]])).astype(np.int32)], 255)
        covered = cv2.GaussianBlur(np.minimum(covered, mask), (3, 3), 0).astype(np.float32)[..., None] / 255.0
        rgb[:] = (rgb * (1 - covered) + skin * covered).astype(np.uint8)
        if amount > 0.6:
            cv2.polylines(rgb, [np.round(lid_edge).astype(np.int32)], False, (60, 45, 40), 1, cv2.LINE_AA)


def _paint_mouth(rgb: np.ndarray, posed: np.ndarray, amount: float) -> None:
    """Fill the gap between the inner lips with the dark of an open mouth."""
    polygon = np.round(posed[list(_INNER_LIPS), :2]).astype(np.int32)
    mask = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(mask, [polygon], 255)
    mask = cv2.GaussianBlur(mask, (5, 5), 0).astype(np.float32)[..., None] / 255.0 * min(1.0, amount * 1.5)
    dark = np.array([55, 22, 24], np.float32)
    rgb[:] = (rgb * (1 - mask) + dark * mask).astype(np.uint8)


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
