"""Where a session's time goes: each frame's interval put in one bucket, and the refused captures.

Buckets (first that applies): ``introduction`` (it is still being said), ``speech``
(a cue is being said, or the person has heard one and not yet acted on it: the
guide is waiting on the speech queue and the person), ``searching`` (no target),
``centring`` (the guide is adjusting and nobody waits on speech), ``holding``
(in place, the dwell before the capture); ``refused`` counts capture stills the
face-match gates or the reader turned down, with the time from the first refusal
to the end. Cheap: the session records one :class:`Step` per frame anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BUCKETS = ("introduction", "speech", "searching", "centring", "holding")


@dataclass(frozen=True)
class Step:
    """One frame as the session saw it: when it was grabbed, the guide's phase and cue, what the
    phone was saying or waiting on (``busy``), and the capture verdict's problem if it captured."""

    t: float
    phase: str
    cue: str
    busy: bool
    intro: bool
    refused: str | None = None


@dataclass(frozen=True)
class Breakdown:
    """Seconds per bucket (:data:`BUCKETS`), the refusals' problems, and the seconds after the first."""

    seconds: dict[str, float]
    refusals: tuple[str, ...]
    after_refusal_s: float


def breakdown(steps: Sequence[Step], end_s: float) -> Breakdown:
    """Split ``[first frame, end_s)`` over the buckets by each frame's interval to the next."""
    seconds = dict.fromkeys(BUCKETS, 0.0)
    for step, until in zip(steps, [s.t for s in steps[1:]] + [end_s]):
        if step.intro:
            bucket = "introduction"
        elif step.busy:
            bucket = "speech"
        elif step.phase == "searching":
            bucket = "searching"
        elif step.phase in ("hold_still", "captured"):
            bucket = "holding"
        else:
            bucket = "centring"
        seconds[bucket] += max(0.0, until - step.t)
    refused = [s for s in steps if s.refused is not None]
    after = end_s - refused[0].t if refused else 0.0
    return Breakdown(seconds, tuple(s.refused for s in refused if s.refused), after)


def describe(breakdowns: Sequence[Breakdown]) -> str:
    """One line: mean seconds per bucket, refusals by problem, mean time after a first refusal."""
    n = max(1, len(breakdowns))
    parts = [f"{name} {sum(b.seconds[name] for b in breakdowns) / n:.1f}" for name in BUCKETS]
    problems: dict[str, int] = {}
    for b in breakdowns:
        for problem in b.refusals:
            problems[problem] = problems.get(problem, 0) + 1
    refused = ", ".join(f"{k} {v}" for k, v in sorted(problems.items())) or "none"
    return (f"mean s: {' | '.join(parts)}; refused: {refused}; "
            f"after a refusal {sum(b.after_refusal_s for b in breakdowns) / n:.1f}")
