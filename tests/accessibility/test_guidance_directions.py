"""Every direction, for both cameras: what the person does with the phone, in their own terms.

Frames are as captured (not mirrored). Front camera: the person's right is the
image's left, so a face on the image's right means "move the phone to your
left". Back camera: the image's right is the person's right.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from barrierfree.accessibility.guidance import Guide
from barrierfree.accessibility.guidance.assess_card import assess_card
from barrierfree.accessibility.guidance.assess_face import assess_face
from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.settings.guidance import GuidanceSettings
from tests.guidance_helpers import card, face, outlined

S = GuidanceSettings()
UPRIGHT = SensorReading(beta_deg=85.0, gamma_deg=0.0)
FLAT = SensorReading(beta_deg=3.0, gamma_deg=-2.0)


def first_face_cue(obs, camera="front", reading=None):
    return assess_face(obs, reading, S, camera=camera).cues[0].message_id


def first_card_cue(obs, camera="back", reading=None):
    return assess_card(obs, reading, S, camera=camera).cues[0].message_id


@pytest.mark.parametrize(("center", "front", "back"), [
    ((0.80, 0.45), "face.move_left_by", "face.move_right_by"),   # face on the image's right
    ((0.20, 0.45), "face.move_right_by", "face.move_left_by"),   # face on the image's left
    ((0.50, 0.15), "face.move_up_by", "face.move_up_by"),        # face high in the image
    ((0.50, 0.80), "face.move_down_by", "face.move_down_by"),    # face low in the image
])
def test_face_off_centre_directions_for_both_cameras(center, front, back):
    assert first_face_cue(face(center=center), "front", UPRIGHT) == front
    assert first_face_cue(face(center=center), "back", UPRIGHT) == back


@pytest.mark.parametrize(("center", "flat_back", "upright_back", "flat_front"), [
    ((0.85, 0.5), "card.move_right", "card.move_right", "card.move_left"),
    ((0.15, 0.5), "card.move_left", "card.move_left", "card.move_right"),
    ((0.5, 0.15), "card.move_away", "card.move_up", "card.move_away"),
    ((0.5, 0.85), "card.move_toward", "card.move_down", "card.move_toward"),
])
def test_card_off_centre_directions_for_both_cameras_and_postures(center, flat_back, upright_back, flat_front):
    assert first_card_cue(card(center=center), "back", FLAT) == flat_back
    assert first_card_cue(card(center=center), "back", None) == flat_back  # unknown posture: flat, as we ask
    assert first_card_cue(card(center=center), "back", UPRIGHT) == upright_back
    assert first_card_cue(card(center=center), "front", FLAT) == flat_front


@pytest.mark.parametrize(("edge", "front", "back"), [
    ("right", "face.partly_out_left", "face.partly_out_right"),
    ("left", "face.partly_out_right", "face.partly_out_left"),
    ("top", "face.partly_out_up", "face.partly_out_up"),
    ("bottom", "face.partly_out_down", "face.partly_out_down"),
])
def test_face_partly_out_of_frame_names_the_way_to_move(edge, front, back):
    obs = face(cut={edge})
    assert first_face_cue(obs, "front") == front
    assert first_face_cue(obs, "back") == back


@pytest.mark.parametrize(("edge", "back", "front"), [
    ("right", "card.partly_out_right", "card.partly_out_left"),
    ("left", "card.partly_out_left", "card.partly_out_right"),
    ("top", "card.partly_out_away", "card.partly_out_away"),
    ("bottom", "card.partly_out_toward", "card.partly_out_toward"),
])
def test_card_partly_out_of_frame_names_the_way_to_move(edge, back, front):
    assert first_card_cue(card(cut={edge}), "back") == back
    assert first_card_cue(card(cut={edge}), "front") == front


def test_cut_on_opposite_sides_means_too_close_not_a_direction():
    cue = assess_face(face(cut={"left", "right"}, size=0.9), None, S).cues[0]
    assert cue.message_id == "face.move_farther_by" and cue.rank == assess_face(face(cut={"left"}), None, S).cues[0].rank
    assert first_card_cue(card(cut={"top", "bottom"}, coverage=0.9)) == "card.move_farther"


def test_a_face_cut_off_because_it_is_too_big_is_a_distance_problem():
    """Too close and crossing one edge: "move left" would only push it out on the other side."""
    cue = assess_face(face(cut={"right"}, size=0.75, center=(0.6, 0.45)), UPRIGHT, S).cues[0]
    assert cue.kind == "distance" and cue.direction == "farther"


def test_distance_cues():
    # A face 0.15 of a 480 px frame wide is 935 mm away (140 mm face, 26 mm-equivalent lens);
    # sizes 0.26-0.55 are 539-255 mm away. The move aims a third of that band in from its far
    # edge, at 445 mm: 49 cm closer, "about 50 cm" (the middle, 397 mm, would be 54 cm).
    far = assess_face(face(size=0.15), None, S).cues[0]
    assert (far.message_id, dict(far.params)) == ("face.move_closer_by", {"cm": 50})
    near = assess_face(face(size=0.8), None, S).cues[0]  # 175 mm away: 15 cm farther, to 325 mm
    assert (near.message_id, dict(near.params)) == ("face.move_farther_by", {"cm": 15})
    middle = assess_face(face(size=0.8), None, GuidanceSettings(distance_aim_fraction=0.5)).cues[0]
    assert dict(middle.params) == {"cm": 20}  # to 361 mm
    # Without the card's outline there is no ruler: "a little".
    assert first_card_cue(card(coverage=0.08)) == "card.move_closer"
    assert first_card_cue(card(coverage=0.75)) == "card.move_farther"


def test_a_card_spanning_almost_the_whole_frame_is_too_close_even_under_the_coverage_limit():
    """In a portrait frame a card 90 % of the width wide covers only 0.36 of the area: the hand
    would have no room to drift, so the phone must go higher."""
    import numpy as np
    from barrierfree.vision.card.observation import CardObservation

    quad = np.array([[24, 184], [456, 184], [456, 456], [24, 456]], float)  # 432 x 272 px of 480 x 640
    obs = CardObservation(found=True, frame_size=(480, 640), quad=quad, coverage=0.38, center=(0.5, 0.5),
                          sharpness=3500.0, exposure=0.5, aspect_ratio=1.586)
    assert obs.coverage < S.card_max_coverage
    cue = assess_card(obs, FLAT, S).cues[0]
    assert cue.message_id in ("card.move_farther", "card.move_farther_by") and cue.direction == "farther"


@pytest.mark.parametrize(("reading", "expected"), [
    (SensorReading(beta_deg=30.0), "face.tilt_top_toward_you"),   # leaning back, screen to the sky
    (SensorReading(beta_deg=150.0), "face.tilt_top_away"),        # top leaning over towards the person
])
def test_face_phone_tilt_from_the_sensor(reading, expected):
    assert first_face_cue(face(), reading=reading) == expected


@pytest.mark.parametrize(("reading", "expected"), [
    (SensorReading(beta_deg=35.0, gamma_deg=0.0), "card.tilt_lower_top"),      # top edge raised
    (SensorReading(beta_deg=-35.0, gamma_deg=0.0), "card.tilt_lower_bottom"),
    (SensorReading(beta_deg=0.0, gamma_deg=35.0), "card.tilt_lower_left"),     # right side down
    (SensorReading(beta_deg=0.0, gamma_deg=-35.0), "card.tilt_lower_right"),
])
def test_card_phone_tilt_from_the_sensor(reading, expected):
    assert first_card_cue(card(), reading=reading) == expected


def test_card_tilt_seen_in_the_image_without_sensors():
    assert first_card_cue(card(tilt=35.0)) == "card.hold_flat"


def test_centred_targets_have_no_cue():
    assert assess_face(face(), UPRIGHT, S, camera="front").in_tolerance
    assert assess_card(card(), FLAT, S, camera="back").in_tolerance


def test_cue_order_follows_the_issue():
    """Fix problems one at a time: the most important remaining one always comes first.
    (With each move said on its own: see the next test for a sideways move and a distance said as one.)"""
    in_turn = GuidanceSettings(say_distance_with_move=False)
    problems = dict(count=2, cut={"left"}, center=(0.8, 0.45), size=0.15, roll=40.0, exposure=0.05, sharpness=2.0)
    expected = ["several", "partly_out", "off_centre", "distance", "tilt", "light", "blur"]
    for kind in expected:
        cues = assess_face(face(**problems), None, in_turn).cues
        assert cues[0].kind == kind, (kind, [c.kind for c in cues])
        assert [c.kind for c in cues] == expected[expected.index(kind):]
        problems.pop({"several": "count", "partly_out": "cut", "off_centre": "center", "distance": "size",
                      "tilt": "roll", "light": "exposure", "blur": "sharpness"}[kind])
    card_problems = dict(cut={"right"}, center=(0.2, 0.5), coverage=0.05, tilt=40.0, glare=0.3,
                         side="emblem", sharpness=3.0)
    kinds = [c.kind for c in assess_card(card(**card_problems), None, in_turn, expected_side="portrait").cues]
    assert kinds == ["partly_out", "off_centre", "distance", "tilt", "light", "side", "blur"]


@pytest.mark.parametrize(("observation", "expected"), [
    # 0.15 of the frame wide: the face is about 93 cm away, and 0.3 of the frame (28 cm) off to the right.
    (face(center=(0.8, 0.45), size=0.15), ("face.move_left_closer_by", "left", 30, "closer", 50)),
    (face(center=(0.82, 0.45), size=0.62), ("face.move_left_farther_by", "left", 7, "farther", 10)),  # "farther" first
])
def test_a_move_sideways_and_a_distance_are_one_cue_in_the_issue_s_place(observation, expected):
    """Said in turn, a sideways move and a distance cost a round of listen, move and stop each;
    said together, the sideways part comes first, as off-centre comes before distance in the
    order. The rest of the order is unchanged."""
    cues = assess_face(observation, UPRIGHT, S).cues
    params = dict(cues[0].params)
    assert (cues[0].message_id, cues[0].direction, params["cm"], params["also"], params["also_cm"]) == expected
    assert "distance" not in [c.kind for c in cues] and "{" not in cues[0].text("zh-CN") + cues[0].text("en")
    cues = assess_card(outlined_card((0.2, 0.5), width_px=130), FLAT, S).cues  # 0.04 of the frame: too far
    assert [c.message_id for c in cues] == ["card.move_left_closer_by"]
    in_turn = GuidanceSettings(say_distance_with_move=False)
    assert [c.kind for c in assess_face(observation, UPRIGHT, in_turn).cues][:2] in (["off_centre", "distance"],
                                                                                    ["distance", "off_centre"])


def test_a_face_is_centred_for_the_distance_it_is_sent_to():
    """5 cm to the side is 0.2 of the frame close up, and 0.12 once the phone is 14 cm farther
    back: inside the tolerance there, so only "farther" is said. Judged as it is now, the person
    would also be sent 5 cm sideways, a move not needed (and one more part to get wrong)."""
    close_up = face(center=(0.70, 0.45), size=0.62)
    assert [c.message_id for c in assess_face(close_up, UPRIGHT, S).cues] == ["face.move_farther_by"]
    as_it_is_now = GuidanceSettings(centre_for_new_distance=False)
    assert assess_face(close_up, UPRIGHT, as_it_is_now).cues[0].message_id == "face.move_left_farther_by"


def test_a_phone_tilted_out_of_range_is_straightened_before_any_position_cue():
    """The phone's own sensor says it is tilted: straightening it would move the picture, so
    that comes first (after "several faces"); a bank can keep the issue's order with the setting."""
    tilted_back = SensorReading(beta_deg=40.0)
    problems = dict(count=2, cut={"left"}, center=(0.8, 0.45), size=0.15)
    kinds = [c.message_id for c in assess_face(face(**problems), tilted_back, S).cues]
    assert kinds[:3] == ["face.several", "face.tilt_top_toward_you", "face.partly_out_right_by"]
    in_order = GuidanceSettings(straighten_phone_first=False)
    kinds = [c.kind for c in assess_face(face(**problems), tilted_back, in_order).cues]
    assert kinds == ["several", "partly_out", "off_centre", "distance", "tilt"]
    tipped = SensorReading(beta_deg=30.0, gamma_deg=0.0)  # phone over the card, top edge raised 30°
    cues = assess_card(card(cut={"right"}, center=(0.2, 0.5)), tipped, S).cues
    assert [c.message_id for c in cues][:2] == ["card.tilt_lower_top", "card.partly_out_right"]
    # The head's own pose (roll, yaw) is not the phone's tilt: it keeps its place.
    assert [c.kind for c in assess_face(face(center=(0.8, 0.45), roll=40.0), UPRIGHT, S).cues] == ["off_centre", "tilt"]


