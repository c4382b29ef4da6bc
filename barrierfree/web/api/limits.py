"""Rate limits per journey and per client, in fixed one-window counters.

Counters live in the process: under gunicorn each worker counts its own
share, so the effective limit is at most workers × the setting (stated in
the README). That is enough to stop a runaway client or a stuck loop in the
SDK without a shared store; a bank running many workers puts its gateway's
limiter in front.

>>> limiter = RateLimiter()
>>> [limiter.hit("j1", limit=2, window_s=60, now=0.0) for _ in range(3)]
[None, None, 60.0]
>>> limiter.hit("j1", limit=2, window_s=60, now=61.0) is None
True
"""

from __future__ import annotations

import threading

from barrierfree.errors import BarrierFreeError


class TooManyRequests(BarrierFreeError):
    status = 429
    exit_code = 2
    default_code = "too-many-requests"


class RateLimiter:
    """Counts hits per key in fixed windows; thread-safe."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def hit(self, key: str, *, limit: int, window_s: float, now: float) -> float | None:
        """Count one hit; ``None`` when allowed, else the seconds to wait."""
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= window_s:
                start, count = now, 0
            if count >= limit:
                return round(start + window_s - now, 1)
            if len(self._windows) >= self._max_keys:
                self._windows.clear()  # a flood of new keys must not grow memory without bound
            self._windows[key] = (start, count + 1)
            return None

    def check(self, key: str, *, limit: int, window_s: float, now: float, what: str) -> None:
        """:class:`TooManyRequests` with ``retry_after`` when ``key`` is over its limit."""
        wait = self.hit(key, limit=limit, window_s=window_s, now=now)
        if wait is not None:
            raise TooManyRequests(
                "too-many-requests", f"Too many requests for this {what}; wait {wait:g} s and try again.", retry_after=wait,
            )
