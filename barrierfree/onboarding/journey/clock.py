"""Step time limits that the person can always extend.

Every step has a limit (the base limit times the person's timeout
multiplier). Before it runs out a warning is due at least ``warning_lead_s``
ahead; extending adds the base limit again, as many times as
``max_extensions`` allows (at least 10, WCAG 2.2.1 asks for 10× or more).
A step whose limit has passed is not lost: it only refuses new input until
the person extends it, and then continues where it stopped.

Times are timezone-aware UTC ``datetime`` values; durations are seconds.

>>> from datetime import datetime, timezone, timedelta
>>> t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
>>> clock = StepClock(started_at=t0, limit_s=100.0, extensions=0, max_extensions=10, lead_s=30.0)
>>> clock.deadline - t0, clock.warn_at - t0
(datetime.timedelta(seconds=100), datetime.timedelta(seconds=70))
>>> clock.extended().deadline - t0
datetime.timedelta(seconds=200)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from barrierfree.errors import Conflict


@dataclass(frozen=True)
class StepClock:
    started_at: datetime
    #: The base limit of this step for this person, in seconds (already multiplied).
    limit_s: float
    extensions: int
    max_extensions: int
    #: The warning comes this many seconds before the deadline (or at the start if the limit is shorter).
    lead_s: float

    @property
    def deadline(self) -> datetime:
        return self.started_at + timedelta(seconds=self.limit_s * (1 + self.extensions))

    @property
    def warn_at(self) -> datetime:
        return max(self.started_at, self.deadline - timedelta(seconds=self.lead_s))

    @property
    def extensions_left(self) -> int:
        return self.max_extensions - self.extensions

    def expired(self, now: datetime) -> bool:
        return now >= self.deadline

    def extended(self) -> StepClock:
        """One more base limit; refused only when every extension is used."""
        if self.extensions_left <= 0:
            raise Conflict(
                "no-extensions-left",
                "This step's time has been extended the most times allowed; ask for human help or start again.",
            )
        return replace(self, extensions=self.extensions + 1)
