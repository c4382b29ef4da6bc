"""The continuous signal (beep rate, pitch, pan, steady tone, chime) and the haptic patterns."""

from __future__ import annotations

import json

from barrierfree.accessibility import haptics
from barrierfree.accessibility.guidance import Guide
from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.settings.guidance import GuidanceSettings
from tests.guidance_helpers import card, face

UPRIGHT = SensorReading(beta_deg=85.0)


def first(obs, target="face", camera=None, profile=None, reading=UPRIGHT, settings=None):
    return Guide(target, profile, camera=camera, settings=settings).step(obs, reading, now_s=0.0)


def test_beeps_speed_up_from_one_second_far_off_to_fifty_ms_on_target():
    # Off by 4.9, 4, 3, 2 and 1.4 tolerances: at the face's own tolerance (0.16) 4.9 of them is past the edge.
    tenth = GuidanceSettings(face_centre_by_room=False, face_center_tolerance_x=0.10)
    intervals = [first(face(center=(x, 0.45)), settings=tenth).signal.interval_s for x in (0.99, 0.9, 0.8, 0.7, 0.64)]
    assert intervals == sorted(intervals, reverse=True) and len(set(intervals)) == 5
    assert intervals[0] > 0.6 and intervals[-1] < 0.3
    far = first(face(center=(0.99, 0.02), size=0.1)).signal
    assert far.interval_s == 1.0 and far.mode == "beeping" and far.beep_ms == 80
    on = first(face()).signal
    assert on.mode == "steady" and on.interval_s == 0.05 and on.closeness == 1.0


def test_pitch_rises_when_the_phone_must_go_up_and_pan_points_where_it_must_go():
    up, down = first(face(center=(0.5, 0.1))).signal, first(face(center=(0.5, 0.85))).signal
    assert up.pitch_hz > 660 > down.pitch_hz
    assert up.vertical > 0 > down.vertical
    # Front camera, face on the image's right: move left, so the sound comes from the left.
    assert first(face(center=(0.85, 0.45))).signal.pan < 0
    assert first(face(center=(0.15, 0.45))).signal.pan > 0
    # Back camera, card on the image's right: move right, sound from the right.
    assert first(card(center=(0.85, 0.5)), "card", reading=None).signal.pan > 0
    assert first(card(center=(0.15, 0.5)), "card", reading=None).signal.pan < 0


def test_pan_is_never_the_only_carrier_of_left_and_right():
    g = first(face(center=(0.85, 0.45)))
    assert g.signal.pan < 0 and g.cue.direction == "left" and g.speak.cue.direction == "left"


def test_four_distinct_sequential_haptic_patterns():
    patterns = haptics.PATTERNS
    assert 3 <= len(patterns) <= 4
    assert len(set(patterns.values())) == len(patterns)
    assert len({len(p) for p in patterns.values()}) >= 3  # rhythms differ in the number of pulses, not only length


def test_everything_the_haptics_say_is_also_said_by_sound():
    guide = Guide("face")
    obs = [face(count=0)] * 5 + [face(center=(0.8, 0.45))] * 10 + [face()] * 10
    seen = set()
    for i, o in enumerate(obs):
        g = guide.step(o, UPRIGHT, now_s=i / 10)
        if g.signal.haptic:
            seen.add(g.signal.haptic)
            sound = haptics.SOUND_OF[g.signal.haptic]
            assert sound == g.signal.mode or (sound == "chime" and g.signal.earcon == "captured"), g
    assert seen == set(haptics.PATTERNS)


def test_profile_switches_tones_and_haptics_off_but_never_speech_text():
    g = first(face(center=(0.85, 0.45)), profile=Profile(tones=False, haptics=False, screen_reader=True))
    assert g.signal.mode == "silent" and g.signal.haptic is None and g.signal.earcon is None
    assert g.self_voice is False  # the screen reader reads the live region instead
    assert g.to_dict()["speak"]["text"] == "手机左移10厘米。"


def test_guidance_is_plain_json_for_the_sdk():
    g = first(card(center=(0.85, 0.5)), "card", profile=Profile(language="en"), reading=None)
    doc = json.loads(json.dumps(g.to_dict()))
    assert doc["phase"] == "adjusting" and doc["cue"]["id"] == "card.move_right"
    assert doc["speak"]["text"] == "Move the phone a little to your right."
    assert set(doc["signal"]) >= {"mode", "interval_s", "beep_ms", "pitch_hz", "pan", "haptic", "earcon"}
    assert haptics.pattern(doc["signal"]["haptic"]) == (50,)


def test_the_beeps_never_say_on_target_while_a_placement_cue_says_move():
    """A card cut off by the edge with its centre and area in tolerance: the cue says "move",
    so the beeps must not be at their fastest (the simulated users stopped there)."""
    g = Guide("card").step(card(center=(0.55, 0.5), cut={"right"}), None, now_s=0.0)
    assert g.cue.kind == "partly_out"
    assert g.signal.closeness < 1.0 and g.signal.interval_s > GuidanceSettings().beep_interval_near_s
