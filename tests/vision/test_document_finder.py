"""CardFinder on generated phone photos: quad, cut edges, coverage, side and upside-down, and honest misses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from testkit.cards import (SIZES_MM, CameraPose, Faults, apply_faults, background, dim_card, empty_table, project,
                           random_cn_person, random_photo, random_pose, render_card, render_scene)
from testkit import cards_alt
from testkit.photos import load
from barrierfree.vision.card import CardFinder
from barrierfree.vision.card.geometry import clipped_area, order_corners, polygon_area
from barrierfree.vision.frames import from_array

TODAY = date(2026, 11, 29)  # pinned: the generators' draws depend on the date

FINDER = CardFinder()
SIDES = {"cn_resident_id_front": "portrait", "cn_resident_id_back": "emblem", "mrz_td1": "mrz"}


def _corner_error(found, truth):
    return float(np.abs(found - truth).max())


@pytest.mark.parametrize("frame_size", [(640, 480), (1280, 720)])
@pytest.mark.parametrize("document_type", ["cn_resident_id_front", "cn_resident_id_back", "mrz_td1", "mrz_td3"])
def test_finds_the_card_on_varied_photos(frame_size, document_type):
    hits = 0
    for seed in range(6):
        photo = random_photo(100 + seed, document_type, frame_size=frame_size, today=TODAY)
        seen = FINDER.observe(from_array(photo.pixels))
        # Within 2.5% of the frame width at every corner, in the printed reading order.
        if seen.found and _corner_error(seen.quad, photo.quad) < 0.025 * frame_size[0]:
            hits += 1
            assert not seen.cut_edges
            truth = polygon_area(photo.quad) / (frame_size[0] * frame_size[1])
            assert abs(seen.coverage - truth) < 0.2 * truth
    # benchmarks/documents.py measures the rate on hundreds of photos; busy backgrounds
    # (a coffee cup, the cameraman) still defeat it now and then.
    assert hits >= 4, f"{hits}/6 found"


@pytest.mark.parametrize(("seed", "document_type"), [(10088, "cn_resident_id_front"), (10115, "cn_resident_id_back"),
                                                     (60031, "mrz_td1")])
def test_clutter_touching_the_card_does_not_stretch_its_outline(seed, document_type):
    # Coins touching the card merge with it into a larger card-shaped region; it used to outrank
    # the card itself (its outline runs across the background, with no edge or paper along it).
    frame_size = (640, 480) if seed >= 60000 else (1280, 960)
    photo = random_photo(seed, document_type, frame_size=frame_size, today=TODAY)
    assert photo.background == "coins"
    seen = FINDER.observe(from_array(photo.pixels))
    assert seen.found and _corner_error(seen.quad, photo.quad) < 0.025 * frame_size[0]


@pytest.mark.parametrize("document_type", ["cn_resident_id_front", "cn_resident_id_back", "mrz_td1"])
@pytest.mark.parametrize("upside_down", [False, True])
def test_side_and_upside_down_come_from_cheap_cues(document_type, upside_down):
    # The card fills about half the frame width, as when the guidance says "hold still".
    pose = CameraPose(distance_mm=170, roll_deg=12, tilt_x_deg=8, upside_down=upside_down, focal_px=1024)
    photo = random_photo(7, document_type, pose=pose, frame_size=(1280, 720), background_kind="brick", today=TODAY)
    seen = FINDER.observe(from_array(photo.pixels))
    assert seen.found and seen.side == SIDES[document_type] and seen.upside_down is upside_down
    assert seen.document_type == document_type
    assert _corner_error(seen.quad, photo.quad) < 20  # reading order: TL is the printed top-left
    expected = 12 - 180 if upside_down else 12  # the printed top edge's direction, clockwise positive
    assert abs(seen.skew_deg - expected) < 4


@pytest.mark.parametrize("background_kind", ["page", "desk"])
def test_a_highlight_across_the_card_s_edge_does_not_lose_the_card(background_kind):
    # A pale card on a pale table: where the lamp's highlight crosses the card's edge, card and
    # table are both washed out and the edge ring has a gap. The finder used to lose the card
    # (3 of these 12 photos on the desk); the highlight now walls the gap off.
    for seed in range(6):
        rng = np.random.default_rng([seed, 18])
        side = "front" if seed % 2 == 0 else "back"
        texture = render_card(random_cn_person(rng, TODAY), side, seed=seed)
        pose = random_pose(rng, SIZES_MM["id1"], (1280, 960))
        frame, quad = render_scene(texture, SIZES_MM["id1"], pose, (1280, 960), background(background_kind, (1280, 960), rng))
        edge = seed % 4  # top, right, bottom, left in turn
        middle = (quad[edge] + quad[(edge + 1) % 4]) / 2
        faults = Faults(noise_sigma=2.0, glare=((float(middle[0] / 1280), float(middle[1] / 1280), 0.05),), jpeg_quality=85)
        seen = FINDER.observe(from_array(apply_faults(frame, faults, rng)))
        assert seen.found and not seen.cut_edges, (background_kind, seed)
        assert _corner_error(seen.quad, quad) < 0.025 * 1280, (background_kind, seed)
        assert seen.side == ("portrait" if side == "front" else "emblem"), (background_kind, seed)


@pytest.mark.parametrize(("seed", "document_type", "today"), [(39, "cn_resident_id_back", TODAY),
                                                              (1186, "cn_resident_id_front", date(2026, 12, 7))])
def test_a_card_across_a_white_cup_rim_is_traced_by_its_straight_edges(seed, document_type, today):
    # The card lies across the white rim of a coffee cup: its edge ring has a gap where the two
    # meet, so no edge-enclosed region is the card and the finder used to see no card at all.
    # Its four sides are still long straight edges (barrierfree.vision.card.lines).
    photo = random_photo(seed, document_type, background_kind="coffee", today=today)
    seen = FINDER.observe(from_array(photo.pixels))
    assert seen.found and not seen.cut_edges
    assert _corner_error(seen.quad, photo.quad) < 0.025 * 1280
    assert seen.side == SIDES[document_type]


@pytest.mark.parametrize(("renderer", "seed"), [("alt", 1029), ("alt", 1113), ("cards", 1301)])
def test_an_emblem_washed_out_by_a_highlight_still_tells_the_emblem_side(renderer, seed):
    # A highlight over the emblem adds white to its red and gold: against the paper level they no
    # longer count as emblem colours, and the side was "unknown" although the reader saw the emblem
    # side. Relative to each pixel's own brightness they still do (side.py's _faded_emblem).
    today = date(2026, 12, 7)
    photo = (cards_alt.alt_photo(seed * 10, "cn_resident_id_back", today, card_seed=seed) if renderer == "alt"
             else random_photo(seed, "cn_resident_id_back", today=today))
    seen = FINDER.observe(from_array(photo.pixels))
    assert seen.found and seen.side == "emblem" and not seen.upside_down
    assert seen.document_type == "cn_resident_id_back"


def test_a_card_whose_number_row_fills_a_page_s_mrz_band_is_still_the_portrait_side():
    # Measured 1.49 (tilted), the card was rectified as an ID-3 page, where its long number row and
    # the line above it filled the page's MRZ band: the cheap side said "mrz" while the reader read
    # the portrait side. The card's photo is at the same end as that band's way up (a passport
    # page's would be at the other end), so the card's cues now win (finder.py's _card_cues_win).
    today = date(2026, 12, 7)
    photo = cards_alt.alt_photo(240360, "cn_resident_id_front", today, card_seed=24036)
    seen = FINDER.observe(from_array(photo.pixels))
    assert seen.found and seen.aspect_ratio < 1.50
    assert seen.side == "portrait" and not seen.upside_down and seen.document_type == "cn_resident_id_front"


@pytest.mark.parametrize("upside_down", [False, True])
@pytest.mark.parametrize("tilt_deg", [0, 25, 35])
def test_a_passport_page_tilted_toward_a_card_s_shape_stays_a_machine_zone(upside_down, tilt_deg):
    # The guard on the rule above: a passport page looked at with the card's boxes has its photo
    # where a card turned the other way has it, so its MRZ is kept (these measure 1.40–1.47, where
    # the card's cues are asked too).
    pose = CameraPose(distance_mm=230, roll_deg=6, tilt_x_deg=tilt_deg, upside_down=upside_down, focal_px=1024)
    photo = random_photo(7, "mrz_td3", pose=pose, frame_size=(1280, 960), background_kind="brick", today=TODAY)
    seen = FINDER.observe(from_array(photo.pixels))
    assert seen.found and seen.side == "mrz" and seen.upside_down is upside_down, seen.aspect_ratio


@pytest.mark.parametrize(("seed", "side"), [(5004, "front"), (5019, "back"), (5063, "back"), (5102, "front")])
def test_a_dim_card_on_a_white_page_is_found(seed, side):
    # A dim room (light 0.45..0.6) scales every brightness step: the card's edge on a white page,
    # barely darker than the card, fell under the faint edge map's threshold in places, the card's
    # interior leaked into the page and no candidate source found the card (issue 18; tuning
    # seeds from benchmarks/finder_dim_scan.py). Dim frames get edge maps at lowered thresholds.
    pixels, quad, light = dim_card(seed, side, date(2026, 12, 7))
    assert light < 0.6
    seen = FINDER.observe(from_array(pixels))
    assert seen.found and not seen.cut_edges
    assert _corner_error(seen.quad, quad) < 0.025 * 1280
    assert seen.side == ("portrait" if side == "front" else "emblem")


def test_nothing_is_found_on_dim_empty_tables():
    # The lowered thresholds of a dim frame must not turn its texture or noise into a card.
    for seed in range(12):
        rng = np.random.default_rng([seed, 1118])
        table = empty_table(seed, (1280, 960))
        dim = apply_faults(table, Faults(noise_sigma=4.0, light=float(rng.uniform(0.45, 0.6)), jpeg_quality=80), rng)
        seen = FINDER.observe(from_array(dim))
        assert not seen.found, seed


@pytest.mark.parametrize(("offset", "cut"), [((-60, 0), "left"), ((60, 0), "right"), ((0, -45), "top"), ((0, 50), "bottom")])
@pytest.mark.parametrize("document_type", ["cn_resident_id_front", "cn_resident_id_back"])
def test_a_card_partly_out_of_frame_reports_the_cut_edge_and_what_is_visible(offset, cut, document_type):
    frame = (640, 480)
    pose = CameraPose(distance_mm=0.8 * 640 * 85.6 / 320, offset_mm=offset, tilt_x_deg=4, focal_px=512)
    photo = random_photo(11, document_type, frame_size=frame, pose=pose, background_kind="wood", today=TODAY)
    seen = FINDER.observe(from_array(photo.pixels))
    visible = clipped_area(photo.quad, *frame) / polygon_area(photo.quad)
    assert visible < 0.95  # the scene really is cut
    assert seen.found and cut in seen.cut_edges and len(seen.cut_edges) == 1
    assert abs(seen.visible_fraction - visible) < 0.1
    assert abs(seen.coverage - clipped_area(photo.quad, *frame) / (640 * 480)) < 0.03
    assert _corner_error(seen.quad, photo.quad) < 0.05 * 640  # extrapolated corners included


def test_nothing_is_found_on_empty_tables():
    for seed in range(12):
        seen = FINDER.observe(from_array(empty_table(seed, (640, 480))))
        assert not seen.found and seen.quad is None and seen.coverage == 0.0


@pytest.mark.parametrize("name", ["astronaut", "obama", "obama2", "biden", "obama_partial_face"])
def test_nothing_is_found_on_a_face(name):
    assert not FINDER.observe(from_array(load(name))).found


def test_a_blurred_dim_card_reports_low_sharpness_and_exposure():
    pose = CameraPose(distance_mm=200, focal_px=1024)
    sharp = FINDER.observe(from_array(random_photo(5, "cn_resident_id_front", pose=pose, severity=0.0,
                                                    frame_size=(1280, 720), background_kind="dark", today=TODAY).pixels))
    import cv2

    photo = random_photo(5, "cn_resident_id_front", pose=pose, severity=0.0, frame_size=(1280, 720), background_kind="dark", today=TODAY)
    dim = (cv2.GaussianBlur(photo.pixels, (0, 0), 3) * 0.5).astype(np.uint8)
    soft = FINDER.observe(from_array(dim))
    assert sharp.found and soft.found
    assert soft.sharpness < 0.5 * sharp.sharpness
    assert soft.exposure < 0.7 * sharp.exposure


def test_order_corners_puts_the_long_side_on_top():
    quad = project(SIZES_MM["id1"], CameraPose(roll_deg=25, focal_px=512), (640, 480))
    assert np.allclose(order_corners(np.roll(quad, 1, axis=0)), quad)


def test_a_steeply_tilted_card_filling_the_frame_keeps_its_id1_shape():
    # A few pixels of corner error made the focal length estimate 1.9 x the width and the card's
    # perspective-corrected aspect 1.374 (ID-3): the portrait side was then taken for an upside-down
    # passport page. Estimates outside a phone's main camera range are not believed.
    photo = random_photo(60010, "cn_resident_id_front", frame_size=(1280, 720), today=TODAY)
    seen = FINDER.observe(from_array(photo.pixels))
    assert seen.found and abs(seen.aspect_ratio - 85.6 / 53.98) < 0.06
    assert seen.document_type == "cn_resident_id_front" and not seen.upside_down
    assert _corner_error(seen.quad, photo.quad) < 0.025 * 1280


@pytest.mark.parametrize(("where", "centre_mm"), [
    ("photo", (69.0, 22.0)),               # on the portrait: spoils the face match
    ("end of the ID number", (74.0, 47.5)),  # the number's last digits run on under the photo
    ("name", (20.0, 8.0)),
])
def test_glare_counts_wherever_it_spoils_a_reading_or_the_face_match(where, centre_mm):
    """A lamp's highlight (about 10 mm across, blown out) on the photo or on the end of the ID
    number is as bad as one on the name: the guide must ask for it to be moved."""
    import cv2

    from barrierfree.settings.document import DocumentSettings
    from testkit.cards import random_cn_person, render_card
    from barrierfree.vision.card.layouts import ID1_MM, LAYOUTS
    from barrierfree.vision.card.side import quality_cues

    settings = DocumentSettings()
    scale = settings.observe_px_per_mm
    card = render_card(random_cn_person(np.random.default_rng(5), TODAY), "front", seed=5)
    card = cv2.resize(card, (round(ID1_MM[0] * scale), round(ID1_MM[1] * scale)), interpolation=cv2.INTER_AREA)
    boxes = LAYOUTS["cn_resident_id_front"].glare_boxes
    assert quality_cues(card, settings, boxes)[1] < 0.02  # no lamp: no glare
    cv2.circle(card, (round(centre_mm[0] * scale), round(centre_mm[1] * scale)), round(5 * scale), (255, 255, 255), -1)
    assert quality_cues(card, settings, boxes)[1] > 0.02, where


@pytest.mark.parametrize("lamp_mm", [(0.0, 40.0, 500.0), (30.0, -60.0, 700.0), (-25.0, 10.0, 600.0)])
def test_the_glare_is_placed_where_the_lamp_s_reflection_is(lamp_mm):
    """The guide turns the glare's place into a phone move: it must be where the optics put it,
    in the frame as captured (a card turned upside down is rectified the other way round)."""
    from testkit.cards import background, random_cn_person, render_card
    from testkit.scenes import CardScene

    rng = np.random.default_rng(11)
    scene = CardScene(render_card(random_cn_person(rng, TODAY), "front", px_per_mm=8), table=background("wood", (480, 640), rng),
                      lamp_mm=lamp_mm)
    for turned in (0.0, 180.0):
        pose = replace(scene.pose_at(0.5, 0.5, 130), roll_deg=turned) if turned else scene.pose_at(0.5, 0.5, 130)
        frame, truth = scene.render(pose)
        assert truth.glare_on_target
        seen = CardFinder().observe(frame)
        x, y = scene.project(np.array([scene.glare_point_mm(pose)]), pose)[0]
        assert seen.glare_center == pytest.approx((x / 480, y / 640), abs=0.03), turned
    unlit = CardScene(scene.texture, table=scene.table)
    assert CardFinder().observe(unlit.render(unlit.pose_at(0.5, 0.5, 130))[0]).glare_center is None
