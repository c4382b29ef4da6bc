"""A session's trace puts each frame's time where it went, and counts refusals and cues."""

from __future__ import annotations

from testkit.blind_users.trace import Step, merged, trace_of


def test_each_frame_counts_until_the_next_in_the_first_category_that_holds():
    steps = [Step(0.0, "searching", "card.searching", True, True),
             Step(4.0, "searching", "card.searching", False, True),  # another cue is being said
             Step(5.0, "adjusting", "card.move", False, False),
             Step(7.5, "hold_still", "card.hold_still", False, False),
             Step(8.0, "captured", "card.captured", False, False)]
    trace = trace_of(steps, 8.25, ["glare", "glare", "blurred"], ["card.move", "card.move", "card.hold_still"])
    assert dict(trace.seconds) == {"introduction": 4.0, "speech": 1.0, "searching": 0.0, "adjusting": 2.5,
                                   "hold_still": 0.5, "captured": 0.25}
    assert trace.refused == (("glare", 2), ("blurred", 1))
    assert trace.said == (("card.move", 2), ("card.hold_still", 1))
    assert "refused: glare ×2, blurred ×1" in trace.line()


def test_traces_add_up():
    one = trace_of([Step(0.0, "adjusting", "card.move", False, False)], 2.0, ["glare"], ["card.move"])
    both = merged([one, one])
    assert dict(both.seconds)["adjusting"] == 4.0 and both.refused == (("glare", 2),) and both.said == (("card.move", 2),)
