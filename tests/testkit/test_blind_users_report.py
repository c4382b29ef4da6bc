"""Figures count failures: a guide cannot look faster by failing its slow users."""

from __future__ import annotations

from testkit.blind_users.judge import Verdict
from testkit.blind_users.report import summarise
from testkit.blind_users.session import Outcome


def _outcome(t, verdicts=()):
    return Outcome(t, tuple(verdicts), utterances=6, seconds=(t or 60.0) + 1.5, frames=10)


def test_p90_and_median_count_a_failure_as_sixty_seconds():
    good = Verdict(True, True)
    outcomes = [_outcome(5.0, [good])] * 5 + [_outcome(None)] * 5
    summary = summarise(outcomes)
    assert summary.p90_s == 60.0
    assert summary.median_s == 32.5  # half failed: the median sits between 5 s and 60 s
    assert (summary.within, summary.n) == (5, 10)


def test_capture_photos_are_counted_whether_or_not_the_session_succeeded():
    bad_read = Verdict(True, False, "misread:name")
    blurred = Verdict(False, False, "blurred")
    good = Verdict(True, True)
    summary = summarise([_outcome(20.0, [bad_read, good]), _outcome(None, [blurred])])
    assert (summary.captures, summary.meeting, summary.good) == (3, 2, 1)
    assert summary.utterances_per_min == 12 / ((21.5 + 61.5) / 60)


def test_the_time_after_the_introduction_is_reported_beside_the_whole_time():
    outcomes = [Outcome(20.0, (), 3, 21.5, 10, intro_s=12.0), Outcome(None, (), 3, 61.5, 10, intro_s=10.0)]
    summary = summarise(outcomes)
    assert summary.intro_s == 11.0 and summary.median_after_intro_s == (8.0 + 50.0) / 2
