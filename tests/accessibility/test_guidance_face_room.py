"""A face is centred by the room it has in the frame, not by a fixed box (``face_centre_by_room``, issue 24 item 6).

The still is for the face match and the liveness flash: neither needs the face centred, only wholly in
the photo with room around it. The guide's own box (0.16 x 0.12 of the frame either way) is that room at
the largest face it accepts; a smaller face has more, and the guide now lets it use it. What the loosened
tolerance lets through is checked here with the REAL engines: the face analyzer as the guide sees the
stream, and the photo taken there through the simulation's judge (the criteria and the real face-match
quality gates).
"""

from __future__ import annotations

import math

import pytest

from barrierfree.accessibility.guidance.assess_face import assess_face, face_room
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.frames import Frame
from testkit.blind_users.camera import STILL_SIZE, HeadScene, at_size
from testkit.blind_users.judge import Judge
from tests.guidance_helpers import face

UPRIGHT = SensorReading(beta_deg=88.0, gamma_deg=0.0)
S = GuidanceSettings()
BOX = GuidanceSettings(face_centre_by_room=False)


def _kinds(obs, settings=S):
    return [c.kind for c in assess_face(obs, UPRIGHT, settings).cues]


def test_a_smaller_face_has_more_room_and_the_largest_keeps_the_fixed_box():
    margin = S.face_frame_margin_fraction
    room = face_room(0.3, 0.45, (480, 640), (0.16, 0.12), S)
    assert room[0] == pytest.approx(0.5 - margin - 0.15) and room[1] == pytest.approx(0.45 - margin - 0.3 * 1.3 * 0.75 / 2)
    assert room[0] > 0.16 + 0.1 and room[1] > 0.12 + 0.1
    assert face_room(S.face_max_width_fraction, 0.45, (480, 640), (0.16, 0.12), S) == pytest.approx((0.16, 0.12), abs=0.01)
    assert face_room(0.62, 0.45, (480, 640), (0.16, 0.12), S) == (0.16, 0.12)  # never under the fixed box
    assert face_room(0.3, 0.45, (480, 640), (0.16, 0.12), BOX) == (0.16, 0.12)


def test_a_face_wholly_in_the_frame_with_room_is_held_not_moved():
    # 0.3 wide, centre 0.25 right of the middle: its edge 0.1 of the frame from the side. The fixed box said "move".
    obs = face(center=(0.75, 0.45), size=0.3)
    assert _kinds(obs) == [] and _kinds(obs, BOX) == ["off_centre"]
    # Nearer the edge than the margin: moved, and the move said is the whole way to the spot (about 9 cm here).
    near = assess_face(face(center=(0.82, 0.45), size=0.3), UPRIGHT, S).cues[0]
    assert near.kind == "off_centre" and near.direction == "left"
    assert dict(near.params)["cm"] == round(0.32 * S.face_width_mm / 0.3 / 10)
    # Up and down: the face's outline is taller than wide, so it has less room that way.
    assert _kinds(face(center=(0.5, 0.45 + 0.2), size=0.3)) == []
    assert _kinds(face(center=(0.5, 0.45 + 0.26), size=0.3)) == ["off_centre"]


def test_a_move_said_with_a_distance_still_aims_at_the_spot():
    # Too far and off by 0.2: one cue for both, centred for where the face will be.
    cues = assess_face(face(center=(0.70, 0.45), size=0.18), UPRIGHT, S).cues
    assert cues[0].message_id == "face.move_left_closer_by"


@pytest.mark.parametrize(("photo", "direction"), [("hopper", (1, 0)), ("obama", (-1, 0)), ("biden", (0, 1)),
                                                  ("astronaut", (0, -1))])
