"""The per-session trace puts each frame's interval in one bucket, so the buckets add up to the session."""

from __future__ import annotations

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
