"""Pacing, hysteresis, auto-capture and offers of the Guide, on observation sequences."""

from __future__ import annotations

import random

import pytest

from barrierfree.accessibility.guidance import Guide
from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.voice.duration import speaking_time_s
from tests.guidance_helpers import card, face, outlined

FPS = 10
UPRIGHT = SensorReading(beta_deg=85.0)
#: A screen-reader user's brisk speech rate: every cue these tests expect is said in full within
#: the 1.5 s gap, so they see the pacing rules alone. At the default 160 words a minute a cue
#: also waits for the last one to end (test_a_cue_waits_until_the_last_one_has_been_said).
BRISK = Profile(speech_rate_wpm=450)
#: The fixed face centring box (``face_centre_by_room`` off): the pacing tests place faces against it
#: (tests/accessibility/test_guidance_face_room.py checks the room a face has).
BOX = GuidanceSettings(face_centre_by_room=False)


def run(guide, observations, sensors=UPRIGHT):
    """Step through observations at FPS; returns the Guidance list."""
    return [guide.step(obs, sensors, now_s=i / FPS) for i, obs in enumerate(observations)]


def spoken(guidances):
    return [(g.timestamp_s + g.speak.delay_s, g.speak.cue.message_id) for g in guidances if g.speak]


def test_an_unchanged_cue_is_said_once_then_repeated_every_four_seconds():
    out = run(Guide("face"), [face(center=(0.8, 0.45))] * (12 * FPS))
    times = [t for t, _ in spoken(out)]
    assert [m for _, m in spoken(out)] == ["face.move_left_by"] * 3
    assert times == pytest.approx([0.0, 4.0, 8.0])
    assert [g.speak.repeat for g in out if g.speak] == [False, True, True]


def test_never_more_than_one_utterance_per_one_and_a_half_seconds_on_random_input():
    rng = random.Random(7)
    for target in ("face", "card"):
        guide = Guide(target, BRISK)  # a brisk rate lets the guide speak as often as pacing allows
        obs = []
        for _ in range(60 * FPS):
            centre = (rng.uniform(0, 1), rng.uniform(0, 1))
            if target == "face":
                obs.append(face(center=centre, size=rng.uniform(0.1, 0.9), count=rng.choice([0, 1, 1, 1, 2]),
                                sharpness=rng.uniform(0, 200)))
            else:
                obs.append(card(center=centre, coverage=rng.uniform(0.05, 0.8), found=rng.random() > 0.2,
                                glare=rng.choice([0, 0, 0.2])))
        times = [t for t, _ in spoken(run(guide, obs, None))]
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert len(times) > 10 and min(gaps) >= 1.5 - 1e-9 and max(gaps) <= 2 * 4.0 + 0.2 + 1e-9  # never silent long
        assert len(times) <= 40  # at most 40 a minute


def test_a_cue_does_not_flip_between_two_frames():
    """Left/right alternating every frame (a jittery detection): the cue holds still."""
    obs = [face(center=(0.8 if i % 2 else 0.2, 0.45)) for i in range(40)]
    cues = [g.cue.message_id for g in run(Guide("face"), obs)]
    assert set(cues) == {cues[0]}


def test_a_new_cue_wins_once_it_persists():
    obs = [face(center=(0.8, 0.45))] * 10 + [face(center=(0.2, 0.45))] * 10
    cues = [g.cue.message_id for g in run(Guide("face"), obs)]
    assert cues[10] == "face.move_left_by"  # one frame is not enough
    assert cues[-1] == "face.move_right_by"


def test_hovering_on_the_tolerance_does_not_toggle_the_phase():
    """Centre at 0.5 + the tolerance ± 0.01: in without hysteresis half the time; here it stays out."""
    tolerance = GuidanceSettings().face_center_tolerance_x
    obs = [face(center=(0.5 + tolerance + (0.01 if i % 2 else -0.01), 0.45), sharpness=420) for i in range(30)]
    phases = [g.phase for g in run(Guide("face", settings=BOX), obs)]
    assert phases[1:] == ["adjusting"] * 29


def test_nothing_found_is_said_at_most_every_four_seconds_and_never_with_a_direction():
    out = run(Guide("face", BRISK), [face(count=0)] * (13 * FPS))
    said = spoken(out)
    assert [m for _, m in said] == ["face.searching"] + ["face.searching_again"] * 3
    assert [t for t, _ in said] == pytest.approx([0.0, 4.0, 8.0, 12.0])
    assert all(g.phase == "searching" and not g.detected for g in out)
    assert all(g.signal.mode == "searching" for g in out)


def test_no_directional_cue_is_spoken_on_a_frame_without_a_detection():
    # Seen off-centre, then lost: the cue is kept briefly, but only spoken on frames that saw the face.
    obs = [face(center=(0.8, 0.45))] + [face(count=0)] * 60
    out = run(Guide("face"), obs)
    for g in out[1:]:
        assert g.speak is None or g.speak.cue.kind == "searching"
    assert out[-1].phase == "searching"


