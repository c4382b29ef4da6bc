"""Mandarin text as tone-numbered pinyin for espeak-ng's pinyin voice, with 一 and 不 tone sandhi.

espeak-ng's ``sit/cmn-Latn-pinyin`` voice reads Chinese characters from its
own dictionary and applies the third-tone sandhi itself (a third tone before
another becomes a second tone, across the phrase, on characters and pinyin
alike), but it reads 一 and 不 with their citation tones (一点 as yī diǎn where
Mandarin says yì diǎn) and gets some polyphones wrong (重复 as zhòng fù).
So the text it is given is pinyin with tone numbers: each character's reading
from pypinyin (a well-kept library with phrase-level readings and neutral
tones), then the 一 and 不 rules below; the voice adds the third-tone sandhi.

一 (yī): second tone before a fourth (or neutral) tone (一次 yí cì), fourth
before the others (一点 yì diǎn); first tone when counted or ordinal (第一,
十一, 一二三), at the end of a phrase, or in a word that ends in it (统一);
neutral between a doubled verb (看一看). 不 (bù): second tone before a fourth
(不要 bú yào), neutral in A-not-A (是不是), fourth otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HAN = re.compile(r"[\u3400-\u9fff]")
_NUMERALS = set("零〇一二三四五六七八九十百千万亿两")
#: Words that end in 一, which keeps its first tone there whatever follows (之一, 统一 ...).
_WORDS_ENDING_IN_YI = {"之一", "统一", "唯一", "万一", "单一", "专一", "划一", "如一", "归一", "合一"}


@dataclass(frozen=True)
class Syllable:
    """One character's reading: the character, the pinyin without tone, the tone (1-4, 5 neutral)."""

    han: str
    sound: str
    tone: int

    def __str__(self) -> str:
        return f"{self.sound}{self.tone}"


def readings(text: str) -> list[Syllable | str]:
    """Each Han character's reading (citation tones) and, unchanged, each run of other text."""
    from pypinyin import Style, pinyin  # half a second to load its dictionaries: only when Mandarin is spoken

    out: list[Syllable | str] = []
    for item in pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda chars: [chars]):  # type: ignore[arg-type, return-value]  # pypinyin takes a list here too
        token = item[0]
        match = re.fullmatch(r"([a-zü]+)([1-5])", token)
        if match is None:
            out.append(token)
        else:
            out.append(Syllable("", match.group(1), int(match.group(2))))
    # pinyin() gives one reading per Han character, in order: attach the characters.
    hans = iter(_HAN.findall(text))
    return [Syllable(next(hans), s.sound, s.tone) if isinstance(s, Syllable) else s for s in out]


def _sandhi(items: list[Syllable | str]) -> list[Syllable | str]:
    """The 一 and 不 rules of the module docstring, on one text's readings."""
    out = list(items)
    for i, item in enumerate(items):
        if not isinstance(item, Syllable) or item.han not in "一不":
            continue
        previous, following = items[i - 1] if i > 0 else None, items[i + 1] if i + 1 < len(items) else None
        before = previous if isinstance(previous, Syllable) else None
        after = following if isinstance(following, Syllable) else None
        out[i] = Syllable(item.han, item.sound, _tone(item.han, before, after))
    return out


def _tone(han: str, before: Syllable | None, after: Syllable | None) -> int:
    if after is not None and before is not None and before.han == after.han:
        return 5  # 看一看, 是不是
    if han == "不":
        return 2 if after is not None and after.tone in (4, 5) else 4
    ordinal = before is not None and (before.han == "第" or before.han in _NUMERALS)
    word_end = before is not None and before.han + han in _WORDS_ENDING_IN_YI
    if after is None or ordinal or word_end or after.han in _NUMERALS:
        return 1
    return 2 if after.tone in (4, 5) else 4


def to_pinyin(text: str) -> str:
    """``text`` with every Han character as tone-numbered pinyin (sandhi of 一 and 不 applied).

    >>> to_pinyin("手机往左移一点")
    'shou3 ji1 wang3 zuo3 yi2 yi4 dian3'
    >>> to_pinyin("请不要动，再试一次。")
    'qing3 bu2 yao4 dong4 ， zai4 shi4 yi2 ci4 。'
    """
    parts = [str(s) if isinstance(s, Syllable) else s.strip() for s in _sandhi(readings(text))]
    return " ".join(p for p in parts if p)