def test_a_phone_tilted_so_far_that_nothing_is_found_is_straightened_first():
    """The phone's own sensor measures its tilt, so that cue needs no detection: tilted far
    enough, the camera looks past the target, and straightening the phone brings it into view."""
    tilted_back = SensorReading(beta_deg=40.0)
    g = Guide("face").step(face(count=0), tilted_back, now_s=0.0)
    assert g.cue.message_id == "face.tilt_top_toward_you" and g.speak is not None and g.speak.cue == g.cue
    assert g.phase == "adjusting" and not g.detected
    top_raised = SensorReading(beta_deg=35.0, gamma_deg=0.0)
    g = Guide("card").step(card(found=False), top_raised, now_s=0.0)
    assert g.cue.message_id == "card.tilt_lower_top" and g.speak is not None
    # Upright, without a sensor, or with the issue's own order: still looking.
    for reading in (UPRIGHT, None):
        assert Guide("face").step(face(count=0), reading, now_s=0.0).cue.message_id == "face.searching"
    in_order = GuidanceSettings(straighten_phone_first=False)
    g = Guide("face", settings=in_order).step(face(count=0), tilted_back, now_s=0.0)
    assert g.cue.message_id == "face.searching"


def test_wrong_side_of_the_card_asks_to_turn_it_over():
    assert assess_card(card(side="emblem"), FLAT, S).in_tolerance  # no side expected: no cue
    cues = assess_card(card(side="emblem"), FLAT, S, expected_side="portrait").cues
    assert [c.message_id for c in cues] == ["card.turn_over"]


