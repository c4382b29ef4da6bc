"""Speech that is synthesised once: a cache keyed by text, voice and rate, and prompt packs.

:class:`CachedSpeaker` wraps any :class:`~barrierfree.voice.tts.Speaker`;
the key is the SHA-256 of (text, espeak voice, rate, the form the voice is
given), so ``zh`` and ``zh-CN`` share entries, a different rate never returns
the wrong recording and a change of pronunciation rules is not served stale. Entries
live in memory (least recently used dropped first) and, when a folder is
given, on disk as ``<key>.wav`` so that a restarted server does not
synthesise again. The memory is bounded in entries and, when ``max_bytes``
is given, in bytes of WAV (a recording larger than that is not kept).

:func:`prerender_pack` writes every parameter-free message of a language's
catalog to ``<folder>/<lang>/<message id>.wav`` with an ``index.json``, so an
SDK or a kiosk can play prompts without a TTS engine at all.

:func:`speak_or_fallback` never leaves a due cue silent: text that the engine
cannot voice (emoji, bare symbols) is replaced by the catalog's
``guide.speech_failed`` sentence.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path

from barrierfree.errors import BadInput
from barrierfree.voice import prompts
from barrierfree.voice.tts import DEFAULT_RATE_WPM, Speaker, default_speaker, spoken_form, voice_for


def cache_key(text: str, lang: str, rate_wpm: int) -> str:
    """The cache key of one synthesis: SHA-256 over text, espeak voice, rate and what the voice is given.

    >>> cache_key("好", "zh", 160) == cache_key("好", "zh-CN", 160) != cache_key("好", "zh-CN", 170)
    True
    """
    return hashlib.sha256(f"{voice_for(lang)}\x1f{rate_wpm}\x1f{text}\x1f{spoken_form(text, lang)}".encode()).hexdigest()


class CachedSpeaker:
    """A :class:`Speaker` that remembers what it said (memory LRU, optional folder)."""

    def __init__(self, speaker: Speaker | None = None, max_entries: int = 512, folder: Path | str | None = None,
                 max_bytes: int | None = None) -> None:
        self._speaker = speaker or default_speaker()
        self._max = max_entries
        self._max_bytes = max_bytes
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        #: Bytes of WAV held in memory now.
        self.bytes = 0
        self._folder = Path(folder) if folder else None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def synthesize(self, text: str, lang: str = "zh-CN", rate_wpm: int = DEFAULT_RATE_WPM) -> bytes:
        key = cache_key(text, lang, rate_wpm)
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                self.hits += 1
                return self._memory[key]
        path = self._folder / f"{key}.wav" if self._folder else None
        if path is not None and path.exists():
            data = path.read_bytes()
            self.hits += 1
        else:
            data = self._speaker.synthesize(text, lang, rate_wpm)
            self.misses += 1
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_suffix(".tmp")
                temporary.write_bytes(data)
                temporary.replace(path)  # atomic: a reader never sees half a file
        with self._lock:
            if key not in self._memory and (self._max_bytes is None or len(data) <= self._max_bytes):
                self._memory[key] = data
                self.bytes += len(data)
            while self._memory and (len(self._memory) > self._max or (self._max_bytes is not None and self.bytes > self._max_bytes)):
                self.bytes -= len(self._memory.popitem(last=False)[1])
        return data


def speak_or_fallback(speaker: Speaker, text: str, lang: str = "zh-CN",
                      rate_wpm: int = DEFAULT_RATE_WPM) -> tuple[bytes, bool]:
    """WAV bytes for ``text``, or for ``guide.speech_failed`` when the engine has no sound for it.

    Returns ``(wav, fell_back)``. The caller still shows ``text`` in the live region.
    """
    try:
        return speaker.synthesize(text, lang, rate_wpm), False
    except BadInput as error:
        if error.code not in ("unspeakable-text", "empty-text"):
            raise
    catalog_lang, _ = prompts.resolve_language(lang)
    return speaker.synthesize(prompts.render("guide.speech_failed", catalog_lang), catalog_lang, rate_wpm), True


def prerender_pack(folder: Path | str, lang: str = "zh-CN", speaker: Speaker | None = None,
                   rate_wpm: int = DEFAULT_RATE_WPM) -> dict[str, dict[str, object]]:
    """Write every parameter-free prompt of ``lang`` as WAV under ``folder/<lang>/``; returns the index.

    Messages with parameters are listed in the index as ``dynamic`` (they are
    synthesised when their values are known).
    """
    catalog_lang, _ = prompts.resolve_language(lang)
    speaker = speaker or default_speaker()
    target = Path(folder) / catalog_lang
    target.mkdir(parents=True, exist_ok=True)
    index: dict[str, dict[str, object]] = {}
    for message_id, text in sorted(prompts.catalog(catalog_lang).items()):
        if prompts.parameters(text):
            index[message_id] = {"dynamic": True, "text": text}
            continue
        data = speaker.synthesize(text, catalog_lang, rate_wpm)
        name = f"{message_id}.wav"
        (target / name).write_bytes(data)
        index[message_id] = {"file": name, "text": text, "sha256": hashlib.sha256(data).hexdigest(),
                             "voice": voice_for(catalog_lang), "rate_wpm": rate_wpm}
    (target / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=2), encoding="utf-8")
    return index
