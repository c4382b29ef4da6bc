"""Active liveness on faces warped from real photos: actions, message ids, timing, attacks."""

from __future__ import annotations

import random
import time

import pytest

from barrierfree.errors import BadInput
from barrierfree.settings.face import FaceSettings
from testkit import faces
from barrierfree.vision.face import FaceAnalyzer
from barrierfree.vision.liveness.active import ACTIONS, ActiveChallenge, ActiveSession, issue_active, verify_active
from barrierfree.vision.liveness.flash import InMemoryNonceStore
from tests import face_clips as clips


def challenge(*actions: str, session: str = "s-1") -> ActiveChallenge:
    now = time.time()
    return ActiveChallenge(f"n-{random.random()}", session, now, now + 120, actions)


def verify(ch, frames, **kwargs):
    return verify_active(ch, list(frames), store=InMemoryNonceStore(), **kwargs)


def test_issued_challenges_have_one_to_three_different_actions():
    for seed in range(40):
        issued = issue_active("s", rng=random.Random(seed))
        assert 1 <= len(issued.actions) <= 3
        assert len(set(issued.actions)) == len(issued.actions)
        assert set(issued.actions) <= set(ACTIONS)
        assert issued.message_ids == tuple(f"liveness.{a}" for a in issued.actions)
        assert ActiveChallenge.from_dict(issued.to_dict()) == issued


def test_edited_active_challenge_is_bad_input():
    doc = issue_active("s").to_dict()
    doc["actions"] = ["fly"]
    with pytest.raises(BadInput):
        ActiveChallenge.from_dict(doc)


def test_the_session_speaks_the_current_action_and_moves_on():
    ch = challenge("turn_left", "blink")
    session = ActiveSession(ch)
    said = []
    with FaceAnalyzer() as analyzer:
        for frame in clips.acting("obama", ("turn_left", "blink"), 1):
            said.append(session.update(analyzer.observe(frame)))
    assert said[0] == "liveness.hold_still"
    order = list(dict.fromkeys(said))
    assert order == ["liveness.hold_still", "liveness.turn_left", "liveness.blink", "liveness.done"]
    assert session.done and [a for a, _ in session.completed] == ["turn_left", "blink"]


@pytest.mark.parametrize("name,actions", [
    ("astronaut", ("turn_right", "open_mouth")),
    ("obama", ("turn_left", "blink")),
    ("biden", ("nod",)),
])
def test_a_live_person_doing_the_actions_passes(name, actions):
    verdict = verify(challenge(*actions), clips.acting(name, actions, 1))
    assert verdict.passed, verdict.to_dict()
    assert verdict.details["completed"] == list(actions)


def test_turning_the_wrong_way_does_not_count():
    verdict = verify(challenge("turn_left"), clips.acting("astronaut", ("turn_right",), 2))
    assert not verdict.passed and "liveness.action_not_done" in verdict.reasons


def test_a_recording_of_other_actions_fails():
    # A replay of someone answering another challenge (open mouth) while this one asks for turn right then open mouth.
    recording = clips.acting("astronaut", ("turn_right", "open_mouth"), 1)
    replay = faces.screen_replay(list(recording), seed=4)
    verdict = verify(challenge("open_mouth", "turn_right"), replay)
    assert not verdict.passed
    assert "liveness.screen_detected" in verdict.reasons
    # The order check on its own: the turn came before the mouth opened, so it does not count.
    assert "liveness.action_not_done" in verdict.reasons and verdict.details["completed"] == ["open_mouth"]
    straight = verify(challenge("open_mouth", "turn_right"), recording)  # the same recording, not through a screen
    assert not straight.passed and straight.reasons == ("liveness.action_not_done",)
    assert straight.details["completed"] == ["open_mouth"]
    assert verify(challenge("turn_right", "open_mouth"), recording).passed  # in the order it was recorded, it passes


def test_a_cut_to_another_face_fails():
    first = clips.acting("obama", ("turn_left", "blink"), 1)
    second = clips.acting("biden", ("turn_left", "blink"), 1)
    swapped = faces.face_cut(first, second, at_s=1.7)
    verdict = verify(challenge("turn_left", "blink"), swapped)
    assert not verdict.passed and "liveness.face_changed" in verdict.reasons


def test_time_windows_are_enforced_and_scale_with_the_users_multiplier():
    tight = FaceSettings(active_action_timeout_s=0.6)
    frames = clips.acting("obama", ("turn_left", "blink"), 1)
    slow = verify(challenge("turn_left", "blink"), frames, settings=tight)
    assert not slow.passed and "liveness.action_timeout" in slow.reasons
    extended = verify(challenge("turn_left", "blink"), frames, settings=tight, timeout_multiplier=4.0)
    assert extended.passed, extended.to_dict()
    assert ActiveSession(challenge("nod"), tight, timeout_multiplier=4.0).window_s == pytest.approx(2.4)


def test_static_frames_fail():
    frames = faces.static_frames(faces.prepare("astronaut"), 3.0, fps=10)
    verdict = verify(challenge("blink"), frames)
    assert not verdict.passed
    assert {"liveness.action_not_done", "liveness.static_picture"} <= set(verdict.reasons)


def test_expired_reused_and_other_session_challenges_are_refused():
    frames = clips.acting("biden", ("nod",), 1)
    expired = challenge("nod")
    assert verify_active(expired, list(frames), store=InMemoryNonceStore(), now=expired.expires_at + 1).reasons == ("liveness.challenge_expired",)
    store = InMemoryNonceStore()
    once = challenge("nod")
    assert verify_active(once, list(frames), store=store).passed
    assert verify_active(once, list(frames), store=store).reasons == ("liveness.challenge_reused",)
    other = verify_active(challenge("nod", session="a"), list(frames), "b", store=InMemoryNonceStore())
    assert other.reasons == ("liveness.challenge_other_session",)


def test_frames_out_of_order_fail():
    frames = list(clips.acting("biden", ("nod",), 1))
    frames[5], frames[15] = frames[15], frames[5]
    verdict = verify(challenge("nod"), frames)
    assert not verdict.passed and "liveness.frames_out_of_order" in verdict.reasons


def test_no_face_never_passes_and_says_so_while_streaming():
    import numpy as np

    from barrierfree.vision.frames import Frame

    empty = [Frame(np.full((640, 480, 3), 50, np.uint8), k / 10) for k in range(30)]
    verdict = verify(challenge("blink"), empty)
    assert not verdict.passed and "liveness.no_face" in verdict.reasons
    session = ActiveSession(challenge("blink"))
    with FaceAnalyzer() as analyzer:
        assert session.update(analyzer.observe(empty[0])) == "liveness.no_face"


@pytest.mark.parametrize("reason", sorted(clips.bad_clips()))
def test_every_bad_clip_gets_its_reason_never_a_pass(reason):
    settings = FaceSettings()
    verdict = verify(challenge("blink"), clips.bad_clips()[reason], settings=settings)
    assert not verdict.passed and reason in verdict.reasons, verdict.to_dict()