def test_dark_and_glare_cues():
    assert first_card_cue(card(exposure=0.05)) == "card.too_dark"
    assert first_card_cue(card(glare=0.2)) == "card.glare"
    assert first_face_cue(face(exposure=0.97)) == "face.too_bright"
    assert first_face_cue(face(), reading=SensorReading(beta_deg=90.0, ambient_lux=2.0)) == "face.too_dark"


def test_the_guide_speaks_the_direction_in_each_language():
    # A face 0.45 of the frame wide is 140 mm: the frame is 311 mm wide there, and the face
    # sits 0.3 of it (93 mm) right of centre.
    for lang, text in (("en", "Move the phone 9 centimetres to your left."), ("zh-CN", "手机左移9厘米。")):
        guide = Guide("face", profile=Profile(language=lang))
        g = guide.step(face(center=(0.8, 0.45)), UPRIGHT, now_s=0.0)
        assert g.speak.cue.message_id == "face.move_left_by"
        assert g.speak.cue.text(lang) == text
        assert g.to_dict()["speak"]["text"] == text
    # Too little to put a number on (the card helper gives no outline, so no ruler either): "a little".
    guide = Guide("card", profile=Profile(language="en"))
    g = guide.step(card(center=(0.85, 0.5)), FLAT, now_s=0.0)
    assert g.speak.cue.text("en") == "Move the phone a little to your right."


