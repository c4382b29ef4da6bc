"""Is there exactly one face, good enough to match, in a selfie frame or an ID portrait?

A face match is only as good as the two faces it compares, so both pictures
pass these checks first, in this order, and the first one failed is the
refusal (a :class:`~barrierfree.errors.BadInput` whose ``code`` says which):

- ``no-face``: no face was found;
- ``several-faces``: more than one face at least ``match_other_face_min_px``
  wide. The largest face is never picked: a group photo could match anyone in
  it. Faces are counted by three detectors whose misses differ: the
  mediapipe face mesh (short-range detector), mediapipe's full-range face
  detector on the whole picture and on half-size tiles (so that a small
  bystander is not lost at its 192 px input), and dlib's HOG frontal-face
  detector (no weights to download). A face any of them finds counts;
- ``face-too-small``: the face is narrower than ``match_min_face_px``;
- ``face-turned``: |yaw| or |pitch| beyond ``match_max_yaw_deg`` / ``match_max_pitch_deg``;
- ``eyes-closed``: the more open eye's lid gap over eye width below ``match_min_eye_openness``;
- ``face-too-dark`` / ``face-too-bright``: mean luma on the face outside the exposure limits;
- ``face-blurred``: variance of the Laplacian on the face (128 px wide) below ``match_min_sharpness``.

Each refusal carries ``message_id`` (``face.match.selfie.<code>`` or
``face.match.portrait.<code>`` in the prompt catalog) that says what the person can do.
:func:`best_frame` ranks a liveness clip's frames by the same measures.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cv2
import numpy as np

from barrierfree.errors import BadInput
from barrierfree.settings.face import FaceSettings
from barrierfree.vision.face.analyzer import head_pose, observation_from_landmarks
from barrierfree.vision.face.mesh import full_range_detector, still_mesh

#: Photos are searched for faces at most this many pixels on their long side.
DETECT_MAX_SIDE = 1280
#: dlib's HOG detector runs at most this many pixels on the long side (faces from about 80 px there).
HOG_MAX_SIDE = 960
#: The detectors are not re-entrant: one lock for both.
_lock = threading.Lock()
#: Every refusal code of a face-match picture (each has a catalog message per picture).
REFUSAL_CODES = ("bad-image-array", "no-face", "several-faces", "face-too-small", "face-turned", "eyes-closed",
                 "face-too-dark", "face-too-bright", "face-blurred")
#: Roles of the two pictures of a match, as named in refusals.
SELFIE, PORTRAIT = "selfie", "ID portrait"


@dataclass(frozen=True)
class FaceQuality:
    """The measures the gates look at, for one face."""

    width_px: float  # face width in the picture's own pixels
    yaw_deg: float
    pitch_deg: float
    eye_openness: float  # the more open eye: lid gap over eye width
    exposure: float  # mean luma on the face, 0..1
    sharpness: float  # variance of the Laplacian on the face, 0..255 grey, at 128 px wide

    def problem(self, settings: FaceSettings) -> str | None:
        """The first gate this face fails (a refusal code), or ``None``."""
        if self.width_px < settings.match_min_face_px:
            return "face-too-small"
        if abs(self.yaw_deg) > settings.match_max_yaw_deg or abs(self.pitch_deg) > settings.match_max_pitch_deg:
            return "face-turned"
        if self.eye_openness < settings.match_min_eye_openness:
            return "eyes-closed"
        if self.exposure < settings.match_min_exposure:
            return "face-too-dark"
        if self.exposure > settings.match_max_exposure:
            return "face-too-bright"
        if self.sharpness < settings.match_min_sharpness:
            return "face-blurred"
        return None

    def score(self, settings: FaceSettings) -> float:
        """Higher is better: each measure's headroom over its gate, capped, summed (used to pick a frame)."""
        return float(
            min(self.width_px / (2 * settings.match_min_face_px), 1.0)
            + 1.0 - min(abs(self.yaw_deg) / settings.match_max_yaw_deg, 1.0)
            + 1.0 - min(abs(self.pitch_deg) / settings.match_max_pitch_deg, 1.0)
            + min(self.eye_openness / (2 * settings.match_min_eye_openness), 1.0)
            + 1.0 - min(abs(self.exposure - 0.5) / 0.5, 1.0)
            + min(self.sharpness / (3 * settings.match_min_sharpness), 1.0)
        )

    def to_dict(self) -> dict[str, float]:
        return {k: round(float(v), 3) for k, v in self.__dict__.items()}


@dataclass(frozen=True, eq=False)
class FoundFace:
    """The one face of a picture: its mesh (``(478, 3)`` in the picture's pixels) and its quality."""

    landmarks: np.ndarray
    quality: FaceQuality
    faces_counted: int


