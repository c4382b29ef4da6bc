"""Thresholds and options of the document area (``BARRIERFREE_DOCUMENT__<NAME>``).

Each field names its unit. Add fields here, never magic numbers in code.
The card-finder thresholds were set on photos from :mod:`testkit.cards`
(``benchmarks/documents.py`` prints the accuracy they give).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DocumentSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: A field read below this recognition confidence (0..1) gets a warning check asking to confirm it.
    min_line_confidence: float = 0.5
    #: A field with any character read below this probability (0..1) gets a warning check too.
    min_character_confidence: float = Field(default=0.7, gt=0, le=1)
    #: A value's line whose end runs into glare gets a warning: at least this share (0..1) of the
    #: paper right of its end blown out (``glare_luma``) ...
    end_glare_min_share: float = Field(default=0.6, gt=0, le=1)
    #: ... looked at over this many line heights right of the end (where its next characters would be).
    end_glare_window_heights: float = Field(default=1.5, gt=0)

    # --- finding the card (CardFinder.observe, every streamed frame) ---------------
    #: Width the frame is shrunk to before looking for the card, in pixels (speed vs. precision).
    finder_width_px: int = Field(default=480, ge=160, le=1600)
    #: Smallest card accepted, as visible card area over frame area (0..1).
    min_card_area_fraction: float = Field(default=0.03, gt=0, lt=1)
    #: Accepted long side over short side of the card's quad (ID-1 is 1.586, ID-3 1.42).
    min_aspect_ratio: float = 1.15
    max_aspect_ratio: float = 2.0
    #: Smallest share of the quad that the card region fills (0..1); a face or clutter fills less.
    min_quad_fill: float = Field(default=0.88, gt=0, le=1)
    #: Smallest share of the region's outline lying along the quad's four sides (0..1).
    min_side_support: float = Field(default=0.85, gt=0, le=1)
    #: Largest area of a card cut off by the frame, over frame area (0..1); larger is taken for background.
    max_cut_card_area_fraction: float = Field(default=0.7, gt=0, le=1)
    #: The card's paper (75th-percentile luma inside the quad) over the frame's 75th-percentile luma.
    min_card_brightness: float = Field(default=0.8, ge=0)
    #: Smallest region area over its convex hull's (0..1); a card's photo can bite a notch into it.
    min_solidity: float = Field(default=0.6, gt=0, le=1)
    #: The same for a card cut off by the frame, whose photo may run off the frame too.
    min_solidity_cut: float = Field(default=0.55, gt=0, le=1)
    #: Largest corner-angle departure from 90 degrees accepted, in degrees.
    max_corner_deviation_deg: float = Field(default=40.0, gt=0, lt=90)
    #: Colour-gradient magnitude (Lab units per pixel, Sobel) at which a candidate's side counts as a
    #: fully supported edge when candidates are ranked; weaker gradients support it proportionally.
    edge_support_gradient: float = Field(default=30.0, gt=0)
    #: ... and just inside it there must be paper: luma at least this share of the card's paper level (0..1).
    edge_support_paper: float = Field(default=0.75, ge=0, le=1)
    #: A card traced only by four long straight edges (no closed edge ring, e.g. across a white cup's
    #: rim) must have at least this support (edge and paper along its sides, as above; 0..1).
    min_line_support: float = Field(default=0.7, ge=0, le=1)
    #: Distance from the frame's border under which a card edge counts as cut off, in finder pixels.
    border_margin_px: float = Field(default=3.0, ge=0)
    #: Highlight walls for the card finder: pixels at or above each of these shares of the frame's
    #: 99.5th-percentile luma (0..1) close the gap a highlight leaves in a card's edge; one edge map each.
    glare_barrier_levels: tuple[float, ...] = (0.97, 0.93)
    #: ... and never below this luma (0..255): a dim frame's brightest part is no highlight.
    min_glare_barrier_luma: int = Field(default=150, ge=0, le=255)
    #: A frame whose 75th-percentile luma (0..255) is below this is dim: the finder adds its faint and
    #: ordinary edge maps again at thresholds scaled by its luma over this (a dim room scales every
    #: brightness step, a dim card's edge on a pale page included) ...
    dim_frame_luma: float = Field(default=160.0, gt=0, le=255)
    #: ... but by no less than this share (0..1), lest sensor noise in a dark frame count as edges.
    min_edge_threshold_scale: float = Field(default=0.5, gt=0, le=1)
    #: The finder is sure of a card when an edge map encloses a region of its shape, not cut by the
    #: frame, with at least this support (edge and paper along its sides, as above; 0..1): it asks
    #: for no fainter edge map and no dim-frame map after that one.
    min_sure_support: float = Field(default=0.9, ge=0, le=1)
    #: Luma (0..255) at or above which a pixel counts as blown out by glare.
    glare_luma: int = Field(default=250, ge=128, le=255)
    #: Rectified-card resolution for the cheap side and quality cues, pixels per millimetre.
    observe_px_per_mm: float = Field(default=3.0, gt=0)
    #: Share of the emblem box that must be emblem-red/gold to call the emblem side (0..1).
    min_emblem_fraction: float = Field(default=0.25, gt=0, le=1)
    #: A highlight on the emblem washes its colours out of the test above. Asked only when no cue
    #: decided, on a card whose photo boxes hold at most this share of photo-like pixels (0..1):
    max_faded_emblem_photo_fraction: float = Field(default=0.3, gt=0, le=1)
    #: ... a pixel counts as emblem when red minus blue is over this share of its red (0..1)
    faded_emblem_chroma: float = Field(default=0.2, gt=0, le=1)
    #: ... and over this many 8-bit levels (not paper noise);
    faded_emblem_min_warmth: float = Field(default=25.0, ge=0, le=255)
    #: ... and this share of one emblem box (0..1) must be such pixels, the other box at most a quarter of it.
    min_faded_emblem_fraction: float = Field(default=0.2, gt=0, le=1)
    #: Share of the portrait box that must be photo (not paper) to call the portrait side (0..1).
    min_portrait_fraction: float = Field(default=0.45, gt=0, le=1)
    #: ... or this share when the opposite box is nearly bare (under a quarter of it): a pale,
    #: washed-out printed photo (0..1).
    min_portrait_fraction_lone: float = Field(default=0.25, gt=0, le=1)
    #: Tallest run of full-width ink rows still taken for one MRZ text line, millimetres. An MRZ
    #: line is about 2.3 mm tall on the rectified card; a taller run is a photo or a shaded band
    #: (a highlight raising the paper level makes a guilloche background look like ink).
    max_mrz_line_mm: float = Field(default=5.0, gt=0)

    # --- reading (read_document) -----------------------------------------------------
    #: Rectified-card resolution for OCR, pixels per millimetre (PP-OCR reads 3 mm text well at 8).
    ocr_px_per_mm: float = Field(default=8.0, gt=0)
    #: Longest side the text detector sees when reading a card, in pixels.
    ocr_det_max_side_px: int = Field(default=736, ge=320, le=2000)
    #: ... when reading an ID-1 card's rows (its 3 mm text is still 16 px high; detection cost grows
    #: with the pixel count), in pixels.
    card_det_max_side_px: int = Field(default=576, ge=320, le=2000)
    #: A closed-vocabulary field (ethnicity, sex) takes the recogniser's most probable allowed word
    #: only when that word has at least this share of the allowed words' total probability (0..1).
    min_vocabulary_posterior: float = Field(default=0.9, gt=0.5, le=1)
    #: Card-shaped candidates read_document tries, best first, before giving up on a photo.
    max_card_candidates: int = Field(default=3, ge=1, le=10)
    #: A card cut by two frame sides (a corner) shows little of itself: its region must be this solid (0..1)
    min_solidity_corner: float = Field(default=0.8, gt=0, le=1)
    #: ... and its visible part at least this elongated (long over short side).
    min_aspect_ratio_corner: float = 1.3
    #: Rectified-page resolution for reading an MRZ, pixels per millimetre (10 read no better than 8 on the benchmark).
    mrz_px_per_mm: float = Field(default=8.0, gt=0)
