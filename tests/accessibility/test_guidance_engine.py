"""The real vision engines on frames from a virtual phone over real scenes, through the real Guide.

Faces: a real photo seen by the front camera, frames as captured (not mirrored).
Cards: a rendered ID card on a table seen by the back camera.
"""

from __future__ import annotations

import io
import math
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from PIL import Image

from barrierfree.accessibility.guidance import Guide
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.settings.guidance import GuidanceSettings
from testkit import cards
from testkit.scenes import CardScene, FaceScene, PhonePose
from barrierfree.vision.card import CardFinder
from barrierfree.vision.face import FaceAnalyzer
from barrierfree.vision.frames import Frame

TODAY = date(2026, 11, 29)  # pinned: the generators' draws depend on the date

UPRIGHT = SensorReading(beta_deg=85.0, gamma_deg=0.0)
FLAT = SensorReading(beta_deg=2.0, gamma_deg=1.0)


@pytest.fixture(scope="module")
def face_scene():
    return FaceScene("obama")


@pytest.fixture(scope="module")
def card_scene():
    rng = np.random.default_rng(3)
    texture = cards.render_card(cards.random_cn_person(rng, TODAY), "front", px_per_mm=8)
    return CardScene(texture, table=cards.background("wood", (480, 640), rng))


def guide_one(target, observation, reading, settings=None):
    return Guide(target, settings=settings).step(observation, reading, now_s=0.0)


#: The fixed centring box (``face_centre_by_room`` off): the words and distances of a move are checked on
#: faces that are within their room (tests/accessibility/test_guidance_face_room.py checks the room).
FIXED_BOX = GuidanceSettings(face_centre_by_room=False)


def said_cm(cue) -> int:
    return dict(cue.params)["cm"]


@pytest.mark.parametrize(("photo", "moved", "expected"), [
    ("obama", (120.0, 0.0), "face.move_left_by"),      # phone too far to the person's right
    ("obama", (-120.0, 0.0), "face.move_right_by"),
    ("biden", (0.0, 110.0), "face.move_down_by"),      # phone too high
    ("astronaut", (0.0, -110.0), "face.move_up_by"),
    ("obama2", (0.0, 80.0), "face.move_down_by"),
])
def test_front_camera_directions_on_real_photos(photo, moved, expected):
    scene = FaceScene(photo)
    pose = replace(scene.pose_at(0.5, 0.45, 420), x_mm=moved[0], y_mm=scene.pose_at(0.5, 0.45, 420).y_mm + moved[1])
    frame, truth = scene.render(pose)
    with FaceAnalyzer() as analyzer:
        g = guide_one("face", analyzer.observe(frame), UPRIGHT, FIXED_BOX)
    assert g.cue.message_id == expected, (truth.center, g.cue)
    assert g.speak.cue.message_id == expected
    # The distance said is the distance the phone was moved away, within a quarter
    # (the face's size is the ruler, and faces differ) after rounding to what a person says.
    true_cm = max(abs(v) for v in moved) / 10
    assert abs(said_cm(g.cue) - true_cm) <= 0.25 * true_cm + (2.5 if true_cm >= 10 else 0.5), g.cue


@pytest.mark.parametrize(("distance", "expected"), [(900.0, "face.move_closer_by"), (170.0, "face.move_farther_by")])
def test_face_distance_on_a_real_photo(face_scene, distance, expected):
    frame, truth = face_scene.render(face_scene.pose_at(0.5, 0.45, distance))
    with FaceAnalyzer() as analyzer:
        cue = guide_one("face", analyzer.observe(frame), UPRIGHT).cue
    assert cue.message_id == expected
    # The move that brings the face to the middle of the accepted sizes, from the scene's truth.
    s = GuidanceSettings()
    middle = (distance * truth.size / s.face_min_width_fraction + distance * truth.size / s.face_max_width_fraction) / 2
    true_cm = abs(middle - distance) / 10
    assert abs(said_cm(cue) - true_cm) <= 0.25 * true_cm + 2.5, (true_cm, cue)


def test_an_empty_wall_is_nothing_found_with_no_direction(face_scene):
    frame, truth = face_scene.render(PhonePose(x_mm=900, distance_mm=400))
    assert not truth.inside
    with FaceAnalyzer() as analyzer:
        g = guide_one("face", analyzer.observe(frame), UPRIGHT)
    assert g.phase == "searching" and g.speak.cue.message_id == "face.searching" and g.cue.direction is None


