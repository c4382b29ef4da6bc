"""Card outlines from four long straight edges, for frames where no edge-enclosed region is a card.

The region sources of :class:`~barrierfree.vision.card.finder.CardFinder` need the card's edge
ring to be closed. Where a card lies across something as pale as itself (the white rim of a
coffee cup), the ring has a gap there and the card's interior leaks into the background; yet the
card's four sides are still long straight runs of edge. Here the straight runs are found with the
probabilistic Hough transform (OpenCV's ``HoughLinesP``; chosen over its line-segment detector
because OpenCV.js, which the on-device finder uses, has only the Hough one), runs on one line are
merged, and every two near-parallel pairs that cross at near-right angles make a quad. The finder
then weighs those quads as it weighs its other candidates (paper inside, edge along each side).

Only a fallback: the finder calls it when its other sources found nothing, so frames where
they do pay nothing for it. Plain functions on the shrunk frame, in its pixels.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

#: Canny hysteresis thresholds on the blurred luma (0..255 scale).
_CANNY = (20, 60)
#: Shortest straight run kept, as a share of the shrunk frame's shorter side.
_MIN_RUN = 0.12
#: Runs closer than this in angle (degrees) and distance (pixels) are one line.
_SAME_ANGLE_DEG, _SAME_OFFSET_PX = 3.0, 3.0
#: Longest lines combined into quads (the pairs grow with its square).
_MAX_LINES = 12
#: Opposite sides of a card in perspective differ by at most this angle, degrees; adjacent
#: sides meet at no less than 90 minus this.
_PARALLEL_DEG, _CORNER_DEG = 20.0, 35.0
#: A line must run along at least this share of the quad side it makes, and past its corners
#: by at most ``_OVERSHOOT`` of that side.
_MIN_COVER, _OVERSHOOT = 0.5, 0.15


def line_quads(luma: np.ndarray) -> list[np.ndarray]:
    """Quads ``(4, 2)`` float32 whose four sides are each traced by a long straight edge in ``luma``
    (the blurred grey shrunk frame), in no particular order; the caller judges and ranks them."""
    height, width = luma.shape
    shortest = _MIN_RUN * min(width, height)
    edges = cv2.Canny(luma, *_CANNY)
    found = cv2.HoughLinesP(edges, 1, math.pi / 180, int(shortest / 2), minLineLength=shortest, maxLineGap=4)
    if found is None:
        return []
    lines = _merged(found.reshape(-1, 4).astype(np.float64))[:_MAX_LINES]
    quads = []
    pairs = [(a, b) for i, a in enumerate(lines) for b in lines[i + 1:]
             if _angle_between(a, b) <= _PARALLEL_DEG and _offset(a, b) > shortest / 2]
    for i, (a, b) in enumerate(pairs):
        for c, d in pairs[i + 1:]:
            if min(_angle_between(x, y) for x in (a, b) for y in (c, d)) < 90 - _CORNER_DEG:
                continue
            quad = _corners(a, c, b, d)
            if quad is not None and all(_traces(line, quad[k], quad[(k + 1) % 4]) for k, line in enumerate((a, c, b, d))):
                quads.append(quad.astype(np.float32))
    return quads


def _merged(segments: np.ndarray) -> list[np.ndarray]:
    """Segments ``(x0, y0, x1, y1)`` on one line joined into its longest extent, longest first."""
    order = np.argsort(-np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1]), kind="stable")
    lines: list[np.ndarray] = []
    for segment in segments[order]:
        for index, line in enumerate(lines):
            if _angle_between(line, segment) <= _SAME_ANGLE_DEG and \
                    max(_distance(line, segment[:2]), _distance(line, segment[2:])) <= _SAME_OFFSET_PX:
                lines[index] = _extent(line, segment)
                break
        else:
            lines.append(segment)
    return sorted(lines, key=lambda s: -math.hypot(s[2] - s[0], s[3] - s[1]))


def _extent(line: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """``line`` lengthened to cover ``segment`` projected onto it."""
    origin, direction = line[:2], _direction(line)
    ts = [float((p - origin) @ direction) for p in (line[:2], line[2:], segment[:2], segment[2:])]
    return np.concatenate([origin + min(ts) * direction, origin + max(ts) * direction])


def _direction(line: np.ndarray) -> np.ndarray:
    vector = line[2:] - line[:2]
    return vector / max(float(np.hypot(*vector)), 1e-9)


def _angle_between(a: np.ndarray, b: np.ndarray) -> float:
    """Angle between two undirected lines, 0..90 degrees."""
    cosine = abs(float(_direction(a) @ _direction(b)))
    return math.degrees(math.acos(min(1.0, cosine)))


def _distance(line: np.ndarray, point: np.ndarray) -> float:
    """Distance from ``point`` to the infinite line through ``line``."""
    u = _direction(line)
    d = point - line[:2]
    return abs(float(d[0] * u[1] - d[1] * u[0]))


def _offset(a: np.ndarray, b: np.ndarray) -> float:
    """How far apart two near-parallel lines are (from ``b``'s midpoint to ``a``)."""
    return _distance(a, (b[:2] + b[2:]) / 2)


def _crossing(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    u, v = a[2:] - a[:2], b[2:] - b[:2]
    denominator = u[0] * v[1] - u[1] * v[0]
    if abs(denominator) < 1e-9:
        return None
    w = b[:2] - a[:2]
    return a[:2] + (w[0] * v[1] - w[1] * v[0]) / denominator * u


def _corners(*sides: np.ndarray) -> np.ndarray | None:
    """The quad whose k-th side lies on ``sides[k]`` (sides in order around it): corner k is where
    side k-1 meets side k."""
    corners = [_crossing(sides[k - 1], sides[k]) for k in range(4)]
    if any(c is None for c in corners):
        return None
    quad = np.array(corners, np.float64)
    turns = [float(np.cross(quad[(k + 1) % 4] - quad[k], quad[(k + 2) % 4] - quad[(k + 1) % 4])) for k in range(4)]
    return quad if all(t > 0 for t in turns) or all(t < 0 for t in turns) else None  # convex, not crossed


def _traces(line: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether ``line`` runs along the side a-b for most of it and not far past its ends."""
    length = float(np.hypot(*(b - a)))
    if length < 1e-6:
        return False
    u = (b - a) / length
    t0, t1 = sorted(float((p - a) @ u) for p in (line[:2], line[2:]))
    covered = min(t1, length) - max(t0, 0.0)
    return covered >= _MIN_COVER * length and t0 >= -_OVERSHOOT * length and t1 <= (1 + _OVERSHOOT) * length
