"""Vibration patterns: four distinct sequential rhythms, each mirrored by a sound.

People tell sequential vibration patterns apart far better than simultaneous
ones or intensities, so each state of the guidance has its own rhythm, in the
``navigator.vibrate`` format (milliseconds: on, off, on, ...). iPhones have no
web vibration, so everything a pattern says is also said by sound: each
pattern names the sound that carries the same meaning (:data:`SOUND_OF`).

>>> sorted(PATTERNS)
['adjust', 'captured', 'on_target', 'searching']
>>> SOUND_OF["on_target"]
'steady'
"""

from __future__ import annotations

#: name -> (on, off, on, ...) in milliseconds.
PATTERNS: dict[str, tuple[int, ...]] = {
    # One long buzz: "I am looking, nothing found yet" (repeated with the searching sound).
    "searching": (400,),
    # One short tick, repeated at the beep interval: faster ticks = closer.
    "adjust": (50,),
    # Two quick ticks: "on target, hold still".
    "on_target": (40, 60, 40),
    # Long, short, long: "done".
    "captured": (250, 100, 80, 100, 250),
}

#: The signal mode (sound) that says the same as each pattern.
SOUND_OF: dict[str, str] = {
    "searching": "searching",
    "adjust": "beeping",
    "on_target": "steady",
    "captured": "chime",
}


def pattern(name: str) -> tuple[int, ...]:
    """The ``navigator.vibrate`` sequence of a named pattern."""
    return PATTERNS[name]


def total_ms(name: str) -> int:
    """How long a pattern takes to play, in milliseconds."""
    return sum(PATTERNS[name])