def test_auto_capture_after_half_a_second_inside_tolerance_and_still():
    out = run(Guide("face"), [face()] * 10)
    phases = [g.phase for g in out]
    assert phases[:5] == ["hold_still"] * 5 and phases[5] == "captured"
    assert out[5].captured and out[5].signal.earcon == "captured" and out[5].signal.haptic == "captured"
    assert out[0].signal.earcon == "lock" and out[0].signal.mode == "steady"
    assert [g.captured for g in out].count(True) == 1


def test_the_timeout_multiplier_stretches_the_capture_dwell_and_pacing():
    out = run(Guide("face", Profile(timeout_multiplier=2)), [face()] * 20)
    assert [g.phase for g in out].index("captured") == 10
    out = run(Guide("face", Profile(timeout_multiplier=2)), [face(center=(0.8, 0.45))] * (17 * FPS))
    assert [t for t, _ in spoken(out)] == pytest.approx([0.0, 8.0, 16.0])


def test_motion_prevents_capture_and_asks_to_hold_still():
    obs = [face(center=(0.5 + (0.05 if i % 2 else -0.05), 0.45)) for i in range(30)]
    out = run(Guide("face"), obs)
    assert not any(g.captured for g in out)
    assert out[-1].cue.message_id == "face.hold_still"
    # The accelerometer confirms a smaller image motion (0.1 frame widths a second) ...
    drifting = [card(center=(0.5 + 0.01 * (i % 2), 0.5)) for i in range(20)]
    assert any(g.captured for g in run(Guide("card"), drifting, SensorReading(beta_deg=0.0, acceleration_m_s2=0.2)))
    assert not any(g.captured for g in run(Guide("card"), drifting, SensorReading(beta_deg=0.0, acceleration_m_s2=4.0)))
    # ... but a hand tremor alone, with a still and sharp picture, does not block the capture.
    tremor = run(Guide("card"), [card()] * 20, SensorReading(beta_deg=0.0, acceleration_m_s2=4.0))
    assert any(g.captured for g in tremor)


def test_captured_is_said_but_keeps_the_gap_after_the_previous_utterance():
    out = run(Guide("face", BRISK), [face()] * 10)
    assert out[0].speak.cue.message_id == "face.hold_there"
    assert out[5].speak.cue.message_id == "face.captured"
    assert out[5].timestamp_s + out[5].speak.delay_s == pytest.approx(1.5)
    assert all(g.speak is None for g in out[6:]) and all(g.phase == "captured" for g in out[6:])


def test_manual_capture_offered_after_thirty_seconds_and_human_help_after_repeated_failures():
    out = run(Guide("card", BRISK), [card(center=(0.9, 0.5))] * (61 * FPS), None)
    manual = [g.timestamp_s for g in out if g.speak and g.speak.cue.message_id == "guide.manual_capture_offer"]
    helps = [g for g in out if g.speak and g.speak.cue.message_id == "guide.human_help_offer"]
    assert len(manual) == 1 and 30.0 <= manual[0] < 32.0
    assert not out[299].manual_capture_offered and out[301].manual_capture_offered
    assert len(helps) == 1 and helps[0].timestamp_s >= 60.0 and dict(helps[0].speak.cue.params) == {"attempts": 2}
    assert helps[0].speak.cue.text("en").startswith("We have tried 2 times.")


def test_rejected_captures_count_as_failures_and_restart_the_guidance():
    guide = Guide("card")
    t = 0.0
    for _ in range(2):
        for _ in range(8):
            g = guide.step(card(), None, now_s=t)
            t += 0.1
        assert g.phase == "captured"
        guide.record_failure()
    g = guide.step(card(), None, now_s=t)
    assert g.phase == "hold_still" and g.human_help_offered and guide.failures == 2


def test_the_tones_are_explained_once_when_the_steady_tone_first_sounds():
    """On the journey's first camera step, "faster beeps: closer; a steady tone: hold still" is said
    instead of the first "hold it there" (the steady tone has just started), once, by a guide whose
    introduction is said (``introduce``). Not on a later step, with the tones off, with brief verbosity,
    up front, or by a guide whose introduction is not said."""
    def said(guide, introduce=True):
        """In place from the first frame (captured), then again after the capture was refused."""
        if introduce:
            guide.introduce(-10.0)  # said before the first frame, as the journey does
        out = []
        for i in range(80):
            g = guide.step(card(), None, now_s=i / FPS)
            out += [(g.timestamp_s, g.speak.cue.message_id)] if g.speak else []
            if g.captured:
                guide.record_failure()
        return out

    first = said(Guide("card", BRISK, expected_side="portrait"))
    assert first[0] == (0.0, "guide.tones_short") and [m for _, m in first].count("guide.tones_short") == 1, first
    assert said(Guide("card", BRISK, expected_side="portrait"), False)[0] == (0.0, "card.hold_there")
    for quiet in (Guide("card", BRISK, expected_side="portrait", explain_tones=False),
                  Guide("card", Profile(speech_rate_wpm=450, tones=False), expected_side="portrait"),
                  Guide("card", Profile(speech_rate_wpm=450, verbosity="brief"), expected_side="portrait"),
                  Guide("card", BRISK, GuidanceSettings(tones_when_first_needed=False), expected_side="portrait")):
        assert "guide.tones_short" not in [m for _, m in said(quiet)]
    assert "guide.tones_short" not in [m for _, m in said(Guide("card", BRISK, expected_side="portrait"), False)]

