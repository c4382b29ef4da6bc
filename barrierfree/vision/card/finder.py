"""Finding an ID card in a camera frame, fast enough for every streamed frame.

:class:`CardFinder` shrinks the frame to ``finder_width_px``, finds edges on
the colour gradient (so a pale card on a pale desk still has an edge: its
shadow and a hue step), and looks at the regions the edges enclose, one edge
map at a time, strongest edges first, until it is sure of a card
(:mod:`barrierfree.vision.card.edges`). A card is
a region whose outline is a convex quadrilateral it fills almost entirely,
with near-right corners and the aspect ratio of an ID-1 to ID-3 document.
Texture inside the card (text, the photo) does not matter: only the region's
outline is used. A region that runs into the frame's border is a card cut off
by the frame; its missing part is extrapolated from the printed aspect ratio
and the cut sides are reported. A highlight that washes out part of the card's
edge is walled off (the frame's brightest blob added to an edge map), so the
card's interior does not leak into the background through the gap. Where no region is a card
at all (a card across a white cup's rim, its edge ring open where the two meet), four long
straight edges are tried instead (:mod:`barrierfree.vision.card.lines`). The outline
geometry (corners, fitted sides, extrapolation) is
:mod:`barrierfree.vision.card.outline`.

No OCR runs here: the side (portrait, emblem, MRZ) and whether the card is
upside down come from cheap cues on a small rectified copy
(:mod:`barrierfree.vision.card.side`). A typical 1280×720 frame takes a
few milliseconds on one core (``benchmarks/documents.py`` prints the figure).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

import cv2
import numpy as np

from barrierfree.settings.document import DocumentSettings
from barrierfree.vision.card import edges, geometry
from barrierfree.vision.card.edges import EdgeMap, percentile_of
from barrierfree.vision.card.layouts import ID1_MM, ID3_MM, LAYOUTS
from barrierfree.vision.card.lines import line_quads
from barrierfree.vision.card.observation import CardObservation, CardSide
from barrierfree.vision.card.side import detect_side, glare_spot, quality_cues
from barrierfree.vision.frames import Frame
from barrierfree.vision.card.outline import _border_side, _extrapolate, _fit_sides, _four_corners, _grow, _overlap, _touching_sides


_SIDES = ("top", "right", "bottom", "left")


@dataclass(frozen=True)
class _Candidate:
    quad: np.ndarray           # (4, 2) in finder pixels, maybe extrapolated past the frame
    visible_area: float        # finder pixels²
    cut_edges: frozenset[str]  # frame sides the card crosses
    score: float
    support: float = 0.0       # how card-like its visible sides are, 0..1 (:func:`_supported`)


class CardFinder:
    """Finds one card per frame. Stateless apart from settings; safe to share between threads.

    >>> from barrierfree.vision.frames import from_array
    >>> CardFinder().observe(from_array(np.full((480, 640, 3), 90, np.uint8))).found
    False
    """

    def __init__(self, settings: DocumentSettings | None = None) -> None:
        self.settings = settings or DocumentSettings()

    def observe(self, frame: Frame) -> CardObservation:
        """What the camera sees of a card in ``frame`` (``found=False`` when there is none)."""
        pixels = frame.pixels
        height, width = pixels.shape[:2]
        scale = min(1.0, self.settings.finder_width_px / width)
        small = cv2.resize(pixels, (max(16, round(width * scale)), max(16, round(height * scale))),
                           interpolation=cv2.INTER_AREA) if scale < 1.0 else pixels
        found = self._candidates(small)
        if not found:
            return CardObservation(found=False, frame_size=(width, height), timestamp_s=frame.timestamp_s,
                                   exposure=float(small.mean() / 255.0))
        candidate = found[0]
        quad = geometry.order_corners(candidate.quad / scale)
        return self._describe(pixels, quad, candidate, frame, candidate.visible_area / (scale * scale))

    def observe_all(self, frame: Frame, limit: int = 3) -> Iterator[CardObservation]:
        """Up to ``limit`` card-shaped things in ``frame``, most card-like first (for a still photo
        whose best candidate turns out unreadable; the stream uses :meth:`observe`).

        A generator: each candidate is rectified and described only when asked for.
        """
        pixels = frame.pixels
        height, width = pixels.shape[:2]
        scale = min(1.0, self.settings.finder_width_px / width)
        small = cv2.resize(pixels, (max(16, round(width * scale)), max(16, round(height * scale))),
                           interpolation=cv2.INTER_AREA) if scale < 1.0 else pixels
        for c in self._candidates(small)[:limit]:
            yield self._describe(pixels, geometry.order_corners(c.quad / scale), c, frame, c.visible_area / (scale * scale))

    # --- candidates --------------------------------------------------------------------------

    def _candidates(self, small: np.ndarray) -> list[_Candidate]:
        """Card outlines, best first, from two kinds of candidates per edge map.

        - Regions the edges enclose (a card's interior inside its edge ring). CCOMP
          lists an island inside the background's hole as an outer contour again.
        - The outer outline of each connected edge patch (a card whose interior is
          split, e.g. where its photo nearly meets its border); that outline lies
          outside the card's edge by the dilation, hence the negative inset.
        """
        width, height = small.shape[1], small.shape[0]
        magnitude, luma = edges.gradient(small)
        # A card is printed on light stock: in its own frame it is among the brighter things
        # (a dark suit lapel or a shadowed gap between objects is not a card).
        gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
        level = percentile_of(gray, 75)
        s = self.settings
        ridge = cv2.dilate(magnitude, np.ones((3, 3), np.uint8))

        def bright_and_weighed(candidates: list[_Candidate]) -> list[_Candidate]:
            kept = []
            for candidate in candidates:
                paper = _paper_level(gray, candidate.quad)
                if paper >= s.min_card_brightness * level:
                    kept.append(_supported(candidate, ridge, gray, s.edge_support_paper * paper, s.edge_support_gradient))
            return kept

        regions, outlines, sure = self._search(edges.edge_maps(magnitude, luma, s), bright_and_weighed, width, height)
        if not regions and not outlines:
            # No closed edge ring: four long straight edges may still outline a card (one lying
            # across something as pale as itself). Only here, so other frames pay nothing for it.
            # Before the dim maps: where an edge ring is open at a white cup's rim, they may close
            # it along the rim's own edge instead.
            lined = sorted((c for c in bright_and_weighed(self._line_candidates(gray))
                            if c.score >= s.min_line_support ** 2 * geometry.polygon_area(c.quad)),
                           key=lambda c: c.score, reverse=True)[:1]
            if lined:
                return lined
        if not sure:
            # A dim frame's maps at lowered thresholds (a dim card on a pale page), ranked with the
            # others; only where the ordinary maps found no card they are sure of (a dim card's ring
            # open in places leaves a poorly traced outline, or none), so other frames pay nothing.
            dim_regions, dim_outlines = self._enclosed(edges.dim_maps(magnitude, edges.exposure_gain(luma, s)), width, height)
            regions += bright_and_weighed(dim_regions)
            outlines += bright_and_weighed(dim_outlines)
        return _ranked(regions, outlines)

    def _search(self, maps: Iterable[EdgeMap], weigh: Callable[[list[_Candidate]], list[_Candidate]],
                width: int, height: int) -> tuple[list[_Candidate], list[_Candidate], bool]:
        """Regions and outlines (bright and weighed by ``weigh``) of the edge maps, one map after the
        other until one encloses a card the finder is sure of; and whether one did."""
        regions: list[_Candidate] = []
        outlines: list[_Candidate] = []
        for edge_map in maps:
            found, traced = self._enclosed([edge_map], width, height)
            found = weigh(found)
            regions += found
            outlines += weigh(traced)
            # A card whose enclosed region is traced this well all round: the fainter maps would find
            # it again, smaller (their wider edges eat into it), and the ranking would keep this one.
            if any(c.support >= self.settings.min_sure_support and not c.cut_edges for c in found):
                return regions, outlines, True
        return regions, outlines, False

    def _enclosed(self, maps: Iterable[EdgeMap], width: int, height: int) -> tuple[list[_Candidate], list[_Candidate]]:
        """Card-shaped regions the edges of each map enclose, and card-shaped outer outlines of its edge patches."""
        regions: list[_Candidate] = []
        outlines: list[_Candidate] = []
        # A closed chain of N pixels spans at most N / 2 + 1 pixels either way, so a contour of fewer
        # points than this has a bounding box under the smallest card: _judge would refuse it at once.
        # Most contours are specks of texture; they are dropped here without a call.
        fewest = 2 * (math.sqrt(self.settings.min_card_area_fraction * width * height) - 1)
        for edge_map, inset in maps:
            contours, hierarchy = cv2.findContours(cv2.bitwise_not(edge_map), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
            outer = hierarchy[0][:, 3] == -1 if hierarchy is not None else []
            regions += filter(None, [self._judge(contour, width, height, inset)
                                     for contour, top in zip(contours, outer) if top and len(contour) >= fewest])
            contours, _ = cv2.findContours(edge_map, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
            outlines += filter(None, [self._judge(contour, width, height, -inset) for contour in contours if len(contour) >= fewest])
        return regions, outlines

    def _line_candidates(self, gray: np.ndarray) -> list[_Candidate]:
        """Card-shaped quads wholly in the frame whose sides are long straight edges (:mod:`.lines`)."""
        s = self.settings
        height, width = gray.shape
        kept = []
        for quad in line_quads(cv2.GaussianBlur(gray, (5, 5), 0)):
            area = geometry.polygon_area(quad)
            if not s.min_card_area_fraction * width * height <= area <= 0.97 * width * height:
                continue
            if _touching_sides(quad, width, height, s.border_margin_px):
                continue  # a card cut by the frame is left to the region sources
            aspect = geometry.true_aspect_ratio(geometry.order_corners(quad), (width, height))
            if s.min_aspect_ratio <= aspect <= s.max_aspect_ratio and \
                    geometry.corner_deviation_deg(quad) <= s.max_corner_deviation_deg:
                kept.append(_Candidate(quad, area, frozenset(), area))
        return kept

    def _judge(self, contour: np.ndarray, width: int, height: int, inset: float) -> _Candidate | None:
        """A candidate if ``contour`` outlines a card (maybe cut by the frame), else ``None``.

        A card cut by the frame may have its interior bitten into by content that
        runs off the frame too (its photo), so the area tests use the convex hull
        and the outline test asks that each visible side be traced along its length.
        """
        s = self.settings
        _, _, box_w, box_h = cv2.boundingRect(contour)
        if box_w * box_h < s.min_card_area_fraction * width * height:
            return None  # cheap test first: most contours are specks of texture
        frame_area = float(width * height)
        area = float(cv2.contourArea(contour))
        if area < min(s.min_solidity, s.min_solidity_cut) * s.min_card_area_fraction * frame_area:
            return None  # too little inside for the least solid card of the smallest size (cheaper than its hull)
        hull = cv2.convexHull(contour)
        hull_area = float(cv2.contourArea(hull))
        if hull_area < s.min_card_area_fraction * frame_area or hull_area > 0.97 * frame_area:
            return None
        margin = s.border_margin_px + abs(inset)
        touches = _touching_sides(hull.reshape(-1, 2).astype(np.float32), width, height, margin)
        solidity = area / max(hull_area, 1e-6)
        if solidity < (s.min_solidity_cut if touches else s.min_solidity):
            return None
        polygon = _four_corners(hull)
        if polygon is None:
            return None
        border = [_border_side(polygon[i], polygon[(i + 1) % 4], width, height, margin) for i in range(4)]
        polygon = _fit_sides(contour, polygon, s.min_side_support, [side is not None for side in border],
                             allow_notch=not touches)
        if polygon is None:
            return None
        # The region is eroded by the dilated edge; push the outline back out by that much.
        polygon = _grow(polygon, inset)
        cut_sides = [i for i, side in enumerate(border) if side is not None]
        if len(cut_sides) >= 3:
            return None  # the background around everything, not a card
        if hull_area / max(geometry.polygon_area(polygon), 1e-6) < s.min_quad_fill:
            return None
        quad: np.ndarray | None
        quad, cut_edges = polygon, frozenset(side for side in border if side is not None)
        if cut_sides:
            quad = _extrapolate(polygon, cut_sides)
            if quad is None:
                return None
        aspect = geometry.true_aspect_ratio(geometry.order_corners(quad), (width, height))
        if not s.min_aspect_ratio <= aspect <= s.max_aspect_ratio:
            return None
        if geometry.corner_deviation_deg(quad) > s.max_corner_deviation_deg:
            return None
        cut_edges = cut_edges | _touching_sides(quad, width, height, margin)
        if len(cut_edges) >= 3:
            return None  # crossing three sides of the frame: not told apart from the background
        if len(cut_edges) == 2 and (solidity < s.min_solidity_corner or aspect < s.min_aspect_ratio_corner):
            return None  # a corner of the frame cuts off both ends: only a clearly card-like shape counts
        quad_area = geometry.polygon_area(quad)
        if cut_edges and quad_area > s.max_cut_card_area_fraction * frame_area:
            return None  # a "card" running off the frame and filling most of it is background
        score = quad_area * (0.35 if cut_edges else 1.0)
        visible = geometry.clipped_area(quad, width, height)
        return _Candidate(quad.astype(np.float32), visible, frozenset(cut_edges), score)

    # --- description -------------------------------------------------------------------------

    def _describe(self, pixels: np.ndarray, quad: np.ndarray, candidate: _Candidate, frame: Frame,
                  visible_area: float) -> CardObservation:
        height, width = pixels.shape[:2]
        aspect = geometry.true_aspect_ratio(quad, (width, height))
        size_mm = ID3_MM if aspect < 1.50 else ID1_MM
        small = geometry.rectify(pixels, quad, size_mm, self.settings.observe_px_per_mm)
        side, upside_down, document_type = detect_side(small, size_mm, self.settings)
        if size_mm == ID3_MM and aspect >= 1.30:
            # A tilted ID-1 card can measure like an ID-3 page: its cues are looked for too.
            other = geometry.rectify(pixels, quad, ID1_MM, self.settings.observe_px_per_mm)
            found = detect_side(other, ID1_MM, self.settings)
            if _card_cues_win((side, upside_down), found):
                size_mm, small, (side, upside_down, document_type) = ID1_MM, other, found
        if upside_down:
            quad = geometry.rotate_quad(quad)
            small = np.ascontiguousarray(small[::-1, ::-1])
        layout = LAYOUTS.get(document_type) if document_type else None
        boxes = layout.glare_boxes if layout else ()
        sharpness, glare, exposure = quality_cues(small, self.settings, boxes, size_mm)
        spot = glare_spot(small, self.settings) if glare > 0 else None
        full_area = geometry.polygon_area(quad)
        centre = quad.mean(axis=0)
        return CardObservation(
            found=True, frame_size=(width, height), timestamp_s=frame.timestamp_s, quad=quad,
            coverage=float(min(1.0, visible_area / (width * height))),
            center=(float(centre[0] / width), float(centre[1] / height)),
            cut_edges=candidate.cut_edges, skew_deg=geometry.skew_deg(quad), tilt_deg=geometry.tilt_deg(quad),
            sharpness=sharpness, glare_fraction=glare, exposure=exposure, side=side, upside_down=upside_down,
            visible_fraction=float(min(1.0, visible_area / max(full_area, 1e-6))),
            document_type=document_type, aspect_ratio=aspect,
            glare_center=None if spot is None else _in_frame(spot, quad, (small.shape[1], small.shape[0]), (width, height)),
        )


def _ranked(regions: list[_Candidate], outlines: list[_Candidate]) -> list[_Candidate]:
    """The candidates, one per card, best first.

    The largest card-shaped outline wins (a card's photo can cut its interior in two), weighed
    by how much of its outline is a real edge in the image: clutter touching the card (a coin)
    merges into a larger region whose outline then runs across the background.
    An enclosed region that is the same card is preferred, its outline being more precise.
    """
    ranked: list[_Candidate] = []
    for best in sorted(regions + outlines, key=lambda c: c.score, reverse=True):
        if any(_overlap(best.quad, kept.quad) > 0.85 for kept in ranked):
            continue  # the same card seen again
        same = [c for c in regions if _overlap(c.quad, best.quad) > 0.85]
        ranked.append(max(same, key=lambda c: c.score) if same else best)
    return ranked


def _in_frame(point: tuple[float, float], quad: np.ndarray, card_px: tuple[int, int],
              frame_size: tuple[int, int]) -> tuple[float, float]:
    """A point on the upright rectified card (fractions of its width and height) in the frame,
    as fractions of the frame's width and height."""
    matrix = np.linalg.inv(geometry.homography_to(quad, card_px))
    where = np.array([[[point[0] * card_px[0], point[1] * card_px[1]]]], np.float64)
    x, y = cv2.perspectiveTransform(where, matrix)[0, 0]
    return float(x / frame_size[0]), float(y / frame_size[1])


def _supported(candidate: _Candidate, ridge: np.ndarray, gray: np.ndarray, level: float, gradient: float) -> _Candidate:
    """``candidate`` with its score weighed by how card-like its visible sides are, squared.

    At points along each side (its middle 80%; sides on the frame's border left
    out) two things are asked: is there an edge (the local gradient maximum over
    ``gradient``, capped at 1), and is there paper just inside it (about 1 mm in,
    luma at least ``level``: a card's margins are blank)? Clutter touching the card
    (a coin) merges into a larger region whose outline runs across the background,
    where one or the other fails.
    """
    height, width = ridge.shape
    quad = candidate.quad
    centre = quad.mean(axis=0)
    inward = max(2.0, float(geometry.side_lengths(quad).max()) / 85.0)  # about 1 mm on an ID-1 card
    steps = np.linspace(0.1, 0.9, 24, dtype=np.float32)[:, None]
    values = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        line = a + steps * (b - a)
        points = np.rint(line).astype(int)
        inside = (points[:, 0] >= 2) & (points[:, 0] < width - 2) & (points[:, 1] >= 2) & (points[:, 1] < height - 2)
        if inside.mean() < 0.5:
            continue  # a side the frame cuts off
        normal = np.array([a[1] - b[1], b[0] - a[0]], np.float32)
        normal /= max(float(np.linalg.norm(normal)), 1e-6)
        if float(np.dot(centre - a, normal)) < 0:
            normal = -normal
        inner = np.clip(np.rint(line + inward * normal).astype(int), 0, [width - 1, height - 1])
        edge = np.minimum(ridge[points[inside, 1], points[inside, 0]] / gradient, 1.0)
        paper = gray[inner[inside, 1], inner[inside, 0]] >= level
        values.append(float((edge * paper).mean()))
    support = float(np.mean(values)) if values else 0.0
    return replace(candidate, score=candidate.score * support * support, support=support)


def _paper_level(gray: np.ndarray, quad: np.ndarray) -> float:
    """75th percentile of the luma inside ``quad`` (the card's paper, past its print)."""
    mask = cv2.fillConvexPoly(np.zeros(gray.shape, np.uint8), quad.astype(np.int32), 1)
    return percentile_of(gray, 75, mask)


def _card_cues_win(page: tuple[CardSide, bool], card: tuple[CardSide, bool, str | None]) -> bool:
    """Whether an outline measured like an ID-3 page is told by its ID-1 (resident card) cues instead:
    ``page`` is ``(side, upside_down)`` by the ID-3 cues, ``card`` what :func:`detect_side` says at ID-1.

    - The emblem in its corner is the more specific cue (an ID-3 page has no red-and-gold corner),
      so it wins over a "photo" seen where the emblem side's emblem is.
    - A resident card's number row, stretched to a page, can fill the page's MRZ band (two "rows").
      The card's photo is then at the same end as that band's way up (upright: number row at the
      bottom, photo at the right), whereas a passport page's photo, looked for with the card's
      boxes, is where a card turned the other way has its photo: the card wins only then.
    - Otherwise the card's cues decide where the page's found nothing.
    """
    side, upside_down = page
    if side == "mrz":
        return card[0] == "portrait" and card[1] == upside_down
    return card[0] == "emblem" or (side == "unknown" and card[0] != "unknown")
