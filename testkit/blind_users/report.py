"""The figures of a set of sessions, with failures counted honestly.

A session that did not end with a good capture within the limit counts as the limit
(60 s) in the median and the p90, so a guide cannot look faster by failing its slow
users. Shares come with their counts (``k`` of ``n``) so the caller can print a 95 %
bound (``benchmarks/bounds.py``).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from collections.abc import Sequence

import numpy as np

from testkit.blind_users.session import LIMIT_S, Outcome


@dataclass(frozen=True)
class Summary:
    """Median and p90 time (failures as the limit), how many made it, how many capture photos were good."""

    n: int
    median_s: float
    p90_s: float
    within: int  # sessions with a good capture within the limit
    captures: int  # capture photos taken (every capture, good or not)
    meeting: int  # capture photos meeting the criteria
    good: int  # capture photos meeting the criteria and read right (card) / passing the gates (face)
    utterances_per_min: float
    intro_s: float  # mean time the introduction took to say (0 without one)
    median_after_intro_s: float  # median time from the end of the introduction, failures as the limit
    warned_misreads: int = 0  # card captures accepted with a wrong field, every wrong field flagged for the person
    silent_misreads: int = 0  # card captures accepted with a wrong field that carried no flag (issue 18's worst)

    @property
    def within_share(self) -> float:
        return self.within / self.n if self.n else math.nan


def times_with_failures(outcomes: Sequence[Outcome], limit_s: float = LIMIT_S) -> list[float]:
    """Each session's time to a good capture, a failure counted as ``limit_s``."""
    return [limit_s if o.time_s is None else o.time_s for o in outcomes]


def summarise(outcomes: Sequence[Outcome], limit_s: float = LIMIT_S) -> Summary:
    times = times_with_failures(outcomes, limit_s)
    verdicts = [v for o in outcomes for v in o.verdicts]
    seconds = sum(o.seconds for o in outcomes)
    return Summary(
        n=len(outcomes), median_s=statistics.median(times) if times else math.nan,
        p90_s=float(np.percentile(times, 90)) if times else math.nan,
        within=sum(o.time_s is not None for o in outcomes), captures=len(verdicts),
        meeting=sum(v.meets for v in verdicts), good=sum(v.good for v in verdicts),
        utterances_per_min=sum(o.utterances for o in outcomes) / (seconds / 60) if seconds else math.nan,
        intro_s=statistics.mean(o.intro_s for o in outcomes) if outcomes else math.nan,
        median_after_intro_s=statistics.median(t - o.intro_s for t, o in zip(times, outcomes)) if outcomes else math.nan,
        warned_misreads=sum(bool(v.warned) and not v.silent for v in verdicts),
        silent_misreads=sum(bool(v.silent) for v in verdicts),
    )


def silent_misreads(outcomes: Sequence[Outcome], first: int = 0) -> list[tuple[int, tuple[str, ...]]]:
    """``(user number, wrong fields with no flag)`` of every capture accepted with a silent misread."""
    return [(first + i, v.silent) for i, o in enumerate(outcomes) for v in o.verdicts if v.silent]
