"""The per-session trace puts each frame's interval in one bucket, so the buckets add up to the session."""

from __future__ import annotations

import pytest

from testkit.blind_users.people import draw_main, population
from testkit.blind_users.phone import Path
from testkit.blind_users.session import Conditions, Session
from testkit.blind_users.trace import Step, breakdown, describe


def test_each_interval_goes_to_the_first_bucket_that_applies_and_they_add_up():
    steps = [Step(0.0, "adjusting", "face.tilt", busy=True, intro=True),
             Step(2.0, "adjusting", "face.move_up_by", busy=True, intro=False),
             Step(5.0, "searching", "face.searching", busy=False, intro=False),
             Step(6.0, "adjusting", "face.move_up_by", busy=False, intro=False),
             Step(8.0, "captured", "face.captured", busy=False, intro=False, refused="face-turned"),
             Step(8.5, "hold_still", "face.hold_still", busy=False, intro=False)]
    b = breakdown(steps, 10.0)
    assert b.seconds == {"introduction": 2.0, "speech": 3.0, "searching": 1.0, "centring": 2.0, "holding": 2.0}
    assert sum(b.seconds.values()) == 10.0
    assert b.refusals == ("face-turned",) and b.after_refusal_s == 2.0
    assert "face-turned 1" in describe([b])


@pytest.mark.slow
def test_a_real_session_records_a_step_per_reply_and_its_buckets_cover_the_session():
    person = population(draw_main, 2026, 300, 1)[0]
    outcome = Session(person, "face", Conditions(Path("server", 0.3), read=False, limit_s=8), 300).run()
    assert len(outcome.steps) >= outcome.frames - 1  # the last frame's reply may still be on its way
    end = outcome.time_s if outcome.time_s is not None else 8.0
    b = breakdown(outcome.steps, end)
    assert sum(b.seconds.values()) == pytest.approx(end - outcome.steps[0].t)
    assert b.seconds["introduction"] > 0 and outcome.intro_s > 0  # the main model hears the introduction