def test_a_cut_card_taken_for_a_passport_page_is_still_measured_as_an_id_card():
    """The cheap side cues took an ID card cut by the left edge for an MRZ page (seen in the
    simulation): measuring it as a 125 mm passport page said "15 cm" for a 5 cm move."""
    import numpy as np

    from barrierfree.accessibility.guidance.measure import card_frame_mm
    from barrierfree.vision.card.observation import CardObservation

    quad = np.array([[-60, 100], [203, 100], [203, 266], [-60, 266]], float)  # 263 x 166 px: 3.07 px/mm
    common = dict(found=True, frame_size=(480, 640), quad=quad, coverage=0.13, center=(0.15, 0.3),
                  document_type="mrz_td3", aspect_ratio=1.49)
    cut = CardObservation(cut_edges=frozenset({"left"}), **common)
    assert round(card_frame_mm(cut)[0]) == 156  # 480 px at 3.07 px/mm
    whole_passport = CardObservation(**{**common, "center": (0.5, 0.3)})
    assert round(card_frame_mm(whole_passport)[0]) > 200  # a whole page of that shape is measured as ID-3


def outlined_card(center, width_px=240.0):
    """A whole ID-1 card ``width_px`` wide at ``center`` of a 480 x 640 frame, with its outline (the ruler)."""
    import numpy as np
    from barrierfree.vision.card.observation import CardObservation

    cx, cy = center[0] * 480, center[1] * 640
    w, h = width_px / 2, width_px / 1.586 / 2
    quad = np.array([[cx - w, cy - h], [cx + w, cy - h], [cx + w, cy + h], [cx - w, cy + h]], float)
    return CardObservation(found=True, frame_size=(480, 640), quad=quad, coverage=4 * w * h / (480 * 640),
                           center=center, sharpness=3500.0, exposure=0.5, aspect_ratio=1.586)