@pytest.mark.parametrize(("where", "expected"), [
    ((0.70, 0.5, 150), "card.move_right_by"),    # card on the image's right: move the phone right
    ((0.30, 0.5, 150), "card.move_left_by"),
    ((0.5, 0.20, 140), "card.move_away_by"),      # phone flat: image top is away from the person
    ((0.5, 0.80, 140), "card.move_toward_by"),
    ((0.78, 0.5, 140), "card.partly_out_right_by"),  # the card crosses the right edge
    ((0.64, 0.5, 90), "card.move_farther_by"),     # 9 cm up it crosses the edge too, but is too big to fit
])
def test_back_camera_directions_on_a_rendered_card(card_scene, where, expected):
    pose = card_scene.pose_at(*where)
    frame, truth = card_scene.render(pose)
    assert truth.inside == ("partly_out" not in expected and "farther" not in expected)
    g = guide_one("card", CardFinder().observe(frame), FLAT)
    assert g.cue.message_id == expected
    if expected.endswith("_by") and "farther" not in expected:  # the card is the ruler: the true distance, to the cm
        true_cm = max(abs(pose.x_mm), abs(pose.y_mm)) / 10
        assert abs(said_cm(g.cue) - true_cm) <= 0.6, (true_cm, g.cue)


def _follow_exactly(pose: PhonePose, cue) -> PhonePose:
    """The phone moved exactly as a cue in centimetres says (up or away +y, closer -distance)."""
    params = dict(cue.params)
    moves = [(cue.direction, params.get("cm"))] + ([(params["also"], params["also_cm"])] if "also" in params else [])
    for direction, cm in moves:
        mm = 10.0 * cm
        if direction in ("up", "down", "away", "toward"):
            pose = replace(pose, y_mm=pose.y_mm + (mm if direction in ("up", "away") else -mm))
        elif direction in ("closer", "farther"):
            pose = replace(pose, distance_mm=pose.distance_mm + (mm if direction == "farther" else -mm))
        else:
            raise AssertionError(f"unexpected direction {direction}")
    return pose


@pytest.mark.parametrize(("lamp_mm", "expected"), [
    ((0.0, 40.0, 500.0), "card.glare_away_by"),      # the reflection is a little away from the middle
    ((30.0, -60.0, 700.0), "card.glare_toward_by"),  # ... a little towards the person
    ((0.0, 0.0, 600.0), "card.glare_toward_by"),     # right in the middle: 4 cm to the edge and past it
])
def test_card_glare_from_a_lamp_is_taken_off_the_card_by_the_move_said(card_scene, lamp_mm, expected):
    """The guide says which way and how far to move the phone; moved so, the lamp's reflection
    (which follows the phone, not the card) is off the card, and the card still wholly in view."""
    lit = CardScene(card_scene.texture, table=card_scene.table, lamp_mm=lamp_mm)
    pose = lit.pose_at(0.5, 0.5, 130)
    frame, truth = lit.render(pose)
    assert truth.glare_on_target
    cue = guide_one("card", CardFinder().observe(frame), FLAT).cue
    assert cue.message_id == expected
    frame, truth = lit.render(_follow_exactly(pose, cue))
    assert truth.inside and not truth.glare_on_target
    # Nothing asks for the card back where the glare was: it is in place (up and down, a card
    # across a portrait frame has room to spare).
    assert guide_one("card", CardFinder().observe(frame), FLAT).cue.message_id == "card.hold_there"
    without = Guide("card", settings=GuidanceSettings(say_glare_escape=False))
    assert without.step(CardFinder().observe(lit.render(pose)[0]), FLAT, now_s=0.0).cue.message_id == "card.glare"



