"""The simulation's pacing: frames wait for replies on the server path; the still follows the reply."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from testkit.blind_users.people import draw_legacy, draw_main, population
from testkit.blind_users.phone import SDK_FPS, Pacer, Path, frames_per_second
from testkit.blind_users.session import Conditions, Session
from testkit.blind_users.speech_lengths import hearing_s


def test_server_latency_is_drawn_around_the_round_trip_and_none_at_zero():
    pacer = Pacer(Path("server", 0.3), np.random.default_rng(1))
    latencies = [pacer.latency() for _ in range(2000)]
    assert 0.27 <= statistics.median(latencies) <= 0.33
    assert max(latencies) > 0.6  # stalls and the lognormal tail
    assert Pacer(Path("server", 0.0), np.random.default_rng(1)).latency() == 0.0


def test_device_path_costs_its_compute_time_and_no_network():
    pacer = Pacer(Path("device", rtt_s=0.8, compute_s=0.05), np.random.default_rng(2))
    latencies = [pacer.latency() for _ in range(500)]
    assert 0.045 <= statistics.median(latencies) <= 0.055
    assert max(latencies) < 0.2  # the 0.8 s round trip plays no part


def test_next_frame_waits_for_the_reply_and_slows_with_the_round_trip():
    pacer = Pacer(Path("server", 0.8), np.random.default_rng(3))
    assert pacer.next_grab(0.0, 0.9) >= 0.9
    assert pacer.next_grab(1.0, 1.01) >= 1.0 + 1 / SDK_FPS
    rng = np.random.default_rng(4)
    assert frames_per_second(Path("server", 0.0), 30, rng) == pytest.approx(SDK_FPS, rel=0.01)
    slow = frames_per_second(Path("server", 0.8), 60, rng)
    assert 0.6 < slow < 1.4  # one frame per reply: about 1 / 0.8 s, not 8 a second


def test_bad_paths_are_refused():
    with pytest.raises(ValueError):
        Path("cloud")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Path("server", rtt_s=-1)


@pytest.mark.slow
def test_in_a_session_frames_are_spaced_by_the_round_trip_and_the_still_is_taken_at_the_reply():
    person = population(draw_legacy, 2026, 301, 1)[0]
    fast = Session(person, "face", Conditions(Path("server", 0.0), read=False, limit_s=20), 301).run()
    slow = Session(person, "face", Conditions(Path("server", 0.8), read=False, limit_s=20), 301).run()
    assert statistics.median(np.diff(fast.grabs)) == pytest.approx(1 / SDK_FPS, abs=0.03)
    assert statistics.median(np.diff(slow.grabs)) > 0.6
    assert slow.still_at, "the slow session should reach a capture within 20 s"
    for still, frame in zip(slow.still_at, slow.frame_at):
        assert still - frame >= 0.2  # the still shows the scene when the reply came, not the judged frame
    for still, frame in zip(fast.still_at, fast.frame_at):
        assert still == pytest.approx(frame, abs=0.03)


@pytest.mark.slow
def test_main_model_people_listen_to_the_introduction_first():
    person = population(draw_main, 2026, 300, 1)[0]
    session = Session(person, "face", Conditions(Path("server", 0.0), read=False, limit_s=3), 300)
    session.run()
    said = sum(hearing_s(c.text("zh-CN"), person.listen_wpm) for c in session.guide.introduction())
    # The (short) introduction is said from the first reply, in full, before anything else.
    assert said > 1.0 and said <= session.intro_s <= said + 0.5 and session.speech_free >= session.intro_s