@pytest.mark.parametrize(("center", "camera", "expected"), [
    # A face 0.45 of the frame wide: the frame is 311 x 415 mm where the face is.
    ((0.80, 0.30), "front", ("face.move_left_up_by", "left", 9, "up", 6)),    # 93 mm one way, 62 mm the other
    ((0.80, 0.30), "back", ("face.move_right_up_by", "right", 9, "up", 6)),
    ((0.20, 0.70), "front", ("face.move_down_right_by", "down", 10, "right", 9)),  # the longer part first
    ((0.20, 0.70), "back", ("face.move_down_left_by", "down", 10, "left", 9)),
])
def test_a_face_off_centre_both_ways_is_one_slanting_move(center, camera, expected):
    # Against the fixed centring box: a face this size has room for the smaller part (the room: test_guidance_face_room.py).
    cue = assess_face(face(center=center), UPRIGHT, GuidanceSettings(face_centre_by_room=False), camera=camera).cues[0]
    params = dict(cue.params)
    assert (cue.message_id, cue.direction, params["cm"], params["also"], params["also_cm"]) == expected
    assert "centimetres" in cue.text("en") and "{" not in cue.text("zh-CN")


@pytest.mark.parametrize(("reading", "camera", "expected"), [
    (FLAT, "back", ("card.move_away_right_by", "away", "right")),   # flat over the table: the top is away
    (UPRIGHT, "back", ("card.move_up_right_by", "up", "right")),
    (FLAT, "front", ("card.move_away_left_by", "away", "left")),
])
def test_a_card_off_centre_both_ways_is_one_slanting_move_in_the_posture_s_words(reading, camera, expected):
    # 240 px is 85.6 mm: the frame is 171 x 228 mm; 0.3 right is 51 mm and 0.3 up is 68 mm (the longer first).
    cue = assess_card(outlined_card((0.80, 0.20)), reading, S, camera=camera).cues[0]
    assert (cue.message_id, cue.direction, dict(cue.params)["also"]) == expected
    assert dict(cue.params)["cm"] == 7 and dict(cue.params)["also_cm"] == 5


