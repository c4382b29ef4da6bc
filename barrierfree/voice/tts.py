"""Offline text-to-speech: the :class:`Speaker` protocol and its espeak-ng engine.

The default engine is pyttsx3 driving espeak-ng (Debian package ``espeak-ng``).
On Debian 12's espeak-ng 1.51 the ``cmn``, ``sit/cmn`` and ``zh`` voices
mispronounce Chinese characters, while ``sit/cmn-Latn-pinyin`` reads them with
the right tones, so that is the Mandarin voice; English uses ``gmw/en``.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import tempfile
import threading
from functools import lru_cache
from typing import Protocol

from barrierfree.errors import BadInput, EngineUnavailable

#: espeak-ng voice for each supported language tag.
VOICES = {"zh-CN": "sit/cmn-Latn-pinyin", "en": "gmw/en"}
#: espeak-ng's own default rate, in words per minute.
DEFAULT_RATE_WPM = 175
MIN_RATE_WPM, MAX_RATE_WPM = 80, 450


class Speaker(Protocol):
    """Anything that turns text into WAV bytes."""

    def synthesize(self, text: str, lang: str = "zh-CN", rate_wpm: int = DEFAULT_RATE_WPM) -> bytes: ...


def voice_for(lang: str) -> str:
    """The espeak-ng voice for a language tag (``zh``, ``zh-CN``, ``en-GB``...).

    >>> voice_for("zh")
    'sit/cmn-Latn-pinyin'
    >>> voice_for("en-GB")
    'gmw/en'
    """
    base = lang.split("-")[0].lower()
    for tag, voice in VOICES.items():
        if tag.split("-")[0].lower() == base:
            return voice
    raise BadInput("unsupported-language", f"No voice for language {lang!r}; use one of {', '.join(VOICES)}.")


class EspeakSpeaker:
    """pyttsx3 over espeak-ng; one engine per process, calls serialised by a lock."""

    def __init__(self) -> None:
        try:
            import pyttsx3

            self._engine = pyttsx3.init("espeak")
        except Exception as error:  # noqa: BLE001 - pyttsx3 raises many kinds
            raise EngineUnavailable(
                "tts-engine-missing",
                f"espeak-ng cannot be started through pyttsx3 ({type(error).__name__}); "
                "install it with: sudo apt-get install espeak-ng",
            ) from None
        self._lock = threading.Lock()

    def synthesize(self, text: str, lang: str = "zh-CN", rate_wpm: int = DEFAULT_RATE_WPM) -> bytes:
        """Speak ``text`` into 16-bit mono WAV bytes at ``rate_wpm`` words per minute."""
        if not text or not text.strip():
            raise BadInput("empty-text", "There is no text to speak.")
        if not MIN_RATE_WPM <= rate_wpm <= MAX_RATE_WPM:
            raise BadInput("bad-speech-rate", f"Speech rate must be {MIN_RATE_WPM}–{MAX_RATE_WPM} words a minute.")
        voice = voice_for(lang)
        with self._lock, tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "speech.wav")
            self._engine.setProperty("voice", voice)
            self._engine.setProperty("rate", rate_wpm)
            # pyttsx3 prints "Audio saved to ..." on stdout, which would corrupt --json output.
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine.save_to_file(text, path)
                self._engine.runAndWait()
            try:
                with open(path, "rb") as wav:
                    data = wav.read()
            except FileNotFoundError:
                data = b""
        if len(data) <= 44:
            raise EngineUnavailable("tts-failed", "espeak-ng produced no audio for this text.")
        return data


    def close(self) -> None:
        """Release the engine while the interpreter is still whole (pyttsx3's __del__ fails at shutdown)."""
        self._engine = None


@lru_cache(maxsize=1)
def default_speaker() -> EspeakSpeaker:
    """The process-wide speaker (created once, then reused)."""
    speaker = EspeakSpeaker()
    atexit.register(speaker.close)
    return speaker
