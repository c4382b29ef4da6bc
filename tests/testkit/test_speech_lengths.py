"""A cue's simulated speaking time is the same whatever espeak-ng said before it (issue 24 item 5).

espeak-ng itself is not: rendered in one process after other sentences, the same sentence's
length changes (the first assertion shows the engine still does this, so the test below means
something); the simulation's lengths come from an untouched engine state and do not.
"""

from __future__ import annotations

import io
import wave

from barrierfree.voice.tts import default_speaker
from testkit.blind_users import speech_lengths

SENTENCES = ("手机往左移10厘米。", "好了，照片已经拍好。", "卡片没拍全，往右移一点。", "手机往下移15厘米，往左5厘米。")


def _length_here(text: str, rate_wpm: int) -> int:
    with wave.open(io.BytesIO(default_speaker().synthesize(text, "zh-CN", rate_wpm))) as wav:
        return wav.getnframes()


def test_espeak_in_one_process_gives_lengths_that_depend_on_what_it_said_before():
    lengths = set()
    for other in SENTENCES * 3:
        _length_here(other, 160)
        lengths.add(_length_here(SENTENCES[2], 274))
    assert len(lengths) > 1


def test_the_simulated_length_of_a_cue_does_not_depend_on_what_was_said_before():
    first = {(text, rate): speech_lengths.hearing_s.__wrapped__(text, rate) for text in SENTENCES for rate in (160, 274, 400)}
    for other in reversed(SENTENCES):  # another history: other sentences, other rates, in this process and the server
        _length_here(other, 200)
        speech_lengths.hearing_s.__wrapped__(other, 333)
    again = {(text, rate): speech_lengths.hearing_s.__wrapped__(text, rate) for text in reversed(SENTENCES) for rate in (400, 274, 160)}
    assert again == first
    assert 0.5 < first[(SENTENCES[0], 274)] < first[(SENTENCES[0], 160)] < 4.0  # slower speech takes longer