def test_the_introduction_depends_on_verbosity():
    detailed = GuidanceSettings(short_introduction=False)
    assert [c.message_id for c in Guide("face", settings=detailed).introduction()] == ["face.start", "guide.tones_explained"]
    assert [c.message_id for c in Guide("card", Profile(verbosity="normal"), detailed, expected_side="emblem").introduction()] \
        == ["card.start_emblem"]
    assert Guide("face", Profile(verbosity="brief")).introduction() == ()


def test_the_introduction_is_short_by_default_the_tones_explained_once_and_the_full_one_on_request():
    first = Guide("card", expected_side="portrait")  # the journey's first camera step
    later = Guide("face", explain_tones=False)
    # The tones are explained when the steady tone first sounds (see the next test), or first.
    assert [c.message_id for c in first.introduction()] == ["card.start_portrait.short"]
    upfront = GuidanceSettings(tones_when_first_needed=False)
    assert [c.message_id for c in Guide("card", settings=upfront, expected_side="portrait").introduction()] \
        == ["card.start_portrait.short", "guide.tones_short"]
    assert [c.message_id for c in later.introduction()] == ["face.start.short"]
    # The detailed words are always there on request, tones and all, whatever the step or verbosity.
    assert [c.message_id for c in later.introduction(full=True)] == ["face.start", "guide.tones_explained"]
    assert [c.message_id for c in Guide("face", Profile(verbosity="brief")).introduction(full=True)] \
        == ["face.start", "guide.tones_explained"]
    assert [c.message_id for c in Guide("face", Profile(tones=False), explain_tones=True).introduction()] == ["face.start.short"]
    # Short enough not to hold the first cue long: under 6 s at the journey's 160 words a minute for the face.
    said = sum(speaking_time_s(c.text("zh-CN"), "zh-CN", 160) for c in later.introduction())
    full = sum(speaking_time_s(c.text("zh-CN"), "zh-CN", 160) for c in later.introduction(full=True))
    assert said < 6.0 < full


STOPPED_SHORT = (
    [face(center=(0.85, 0.45))] * 10                                # 0.0-0.9 s: still, 10.9 cm right
    + [face(center=(0.85 - 0.025 * i, 0.45)) for i in range(1, 9)]  # 1.0-1.7 s: sliding to 0.65
    + [face(center=(0.65, 0.45))] * 30                              # then still, 4.7 cm short of the centre
)


def said_with_cm(guidances):
    return [(round(g.timestamp_s, 1), g.speak.cue.message_id, dict(g.speak.cue.params).get("cm"))
            for g in guidances if g.speak]


def test_a_person_who_stopped_short_hears_the_distance_left_without_waiting_for_the_repeat():
    """Told "about 10 cm left", the person moves 6 cm and stops: once they have been still for
    ``update_after_still_s`` they hear the rest ("about 5 cm"), not silence until the 4 s repeat;
    while they are moving nothing interrupts them."""
    said = said_with_cm(run(Guide("face", BRISK, GuidanceSettings(face_centre_by_room=False, learn_hand_gain=False)), STOPPED_SHORT))
    assert said[0] == (0.0, "face.move_left_by", 10)
    assert not [s for s in said if 0.0 < s[0] <= 1.7]  # not while moving
    assert said[1][1:] == ("face.move_left_by", 5) and said[1][0] == pytest.approx(1.7 + 0.8)
    assert len(said) == 2  # and then nothing new: the unchanged cue waits for its repeat


def test_the_guide_learns_how_far_this_person_moves_per_centimetre_said():
    """The same person went 6.2 cm for the 10 said (a gain of 0.62): the 4.7 cm left are said
    as 8, which for this hand is the right move. A person who overshoots hears less."""
    said = said_with_cm(run(Guide("face", BRISK, BOX), STOPPED_SHORT))
    assert said[:2] == [(0.0, "face.move_left_by", 10), (2.5, "face.move_left_by", 8)]
    # 10 said, 17.1 cm gone (a gain of 1.71): 6.2 cm past the centre. The way back is said as
    # soon as the hand has stopped (6 cm: nothing learnt yet, it has not been still for long);
    # once it has, the repeat says 4.
    overshooting = ([face(center=(0.85, 0.45))] * 10 + [face(center=(0.85 - 0.06875 * i, 0.45)) for i in range(1, 9)]
                    + [face(center=(0.30, 0.45))] * 45)
    said = said_with_cm(run(Guide("face", BRISK, BOX), overshooting))
    assert said == [(0.0, "face.move_left_by", 10), (1.9, "face.move_right_by", 6), (5.9, "face.move_right_by", 4)]
    plain = said_with_cm(run(Guide("face", BRISK, GuidanceSettings(face_centre_by_room=False, learn_hand_gain=False)), overshooting))
    assert plain[2] == (5.9, "face.move_right_by", 6)
    # The gain is only learnt from moves the person made the right way: a misheard move
    # (the face went further right) teaches nothing.
    misheard = ([face(center=(0.85, 0.45))] * 10 + [face(center=(0.85 + 0.01 * i, 0.45)) for i in range(1, 9)]
                + [face(center=(0.93, 0.45))] * 30)
    said = said_with_cm(run(Guide("face", BRISK, BOX), misheard))
    assert said[1][1:] == ("face.move_left_by", 15)  # 13.4 cm now needed, at a gain of 1: said to 5 cm



