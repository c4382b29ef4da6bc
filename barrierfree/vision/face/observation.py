"""What the camera sees of a face in one frame."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class FaceObservation:
    """One frame's face facts, for guidance and liveness.

    Geometry is in the frame as captured (not mirrored): pixels, origin top-left.
    Angles are in degrees with the person's own frame of reference:
    ``yaw_deg`` > 0 when the head turns to the person's left, ``pitch_deg`` > 0
    when the chin goes up, ``roll_deg`` > 0 when the head tilts towards the
    person's left shoulder. Openness values are ratios (eye: lid gap over eye
    width; mouth: lip gap over mouth width). ``None`` means "no face to measure".
    """

    face_count: int
    frame_size: tuple[int, int]  # (width, height) in pixels
    timestamp_s: float | None = None
    box: tuple[float, float, float, float] | None = None  # x, y, width, height in pixels
    landmarks: np.ndarray | None = None  # (478, 3): x, y in pixels, z relative depth
    yaw_deg: float | None = None
    pitch_deg: float | None = None
    roll_deg: float | None = None
    left_eye_openness: float | None = None  # the person's own left eye
    right_eye_openness: float | None = None
    mouth_openness: float | None = None
    #: Face-box width over frame width (0..1).
    size_fraction: float | None = None
    #: Face-box centre over frame size, (0..1, 0..1).
    center: tuple[float, float] | None = None
    #: Frame sides the face crosses: subset of {"left", "right", "top", "bottom"} in image terms.
    cut_edges: frozenset[str] = field(default_factory=frozenset)
    #: Variance of the Laplacian over the face, on a 0..255 grey scale.
    sharpness: float | None = None
    #: Mean luma over the face (0..1).
    exposure: float | None = None
    #: Boxes (x, y, width, height in pixels) of every face found, the described one included.
    all_boxes: tuple[tuple[float, float, float, float], ...] = ()

    @property
    def found(self) -> bool:
        return self.face_count > 0
