"""Offline speech: Mandarin pronounced with tones, a cache, prompt packs, unspeakable text."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from barrierfree.errors import BadInput
from barrierfree.voice import prompts
from barrierfree.voice.cache import CachedSpeaker, prerender_pack, speak_or_fallback
from barrierfree.voice.mandarin import to_pinyin
from barrierfree.voice.tts import default_speaker, is_silent, phonemes

#: espeak-ng's Mandarin tone contours: 55 high level, 35 rising, 214 / 21 dipping, 51 falling.
SYLLABLE_WITH_TONE = re.compile(r"[a-zA-Z@:;'.]+(55|35|214|21|51)N?n?_")


def espeak_x(voice: str, text: str) -> str:
    return subprocess.run(["espeak-ng", "-q", "-x", "-v", voice, text], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("text", "tones"), [
    # shǒu jī wáng zuǒ yí yì diǎn: 一 is yì before a third tone; third-tone sandhi (wǎng zuǒ -> 35 21)
    # and half-thirds (21) applied.
    ("手机往左移一点", ["21", "55", "35", "21", "35", "51", "214"]),
    # qǐng ná wěn
    ("请拿稳", ["21", "35", "214"]),
])
def test_the_pinyin_voice_speaks_mandarin_with_tones(text, tones):
    out = phonemes(text, "zh-CN")
    assert "(en)" not in out, "no switch to English"
    assert re.findall(r"(55|35|214|21|51)N?n?_", out) == tones
    assert espeak_x("sit/cmn-Latn-pinyin", to_pinyin(text)).strip() == out  # the library uses that voice


@pytest.mark.parametrize("voice", ["cmn", "zh", "sit/cmn"])
def test_the_cmn_and_zh_voices_of_espeak_151_do_worse(voice):
    """They switch to English for many characters and lose the tone of each syllable."""
    text = "手机往左移一点"
    good = len(SYLLABLE_WITH_TONE.findall(espeak_x("sit/cmn-Latn-pinyin", text)))
    bad_out = espeak_x(voice, text)
    assert good == len(text)
    assert "(en)" in bad_out and len(SYLLABLE_WITH_TONE.findall(bad_out)) < good


def test_every_chinese_prompt_is_voiced_without_falling_back_to_english():
    for message_id, text in prompts.catalog("zh-CN").items():
        if message_id.startswith(("face.", "card.", "guide.")):
            for cm in (3, 15):  # distances are digits in the text: they must be read in Chinese too
                out = phonemes(text.format(requested="fr", attempts=2, cm=cm, also_cm=cm), "zh-CN")
                assert "(en)" not in out, message_id


def test_text_the_engine_cannot_voice_gets_the_spoken_fallback_never_silence():
    with pytest.raises(BadInput) as error:
        default_speaker().synthesize("🙂🙂", "zh-CN")
    assert error.value.code == "unspeakable-text"
    wav, fell_back = speak_or_fallback(default_speaker(), "🙂🙂", "zh-CN")
    assert fell_back and not is_silent(wav)
    wav, fell_back = speak_or_fallback(default_speaker(), "请拿稳", "zh-CN")
    assert not fell_back and not is_silent(wav)
    # A NUL used to cut espeak-ng off: control characters are dropped, the words are spoken.
    assert not is_silent(default_speaker().synthesize("hold\x00 still", "en"))


class CountingSpeaker:
    """The real engine, counting how often it is really called."""

    def __init__(self):
        self.calls = 0

    def synthesize(self, text, lang="zh-CN", rate_wpm=175):
        self.calls += 1
        return default_speaker().synthesize(text, lang, rate_wpm)


def test_the_cache_is_keyed_by_text_voice_and_rate(tmp_path):
    real = CountingSpeaker()
    cache = CachedSpeaker(real, folder=tmp_path)
    a = cache.synthesize("请拿稳", "zh-CN", 160)
    assert cache.synthesize("请拿稳", "zh", 160) == a and real.calls == 1  # same voice
    cache.synthesize("请拿稳", "zh-CN", 120)
    assert real.calls == 2  # another rate is another recording
    cache.synthesize("Hold still", "en", 160)
    assert real.calls == 3
    again = CachedSpeaker(real, folder=tmp_path)  # a restarted server reads the folder
    assert again.synthesize("请拿稳", "zh-CN", 160) == a and real.calls == 3


def test_prerender_a_prompt_pack(tmp_path):
    index = prerender_pack(tmp_path, "en", CachedSpeaker())
    files = sorted(p.name for p in (tmp_path / "en").glob("*.wav"))
    static = [m for m, entry in index.items() if not entry.get("dynamic")]
    assert files == sorted(f"{m}.wav" for m in static) and "face.move_left.wav" in files
    assert index["guide.human_help_offer"]["dynamic"] is True
    on_disk = json.loads((tmp_path / "en" / "index.json").read_text(encoding="utf-8"))
    assert on_disk["face.move_left"]["text"] == "Move the phone a little to your left."
    assert not is_silent((tmp_path / "en" / "face.move_left.wav").read_bytes())