def test_a_jittering_distance_is_not_news_while_the_person_has_not_moved():
    """The detection wobbles between "9" and "10" centimetres while the person is still taking
    in the cue: that is the same instruction, said again only at the 4 s repeat."""
    obs = [face(center=(0.80 + (0.01 if i % 2 else 0.0), 0.45)) for i in range(50)]
    said = [(round(g.timestamp_s, 1), g.speak.cue.message_id) for g in run(Guide("face"), obs) if g.speak]
    assert [dict(g.cue.params)["cm"] for g in run(Guide("face"), obs)[:2]] == [9, 10]  # it really wobbles
    assert said == [(0.0, "face.move_left_by"), (4.0, "face.move_left_by")]


def test_a_swaying_hand_still_gets_its_capture_on_a_sharp_frame():
    """In place, but the hand's sway smears every third frame: the dwell keeps counting, and
    the capture is a sharp frame once it is over (it used to restart on every smeared frame)."""
    obs = [card(sharpness=400.0 if i % 3 == 2 else 3500.0) for i in range(40)]
    out = run(Guide("card"), obs, SensorReading(beta_deg=2.0, gamma_deg=1.0))
    captured = [i for i, g in enumerate(out) if g.captured]
    assert captured and obs[captured[0]].sharpness == 3500.0
    assert 0.5 <= captured[0] / FPS <= 0.7
    assert all(g.phase == "hold_still" for g in out[1:captured[0]])


def test_a_swaying_hand_is_not_a_move_and_teaches_nothing():
    """A sway of the hand (fast enough to count as motion) leaves the picture 2 % of its width
    further right while the person is still taking in "about 6 cm left": not a move, so no
    update with "7", no gain learnt; the cue comes again at its 4 s repeat, with the 7."""
    sway = ([face(center=(0.70, 0.45))] * 10 + [face(center=(0.70 + 0.01 * (i % 3), 0.45)) for i in range(5)]
            + [face(center=(0.72, 0.45))] * 30)
    said = said_with_cm(run(Guide("face", settings=BOX), sway))
    assert said == [(0.0, "face.move_left_by", 6), (4.0, "face.move_left_by", 7)]


def test_a_slanting_move_half_done_is_not_an_instruction_to_interrupt_with():
    """Told "about 9 cm left and 6 cm up", the person gets the left part done first: "up" alone
    is what is left of the same move, said once they stop, not while they are still moving."""
    slanting = ([face(center=(0.80, 0.30))] * 10                                          # still
                + [face(center=(0.80 - 0.0375 * i, 0.30 + 0.005 * i)) for i in range(1, 9)]  # left first
                + [face(center=(0.50, 0.34))] * 20)                                           # then still
    said = said_with_cm(run(Guide("face", BRISK, GuidanceSettings(face_centre_by_room=False, learn_hand_gain=False)), slanting))
    assert said[0] == (0.0, "face.move_left_up_by", 9)
    assert not [s for s in said if 0.0 < s[0] <= 1.7]
    assert said[1][1] == "face.move_up_by" and said[1][0] == pytest.approx(1.7 + 0.8)


def test_a_cue_waits_until_the_last_one_has_been_said():
    """Speech queues (speechSynthesis, a screen reader's live region): a cue started while the
    last is still being said is heard late, and stale. At the default 160 words a minute
    "手机左移10厘米。" takes about 2.5 s, so the way back is said after it, not 1.5 s in."""
    overshooting = ([face(center=(0.85, 0.45))] * 5 + [face(center=(0.85 - 0.11 * i, 0.45)) for i in range(1, 6)]
                    + [face(center=(0.30, 0.45))] * 40)
    default = [(t, m) for t, m in spoken(run(Guide("face", settings=BOX), overshooting))]
    brisk = [(t, m) for t, m in spoken(run(Guide("face", BRISK, BOX), overshooting))]
    assert [m for _, m in brisk[:2]] == [m for _, m in default[:2]] == ["face.move_left_by", "face.move_right_by"]
    assert brisk[1][0] == pytest.approx(1.5)  # 1.1 s to say at 450 words a minute: the plain gap
    assert default[1][0] == pytest.approx(speaking_time_s("手机左移10厘米。", "zh-CN", 160), abs=0.1)
    assert default[1][0] > 2.0  # well past the 1.5 s gap


