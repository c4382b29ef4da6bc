"""A selfie with the phone tilted back: the move is measured for the phone once upright, and said
with the tilt in one cue (barrierfree/accessibility/guidance/upright.py), on a real photo seen by
a virtual front camera; and the simulated listeners carry out such a cue as their model says."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from barrierfree.accessibility.guidance.assess_face import assess_face
from barrierfree.accessibility.guidance.model import Cue
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.face import FaceAnalyzer
from testkit.blind_users.hand import Hand
from testkit.blind_users.held_out import FIRST_PART_ONLY, WaitingListener, draw_held_out
from testkit.blind_users.listener import Listener
from testkit.blind_users.people import draw_main, population
from testkit.scenes import FaceScene, PhonePose

S = GuidanceSettings()


@pytest.fixture(scope="module")
def scene():
    return FaceScene("obama")


def said_cm(cue: Cue) -> float:
    return float(dict(cue.params)["cm"])


@pytest.mark.parametrize(("below_mm", "tilt_deg"), [(200.0, 30.0), (150.0, 28.0), (250.0, 35.0)])
def test_a_phone_below_the_face_tilted_back_hears_upright_then_up_by_about_the_true_distance(scene, below_mm, tilt_deg):
    """The phone is ``below_mm`` under the face's spot and tilted back so it still sees the face:
    one cue, the tilt first, then the move up measured for the phone once upright. The true
    move is the scene's (``below_mm``); the tolerance is the one the upright moves are held to
    (a quarter, plus 2.5 cm). Upright at the same spot, the guide says the same move."""
    home = scene.pose_at(0.5, 0.45, 400)
    tilted = replace(home, y_mm=home.y_mm - below_mm, pitch_deg=-tilt_deg)
    with FaceAnalyzer() as analyzer:
        seen = analyzer.observe(scene.render(tilted)[0])
    with FaceAnalyzer() as analyzer:
        straight = analyzer.observe(scene.render(replace(tilted, pitch_deg=0.0))[0])
    assert seen.found
    first = assess_face(seen, SensorReading(beta_deg=90.0 - tilt_deg), S).cues[0]
    assert first.message_id == "face.tilt_top_toward_you_then_up_by" and first.direction == "up" and first.kind == "tilt"
    true_cm = below_mm / 10
    assert abs(said_cm(first) - true_cm) <= 0.25 * true_cm + 2.5, (true_cm, first)
    if straight.found:  # upright, the face may be cut off or out of the picture altogether
        upright_first = assess_face(straight, SensorReading(beta_deg=90.0), S).cues[0]
        assert upright_first.direction == "up" and abs(said_cm(upright_first) - said_cm(first)) <= 5.0


def test_the_tilt_alone_when_the_face_is_where_it_should_be_once_upright(scene):
    """Tilted back at the face's own height the face sits low in the picture; straightened, it is in
    place: the tilt is all there is to say (today's picture would have asked for a move down)."""
    home = scene.pose_at(0.5, 0.45, 400)
    with FaceAnalyzer() as analyzer:
        seen = analyzer.observe(scene.render(replace(home, pitch_deg=-28.0))[0])
    assert seen.found and seen.center[1] > 0.45 + S.face_center_tolerance_y  # low in today's picture
    cues = assess_face(seen, SensorReading(beta_deg=62.0), S).cues
    assert cues[0].message_id == "face.tilt_top_toward_you"
    assert not any(c.kind in ("off_centre", "partly_out") for c in cues)
    # Without the setting the move is measured on today's picture, and said after the tilt.
    as_it_is = assess_face(seen, SensorReading(beta_deg=62.0), GuidanceSettings(say_move_with_tilt=False)).cues
    assert as_it_is[0].message_id == "face.tilt_top_toward_you" and as_it_is[1].direction == "down"


COMBINED = Cue("face.tilt_top_toward_you_then_up_by", "tilt", 1, "up", (("cm", 20),))


def test_a_main_model_listener_straightens_the_phone_and_makes_the_move_in_one_go():
    person = replace(population(draw_main, 2026, 0, 1)[0], forget=0.0, flip=0.0, lr_confusion=0.0, axis_confusion=0.0)
    hand = Hand(PhonePose(distance_mm=400, pitch_deg=-35.0), person.shake, np.random.default_rng(1))
    listener = Listener(person, "face", "all", hand, None, np.random.default_rng(2))
    listener.cue(COMBINED, 0.0)
    assert hand.tilt_target is not None and hand.moving
    start = hand.pose.y_mm
    for i in range(200):
        hand.advance(i * 0.025, 0.025)
    assert abs(hand.pose.pitch_deg) < 10
    assert hand.pose.y_mm - start > 100  # went up (y up +), by about the 20 cm said times the person's gain


def test_a_held_out_listener_straightens_the_phone_first_and_moves_after_a_pause_or_not_at_all():
    person = replace(draw_held_out(np.random.default_rng(7), 7), forget=0.0, flip=0.0, turns_wrist=False)
    moved_at, only_tilt = [], 0
    for seed in range(40):
        hand = Hand(PhonePose(distance_mm=400, pitch_deg=-35.0), person.shake, np.random.default_rng(seed))
        listener = WaitingListener(person, "face", "all", hand, None, np.random.default_rng(100 + seed))
        listener.cue(COMBINED, 0.0)
        assert hand.tilt_target is not None and not hand.moving  # the tilt first, the move not yet
        started = None
        for i in range(200):
            t = i * 0.025
            listener.tick(t, False, False)
            if started is None and hand.moving:
                started = t
            hand.advance(t, 0.025)
        if started is None:
            only_tilt += 1
        else:
            moved_at.append(started)
    assert min(moved_at) >= 1.0 and max(moved_at) <= 2.6
    assert 0 < only_tilt < 40 * (FIRST_PART_ONLY + 0.25)


def _said_tilts(betas):
    """What a face guide says over 12 s of frames (10 a second) that find no face, the phone's
    tilt from ``betas(t)``, at 450 words a minute."""
    from barrierfree.accessibility.guidance import Guide
    from barrierfree.accessibility.profile import Profile
    from tests.guidance_helpers import face

    guide, said = Guide("face", Profile(speech_rate_wpm=450)), []
    for i in range(120):
        t = i / 10
        g = guide.step(face(count=0), SensorReading(beta_deg=betas(t)), now_s=t)
        if g.speak is not None:
            said.append((round(t, 1), g.speak.cue.message_id))
    return said


def test_a_tilt_not_acted_on_is_said_again_after_the_repeat_interval_even_with_no_face_in_view():
    """Tilted past the face, nothing is found; the person does not move the phone (forgot the cue):
    the sensor says the tilt has not begun, so the person is still, and the cue comes again after
    ``repeat_interval_s``, not after twice that. A phone being turned is left to finish the turn."""
    every = S.repeat_interval_s
    unheeded = _said_tilts(lambda t: 50.0)
    assert unheeded[:2] == [(0.0, "face.tilt_top_toward_you"), (every, "face.tilt_top_toward_you")]
    turning = _said_tilts(lambda t: 50.0 + min(t, 1.0) * 8.0)  # turned 8° in the first second, then not further
    assert [s for s in turning if s[0] < 2 * every] == [(0.0, "face.tilt_top_toward_you")]


def test_a_tilt_is_not_said_again_before_the_person_has_had_time_to_start_on_it():
    """At 160 words a minute "hold the phone upright, then move it 15 cm up" takes most of the
    repeat interval: the phone not turned yet is no sign the cue went unheeded until it has been
    heard in full and ``response_window_s`` has passed (a simulated user heard it again as it
    ended, made the move twice, and lost the face). Then it is, sooner than the twice-the-interval
    a swaying picture waits for."""
    from barrierfree.accessibility.guidance import Guide
    from barrierfree.accessibility.guidance.speech import Speech
    from barrierfree.accessibility.profile import Profile
    from tests.guidance_helpers import face

    profile = Profile(speech_rate_wpm=160)
    guide, said = Guide("face", profile), []
    for i in range(100):  # tilted 35° back below the face (upright, it is far above); the hand sways
        t = i / 10
        low = face(center=(0.5 + (0.02 if i % 2 else -0.02), 0.6), size=0.35)
        g = guide.step(low, SensorReading(beta_deg=55.0), now_s=t)
        if g.speak is not None:
            said.append((t, g.speak))
    first = said[0][1]
    assert first.cue.message_id.startswith("face.tilt_top_toward_you_then_")
    heard = Speech("zh-CN", profile, S).seconds_to_say(first.cue)
    assert heard + S.response_window_s > S.repeat_interval_s  # the premise: a repeat at the interval would come too soon
    again = [t for t, u in said[1:] if u.cue.message_id == first.cue.message_id]
    assert again and heard + S.response_window_s - 0.11 <= again[0] < 2 * S.repeat_interval_s