class FaceRefused(BadInput):
    """A picture the face match cannot use: which one (``image``: :data:`SELFIE` or :data:`PORTRAIT`)
    and the catalog message that says what to do, as typed attributes (also in the problem document)."""

    def __init__(self, code: str, detail: str, image: str, message_id: str, **extra: Any) -> None:
        super().__init__(code, detail, image=image, message_id=message_id, **extra)
        self.image = image
        self.message_id = message_id

    @property
    def is_selfie(self) -> bool:
        return self.image == SELFIE


def refusal(code: str, role: str, detail: str, **extra: Any) -> FaceRefused:
    """A refusal naming the picture (``image``) and the catalog message that says what to do."""
    side = "selfie" if role == SELFIE else "portrait"
    return FaceRefused(code, detail, image=role, message_id=f"face.match.{side}.{code.replace('-', '_')}", **extra)


@lru_cache(maxsize=1)
def _hog_detector() -> Any:
    import dlib

    return dlib.get_frontal_face_detector()


def _scaled(rgb: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    scale = min(1.0, max_side / max(rgb.shape[:2]))
    if scale == 1.0:
        return rgb, 1.0
    return np.ascontiguousarray(cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)), scale


def _other_boxes(rgb: np.ndarray, settings: FaceSettings) -> list[tuple[float, float, float, float]]:
    """Faces found by the full-range and HOG detectors: (x0, y0, x1, y1) in the picture's pixels."""
    boxes = []
    small, scale = _scaled(rgb, DETECT_MAX_SIDE)
    for x, y, tile in _tiles(small):
        with _lock:
            result = full_range_detector().process(tile)
        height, width = tile.shape[:2]
        for detection in result.detections or []:
            if detection.score[0] < settings.match_tile_min_score:
                continue
            box = detection.location_data.relative_bounding_box
            x0, y0 = (x + box.xmin * width) / scale, (y + box.ymin * height) / scale
            boxes.append((x0, y0, x0 + box.width * width / scale, y0 + box.height * height / scale))
    small, scale = _scaled(rgb, HOG_MAX_SIDE)
    with _lock:
        found, scores, _ = _hog_detector().run(small, 0, settings.match_hog_min_score)
    for rect, score in zip(found, scores):
        if score >= settings.match_hog_min_score:
            boxes.append((rect.left() / scale, rect.top() / scale, rect.right() / scale, rect.bottom() / scale))
    return boxes


