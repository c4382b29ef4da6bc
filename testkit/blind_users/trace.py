"""Where one session's time went: the introduction, waiting for speech, searching, aligning, holding still,
and the captures refused and why (issue 24's card work: to see what makes a session slow before changing
the guide).

Each frame the phone grabs stands for the time until the next grab (the last one until the session's
end) and falls in the first of these that holds at its grab: the introduction is still being said;
another utterance is being said (the person waits for it to end before acting); else the guide's phase
(``searching``, ``adjusting`` = aligning, ``hold_still``, ``captured``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

#: The categories, in the order they are printed.
CATEGORIES = ("introduction", "speech", "searching", "adjusting", "hold_still", "captured")


@dataclass(frozen=True)
class Step:
    """One grabbed frame as the trace keeps it: when, the guide's phase and cue, and what was being said."""

    t: float
    phase: str
    cue: str
    introducing: bool
    speaking: bool

    @property
    def category(self) -> str:
        return "introduction" if self.introducing else "speech" if self.speaking else self.phase


@dataclass(frozen=True)
class Trace:
    """Seconds per category (:data:`CATEGORIES`), the refused captures' reasons, and the cues said."""

    seconds: tuple[tuple[str, float], ...]
    refused: tuple[tuple[str, int], ...]
    said: tuple[tuple[str, int], ...]

    def line(self) -> str:
        spent = " ".join(f"{name} {s:.1f}" for name, s in self.seconds)
        refused = ", ".join(f"{why} ×{n}" for why, n in self.refused) or "none"
        said = ", ".join(f"{cue} ×{n}" for cue, n in self.said)
        return f"{spent}; refused: {refused}; said: {said}"


def trace_of(steps: list[Step], end_s: float, refused: list[str], said: list[str]) -> Trace:
    """The trace of a session whose frames were ``steps`` and which ended at ``end_s``."""
    spent = dict.fromkeys(CATEGORIES, 0.0)
    for step, after in zip(steps, [s.t for s in steps[1:]] + [end_s]):
        spent[step.category] += max(0.0, after - step.t)
    return Trace(tuple(spent.items()), tuple(Counter(refused).most_common()), tuple(Counter(said).most_common()))


def merged(traces: list[Trace]) -> Trace:
    """Several sessions' traces added up."""
    spent: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    said: Counter[str] = Counter()
    for trace in traces:
        spent.update(dict(trace.seconds))
        refused.update(dict(trace.refused))
        said.update(dict(trace.said))
    return Trace(tuple((name, spent[name]) for name in CATEGORIES), tuple(refused.most_common()), tuple(said.most_common()))
