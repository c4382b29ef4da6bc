"""The card finder's edge maps: the shrunk frame's colour gradient, thresholded at several sensitivities.

:class:`~barrierfree.vision.card.finder.CardFinder` looks for a card among the regions each map
encloses. The maps come one at a time, strongest edges first (:func:`edge_maps`): the finder stops
asking for more once a map gave it a card it is sure of, so most frames pay for one or two maps,
not seven. The strong-edge map comes first because its thin edges eat least into the regions they
enclose: the card it finds is the largest outline of that card, which the ranking keeps anyway
(it was the kept one on 91 of 120 tuning photos when every map was searched). A dim frame's maps
at lowered thresholds (:func:`dim_maps`) are a fallback of the finder's.

Plain functions on the shrunk frame, in its pixels; the SDK's ``card_edges.js`` is the same.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from barrierfree.settings.document import DocumentSettings

#: Edge maps as (gradient threshold in Lab units per pixel, dilation size in pixels), in the order
#: they are searched: strong edges only (busy backgrounds), then ordinary ones (the wider dilation
#: closes gaps where the background matches the card), then faint ones (a white card on white paper).
EDGE_MAPS = ((90.0, 3), (40.0, 3), (40.0, 5), (25.0, 3), (14.0, 3))
#: The map the glare walls are added to (the ordinary one).
_WALLED_THRESHOLD = 25.0
#: Thresholds of the maps added in a dim frame, before scaling by its exposure; dilation 3×3.
DIM_EDGE_THRESHOLDS = (14.0, 25.0)

EdgeMap = tuple[np.ndarray, float]  # a binary map (0/255), and how far it eats into the regions it bounds (pixels)


def gradient(small: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The colour-gradient magnitude of the shrunk RGB frame (float32; L at weight 1, a and b at 2,
    so that a pale card on a pale desk still has an edge: its shadow and a hue step) and the luma of
    the blurred frame (uint8)."""
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    lab = cv2.cvtColor(blurred, cv2.COLOR_RGB2LAB).astype(np.float32)
    magnitude = np.zeros(small.shape[:2], np.float32)
    for channel, weight in ((0, 1.0), (1, 2.0), (2, 2.0)):
        gx = cv2.Sobel(lab[:, :, channel], cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(lab[:, :, channel], cv2.CV_32F, 0, 1, ksize=3)
        magnitude = np.maximum(magnitude, weight * cv2.magnitude(gx, gy))
    return magnitude, cv2.cvtColor(blurred, cv2.COLOR_RGB2GRAY)


def edge_maps(magnitude: np.ndarray, luma: np.ndarray, settings: DocumentSettings) -> Iterator[EdgeMap]:
    """The edge maps of :data:`EDGE_MAPS`, each made only when asked for, then the glare walls."""
    walled: EdgeMap | None = None
    for threshold, grow in EDGE_MAPS:
        edges = (magnitude > threshold).astype(np.uint8) * 255
        made = (cv2.dilate(edges, np.ones((grow, grow), np.uint8)), grow / 2 + 0.5)
        if threshold == _WALLED_THRESHOLD and grow == 3:
            walled = made
        yield made
    assert walled is not None
    yield from glare_barriers(luma, walled, settings)


def glare_barriers(luma: np.ndarray, ordinary: EdgeMap, settings: DocumentSettings) -> Iterator[EdgeMap]:
    """The ordinary edge map with the frame's brightest blob (a highlight) added as a wall, at each of
    ``glare_barrier_levels``.

    Where a highlight crosses the card's edge, paper and background are both washed out
    and the edge ring has a gap: the card's interior leaks into the background through
    it. Walled off by the highlight, the interior is an enclosed region again, notched
    where the highlight bites into it, and its outline gives the card. The walls are
    only added maps: a frame without a highlight is found as before.
    """
    top = percentile_of(luma, 99.5)
    edges, inset = ordinary
    for level in settings.glare_barrier_levels:
        glare = luma >= max(level * top, settings.min_glare_barrier_luma)
        if glare.any():
            yield cv2.bitwise_or(edges, glare.astype(np.uint8) * 255), inset


def dim_maps(magnitude: np.ndarray, gain: float) -> list[EdgeMap]:
    """The faint and ordinary edge maps again, at thresholds lowered by ``gain`` (a dim frame's).

    A dim room lowers every brightness step in the frame, a dim card's edge on a pale page
    included: barely brighter than the page, the card leaves gaps in the faint map and its
    interior leaks into the page. Lower thresholds also let the card's own print split its
    interior, so these maps are added to the others, not put in their place.
    """
    if gain >= 1.0:
        return []
    return [(cv2.dilate((magnitude > threshold * gain).astype(np.uint8) * 255, np.ones((3, 3), np.uint8)), 2.0)
            for threshold in DIM_EDGE_THRESHOLDS]


def exposure_gain(luma: np.ndarray, settings: DocumentSettings) -> float:
    """How much the edge thresholds are lowered in a dim frame (0..1; 1 in a well-lit one).

    A dim room scales every brightness step in the frame, the card's edge included; the
    fallback maps' thresholds (:func:`dim_maps`) follow the frame's exposure (its
    75th-percentile luma over ``dim_frame_luma``), down to ``min_edge_threshold_scale``.
    """
    level = percentile_of(luma, 75)
    return min(1.0, max(settings.min_edge_threshold_scale, level / settings.dim_frame_luma))


def percentile_of(gray: np.ndarray, percent: float, mask: np.ndarray | None = None) -> float:
    """A percentile of uint8 luma via a 256-bin histogram (far cheaper than sorting)."""
    histogram = cv2.calcHist([gray], [0], mask, [256], [0, 256]).ravel()
    total = histogram.sum()
    if total == 0:
        return 0.0
    return float(np.searchsorted(np.cumsum(histogram), total * percent / 100.0))
