"""Earcons and the continuous guidance tone, synthesised with NumPy into WAV bytes.

Plain functions over float arrays ``(N, 2)`` (stereo, -1..1) at
:data:`SAMPLE_RATE`; :func:`to_wav` writes 16-bit PCM. Every sound has a
short raised-cosine fade in and out so that beeps do not click.

- :func:`beep`: one parking-sensor beep (about 80 ms) at a pitch and pan.
- :func:`beeps`: a stretch of beeps every ``interval_s`` (1.0 s far off .. 0.05 s on target).
- :func:`steady`: the steady "hold still" tone.
- :func:`searching`: a soft low double pulse, "looking, nothing found yet".
- :func:`lock`: two rising notes, "on target".
- :func:`shutter`: two short high clicks, a camera's shutter: "taking the photo" (a card's
  stills are then checked; the chime follows only when they are accepted).
- :func:`chime`: three rising notes (C6-E6-G6), "captured".

Pan uses an equal-power law; it is a help on headphones only (phone speakers
are mono), so nothing is carried by pan alone.

>>> wav = to_wav(chime())
>>> wav[:4], wav[8:12]
(b'RIFF', b'WAVE')
"""

from __future__ import annotations

import io
import math
import wave

import numpy as np

from barrierfree.errors import BadInput

SAMPLE_RATE = 22050
#: Peak level of every earcon (0..1), leaving headroom under speech.
LEVEL = 0.5
_FADE_S = 0.008


def _envelope(n: int) -> np.ndarray:
    fade = min(n // 2, int(_FADE_S * SAMPLE_RATE))
    env = np.ones(n)
    if fade > 0:
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0, math.pi, fade))
        env[:fade], env[n - fade:] = ramp, ramp[::-1]
    return env


def _pan(mono: np.ndarray, pan: float) -> np.ndarray:
    """Equal-power pan: -1 left, 0 centre, 1 right."""
    if not -1.0 <= pan <= 1.0:
        raise BadInput("bad-pan", "Pan must be between -1 (left) and 1 (right).")
    angle = (pan + 1) * math.pi / 4
    return np.column_stack([mono * math.cos(angle), mono * math.sin(angle)])


def tone(pitch_hz: float, seconds: float, pan: float = 0.0, level: float = LEVEL) -> np.ndarray:
    """A sine tone with soft harmonics (audible on small phone speakers), faded in and out."""
    if not (20.0 <= pitch_hz <= 10_000.0) or not (0.0 < seconds <= 60.0):
        raise BadInput("bad-tone", "A tone needs a pitch of 20–10 000 Hz and a length of up to 60 s.")
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    wave_ = np.sin(2 * math.pi * pitch_hz * t) + 0.3 * np.sin(4 * math.pi * pitch_hz * t)
    return _pan(level / 1.3 * wave_ * _envelope(len(t)), pan)


def silence(seconds: float) -> np.ndarray:
    return np.zeros((int(seconds * SAMPLE_RATE), 2))


def beep(pitch_hz: float = 660.0, ms: int = 80, pan: float = 0.0) -> np.ndarray:
    return tone(pitch_hz, ms / 1000, pan)


def beeps(interval_s: float, seconds: float, pitch_hz: float = 660.0, ms: int = 80, pan: float = 0.0) -> np.ndarray:
    """``seconds`` of beeps, one every ``interval_s``; beeps are shortened so they never overlap."""
    if not 0.01 <= interval_s <= 10.0:
        raise BadInput("bad-interval", "The beep interval must be 0.01–10 s.")
    length = min(ms / 1000, 0.6 * interval_s)
    one = np.concatenate([tone(pitch_hz, length, pan), silence(interval_s - length)])
    count = max(1, int(round(seconds / interval_s)))
    return np.concatenate([one] * count)


def steady(pitch_hz: float = 660.0, seconds: float = 0.5) -> np.ndarray:
    return tone(pitch_hz, seconds)


def searching(pitch_hz: float = 330.0) -> np.ndarray:
    return np.concatenate([tone(pitch_hz, 0.12, level=LEVEL * 0.6), silence(0.08), tone(pitch_hz, 0.12, level=LEVEL * 0.6)])


def lock(pitch_hz: float = 660.0) -> np.ndarray:
    return np.concatenate([tone(pitch_hz, 0.09), tone(pitch_hz * 1.5, 0.14)])


def shutter() -> np.ndarray:
    return np.concatenate([tone(2400.0, 0.025), silence(0.07), tone(1800.0, 0.035)])


def chime() -> np.ndarray:
    return np.concatenate([tone(1046.5, 0.12), tone(1318.5, 0.12), tone(1568.0, 0.3)])


#: One-shot earcons by name (the names :class:`~barrierfree.accessibility.guidance.Signal` uses).
EARCONS = {"searching": searching, "lock": lock, "shutter": shutter, "captured": chime}


def to_wav(samples: np.ndarray) -> bytes:
    """16-bit stereo PCM WAV bytes of ``samples`` ``(N, 2)`` in -1..1."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def read_wav(data: bytes) -> np.ndarray:
    """The samples of a 16-bit WAV as floats ``(N, channels)`` (for checks and mixing)."""
    with wave.open(io.BytesIO(data)) as wav:
        channels = wav.getnchannels()
        raw = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return raw.reshape(-1, channels).astype(np.float64) / 32767