@pytest.mark.parametrize("light", [1.1, 1.2])
def test_a_card_blown_out_by_a_bright_room_is_not_sent_after_a_reflection(card_scene, light):
    """In a bright room the whole card's paper is blown out (a large share, centred on the card),
    not by a lamp's reflection: no phone move takes it off, and the print stays dark. The guide
    says nothing of glare there; a lamp's reflection in a normally lit room is still found, and with
    the overexposure rule off (``card_overexposed_exposure`` 1.0) the bright card is taken for glare."""
    pose = card_scene.pose_at(0.5, 0.5, 130)
    frame, truth = card_scene.render(pose, light=light)
    observation = CardFinder().observe(frame)
    assert not truth.glare_on_target and observation.glare_fraction > 0.5  # the measure sees it blown out
    assert guide_one("card", observation, FLAT).cue.message_id == "card.hold_there"
    strict = Guide("card", settings=GuidanceSettings(card_overexposed_exposure=1.0))
    assert strict.step(observation, FLAT, now_s=0.0).cue.message_id.startswith("card.glare")
    lit = CardScene(card_scene.texture, table=card_scene.table, lamp_mm=(30.0, -60.0, 700.0))
    reflection = CardFinder().observe(lit.render(pose)[0])
    assert guide_one("card", reflection, FLAT).cue.message_id.startswith("card.glare")

def _follow(scene, analyzer_observe, target, pose, reading, step_mm=12.0, frames=80, fps=8):
    """A user who keeps doing what the current cue says, a small move per frame (no tremor, no delay)."""
    guide = Guide(target)
    for i in range(frames):
        frame, truth = scene.render(pose, timestamp_s=i / fps)
        g = guide.step(analyzer_observe(frame), reading, now_s=i / fps)
        if g.captured:
            return g, truth, i
        direction = g.cue.direction
        moves = {"left": (-step_mm, 0), "right": (step_mm, 0), "up": (0, step_mm), "away": (0, step_mm),
                 "down": (0, -step_mm), "toward": (0, -step_mm)}
        if direction in moves:
            dx, dy = moves[direction]
            pose = replace(pose, x_mm=pose.x_mm + dx, y_mm=pose.y_mm + dy)
        elif direction == "closer":
            pose = replace(pose, distance_mm=pose.distance_mm * 0.93)
        elif direction == "farther":
            pose = replace(pose, distance_mm=pose.distance_mm * 1.07)
    raise AssertionError(f"never captured; last cue {g.cue.message_id}, truth {truth.center} {truth.size:.2f}")


def test_following_the_cues_captures_a_centred_face(face_scene):
    start = replace(face_scene.pose_at(0.5, 0.45, 700), x_mm=90.0)
    with FaceAnalyzer() as analyzer:
        g, truth, frames = _follow(face_scene, analyzer.observe, "face", start, UPRIGHT)
    assert abs(truth.center[0] - 0.5) <= 0.12 and abs(truth.center[1] - 0.45) <= 0.12
    assert 0.30 <= truth.size <= 0.65 and truth.inside and frames > 5


def test_following_the_cues_captures_a_whole_card(card_scene):
    finder = CardFinder()
    g, truth, frames = _follow(card_scene, finder.observe, "card", card_scene.pose_at(0.35, 0.62, 190), FLAT, step_mm=6.0)
    assert truth.inside and 0.15 <= truth.size <= 0.45 and abs(truth.center[0] - 0.5) <= 0.12 and frames > 5


def test_a_moving_phone_blurs_the_card_and_is_asked_to_hold_still(card_scene):
    pose = card_scene.pose_at(0.5, 0.5, 110)
    still, _ = card_scene.render(pose)
    moving, truth = card_scene.render(pose, velocity_mm_s=(60.0, 0.0))  # 6 cm/s sideways
    assert truth.blur_px > 4
    assert guide_one("card", CardFinder().observe(still), FLAT).phase == "hold_still"
    assert guide_one("card", CardFinder().observe(moving), FLAT).cue.message_id == "card.hold_still"


def test_a_dim_room_is_too_dark_on_a_real_face(face_scene):
    frame, _ = face_scene.render(face_scene.pose_at(0.5, 0.45, 420), light=0.25)
    with FaceAnalyzer() as analyzer:
        observation = analyzer.observe(frame)
    assert observation.found
    assert guide_one("face", observation, UPRIGHT).cue.message_id == "face.too_dark"