def test_an_unchanged_cue_is_not_repeated_while_the_person_is_moving():
    """A repeat heard in the middle of a move is taken for a second instruction (the simulated
    users made the move twice): it waits until the person has been still for a moment."""
    wobble = [0.45, 0.48, 0.51, 0.54, 0.51, 0.48]  # up and down, 0.3 of the frame a second
    obs = ([face(center=(0.8, 0.45))] * 35
           + [face(center=(0.8, wobble[i % len(wobble)])) for i in range(25)]  # 3.5-5.9 s: moving
           + [face(center=(0.8, 0.45))] * 30)
    times = [t for t, _ in spoken(run(Guide("face", BRISK), obs))]
    assert times[0] == 0.0 and not [t for t in times if 0.0 < t < 6.0]
    assert times[1] == pytest.approx(5.9 + 0.8, abs=0.11)  # once still again
    still = [t for t, _ in spoken(run(Guide("face", BRISK), [face(center=(0.8, 0.45))] * 90))]
    assert still[:2] == [0.0, 4.0]  # the same cue, the person not moving: the plain 4 s repeat


def test_a_slow_move_far_from_the_face_is_still_a_move_when_it_smears_the_picture():
    """70 cm away a face is 0.2 of the frame wide: a move of 18 cm/s crosses 0.1 of the frame a
    second, under the motion limit, but smears the picture. The distance left is said once the
    person has stopped, not half-way (nor is the half-way point taken for where they stopped)."""
    far = ([face(center=(0.85, 0.45), size=0.2)] * 10
           + [face(center=(0.85 - 0.01 * i, 0.45), size=0.2, sharpness=100.0) for i in range(1, 21)]  # 1.0-2.9 s
           + [face(center=(0.65, 0.45), size=0.2)] * 30)
    said = said_with_cm(run(Guide("face", BRISK, GuidanceSettings(learn_hand_gain=False, say_distance_with_move=False)),
                            far))
    assert said[0][:2] == (0.0, "face.move_left_by")
    assert not [s for s in said if 0.0 < s[0] < 2.9 + 0.8]
    assert said[1][1:] == ("face.move_left_by", 10) and said[1][0] == pytest.approx(2.9 + 0.8)


def test_captured_is_not_held_back_until_a_long_cue_has_been_said():
    """At 160 words a minute "nothing found" takes about 9 s to say. The capture that follows is
    news that stays true: it goes in the speech queue after the 1.5 s gap (the queue plays it
    next), instead of being scheduled 9 s later and holding everything behind it."""
    out = run(Guide("card", Profile(language="en")), [card(found=False)] * 5 + [card()] * 10, None)
    assert out[0].speak.cue.message_id == "card.searching"
    captured = next(g for g in out if g.captured)
    assert captured.timestamp_s + captured.speak.delay_s == pytest.approx(1.5)


def test_a_different_move_waits_for_the_person_to_start_the_last_one():
    """Told "closer", the person is still taking it in while their hand drifts the face off to
    the side: "left" now would be done as well as "closer", not instead. It waits until they
    have had ``response_window_s`` (2 s) after hearing the first cue in full to start on it."""
    drift = ([face(center=(0.5, 0.45), size=0.2)] * 10
             + [face(center=(0.5 + 0.01 * i, 0.45), size=0.2) for i in range(1, 31)])  # 0.1 of the frame a second
    in_turn = GuidanceSettings(say_distance_with_move=False)  # else "left" goes with "closer", as the same move
    said = spoken(run(Guide("face", BRISK, in_turn), drift))
    first_ends = speaking_time_s(Guide("face").step(face(center=(0.5, 0.45), size=0.2), UPRIGHT, now_s=0.0)
                                 .speak.cue.text("zh-CN"), "zh-CN", 450)
    assert [m for _, m in said[:2]] == ["face.move_closer_by", "face.move_left_by"]
    assert said[1][0] == pytest.approx(first_ends + 2.0, abs=0.11)
    eager = spoken(run(Guide("face", BRISK, GuidanceSettings(response_window_s=0, say_distance_with_move=False)), drift))
    assert eager[1][1] == "face.move_left_by" and eager[1][0] < said[1][0] - 0.5


def test_a_tremor_that_smears_every_other_frame_is_not_a_moving_hand():
    """17 cm above a card a hand's tremor blurs every other frame (1-2 px) while the card stays
    where it is. That is a person keeping still: the unchanged cue comes again after 4 s, as for
    anyone still, not after the 8 s kept for someone on the move."""
    tremor = [card(center=(0.75 + (0.004 if i % 2 else -0.004), 0.5), coverage=0.2,
                   sharpness=400.0 if i % 2 else 1300.0) for i in range(10 * FPS)]
    said = spoken(run(Guide("card", BRISK), tremor, None))
    assert [m for _, m in said[:2]] == [said[0][1]] * 2 and said[0][1].startswith("card.move_")
    assert [t for t, _ in said[:2]] == pytest.approx([0.0, 4.0])


