"""Durations on the stream's clock, measured the way a person would count them.

Frame times are sums of frame intervals in floating point (the browser's
``performance.now()`` deltas, or ``n / fps``): a dwell of exactly 0.5 s can
come out as 0.49999999999999 s, and a check for "at least 0.5 s" would then
wait a whole frame longer (1/8 s at the SDK's frame rate). Every duration the
guidance compares goes through :func:`lasted`, with a slack far below any
frame interval.
"""

from __future__ import annotations

#: Slack on every duration comparison, in seconds.
CLOCK_SLACK_S = 1e-6


def lasted(since: float, t: float, seconds: float) -> bool:
    """Whether ``seconds`` have passed from ``since`` to ``t`` (both in seconds on one clock).

    >>> 8.5 - 8.000000000000005 >= 0.5
    False
    >>> lasted(8.000000000000005, 8.5, 0.5)
    True
    >>> lasted(8.0, 8.49, 0.5)
    False
    """
    return t - since >= seconds - CLOCK_SLACK_S