def _tiles(rgb: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """The whole picture, then half-size tiles overlapping by half (x, y, pixels).

    The full-range detector sees its input at 192 px: a bystander's face of
    60 px in a 960 px selfie shrinks to 12 px and is missed; in a half-size
    tile it keeps twice that.
    """
    height, width = rgb.shape[:2]
    side = max(192, min(height, width) // 2)
    out = [(0, 0, rgb)]
    if min(height, width) < 256:
        return out
    step = side // 2
    for y in range(0, max(1, height - side) + 1, step):
        for x in range(0, max(1, width - side) + 1, step):
            out.append((x, y, np.ascontiguousarray(rgb[y:y + side, x:x + side])))
    return out


def _count_faces(meshes: list[np.ndarray], others: list[tuple[float, float, float, float]], min_px: float) -> tuple[int, int]:
    """(faces at least ``min_px`` wide, faces of any size): every mesh face, plus each other
    detection whose centre lies in no face counted so far."""
    counted = [(float(m[:, 0].min()), float(m[:, 1].min()), float(m[:, 0].max()), float(m[:, 1].max())) for m in meshes]
    for box in sorted(others, key=lambda b: -(b[2] - b[0])):
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        if not any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in counted):
            counted.append(box)
    return sum(1 for x0, _y0, x1, _y1 in counted if x1 - x0 >= min_px), len(counted)


def check_array(rgb: np.ndarray, role: str) -> np.ndarray:
    """The picture as a contiguous RGB uint8 array, or ``bad-image-array``."""
    array = np.asarray(rgb)
    if array.ndim != 3 or array.shape[2] != 3 or array.dtype != np.uint8 or min(array.shape[:2]) < 16:
        raise refusal("bad-image-array", role, f"The {role} must be an RGB image of at least 16×16 pixels.")
    return np.ascontiguousarray(array)


def measure(rgb: np.ndarray, landmarks: np.ndarray) -> FaceQuality:
    """The gates' measures for the face whose mesh is ``landmarks``."""
    seen = observation_from_landmarks(rgb, [landmarks])
    yaw, pitch, _roll = _pose_on_axis(landmarks)
    return FaceQuality(
        width_px=float(seen.box[2]), yaw_deg=yaw, pitch_deg=pitch,  # type: ignore[index]
        eye_openness=max(float(seen.left_eye_openness), float(seen.right_eye_openness)),  # type: ignore[arg-type]
        exposure=float(seen.exposure), sharpness=float(seen.sharpness),  # type: ignore[arg-type]
    )


def _pose_on_axis(landmarks: np.ndarray) -> tuple[float, float, float]:
    """Head pose relative to the line from the camera to the face itself.

    A still photo (or a crop of one, like an ID portrait) need not have its
    face at the image centre; seen off-centre through a pinhole camera a
    frontal face would look turned. The face is moved to the centre of a
    nominal frame three face-widths wide before the pose is solved.
    """
    width = float(np.ptp(landmarks[:, 0])) * 3.0
    centre = (landmarks[:, :2].min(axis=0) + landmarks[:, :2].max(axis=0)) / 2
    moved = landmarks.astype(np.float64).copy()
    moved[:, :2] += np.array([width / 2, width / 2]) - centre
    return head_pose(moved, int(width), int(width))


def one_face(rgb: np.ndarray, role: str, settings: FaceSettings, *, gates: bool = True) -> FoundFace:
    """The picture's only face, measured; a refusal when there is none, several, or (with ``gates``) a poor one."""
    array = check_array(rgb, role)
    small, scale = _scaled(array, DETECT_MAX_SIDE)
    meshes = [m / np.float32(scale) for m in still_mesh().landmarks(small)]
    count, seen = _count_faces(meshes, _other_boxes(array, settings), settings.match_other_face_min_px)
    if count >= 2:
        raise refusal("several-faces", role, f"The {role} shows {count} faces; exactly one is needed, so nothing was matched.",
                      faces=count)
    if not meshes:
        if seen:  # another detector sees a face the mesh cannot place: too small or too far turned to use
            raise refusal("face-too-small", role, f"The face in the {role} is too small or too far turned to compare.")
        raise refusal("no-face", role, f"No face was found in the {role}.")
    landmarks = max(meshes, key=lambda m: float(np.ptp(m[:, 0])))
    quality = measure(array, landmarks)
    problem = quality.problem(settings) if gates else None
    if problem is None and quality.width_px < settings.match_min_face_px:
        problem = "face-too-small"  # even without the other gates, a face this small cannot be compared
    if problem:
        raise refusal(problem, role, _DETAILS[problem].format(role=role, **quality.to_dict()), quality=quality.to_dict())
    return FoundFace(landmarks, quality, count)


_DETAILS = {
    "face-too-small": "The face in the {role} is only {width_px:.0f} pixels wide; it is too small to compare.",
    "face-turned": "The face in the {role} is turned too far (yaw {yaw_deg:.0f}°, pitch {pitch_deg:.0f}°).",
    "eyes-closed": "The eyes in the {role} look closed.",
    "face-too-dark": "The face in the {role} is too dark.",
    "face-too-bright": "The face in the {role} is too bright.",
    "face-blurred": "The face in the {role} is blurred.",
}


def best_frame(frames: list[np.ndarray], settings: FaceSettings) -> int:
    """Index of the frame whose one face passes the most gates with the most headroom (mesh only; cheap).

    Up to ``match_selfie_candidates`` frames, evenly spread, are measured. A
    frame with no face or several meshes ranks last; a frame failing a gate
    ranks below every frame that passes them all; among those, the larger
    :meth:`FaceQuality.score` wins, less a penalty for a colour cast (a flash
    challenge tints the face).
    """
    if not frames:
        raise BadInput("no-frames", "No frames to choose a selfie from.")
    step = max(1, len(frames) // settings.match_selfie_candidates)
    best, best_key = 0, (-1, -1.0)
    for index in range(0, len(frames), step):
        rgb = np.ascontiguousarray(frames[index])
        small, scale = _scaled(rgb, DETECT_MAX_SIDE)
        meshes = still_mesh().landmarks(small)
        if len(meshes) != 1:
            continue
        quality = measure(rgb, meshes[0] / np.float32(scale))
        key = (0 if quality.problem(settings) else 1, quality.score(settings) - _tint(rgb))
        if key > best_key:
            best, best_key = index, key
    return best


def _tint(rgb: np.ndarray) -> float:
    """Colour cast of a frame: spread of the channel means over their mean (0 for grey light)."""
    means = rgb.reshape(-1, 3).mean(axis=0)
    return float(np.std(means) / (means.mean() + 1e-6))
