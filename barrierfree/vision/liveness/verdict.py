"""The outcome of a liveness check: :class:`LivenessVerdict`.

A verdict lists every check that ran with its measured figure and the named
threshold it was held to, so a person or an auditor can see why it passed or
failed; ``reasons`` are message ids (``liveness.*``) that the guidance layer
turns into spoken and written cues in the user's language.

>>> check = Check("flash.sequence_correlation", 0.91, 0.75, ">=")
>>> check.passed, round(check.margin, 3)
(True, 0.213)
>>> verdict = LivenessVerdict.from_checks("flash", (check,), ())
>>> verdict.passed, verdict.to_dict()["checks"][0]["name"]
(True, 'flash.sequence_correlation')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

Comparison = Literal[">=", "<="]


@dataclass(frozen=True)
class Check:
    """One measured figure against its threshold (``figure`` None: could not be measured → fails)."""

    name: str
    figure: float | None
    threshold: float
    comparison: Comparison
    unit: str = ""

    @property
    def passed(self) -> bool:
        if self.figure is None or math.isnan(self.figure):
            return False
        return self.figure >= self.threshold if self.comparison == ">=" else self.figure <= self.threshold

    @property
    def margin(self) -> float:
        """How far past the threshold, relative to it (> 0 passes; -1 when unmeasured)."""
        if self.figure is None or math.isnan(self.figure):
            return -1.0
        scale = max(abs(self.threshold), 1e-3)
        gap = self.figure - self.threshold if self.comparison == ">=" else self.threshold - self.figure
        return gap / scale

    def to_dict(self) -> dict[str, Any]:
        figure = None if self.figure is None or math.isnan(self.figure) else round(float(self.figure), 4)
        return {"name": self.name, "figure": figure, "threshold": self.threshold,
                "comparison": self.comparison, "unit": self.unit, "passed": self.passed}


@dataclass(frozen=True)
class LivenessVerdict:
    """Passed or not, a score in 0..1 (0.5 at the weakest check's threshold), every check, and why.

    ``reasons`` is empty when it passed; otherwise each entry is a ``liveness.*``
    message id, most useful first (what the person can do about it).
    """

    mode: str  # "flash" | "active" | "passive"
    passed: bool
    score: float
    checks: tuple[Check, ...] = ()
    reasons: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_checks(
        cls, mode: str, checks: tuple[Check, ...], reasons: tuple[str, ...], details: dict[str, Any] | None = None
    ) -> LivenessVerdict:
        """Pass only when every check passes and nothing else was wrong (no checks never passes)."""
        failed_reasons = tuple(dict.fromkeys(reasons))
        passed = bool(checks) and all(c.passed for c in checks) and not failed_reasons
        weakest = min((c.margin for c in checks), default=-1.0)
        score = 0.5 + 0.5 * math.tanh(2.0 * weakest)
        if not passed:
            score = min(score, 0.49)
        return cls(mode, passed, round(score, 4), checks, failed_reasons, dict(details or {}))

    @classmethod
    def refused(cls, mode: str, *reasons: str, details: dict[str, Any] | None = None) -> LivenessVerdict:
        """A verdict for input that could not be checked at all (bad challenge, no frames...)."""
        return cls(mode, False, 0.0, (), tuple(dict.fromkeys(reasons)), dict(details or {}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "mode": self.mode,
            "score": self.score,
            "reasons": list(self.reasons),
            "checks": [c.to_dict() for c in self.checks],
            "details": self.details,
        }
