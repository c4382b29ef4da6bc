"""Plain functions on card quadrilaterals: ordering, measuring, rectifying.

A quad is a ``(4, 2)`` float32 array of ``(x, y)`` pixels, origin top-left,
x right, y down, in the order top-left, top-right, bottom-right, bottom-left.
"""

from __future__ import annotations

import math

import cv2
import numpy as np


def order_corners(points: np.ndarray) -> np.ndarray:
    """Order four points TL, TR, BR, BL so that TL→TR is a long side running as near to +x as possible.

    A card held upright or turned up to ±90° gets its printed top edge on top;
    which way up it is (180°) is decided later from what is printed.

    >>> order_corners(np.array([[10, 60], [100, 0], [110, 60], [0, 0]], np.float32)).tolist()
    [[0.0, 0.0], [100.0, 0.0], [110.0, 60.0], [10.0, 60.0]]
    """
    points = np.asarray(points, np.float32).reshape(4, 2)
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    ring = points[np.argsort(angles)]  # clockwise on screen (y down), starting anywhere
    best, best_cost = ring, math.inf
    for start in range(4):
        candidate = np.roll(ring, -start, axis=0)
        top = candidate[1] - candidate[0]
        side = candidate[3] - candidate[0]
        long_first = np.hypot(*top) + np.hypot(*(candidate[2] - candidate[3])) >= \
            np.hypot(*side) + np.hypot(*(candidate[2] - candidate[1]))
        cost = abs(math.atan2(float(top[1]), float(top[0]))) + (0 if long_first else 10)
        if cost < best_cost:
            best, best_cost = candidate, cost
    return best.astype(np.float32)


def rotate_quad(quad: np.ndarray, half_turns: int = 1) -> np.ndarray:
    """The same card read after turning it by 180° per half turn (TL becomes BR)."""
    return np.roll(quad, -2 * half_turns, axis=0)


def side_lengths(quad: np.ndarray) -> np.ndarray:
    """Lengths of the top, right, bottom and left sides, pixels."""
    return np.hypot(*(np.roll(quad, -1, axis=0) - quad).T)


def aspect_ratio(quad: np.ndarray) -> float:
    """Mean long sides over mean short sides (perspective ignored)."""
    top, right, bottom, left = side_lengths(quad)
    return float((top + bottom) / max(left + right, 1e-6))


def corner_deviation_deg(quad: np.ndarray) -> float:
    """Largest departure of an interior angle from 90°, degrees."""
    worst = 0.0
    for i in range(4):
        a, b = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        cos = float(np.dot(a, b) / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-6))
        worst = max(worst, abs(math.degrees(math.acos(max(-1.0, min(1.0, cos)))) - 90.0))
    return worst


def skew_deg(quad: np.ndarray) -> float:
    """In-plane rotation of the printed top edge from +x, degrees, clockwise positive (y is down)."""
    top = quad[1] - quad[0]
    bottom = quad[2] - quad[3]
    direction = top / max(np.linalg.norm(top), 1e-6) + bottom / max(np.linalg.norm(bottom), 1e-6)
    return math.degrees(math.atan2(float(direction[1]), float(direction[0])))


def tilt_deg(quad: np.ndarray) -> float:
    """Out-of-plane tilt from foreshortening: acos of the shorter/longer ratio of opposite sides, degrees."""
    top, right, bottom, left = side_lengths(quad)
    ratio = min(min(top, bottom) / max(top, bottom, 1e-6), min(left, right) / max(left, right, 1e-6))
    return math.degrees(math.acos(max(0.0, min(1.0, ratio))))


def polygon_area(points: np.ndarray) -> float:
    return float(abs(cv2.contourArea(np.asarray(points, np.float32).reshape(-1, 1, 2))))


def clipped_area(quad: np.ndarray, width: int, height: int) -> float:
    """Area of the part of ``quad`` inside a ``width`` × ``height`` frame, pixels²."""
    frame = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    area, _ = cv2.intersectConvexConvex(np.asarray(quad, np.float32), frame)
    return float(area)


def homography_to(quad: np.ndarray, size_px: tuple[int, int]) -> np.ndarray:
    """The perspective transform taking ``quad`` to an upright ``size_px`` (width, height) rectangle."""
    width, height = size_px
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    return cv2.getPerspectiveTransform(np.asarray(quad, np.float32), target)


def rectify(image: np.ndarray, quad: np.ndarray, size_mm: tuple[float, float], px_per_mm: float) -> np.ndarray:
    """Warp the card inside ``quad`` to its printed shape at ``px_per_mm`` (upright, reading order)."""
    size_px = (max(8, round(size_mm[0] * px_per_mm)), max(8, round(size_mm[1] * px_per_mm)))
    matrix = homography_to(quad, size_px)
    return cv2.warpPerspective(image, matrix, size_px, flags=cv2.INTER_AREA if px_per_mm < 6 else cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)


def true_aspect_ratio(quad: np.ndarray, frame_size: tuple[int, int]) -> float:
    """Width over height of the flat rectangle seen as ``quad``, undoing perspective.

    Zhang & He, "Whiteboard scanning and image enhancement" (2007): with the
    principal point at the frame's centre, the focal length is estimated from
    the quad itself, or taken as 0.8 × the frame width (a phone's main camera)
    when the perspective is too weak to tell. An estimate outside 0.6–1.2 × the
    width (a 22–43 mm-equivalent lens, a phone's main camera up to a modest
    zoom) is not believed: a few pixels of corner error on a steeply tilted card
    filling the frame made it 1.9 × and turned an ID-1 card (1.586) into 1.374.
    """
    width, height = frame_size
    u0, v0 = width / 2.0, height / 2.0
    m1, m2, m4, m3 = (np.array([p[0], p[1], 1.0]) for p in np.asarray(quad, np.float64))  # TL, TR, BR, BL
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    focal = 0.8 * width
    if abs(n2[2] * n3[2]) > 1e-9:
        f2 = -((n2[0] * n3[0] - (n2[0] * n3[2] + n2[2] * n3[0]) * u0 + n2[2] * n3[2] * u0 ** 2)
               + (n2[1] * n3[1] - (n2[1] * n3[2] + n2[2] * n3[1]) * v0 + n2[2] * n3[2] * v0 ** 2)) / (n2[2] * n3[2])
        if (0.6 * width) ** 2 < f2 < (1.2 * width) ** 2:
            focal = float(np.sqrt(f2))
    inverse = np.linalg.inv(np.array([[focal, 0, u0], [0, focal, v0], [0, 0, 1.0]]))
    metric = inverse.T @ inverse
    ratio = float(np.sqrt((n2 @ metric @ n2) / max(n3 @ metric @ n3, 1e-12)))
    return ratio if np.isfinite(ratio) and ratio > 0 else aspect_ratio(quad)
