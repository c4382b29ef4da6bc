"""How long a sentence takes to say, estimated without synthesising it.

The guide must not start a cue while the last one is still being spoken: the
browser's ``speechSynthesis`` and a screen reader's live region both queue
speech, so a cue started too soon is heard late, and stale. Rendering every
cue with espeak-ng just to time it would cost far more than the guide's
per-frame budget, so the time is estimated from the text: Mandarin is read
syllable by syllable (one per character; a number of *n* digits in about *n*),
English word by word, and the time per unit scales as 1 / rate.

The constants were measured on espeak-ng 1.51 (voice ``sit/cmn-Latn-pinyin``
and ``en``) over the guidance prompts at 80-450 words a minute: 50 / rate
seconds per Mandarin syllable (measured 0.63 s at 80, 0.31 s at 160, 0.14 s
at 300) and 55 / rate seconds per English word (0.69 s at 80, 0.34 s at 160,
0.17 s at 300). A screen reader at the same rate is about as fast.

>>> round(speaking_time_s("手机往左移大约5厘米。", "zh-CN", 160), 2)
3.12
>>> round(speaking_time_s("Move the phone about 5 centimetres to your left.", "en", 160), 2)
3.09
"""

from __future__ import annotations

import re

#: Seconds × words-a-minute per Mandarin syllable and per English word (espeak-ng 1.51).
ZH_SECONDS_WPM_PER_SYLLABLE = 50.0
EN_SECONDS_WPM_PER_WORD = 55.0

_HAN = re.compile(r"[\u3400-\u9fff]")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W_]+")


def speaking_time_s(text: str, lang: str, rate_wpm: float) -> float:
    """Estimated seconds to say ``text`` in ``lang`` at ``rate_wpm`` words a minute (0 for no text)."""
    if rate_wpm <= 0:
        raise ValueError("rate_wpm must be positive")
    if lang.lower().startswith("zh"):
        units = len(_HAN.findall(text)) + len(_DIGIT.findall(text))
        return units * ZH_SECONDS_WPM_PER_SYLLABLE / rate_wpm
    return len(_WORD.findall(text)) * EN_SECONDS_WPM_PER_WORD / rate_wpm