def test_a_soft_camera_that_is_never_sharp_enough_still_gets_its_capture():
    """The astronaut photo is soft: still, it measures about 120-130, under ``face_min_sharpness``.
    Judged against its own sharpest frames it is sharp; the same face moving is still not."""
    scene = FaceScene("astronaut")
    pose = scene.pose_at(0.5, 0.45, 430)
    with FaceAnalyzer() as analyzer:
        still = [analyzer.observe(scene.render(pose)[0]) for _ in range(2)]
        assert max(o.sharpness for o in still) < GuidanceSettings().face_min_sharpness  # the premise
        guide = Guide("face")
        phases = [guide.step(still[i % 2], UPRIGHT, now_s=i / 8).phase for i in range(24)]
        assert phases[-1] == "captured" and "hold_still" in phases
        blurred, truth = scene.render(pose, velocity_mm_s=(120.0, 0.0))
        assert truth.blur_px > 3
        guide = Guide("face")
        for i in range(16):
            g = guide.step(still[i % 2], UPRIGHT, now_s=i / 8) if i < 8 else guide.step(analyzer.observe(blurred), UPRIGHT, now_s=i / 8)
        assert g.cue.message_id == "face.hold_still" and not g.captured


def test_a_face_that_came_closer_is_judged_against_its_own_sharpness_at_that_size():
    """The sharpness measure is per pixel: the soft astronaut photo reads about 234 from 61 cm and
    125 from 29 cm, standing still both times. Judged against the far frames, the near ones were
    "not sharp" until the far ones had left the memory (a simulated user waited 4 s, still, in place)."""
    scene = FaceScene("astronaut")
    with FaceAnalyzer() as analyzer:
        far = analyzer.observe(scene.render(scene.pose_at(0.5, 0.45, 610))[0])
        near = analyzer.observe(scene.render(scene.pose_at(0.5, 0.45, 290))[0])
    s = GuidanceSettings()
    assert near.sharpness < min(s.face_min_sharpness, s.sharpness_relative_fraction * far.sharpness)  # the premise
    guide, arrived = Guide("face"), 1.5
    times = [i / 6 for i in range(60)]
    phases = {t: guide.step(far if t < arrived else near, UPRIGHT, now_s=t).phase for t in times}
    captured_at = min(t for t, phase in phases.items() if phase == "captured")
    assert captured_at - arrived < s.sharpness_memory_s - arrived - 0.5


def test_a_phone_tilted_past_the_face_is_straightened_on_a_real_photo(face_scene):
    """Leaning 50° back, the front camera looks over the head and the face mesh finds nothing:
    the phone's own tilt is what is said, and straightened, the face is in view."""
    pose = replace(face_scene.pose_at(0.5, 0.45, 430), pitch_deg=-50.0)
    with FaceAnalyzer() as analyzer:
        tilted = analyzer.observe(face_scene.render(pose)[0])
        straight = analyzer.observe(face_scene.render(replace(pose, pitch_deg=0.0))[0])
    assert not tilted.found and straight.found
    g = Guide("face").step(tilted, SensorReading(beta_deg=90.0 - 50.0), now_s=0.0)
    assert g.cue.message_id == "face.tilt_top_toward_you" and g.speak is not None


@pytest.mark.parametrize("centre_for_new_distance", [True, False])
def test_a_move_closer_with_the_phone_tilted_back_aims_where_the_face_will_be(face_scene, centre_for_new_distance):
    """A phone tilted 20° back looks up: the face sits low by distance × tan 20°, and coming closer
    takes part of that away. A far face centred now is told the vertical part with the distance,
    and following the cue exactly puts it within the capture criteria; the distance alone
    leaves it off-centre (the control, with the setting off)."""
    pose = replace(face_scene.pose_at(0.5, 0.45, 650), pitch_deg=-20.0)
    for _ in range(4):  # slide the phone until the face is centred in this tilted view
        truth = face_scene.render(pose)[1]
        pose = replace(pose, y_mm=pose.y_mm - (truth.center[1] - 0.45) * 640 * pose.distance_mm / face_scene.focal_px)
    assert abs(face_scene.render(pose)[1].center[1] - 0.45) < 0.01
    settings = GuidanceSettings(centre_for_new_distance=centre_for_new_distance)
    with FaceAnalyzer() as analyzer:
        g = Guide("face", settings=settings).step(analyzer.observe(face_scene.render(pose)[0]),
                                                  SensorReading(beta_deg=70.0), now_s=0.0)
    truth = face_scene.render(_follow_exactly(pose, g.cue))[1]
    centred = abs(truth.center[1] - 0.45) <= 0.12 and abs(truth.center[0] - 0.5) <= 0.12
    if centre_for_new_distance:
        assert g.cue.message_id == "face.move_up_closer_by" and centred and 0.30 <= truth.size <= 0.65
    else:
        assert g.cue.message_id == "face.move_closer_by" and not centred


