"""Realistic phone photos of identity documents, for tests, benchmarks and simulations.

Three layers, each usable on its own (the first two in :mod:`testkit.cards_people` and
:mod:`testkit.cards_flat`, re-exported here):

1. **People and documents** — :func:`random_cn_person` draws a consistent
   resident (GB 11643 number with a real region code from python-stdnum's
   table, birth date, sex parity, issuing authority, validity by age);
   :func:`random_mrz_document` draws an ICAO 9303 TD1/TD2/TD3 document.
2. **Flat textures** — :func:`render_card` draws a side as an upright RGB
   array at ``px_per_mm`` (Noto CJK for Chinese, OCR-B for the MRZ and the ID
   number, a real portrait from :func:`testkit.photos.load`). The
   guidance engineer projects these textures with a virtual phone camera.
3. **Scenes** — :func:`render_scene` lays a texture on a table and photographs
   it with a pinhole camera at a :class:`CameraPose`; :func:`random_photo`
   draws a pose and photographic faults (background clutter, rotation up to
   30°, blur, noise, glare, low light, JPEG) and returns the truth with it.

Geometry: document coordinates are millimetres from the printed top-left
corner, x right, y down. Image points are pixels, origin top-left.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field, replace
from datetime import date

import cv2
import numpy as np
from PIL import Image

from testkit.cards_flat import render_card
from testkit.cards_people import CnPerson, FORMAT_OF, MrzDocument, SIZES_MM, id_number, random_cn_person, random_mrz_document


BACKGROUNDS = ("wood", "cloth", "brick", "gravel", "grass", "coffee", "chelsea", "rocket", "page", "text",
               "camera", "coins", "motorcycle_left", "hubble_deep_field", "dark", "desk")
#: Background photos shipped inside scikit-image's wheel (file names in ``skimage.data_dir``).
_PHOTO_FILES = {"brick": "brick.png", "gravel": "gravel.png", "grass": "grass.png", "coffee": "coffee.png",
                "chelsea": "chelsea.png", "rocket": "rocket.jpg", "page": "page.png", "text": "text.png",
                "camera": "camera.png", "coins": "coins.png", "motorcycle_left": "motorcycle_left.png",
                "hubble_deep_field": "hubble_deep_field.jpg"}


# --- scenes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CameraPose:
    """A pinhole camera looking down at the card lying on a table.

    The card's centre sits at ``offset_mm`` (x right, y down, in the card's
    plane) from the point under the camera's optical axis; ``distance_mm`` is
    from the lens to that point. ``roll_deg`` turns the card in the image
    (clockwise +), ``tilt_x_deg``/``tilt_y_deg`` tilt the phone about the
    image's horizontal/vertical axis (perspective). ``focal_px`` is for the
    frame's width (a phone's main camera: about 0.8 × width).
    """

    distance_mm: float = 160.0
    roll_deg: float = 0.0
    tilt_x_deg: float = 0.0
    tilt_y_deg: float = 0.0
    offset_mm: tuple[float, float] = (0.0, 0.0)
    focal_px: float | None = None
    upside_down: bool = False


def project(size_mm: tuple[float, float], pose: CameraPose, frame_size: tuple[int, int]) -> np.ndarray:
    """Where the card's printed corners (TL, TR, BR, BL) land in the frame, ``(4, 2)`` pixels."""
    width, height = frame_size
    focal = pose.focal_px or 0.8 * width
    w, h = size_mm
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], np.float64)
    roll = math.radians(pose.roll_deg + (180.0 if pose.upside_down else 0.0))
    rot = np.array([[math.cos(roll), -math.sin(roll)], [math.sin(roll), math.cos(roll)]])
    points = corners @ rot.T + np.asarray(pose.offset_mm)
    ax, ay = math.radians(pose.tilt_x_deg), math.radians(pose.tilt_y_deg)
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    world = np.column_stack([points, np.zeros(4)])
    camera = world @ (ry @ rx).T + np.array([0.0, 0.0, pose.distance_mm])
    return np.column_stack([focal * camera[:, 0] / camera[:, 2] + width / 2,
                            focal * camera[:, 1] / camera[:, 2] + height / 2]).astype(np.float32)