def test_a_target_lost_after_being_seen_is_said_to_be_lost_in_a_breath():
    """The whole set-up ("put it on a plain table, hold the phone flat, about 12 cm up, a little
    more than a hand's width") is for someone who has not found the card yet: 6 s of speech at
    300 words a minute. Someone whose card just slid out of the picture hears that it is lost."""
    for target, seen in (("card", card(center=(0.8, 0.5))), ("face", face(center=(0.8, 0.45)))):  # off-centre
        gone = card(found=False) if target == "card" else face(count=0)
        said = [m for _, m in spoken(run(Guide(target, BRISK), [seen] * 20 + [gone] * (9 * FPS), None))]
        lost = said.index(f"{target}.lost")
        assert said[lost:lost + 2] == [f"{target}.lost", f"{target}.searching_again"] and f"{target}.searching" not in said
        never_seen = [m for _, m in spoken(run(Guide(target, BRISK), [gone] * 10, None))]
        assert never_seen == [f"{target}.searching"]


def test_a_detection_jumping_between_two_outlines_is_not_a_hand_on_the_move():
    """Told to move, the person moves (three frames of the picture moving), stops short and holds
    still. The card's detected outline then jumps by 0.03 of the frame and back every other frame
    (a card cut off by a hair, extrapolated past the frame's edge one frame and not the next):
    single frames that move, never two in a row. The person is still, and hears what is left of
    their move 0.8 s after stopping, not the same cue again 8 s after the first."""
    def at(x_px):  # 230 px long in a 480 px frame: 10.8 % of the frame, about 18 cm above the card
        return outlined((x_px, 320), 230)
    obs = ([at(365)] * 15                          # 0.0-1.4 s: told, listening
           + [at(350), at(335), at(320)]           # 1.5-1.7 s: the move, stopped short
           + [at(320), at(320), at(334), at(334)] * 20)  # 1.8-9.7 s: holding still
    said = spoken(run(Guide("card", Profile(speech_rate_wpm=300, verbosity="normal")), obs, None))
    assert said[0][0] == 0.0 and said[0][1].endswith("_by")
    assert said[1][1] == said[0][1] and 1.7 + 0.8 - 1e-9 <= said[1][0] <= 3.0, said


def test_drift_while_the_person_takes_in_a_cue_is_not_their_move():
    """Told "about 10 centimetres to your left", the person listens and reacts for 3.5 s while
    their hand drifts the face a third of the way (0.03 of the frame a second, under any motion
    limit). That is not the move: nothing new is said until the 4 s repeat, and nothing is learnt
    of their hand (taken for the move, it taught a gain of 0.5 and doubled every later distance)."""
    drift = ([face(center=(0.85, 0.45))] * 5
             + [face(center=(0.85 - 0.0037 * i, 0.45)) for i in range(1, 36)]  # 0.5-4.0 s: 0.85 -> 0.72
             + [face(center=(0.72, 0.45))] * 20)
    said = said_with_cm(run(Guide("face", BRISK), drift))
    assert said[0] == (0.0, "face.move_left_by", 10)
    assert [s[0] for s in said[1:]] == [4.0]
    assert said[1][2] == 7  # what is left (0.22 of a 311 mm frame) at a gain of 1; at 0.5 it was 15


def test_nothing_found_waits_while_the_person_carries_out_the_last_cue():
    """Told to tilt the phone, the person does, and the face swings out of the picture for a
    moment: "lost" is not said while they may still be at it (``response_window_s`` after the
    tilt cue has been said in full), only after."""
    tilted = SensorReading(beta_deg=50.0)
    guide = Guide("face", BRISK)
    out = [guide.step(face(center=(0.5, 0.45)), tilted, now_s=0.0)]
    out += [guide.step(face(count=0), UPRIGHT, now_s=i / FPS) for i in range(1, 6 * FPS)]
    said = spoken(out)
    ends = speaking_time_s(out[0].speak.cue.text("zh-CN"), "zh-CN", 450)
    assert said[0] == (0.0, "face.tilt_top_toward_you_then_up_by")  # the face is above the phone: once upright, up
    assert said[1][1] == "face.lost" and said[1][0] == pytest.approx(ends + 2.0, abs=0.11)


def test_the_capture_is_one_of_the_sharpest_frames_of_the_dwell():
    """In place and still, but a tremor blurs some frames: the frame due at the end of the dwell
    is sharp enough for the bar (2000 of 1500) yet well short of its neighbours (3000). The
    capture waits one frame for a sharp one."""
    sharpness = [3000.0] * 5 + [2000.0] + [3000.0] * 10
    out = run(Guide("card", BRISK), [card(sharpness=v) for v in sharpness], None)
    captured = next(i for i, g in enumerate(out) if g.captured)
    assert captured == 6 and sharpness[captured] == 3000.0
    lenient = run(Guide("card", BRISK, GuidanceSettings(capture_sharpest_fraction=0.5)),
                  [card(sharpness=v) for v in sharpness], None)
    assert next(i for i, g in enumerate(lenient) if g.captured) == 5


