"""Bad input to the guide: absurd sensors, frames out of order, unknown language, wrong types."""

from __future__ import annotations

import math

import pytest

from barrierfree.accessibility.guidance import Guide
from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.errors import BadInput
from tests.guidance_helpers import card, face


@pytest.mark.parametrize("value", [math.nan, math.inf, 720.0, -400.0])
def test_absurd_sensor_values_are_ignored_and_noted_but_the_cue_still_comes(value):
    g = Guide("card").step(card(center=(0.85, 0.5)), SensorReading(beta_deg=value, gamma_deg=value,
                                                                    acceleration_m_s2=value, ambient_lux=value), now_s=0)
    assert "sensor-beta-ignored" in g.notes and "sensor-gamma-ignored" in g.notes
    assert g.speak.cue.message_id == "card.move_right"  # treated as unknown posture (flat), not as a 720° tilt


def test_a_plausible_sensor_value_is_used():
    g = Guide("card").step(card(), SensorReading(beta_deg=40.0), now_s=0)
    assert g.notes == () and g.cue.message_id == "card.tilt_lower_top"


def test_a_frame_out_of_order_says_nothing_and_changes_nothing():
    guide = Guide("face")
    a = guide.step(face(center=(0.8, 0.45)), None, now_s=1.0)
    old = guide.step(face(center=(0.2, 0.45)), None, now_s=0.5)
    assert old.notes == ("frame-out-of-order",) and old.speak is None and old.cue == a.cue
    later = guide.step(face(center=(0.8, 0.45)), None, now_s=1.1)
    assert later.cue.message_id == "face.move_left_by" and later.notes == ()


def test_unknown_language_falls_back_to_chinese_and_says_so_first():
    guide = Guide("face", Profile(language="fr-FR"))
    first = guide.step(face(count=0), None, now_s=0.0)
    assert first.language == "zh-CN" and "language-fallback" in first.notes
    assert first.speak.cue.message_id == "guide.language_fallback"
    assert first.to_dict()["speak"]["text"] == "抱歉，暂不支持fr-FR，下面继续用中文。"
    # ... and the searching cue is not lost: it follows as soon as pacing allows.
    later = [guide.step(face(count=0), None, now_s=t / 10) for t in range(1, 60)]
    assert [g.speak.cue.message_id for g in later if g.speak] == ["face.searching"]


def test_wrong_observation_type_and_missing_time_are_clear_errors():
    with pytest.raises(BadInput, match="needs a CardObservation"):
        Guide("card").step(face(), None, now_s=0)
    with pytest.raises(BadInput, match="Give the frame's time"):
        Guide("face").step(face(), None)
    with pytest.raises(BadInput, match="finite"):
        Guide("face").step(face(), None, now_s=math.nan)
    with pytest.raises(BadInput, match="Target must be one of"):
        Guide("passport")
    assert Guide("face").step(face(t=3.0), None).timestamp_s == 3.0  # the observation's own time


@pytest.mark.parametrize("bad", [{"timeout_multiplier": 0.5}, {"timeout_multiplier": math.nan},
                                 {"speech_rate_wpm": 5}, {"verbosity": "chatty"}, {"colour": "red"}, {"language": ""}])
def test_bad_profiles_are_refused_clearly(bad):
    with pytest.raises(BadInput) as error:
        Profile.from_dict(bad)
    assert error.value.code == "bad-profile"


def test_nan_in_an_observation_does_not_crash_or_steer():
    g = Guide("face").step(face(center=(0.5, 0.45), sharpness=math.nan, exposure=math.nan), None, now_s=0)
    assert g.phase == "hold_still"