def _procedural(kind: str, size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    if kind == "wood":
        hue = np.array(rng.choice([(150, 100, 60), (110, 70, 40), (190, 150, 100)]), np.float32)
        grain = np.sin((y + 12 * np.sin(x / 90)) / rng.uniform(3, 9)) * 0.5 + 0.5
        image = hue * (0.75 + 0.3 * grain[..., None])
    elif kind == "cloth":
        hue = rng.uniform(30, 220, 3).astype(np.float32)
        weave = (np.sin(x / 2.1) * np.sin(y / 2.1)) * 12
        image = hue + weave[..., None]
    elif kind == "dark":
        image = np.full((height, width, 3), rng.uniform(15, 45), np.float32)
    else:  # desk: a pale surface, the hardest for a light card
        image = np.full((height, width, 3), rng.uniform(150, 215), np.float32) * np.array([1.0, 0.98, 0.95], np.float32)
    return np.clip(image + rng.normal(0, 4, image.shape), 0, 255).astype(np.uint8)


def background(kind: str, frame_size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A table or clutter background: a real photo shipped with scikit-image, or a procedural surface."""
    width, height = frame_size
    if kind in ("wood", "cloth", "dark", "desk"):
        return _procedural(kind, frame_size, rng)
    import skimage

    with Image.open(f"{skimage.data_dir}/{_PHOTO_FILES[kind]}") as photo:
        image = np.asarray(photo.convert("RGB"))
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    image = image[:, :, :3]
    scale = max(width / image.shape[1], height / image.shape[0]) * rng.uniform(1.0, 1.6)
    image = cv2.resize(image, (math.ceil(image.shape[1] * scale), math.ceil(image.shape[0] * scale)))
    x0 = int(rng.integers(0, image.shape[1] - width + 1))
    y0 = int(rng.integers(0, image.shape[0] - height + 1))
    return np.ascontiguousarray(image[y0:y0 + height, x0:x0 + width])


def render_scene(texture: np.ndarray, size_mm: tuple[float, float], pose: CameraPose,
                 frame_size: tuple[int, int] = (1280, 960), backdrop: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Photograph a flat ``texture`` lying on ``backdrop`` from ``pose``: (RGB frame, quad).

    The quad is the card's printed corners TL, TR, BR, BL in frame pixels
    (they may lie outside the frame when the card is cut off).
    """
    width, height = frame_size
    quad = project(size_mm, pose, frame_size)
    th, tw = texture.shape[:2]
    source = np.array([[0, 0], [tw, 0], [tw, th], [0, th]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, quad)
    frame = backdrop.copy() if backdrop is not None else np.full((height, width, 3), 90, np.uint8)
    shadow = cv2.fillConvexPoly(np.zeros((height, width), np.uint8), (quad + 6).astype(np.int32), 255)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 6).astype(np.float32) / 255 * 0.35
    frame = (frame.astype(np.float32) * (1 - shadow[..., None])).astype(np.uint8)
    warped = cv2.warpPerspective(texture, matrix, (width, height), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((th, tw), 255, np.uint8), matrix, (width, height), flags=cv2.INTER_LINEAR)
    alpha = mask.astype(np.float32)[..., None] / 255
    frame = (frame * (1 - alpha) + warped * alpha).astype(np.uint8)
    return frame, quad


@dataclass(frozen=True)
class Faults:
    """Photographic faults applied after the scene is rendered (all off by default)."""

    blur_sigma_px: float = 0.0
    motion_blur_px: int = 0
    noise_sigma: float = 0.0
    #: Glare spots: (x, y, radius) as fractions of the frame width.
    glare: tuple[tuple[float, float, float], ...] = ()
    #: Multiplies brightness (0.35 = a dim room).
    light: float = 1.0
    jpeg_quality: int | None = None


def apply_faults(frame: np.ndarray, faults: Faults, rng: np.random.Generator) -> np.ndarray:
    image = frame.astype(np.float32)
    if faults.blur_sigma_px > 0:
        image = cv2.GaussianBlur(image, (0, 0), faults.blur_sigma_px)
    if faults.motion_blur_px > 1:
        kernel = np.zeros((faults.motion_blur_px, faults.motion_blur_px), np.float32)
        kernel[faults.motion_blur_px // 2, :] = 1.0 / faults.motion_blur_px
        image = cv2.filter2D(image, -1, kernel)
    height, width = image.shape[:2]
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    for gx, gy, radius in faults.glare:
        spot = np.exp(-(((x - gx * width) ** 2 + (y - gy * width) ** 2) / (2 * (radius * width) ** 2)))
        image += spot[..., None] * 170
    image *= faults.light
    if faults.noise_sigma > 0:
        image += rng.normal(0, faults.noise_sigma, image.shape)
    out = np.clip(image, 0, 255).astype(np.uint8)
    if faults.jpeg_quality:
        buffer = io.BytesIO()
        Image.fromarray(out).save(buffer, "JPEG", quality=faults.jpeg_quality)
        out = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))
    return out


@dataclass(frozen=True, eq=False)
class SyntheticPhoto:
    """A generated photo and its truth."""

    pixels: np.ndarray
    document_type: str
    fields: dict[str, str]
    quad: np.ndarray
    pose: CameraPose
    faults: Faults
    background: str
    extra: dict[str, object] = field(default_factory=dict)

    def jpeg(self, quality: int = 92) -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(self.pixels).save(buffer, "JPEG", quality=quality)
        return buffer.getvalue()


def random_pose(rng: np.random.Generator, size_mm: tuple[float, float], frame_size: tuple[int, int],
                *, fill: tuple[float, float] = (0.45, 0.8), max_roll_deg: float = 30.0, max_tilt_deg: float = 18.0) -> CameraPose:
    """A hand-held pose: the card's width fills ``fill`` of the frame width, wholly inside the frame."""
    width, height = frame_size
    focal = 0.8 * width
    for _ in range(50):
        share = rng.uniform(*fill)
        distance = focal * size_mm[0] / (share * width)
        pose = CameraPose(
            distance_mm=distance, roll_deg=rng.uniform(-max_roll_deg, max_roll_deg),
            tilt_x_deg=rng.uniform(-max_tilt_deg, max_tilt_deg), tilt_y_deg=rng.uniform(-max_tilt_deg, max_tilt_deg),
            offset_mm=(rng.uniform(-0.12, 0.12) * size_mm[0], rng.uniform(-0.12, 0.12) * size_mm[0]), focal_px=focal,
        )
        quad = project(size_mm, pose, frame_size)
        if quad[:, 0].min() > 8 and quad[:, 1].min() > 8 and quad[:, 0].max() < width - 8 and quad[:, 1].max() < height - 8:
            return pose
    return CameraPose(distance_mm=focal * size_mm[0] / (0.6 * width), focal_px=focal)


def random_faults(rng: np.random.Generator, severity: float = 1.0) -> Faults:
    """A mix of everyday faults; ``severity`` 0 gives a clean photo, 1 a typical phone photo."""
    glare = ()
    if rng.random() < 0.3 * severity:
        glare = ((float(rng.uniform(0.2, 0.8)), float(rng.uniform(0.15, 0.6)), float(rng.uniform(0.02, 0.06))),)
    return Faults(
        blur_sigma_px=float(rng.uniform(0, 1.3) * severity),
        motion_blur_px=int(rng.integers(0, 5) * severity) if rng.random() < 0.2 else 0,
        noise_sigma=float(rng.uniform(1, 6) * severity),
        glare=glare,
        light=float(rng.uniform(0.45, 1.0)) if rng.random() < 0.25 * severity else 1.0,
        jpeg_quality=int(rng.integers(55, 93)),
    )


def random_photo(seed: int, document_type: str = "cn_resident_id_front", *, frame_size: tuple[int, int] = (1280, 960),
                 severity: float = 1.0, pose: CameraPose | None = None, background_kind: str | None = None,
                 today: date) -> SyntheticPhoto:
    """One reproducible photo of a document of ``document_type``, valid on ``today``, on a table, with its truth."""
    rng = np.random.default_rng(seed)
    if document_type.startswith("cn_resident_id"):
        person = random_cn_person(rng, today)
        side = "front" if document_type.endswith("front") else "back"
        texture = render_card(person, side, seed=seed)
        fields = person.front_fields() if side == "front" else person.back_fields()
    else:
        doc = random_mrz_document(rng, document_type.removeprefix("mrz_"), today)
        texture = render_card(doc, seed=seed)
        fields = dict(doc.fields)
    size_mm = SIZES_MM[FORMAT_OF[document_type]]
    pose = pose or random_pose(rng, size_mm, frame_size)
    kind = background_kind or str(rng.choice(BACKGROUNDS))
    frame, quad = render_scene(texture, size_mm, pose, frame_size, background(kind, frame_size, rng))
    faults = random_faults(rng, severity)
    pixels = apply_faults(frame, faults, rng)
    return SyntheticPhoto(pixels, document_type, fields, quad, pose, faults, kind)


def dim_card(seed: int, side: str, today: date, *, kind: str = "page",
             frame_size: tuple[int, int] = (1280, 960)) -> tuple[np.ndarray, np.ndarray, float]:
    """(frame, true quad, light) of a resident ID side (``front``/``back``) in a dim room (light 0.45..0.6)
    on a pale ``kind`` background, without a highlight: a card barely brighter than the page under it."""
    rng = np.random.default_rng([seed, 1118])
    texture = render_card(random_cn_person(rng, today), side, seed=seed)
    pose = random_pose(rng, SIZES_MM["id1"], frame_size)
    frame, quad = render_scene(texture, SIZES_MM["id1"], pose, frame_size, background(kind, frame_size, rng))
    faults = replace(random_faults(rng), glare=(), light=float(rng.uniform(0.45, 0.6)))
    return apply_faults(frame, faults, rng), quad, faults.light


def with_pose(photo_seed: int, document_type: str, pose: CameraPose, today: date, **kwargs: object) -> SyntheticPhoto:
    """The same document and background as ``random_photo(photo_seed, ..., today=today)``, from another pose."""
    return random_photo(photo_seed, document_type, pose=pose, today=today, **kwargs)  # type: ignore[arg-type]


def empty_table(seed: int, frame_size: tuple[int, int] = (1280, 960), kind: str | None = None) -> np.ndarray:
    """A background with no card on it (for found=False checks)."""
    rng = np.random.default_rng(seed)
    return background(kind or str(rng.choice(BACKGROUNDS)), frame_size, rng)


__all__ = [
    "BACKGROUNDS", "CameraPose", "CnPerson", "Faults", "MrzDocument", "SIZES_MM", "SyntheticPhoto",
    "apply_faults", "background", "dim_card", "empty_table", "id_number", "project", "random_cn_person",
    "random_mrz_document", "random_photo", "render_card", "render_scene", "replace", "with_pose",
]