def test_a_slanting_move_is_said_only_when_both_parts_need_saying():
    # Off one way only, or the other part too short to say in centimetres: a plain move.
    assert first_face_cue(face(center=(0.80, 0.45)), "front", UPRIGHT) == "face.move_left_by"
    assert first_face_cue(face(center=(0.80, 0.50)), "front", UPRIGHT) == "face.move_left_by"
    # Turned off: one way, then the other.
    plain = assess_face(face(center=(0.80, 0.30)), UPRIGHT, GuidanceSettings(say_two_way_moves=False)).cues[0]
    assert plain.message_id == "face.move_left_by" and "also" not in dict(plain.params)


def test_too_close_comes_before_off_centre_and_too_far_after_it():
    """Close up the room to centre in is a couple of centimetres and backing off centres the
    target by itself; coming closer would push an off-centre face further out."""
    in_turn = GuidanceSettings(say_distance_with_move=False)  # said together, the sideways part goes first
    close = assess_face(face(center=(0.82, 0.45), size=0.62), UPRIGHT, in_turn).cues
    assert [c.direction for c in close[:2]] == ["farther", "left"]
    far = assess_face(face(center=(0.82, 0.45), size=0.2), UPRIGHT, in_turn).cues
    assert [c.direction for c in far[:2]] == ["left", "closer"]
    plain = assess_face(face(center=(0.82, 0.45), size=0.62), UPRIGHT,
                        GuidanceSettings(farther_first=False, say_distance_with_move=False)).cues
    assert [c.direction for c in plain[:2]] == ["left", "farther"]
    card_close = assess_card(outlined_card((0.62, 0.5), width_px=440), FLAT, in_turn).cues
    assert card_close[0].direction == "farther"


def test_a_move_to_bring_a_cut_target_into_view_is_never_longer_than_the_target():
    """A fragment of a card cut by the frame's bottom edge, taken for the card, makes the frame
    look 40 cm tall; the move said to bring it into view is still at most the card's own length."""
    fragment = outlined_card((0.6, 0.95), width_px=40)
    fragment = replace(fragment, cut_edges=frozenset({"bottom"}))
    cue = assess_card(fragment, FLAT, S).cues[0]
    assert cue.message_id == "card.partly_out_toward_by" and dict(cue.params)["cm"] <= 9
    near = assess_card(replace(outlined_card((0.5, 0.85), width_px=240), cut_edges=frozenset({"bottom"})), FLAT, S).cues[0]
    assert near.message_id == "card.partly_out_toward_by" and dict(near.params)["cm"] == 8  # 0.35 of a 228 mm frame


def test_a_move_the_persons_gain_shrinks_under_two_centimetres_is_still_said_in_centimetres():
    """A card 3.2 cm right of the spot (0.2 of a 158 mm frame). To a person who goes 1.8 cm for
    each one said, that is 1.8 cm to say: "2 cm", not "a little". "A little" is what a little
    means to them: a simulated user who overshoots went 1.2 cm for it, then 3 cm, past the spot."""
    obs = outlined((336, 320), 260)
    plain = assess_card(obs, FLAT, GuidanceSettings()).cues[0]
    overshooting = assess_card(obs, FLAT, GuidanceSettings(), gain=1.8).cues[0]
    assert plain.message_id == overshooting.message_id == "card.move_right_by"
    assert dict(plain.params)["cm"] == 3 and dict(overshooting.params)["cm"] == 2
