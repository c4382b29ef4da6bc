"""When repeated failures pause a step and offer human help.

After ``limit`` failed capture or liveness attempts within ``window_s``
seconds, the step pauses: the person is offered a signing agent from the
sign-language queue or a call-back rather than yet another retry.

>>> from datetime import datetime, timedelta, timezone
>>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
>>> fails = [t + timedelta(seconds=s) for s in (0, 30, 60, 90)]
>>> should_pause(fails, limit=5, window_s=180)
False
>>> should_pause(fails + [t + timedelta(seconds=170)], limit=5, window_s=180)
True
>>> should_pause(fails + [t + timedelta(seconds=200)], limit=5, window_s=180)
False
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta


def should_pause(failures: Sequence[datetime], *, limit: int, window_s: float) -> bool:
    """True when the last ``limit`` failures all fall within ``window_s`` seconds."""
    if len(failures) < limit:
        return False
    recent = sorted(failures)[-limit:]
    return recent[-1] - recent[0] <= timedelta(seconds=window_s)
