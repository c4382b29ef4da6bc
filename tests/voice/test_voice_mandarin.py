"""Standard Mandarin tones in the voice: 一 and 不 sandhi, third-tone sandhi, every zh-CN prompt checked.

The reference is built here, independently of :mod:`barrierfree.voice.mandarin`:
each character's citation reading comes from pypinyin (its phrase dictionary
picks polyphones and neutral tones), and the textbook sandhi rules are applied
on top. pypinyin's own ``tone_sandhi`` option is not used for them: in 0.55 it
leaves 一 first tone before a fourth tone in another word (再试一次 comes out
yī cì) and counts third-tone runs only at the end of a word. What is compared
is espeak-ng's phoneme transcription of what the speaker really says.
"""

from __future__ import annotations

import re

import pytest
from pypinyin import Style, lazy_pinyin

from barrierfree.voice import prompts
from barrierfree.voice.mandarin import to_pinyin
from barrierfree.voice.tts import phonemes

#: espeak-ng's tone contours: 55 high, 35 rising, 214 dipping (21 before another syllable), 51 falling; level low/mid = neutral.
CONTOURS = {"55": 1, "35": 2, "214": 3, "21": 3, "51": 4, "11": 5, "22": 5, "33": 5, "44": 5}
_CONTOUR = re.compile(r"(214|55|35|51|21|11|22|33|44)(?![0-9])")
#: Prompt parameters, as words (numbers in Han numerals, so the reference reads them too).
PARAMETERS = {"cm": "三", "also_cm": "五", "attempts": "三", "requested": "法语"}
COUNTING = set("零一二三四五六七八九十百千万两第")


def spoken_tones(text: str) -> list[int]:
    """The tone of each syllable the voice says for ``text`` (1-4, 5 neutral)."""
    return [CONTOURS[c] for c in _CONTOUR.findall(phonemes(text, "zh-CN"))]


def han_numerals(text: str) -> str:
    """Whole numbers under 100 as Han numerals (as the voice reads them: 12 -> 十二, 30 -> 三十)."""
    digits = "零一二三四五六七八九"

    def number(match: re.Match) -> str:
        n = int(match.group())
        assert n < 100, "extend han_numerals"
        tens, ones = divmod(n, 10)
        return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (digits[ones] if ones or not tens else "")

    return re.sub(r"\d+", number, text)


def reference_tones(text: str) -> list[int]:
    """Standard Mandarin tones of ``text``'s Han characters: pypinyin's readings, then the sandhi rules.

    - 一: 2nd before a 4th/neutral tone, 4th before 1st-3rd; 1st when counting
      (after 第 or a numeral, before a numeral) or at a phrase end; neutral in X一X.
    - 不: 2nd before a 4th tone; neutral in X不X; else 4th.
    - A 3rd tone before another 3rd in the same phrase is said as a 2nd
      (in a run, all but the last: 我很好 wó hén hǎo).
    """
    tones: list[int] = []
    for phrase in re.findall(r"[\u3400-\u9fff]+", han_numerals(text)):
        cited = [int(s[-1]) for s in lazy_pinyin(phrase, style=Style.TONE3, neutral_tone_with_five=True)]
        said = list(cited)
        for i, han in enumerate(phrase):
            prev, nxt = phrase[i - 1] if i else "", phrase[i + 1] if i + 1 < len(phrase) else ""
            if han not in "一不":
                continue
            if prev and prev == nxt:
                said[i] = 5
            elif han == "一" and (not nxt or prev in COUNTING or nxt in COUNTING or prev + han in {"统一", "唯一", "之一"}):
                said[i] = 1
            else:
                said[i] = (2 if cited[i + 1] in (4, 5) else 4) if han == "一" else (2 if cited[i + 1] == 4 else 4)
        said = [2 if t == 3 and i + 1 < len(said) and said[i + 1] == 3 else t for i, t in enumerate(said)]
        tones += said
    return tones


@pytest.mark.parametrize(("text", "pinyin"), [
    ("手机往左移一点", "shǒu jī wáng zuǒ yí yì diǎn"),  # yì before a third tone; wǎng zuǒ -> wáng zuǒ
    ("再试一次", "zài shì yí cì"),
    ("不止一张脸", "bù zhǐ yì zhāng liǎn"),
    ("请不要动", "qǐng bú yào dòng"),
    ("第一个", "dì yī gè"),
    ("请把手机拿稳", "qíng bá shǒu jī ná wěn"),
    ("大约12厘米高", "dà yuē shí èr lí mǐ gāo"),
])
def test_the_voice_says_standard_mandarin_tones(text, pinyin):
    marks = {"ā": 1, "ī": 1, "ū": 1, "ē": 1, "ō": 1, "á": 2, "í": 2, "ú": 2, "é": 2, "ó": 2,
             "ǎ": 3, "ǐ": 3, "ǔ": 3, "ě": 3, "ǒ": 3, "à": 4, "ì": 4, "ù": 4, "è": 4, "ò": 4}
    expected = [next((marks[ch] for ch in syllable if ch in marks), 5) for syllable in pinyin.split()]
    assert spoken_tones(text) == expected, phonemes(text)
    assert reference_tones(text) == expected  # the reference agrees with the hand-written pinyin
    assert "(en)" not in phonemes(text)


def test_every_zh_cn_prompt_is_said_with_the_reference_tones():
    wrong = {}
    for message_id, text in prompts.catalog("zh-CN").items():
        words = text.format(**PARAMETERS)
        said, reference = spoken_tones(words), reference_tones(words)
        if said != reference:
            wrong[message_id] = (words, to_pinyin(words), "".join(map(str, said)), "".join(map(str, reference)))
    assert not wrong, wrong
