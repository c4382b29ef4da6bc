"""The outline of a card region, for :class:`~barrierfree.vision.card.finder.CardFinder`:
four corners from its hull, each side fitted to the contour, the frame borders it runs into,
and the missing part of a card the frame cuts off, extrapolated.

Apart from the finder so that its search (edges, regions, scoring) and this quad geometry read
on their own; plain functions on ``(N, 2)`` point arrays, in pixels of the shrunk frame.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from barrierfree.vision.card import geometry
from barrierfree.vision.card.layouts import ID1_MM


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two convex quads."""
    inter, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    union = geometry.polygon_area(a) + geometry.polygon_area(b) - inter
    return float(inter / union) if union > 0 else 0.0


def _four_corners(hull: np.ndarray) -> np.ndarray | None:
    """The hull simplified to a quadrilateral, or ``None`` when it is no quadrilateral."""
    perimeter = cv2.arcLength(hull, True)
    for tolerance in (0.01, 0.02, 0.03, 0.045, 0.06):
        approx = cv2.approxPolyDP(hull, tolerance * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
        if len(approx) < 4:
            return None
    return None


def _fit_sides(contour: np.ndarray, quad: np.ndarray, min_support: float, on_border: list[bool],
               allow_notch: bool = True) -> np.ndarray | None:
    """Refine ``quad`` by fitting a line to the outline points along each side; ``None`` if they do not trace it.

    Each side not lying on the frame's border must be traced by outline points
    (within 1.2% of the perimeter) over at least ``min_support`` of its length:
    a card's outline has four straight runs, a blob's does not. With
    ``allow_notch`` one side may be traced less, or not at all, and keeps the
    hull's line: where a card's photo or MRZ comes close to its edge, the
    region the edges enclose has a notch. Sides on the border keep their place.
    """
    points = contour.reshape(-1, 2)[::2].astype(np.float32)  # every other outline pixel is plenty
    perimeter = float(geometry.side_lengths(quad).sum())
    near = max(2.0, 0.012 * perimeter)
    distances = _side_distances(points, quad)
    nearest = distances.argmin(axis=1)
    close = distances.min(axis=1) <= near
    lines, weak = [], []
    for side in range(4):
        a, b = quad[side], quad[(side + 1) % 4]
        initial = (a.astype(np.float64), (b - a).astype(np.float64))
        if on_border[side]:
            lines.append(initial)
            continue
        chosen = points[close & (nearest == side)]
        along = np.clip(((chosen - a) @ (b - a)) / max(float((b - a) @ (b - a)), 1e-6), 0, 0.999)
        share = np.count_nonzero(np.bincount((along * 40).astype(int), minlength=40)) / 40 if len(chosen) else 0.0
        if share < min_support:
            weak.append(share)
        if len(chosen) < 5 or share < 0.3:
            lines.append(initial)  # a notched side keeps the hull's line
            continue
        # Least squares: the points are already only those near this side, so a robust fit has no
        # outliers left to refuse; OpenCV's Huber fit restarts from 20 random subsets, which was a
        # seventh of the finder's time, and moved no card's found/side on 100 tuning photos.
        vx, vy, x0, y0 = cv2.fitLine(chosen, cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    if len(weak) > (1 if allow_notch else 0):
        return None
    refined = []
    for i in range(4):
        (p, u), (q, v) = lines[i - 1], lines[i]
        denominator = u[0] * v[1] - u[1] * v[0]
        if abs(denominator) < 1e-9:
            return None
        t = ((q[0] - p[0]) * v[1] - (q[1] - p[1]) * v[0]) / denominator
        refined.append(p + t * u)
    refined_quad = np.array(refined, np.float32)
    if np.abs(refined_quad - quad).max() > 0.1 * perimeter:
        return None
    return refined_quad


def _side_distances(points: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Distance from each of ``points`` (N, 2) to each side of ``quad``: (N, 4), in one pass over the points."""
    ab = np.roll(quad, -1, axis=0) - quad                  # (4, 2) the sides as vectors
    dx = points[:, :1] - quad[:, 0]                        # (N, 4)
    dy = points[:, 1:] - quad[:, 1]
    t = np.clip((dx * ab[:, 0] + dy * ab[:, 1]) / np.maximum(ab[:, 0] ** 2 + ab[:, 1] ** 2, 1e-6), 0.0, 1.0)
    return np.hypot(dx - t * ab[:, 0], dy - t * ab[:, 1])


def _grow(polygon: np.ndarray, pixels: float) -> np.ndarray:
    centre = polygon.mean(axis=0)
    direction = polygon - centre
    norms = np.maximum(np.linalg.norm(direction, axis=1, keepdims=True), 1e-6)
    return polygon + direction / norms * pixels * math.sqrt(2)


def _border_side(a: np.ndarray, b: np.ndarray, width: int, height: int, margin: float) -> str | None:
    """Which frame side the segment a–b lies along, if any."""
    if a[1] <= margin and b[1] <= margin:
        return "top"
    if a[0] >= width - 1 - margin and b[0] >= width - 1 - margin:
        return "right"
    if a[1] >= height - 1 - margin and b[1] >= height - 1 - margin:
        return "bottom"
    if a[0] <= margin and b[0] <= margin:
        return "left"
    return None


def _touching_sides(quad: np.ndarray, width: int, height: int, margin: float) -> frozenset[str]:
    """Frame sides that the (maybe extrapolated) card reaches or crosses."""
    sides = set()
    if quad[:, 1].min() <= margin:
        sides.add("top")
    if quad[:, 0].max() >= width - 1 - margin:
        sides.add("right")
    if quad[:, 1].max() >= height - 1 - margin:
        sides.add("bottom")
    if quad[:, 0].min() <= margin:
        sides.add("left")
    return frozenset(sides)


def _extrapolate(polygon: np.ndarray, cut_sides: list[int]) -> np.ndarray | None:
    """The whole card from its visible part, when one side of the visible quad is the frame border.

    The cut side may be a long or a short side of the card; the reading that
    needs the least extrapolation is taken (the card cannot be smaller than
    what is seen). Two cut sides (a corner out of frame) are left as seen.
    """
    if len(cut_sides) != 1:
        return polygon
    cut = cut_sides[0]
    lengths = geometry.side_lengths(polygon)
    along = (lengths[(cut + 1) % 4] + lengths[(cut + 3) % 4]) / 2  # sides running to the border
    across = lengths[(cut + 2) % 4]                                # the side opposite the border
    aspect = ID1_MM[0] / ID1_MM[1]
    options = []
    for full in (across * aspect, across / aspect):  # cut side is short / long
        if full >= along * 0.97:
            options.append(full)
    if not options:
        return None
    full = min(options)
    quad = polygon.copy()
    a, b = cut, (cut + 1) % 4
    pa, pb = (cut - 1) % 4, (cut + 2) % 4
    for corner, anchor in ((a, pa), (b, pb)):
        direction = quad[corner] - quad[anchor]
        length = float(np.linalg.norm(direction))
        if length > 1e-6:
            quad[corner] = quad[anchor] + direction / length * max(full, length)
    return quad