def test_no_capture_while_the_target_glides_across_the_picture():
    """A hand gliding at 0.1 of the frame a second stays under the still limit and keeps every
    frame above the sharpness bar, yet blurs them by about 1.6 px at 1/30 s, on top of the
    tremor. In place all the while, the card is captured only once it has stopped."""
    glide = [card(center=(0.45 + 0.01 * i, 0.5)) for i in range(10)] + [card(center=(0.55, 0.5))] * 20
    out = run(Guide("card", BRISK), glide, None)
    assert all(g.phase == "hold_still" for g in out[1:10])
    captured = next(i for i, g in enumerate(out) if g.captured)
    assert 10 <= captured <= 10 + FPS * 0.5 + 1


def test_a_card_swaying_in_place_is_captured_on_a_sharp_frame():
    """A wrist's slow wobble (0.7 Hz) sways the card 0.04 of the frame either way. Its frames are sharp
    (as a still card's) only where the sway turns, the picture at rest for an instant, and there the
    half-second travel window has just seen it come 0.03-0.04 of the frame: on its way somewhere,
    by that window, though over two seconds it goes nowhere. It is captured on such a frame once
    the sway window has seen it go nowhere (it used to wait for ever: 42 s for a simulated user);
    with the setting off, it never is. Frames smeared by the sway are never the one captured."""
    import math

    def phase(i: int) -> float:
        return 2 * math.pi * 0.7 * i / FPS

    obs = [card(center=(0.5 + 0.04 * math.sin(phase(i)), 0.5),
                sharpness=2100.0 if abs(math.cos(phase(i))) < 0.3 else 500.0) for i in range(80)]
    out = run(Guide("card", BRISK), obs, SensorReading(beta_deg=2.0, gamma_deg=1.0))
    captured = [i for i, g in enumerate(out) if g.captured]
    assert captured and obs[captured[0]].sharpness == 2100.0
    assert 2.0 <= captured[0] / FPS <= 3.0
    off = run(Guide("card", BRISK, GuidanceSettings(card_capture_sharp_despite_sway=False)), obs,
              SensorReading(beta_deg=2.0, gamma_deg=1.0))
    assert not any(g.captured for g in off)


def test_a_face_only_passing_through_the_centre_is_not_told_to_hold_still():
    """Told "10 cm left", the hand sweeps the face through the centre at 0.3 of the frame a second
    and stops 0.2 past it. "Hold still", heard and acted on a second later, would stop the hand
    wherever it was by then: nothing is said while it passes, and the way back once it stops.
    Someone sliding the phone slowly into place hears it in time to stop there."""
    sweep = ([face(center=(0.85, 0.45))] * 10 + [face(center=(0.85 - 0.03 * i, 0.45)) for i in range(1, 19)]
             + [face(center=(0.31, 0.45))] * 30)
    said = spoken(run(Guide("face", BRISK, BOX), sweep))
    assert [m for _, m in said[:2]] == ["face.move_left_by", "face.move_right_by"]
    assert said[1][0] < 2.8 + 0.5  # right after it stopped (at 2.8 s), not a pacing gap after a "hold still"
    told = spoken(run(Guide("face", BRISK, GuidanceSettings(face_centre_by_room=False, quiet_while_passing=False)), sweep))
    # The control: a hold cue while it passes ("hold still" when the sweep is past a face photo's still
    # limit, "hold there" under it: 0.3 of the frame a second is under the face's 0.35).
    assert {"face.hold_still", "face.hold_there"} & {m for _, m in told}
    start = 0.5 + 1.5 * GuidanceSettings().face_center_tolerance_x  # off by half the tolerance again
    slide = [face(center=(start, 0.45))] * 10 + [face(center=(start - 0.005 * i, 0.45)) for i in range(1, 31)]
    assert spoken(run(Guide("face", BRISK, BOX), slide))[1][1] in ("face.hold_still", "face.hold_there")


def test_a_dwell_of_exactly_half_a_second_is_half_a_second_on_a_summed_clock():
    """A stream's clock is a running sum of frame intervals, and at 6 frames a second the sum
    drifts off the exact values (3.0 s reads 2.999999999999999 and 3.5 s 3.4999999999999987): a
    dwell that began at 3.0 s ends on the frame at 3.5 s, not a frame (1/6 s) later."""
    t, times = 0.0, []
    for _ in range(40):
        times.append(t)
        t += 1 / 6
    obs = [face(center=(0.8, 0.45))] * 18 + [face()] * 22  # in place from the frame at 3.0 s
    guide = Guide("face", BRISK)
    out = [guide.step(o, UPRIGHT, now_s=now) for o, now in zip(obs, times)]
    captured = next(i for i, g in enumerate(out) if g.captured)
    assert times[18] - 3.0 < 1e-9 and times[captured] - times[18] == pytest.approx(0.5)