def test_the_face_at_the_edge_of_its_room_passes_the_real_face_match_gates(photo, direction):
    """The phone is slid sideways (or up, or down) from the spot until the guide, through the real face
    analyzer, first asks for a move; the last place it did not is photographed at the still's size and
    judged: the face wholly inside with the judge's margin, and through the real face-match gates."""
    settings = Settings()
    runtime = Runtime.from_settings(settings)
    scene = HeadScene(photo, seed=5)
    distance = 420.0
    last_held = None
    for step in range(30):
        offset = 0.02 * step
        cx, cy = 0.5 + direction[0] * offset, 0.45 + direction[1] * offset
        frame, _ = scene.render(scene.pose_at(cx, cy, distance), timestamp_s=0.0)
        analyzer = runtime.face_analyzer()
        try:
            obs = analyzer.observe(Frame(frame.pixels, 0.0))
        finally:
            analyzer.close()
        assert obs.found
        if "off_centre" in _kinds(obs, settings.guidance) or "partly_out" in _kinds(obs, settings.guidance):
            break
        last_held = (cx, cy)
    assert last_held is not None and last_held != (0.5, 0.45), "the sweep must leave the spot, or it proves nothing"
    assert step > 0 and step < 29, "the guide must ask for a move before the face leaves the frame"
    still = at_size(scene, STILL_SIZE)
    pixels, truth = still.render(still.pose_at(*last_held, distance), timestamp_s=0.0)
    verdict = Judge("face", settings).still(pixels.pixels, truth)
    assert verdict.good, (last_held, verdict.problem)


def test_a_face_is_not_captured_while_the_phone_is_still_being_straightened():
    """A face in its room on a phone still turning upright (its own tilt sensor, 15 degrees a second) is not
    captured; once the tilt stops, it is, after the dwell. A wrist's wobble (2 degrees at 0.7 Hz) does not hold it."""
    from barrierfree.accessibility.guidance import Guide

    fps = 10
    turning = [SensorReading(beta_deg=70.0 + 15.0 * i / fps) for i in range(12)]
    steady = [SensorReading(beta_deg=88.0)] * 10
    guide = Guide("face")
    phases = [guide.step(face(), r, now_s=i / fps).phase for i, r in enumerate(turning + steady)]
    assert "captured" not in phases[:len(turning)] and "captured" in phases[len(turning):]
    wobble = [SensorReading(beta_deg=88.0 + 2.0 * math.sin(2 * math.pi * 0.7 * i / fps)) for i in range(10)]
    guide = Guide("face")
    assert "captured" in [guide.step(face(), r, now_s=i / fps).phase for i, r in enumerate(wobble)]
    unchecked = Guide("face", settings=GuidanceSettings(face_max_still_turn_deg_per_s=0.0))
    assert "captured" in [unchecked.step(face(), r, now_s=i / fps).phase for i, r in enumerate(turning)]


def test_a_face_is_captured_on_a_frame_the_gate_takes_not_held_for_the_streams_sharpest():
    """One frame read 727 as the move stopped, the others 220-380 (a simulated user's): at the card's rule
    (0.85 of the sharpest of the last 3 s) the face waited 3.9 s in place. The face-match gate needs 20 (the
    guide's floor 25): the face is captured after the dwell. The card keeps its rule."""
    from barrierfree.accessibility.guidance import Guide

    fps = 8
    sharpness = [727.0] + [230.0, 370.0, 250.0] * 8
    frames = [face(sharpness=v) for v in sharpness]
    guide = Guide("face")
    phases = [guide.step(o, UPRIGHT, now_s=i / fps).phase for i, o in enumerate(frames)]
    assert phases.index("captured") == 4  # the dwell (0.5 s at 8 frames a second), on the first frame after it
    assert S.face_capture_min_sharpness >= Settings().face.match_min_sharpness
    strict = Guide("face", settings=GuidanceSettings(face_capture_sharpest_fraction=0.85))
    phases = [strict.step(o, UPRIGHT, now_s=i / fps).phase for i, o in enumerate(frames)]
    assert "captured" not in phases[:20]
