"""Earcons synthesised with NumPy: the right pitch, length, rhythm and pan."""

from __future__ import annotations

import numpy as np
import pytest

from barrierfree.errors import BadInput
from barrierfree.voice import earcons


def dominant_hz(samples: np.ndarray) -> float:
    mono = samples.mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono))
    return float(np.fft.rfftfreq(len(mono), 1 / earcons.SAMPLE_RATE)[spectrum.argmax()])


def onsets(samples: np.ndarray) -> int:
    """Sound onsets, on a 5 ms loudness envelope (a sine crosses zero every half period)."""
    block = int(0.005 * earcons.SAMPLE_RATE)
    usable = len(samples) // block * block
    loud = np.abs(samples[:usable]).max(axis=1).reshape(-1, block).max(axis=1) > 0.05
    return int(np.count_nonzero(loud[1:] & ~loud[:-1]) + loud[0])


def test_a_beep_is_80_ms_at_its_pitch():
    b = earcons.beep(880.0, 80)
    assert len(b) == int(0.08 * earcons.SAMPLE_RATE)
    assert dominant_hz(b) == pytest.approx(880.0, abs=15)


def test_beep_rate_follows_the_interval():
    far = earcons.beeps(1.0, 4.0)
    near = earcons.beeps(0.1, 4.0)
    assert onsets(far) == 4 and onsets(near) == 40


def test_pan_moves_the_sound_between_the_ears_with_equal_power():
    left, centre, right = (earcons.beep(660, 80, pan) for pan in (-1.0, 0.0, 1.0))
    assert np.abs(left[:, 1]).max() < 1e-9 < np.abs(left[:, 0]).max()
    assert np.abs(right[:, 0]).max() < 1e-9
    assert np.sum(centre**2) == pytest.approx(np.sum(left**2), rel=1e-6)


def test_chime_rises_and_wav_round_trips():
    chime = earcons.chime()
    thirds = np.array_split(chime, [int(0.12 * earcons.SAMPLE_RATE), int(0.24 * earcons.SAMPLE_RATE)])
    pitches = [dominant_hz(part) for part in thirds]
    assert pitches == sorted(pitches) and pitches[0] == pytest.approx(1046.5, abs=15)
    back = earcons.read_wav(earcons.to_wav(chime))
    assert back.shape == chime.shape and np.abs(back - chime).max() < 1e-3


def test_every_named_earcon_is_audible_and_distinct():
    sounds = {name: make() for name, make in earcons.EARCONS.items()}
    assert set(sounds) == {"searching", "lock", "shutter", "captured"}
    assert all(np.abs(s).max() > 0.1 for s in sounds.values())
    assert len({(len(s), round(dominant_hz(s))) for s in sounds.values()}) == 4


def test_bad_parameters_are_refused_clearly():
    with pytest.raises(BadInput):
        earcons.beep(5.0)
    with pytest.raises(BadInput):
        earcons.beep(660, 80, pan=2.0)
    with pytest.raises(BadInput):
        earcons.beeps(0.0, 1.0)