def test_after_the_introduction_named_the_phone_moves_leave_it_out_unless_detailed():
    """A helper says once "I will tell you which way to move the phone", then "10 cm to your
    left": the phone goes without saying, and two words fewer is 0.3-0.4 s a cue at a
    screen-reader user's rate. The detailed profile (the default, for a first try) keeps the
    full words every time."""
    normal = [g.speak for g in run(Guide("face", Profile(speech_rate_wpm=450, verbosity="normal"), BOX), STOPPED_SHORT)
              if g.speak]
    assert [(u.cue.message_id, u.brief) for u in normal[:2]] == [("face.move_left_by", True), ("face.move_left_by", True)]
    assert normal[0].text("zh-CN") == "往左10厘米。" and normal[1].text("zh-CN") == "往左8厘米。"
    assert normal[0].to_dict("en")["text"] == "10 centimetres to your left." and normal[0].to_dict()["message_id"] == "face.move_left_by.brief"
    detailed = [g.speak for g in run(Guide("face", BRISK, BOX), STOPPED_SHORT) if g.speak]
    assert [u.brief for u in detailed[:2]] == [False, False]
    assert [u.text("zh-CN") for u in detailed[:2]] == ["手机左移10厘米。", "手机左移8厘米。"]


@pytest.mark.parametrize("language, phone", [("zh-CN", "手机往哪边移"), ("en", "which way to move the phone")])
@pytest.mark.parametrize("target, side", [("face", None), ("card", "portrait"), ("card", "emblem")])
@pytest.mark.parametrize("full", [False, True])
def test_every_introduction_says_the_moves_are_the_phones(language, phone, target, side, full):
    """The brief words ("往左10厘米") stand on the introduction having said whose move it is (short or full)."""
    guide = Guide(target, Profile(language=language, verbosity="normal"), expected_side=side)
    start = guide.introduction(full)[0]
    assert start.message_id.startswith(f"{target}.start") and phone in start.text(language)


def test_a_different_move_waits_until_the_person_has_finished_the_one_they_are_making():
    """Told "10 cm left", the person moves left and, on the way, a little closer: the face grows
    too big for the frame while they are still moving. "Farther" is said once their hand has
    stopped, not in the middle of the move, where it would be added to it; with
    ``finish_move_first`` off, it is said mid-move (the control)."""
    move = ([face(center=(0.85, 0.45))] * 10
            + [face(center=(0.85 - 0.035 * i, 0.45), size=0.45 + 0.02 * i) for i in range(1, 11)]  # 1.0-1.9 s
            + [face(center=(0.50, 0.45), size=0.65)] * 30)
    said = spoken(run(Guide("face", BRISK), move))
    assert said[1][1] == "face.move_farther_by" and said[1][0] >= 1.9 + 0.2
    eager = spoken(run(Guide("face", BRISK, GuidanceSettings(finish_move_first=False)), move))
    assert eager[1][1] == "face.move_farther_by" and eager[1][0] < 1.9


def test_a_move_said_just_after_still_looking_teaches_nothing_of_the_hand():
    """Nothing found, "still looking" said; the face comes into view and "about 10 cm left" is
    said 1.1 s after. Then the picture jumps 0.2 of the frame the right way: the person bringing
    the phone back over the face, as "still looking" asked, before they have even heard the move.
    Taken for the move, it taught a gain of 0.62 and the 4.7 cm left were said as "8"; it is not
    measured, and "5" is said."""
    obs = ([face(count=0)] * 30                                                  # 0.0-2.9 s
           + [face(center=(0.85, 0.45))] * 8                                     # 3.0-3.7 s: found
           + [face(center=(0.75, 0.45)), face(center=(0.65, 0.45))]              # 3.8-3.9 s: brought back
           + [face(center=(0.65, 0.45))] * 40)
    said = said_with_cm(run(Guide("face", BRISK, BOX), obs, None))
    assert said[0][1] == "face.searching"
    assert said[1] == (3.2, "face.move_left_by", 10)
    assert said[2][1:] == ("face.move_left_by", 5), said


def test_an_introduction_said_through_introduce_holds_the_first_cue_until_it_ends():
    guide = Guide("face", settings=GuidanceSettings(short_introduction=False))  # detailed, 160 wpm: about 19 s
    intro = guide.introduce(0.0)
    ends = sum(speaking_time_s(c.text("zh-CN"), "zh-CN", 160) for c in intro)
    out = run(guide, [face(center=(0.8, 0.45))] * int((ends + 2) * FPS))
    said = spoken(out)
    assert said and said[0][1] == "face.move_left_by"
    assert said[0][0] >= ends - 0.11
    # introduction() alone (a caller that does not say it) holds nothing back.
    assert spoken(run(Guide("face"), [face(center=(0.8, 0.45))] * 3))[0][0] == 0.0
    quiet = Guide("face", settings=GuidanceSettings(wait_for_introduction=False))
    quiet.introduce(0.0)
    assert spoken(run(quiet, [face(center=(0.8, 0.45))] * 3))[0][0] == 0.0