def _held_at(scene, pose, analyzer, seconds=10.0, fps=6, seed=1):
    """Observations of ``pose`` held by a still hand: a 2 mm sway at 1.3 Hz and a 0.3 mm tremor at
    8 Hz, each frame with the camera's noise (3 grey levels) and JPEG at quality 70, as streamed."""
    rng, observed = np.random.default_rng(seed), []
    for i in range(int(seconds * fps)):
        t = i / fps
        sway = 2.0 * math.sin(2 * math.pi * 1.3 * t) + 0.3 * math.sin(2 * math.pi * 8 * t)
        frame = scene.render(replace(pose, x_mm=pose.x_mm + sway, y_mm=pose.y_mm + 0.7 * sway), timestamp_s=t)[0]
        noisy = np.clip(frame.pixels + rng.normal(0, 3.0, frame.pixels.shape), 0, 255).astype(np.uint8)
        jpeg = io.BytesIO()
        Image.fromarray(noisy).save(jpeg, "JPEG", quality=70)
        observed.append((analyzer.observe(Frame(np.asarray(Image.open(jpeg).convert("RGB")), t)), t))
    return observed


@pytest.mark.parametrize("photo", ["obama", "astronaut"])
def test_a_face_held_at_the_edge_of_the_centring_tolerance_does_not_flip(photo):
    """Held still just at the tolerance's edge, a face's centre wobbles by about 0.01 of the frame
    (sway, tremor, the camera's noise, JPEG). The cue stays "move": with no hysteresis it flips
    to "hold" and back a dozen times in 10 s, and with 0.05 of it the astronaut still flips."""
    scene = FaceScene(photo)
    tolerance = GuidanceSettings().face_center_tolerance_x
    with FaceAnalyzer() as analyzer:
        observed = _held_at(scene, scene.pose_at(0.5 + tolerance, 0.45, 450), analyzer)

    def flips(settings):
        guide = Guide("face", settings=settings)
        kinds = [guide.step(obs, UPRIGHT, now_s=t).cue.kind for obs, t in observed]
        return sum(a != b for a, b in zip(kinds, kinds[1:]))

    assert flips(GuidanceSettings(face_centre_by_room=False)) == 0
    assert flips(GuidanceSettings(face_centre_by_room=False, face_centre_hysteresis_fraction=0.0)) >= 10


@pytest.mark.parametrize("seed", [0, 1])
def test_a_card_a_little_smaller_than_the_guide_accepts_is_read_from_the_sdk_s_capture(seed):
    """The guide accepts a card down to ``card_min_coverage`` of its 480 x 640 stream; the SDK then
    captures at the camera's own size. A card at 0.9 of that coverage, captured at 720 x 960 (the
    same lens), must still give its name and ID number to read_document, and be seen as too far
    on the stream."""
    from barrierfree.vision.idcard.reader import read_document

    rng = np.random.default_rng(seed)
    person = cards.random_cn_person(rng, TODAY)
    coverage = 0.9 * GuidanceSettings().card_min_coverage
    stream = CardScene(cards.render_card(person, "front", px_per_mm=8, seed=seed),
                       table=cards.background("cloth", (480, 640), rng))
    # A card's share of the frame is (85.6 x 54 mm) (f / d)^2 / (w h), f = focal_px.
    distance = stream.focal_px * float(np.sqrt(85.6 * 54.0 / (coverage * 480 * 640)))
    observed = CardFinder().observe(stream.render(stream.pose_at(0.5, 0.5, distance))[0])
    assert observed.coverage == pytest.approx(coverage, rel=0.1)
    assert guide_one("card", observed, FLAT).cue.direction == "closer"
    capture = CardScene(cards.render_card(person, "front", px_per_mm=12, seed=seed), frame_size=(720, 960),
                        table=cards.background("cloth", (720, 960), rng))
    fields = read_document(capture.render(capture.pose_at(0.5, 0.5, distance))[0]).fields
    assert (fields.get("name"), fields.get("id_number")) == (person.name, person.id_number)
