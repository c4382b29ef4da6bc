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
import re
import shutil
import subprocess
import tempfile
import threading
import wave
from functools import lru_cache
from typing import Protocol

import numpy as np

from barrierfree.errors import BadInput, EngineUnavailable

#: espeak-ng voice for each supported language tag.
VOICES = {"zh-CN": "sit/cmn-Latn-pinyin", "en": "gmw/en"}
#: espeak-ng's own default rate, in words per minute.
DEFAULT_RATE_WPM = 175
MIN_RATE_WPM, MAX_RATE_WPM = 80, 450
#: RMS level (16-bit samples) under which a synthesis counts as silence: espeak-ng
#: "speaks" emoji, zero-width spaces or bare punctuation as a few hundred ms of nothing.
SILENCE_RMS = 150.0
#: Control characters (C0 except tab/newline/CR, DEL, C1): espeak-ng stops at a NUL.
#: Tries per synthesis (see :meth:`EspeakSpeaker.synthesize`).
_ATTEMPTS = 3
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
        text = _CONTROL.sub(" ", text or "")
        if not text.strip():
            raise BadInput("empty-text", "There is no text to speak.")
        if not MIN_RATE_WPM <= rate_wpm <= MAX_RATE_WPM:
            raise BadInput("bad-speech-rate", f"Speech rate must be {MIN_RATE_WPM}–{MAX_RATE_WPM} words a minute.")
        voice = voice_for(lang)
        data = b""
        # pyttsx3's espeak driver now and then ends its loop before writing the file
        # (seen in about 1 of 60 calls), so an empty result is retried before giving up.
        for _ in range(_ATTEMPTS):
            data = self._synthesize_once(text, voice, rate_wpm)
            if len(data) > 44:
                break
        if len(data) <= 44:
            raise EngineUnavailable("tts-failed", "espeak-ng produced no audio for this text.")
        if is_silent(data):
            raise BadInput("unspeakable-text", "espeak-ng has no sound for this text (only symbols, emoji or "
                           "punctuation?); show it as text and speak a fallback sentence.")
        return data

    def _synthesize_once(self, text: str, voice: str, rate_wpm: int) -> bytes:
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
                    return wav.read()
            except FileNotFoundError:
                return b""

    def close(self) -> None:
        """Release the engine while the interpreter is still whole (pyttsx3's __del__ fails at shutdown)."""
        self._engine = None


@lru_cache(maxsize=1)
def default_speaker() -> EspeakSpeaker:
    """The process-wide speaker (created once, then reused)."""
    speaker = EspeakSpeaker()
    atexit.register(speaker.close)
    return speaker


def is_silent(data: bytes) -> bool:
    """Whether 16-bit WAV bytes hold no audible sound (RMS under :data:`SILENCE_RMS`)."""
    with wave.open(io.BytesIO(data)) as wav:
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float64)
    return samples.size == 0 or float(np.sqrt(np.mean(samples**2))) < SILENCE_RMS


def phonemes(text: str, lang: str = "zh-CN") -> str:
    """espeak-ng's phoneme transcription (``espeak-ng -x``) of ``text`` in the voice for ``lang``.

    Mandarin comes back as pinyin-like syllables with tone contours (``55`` high
    level, ``35`` rising, ``214``/``21`` dipping, ``51`` falling); a language
    switch shows as ``(en)``. Used to check that the voice pronounces Chinese.
    """
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise EngineUnavailable("tts-engine-missing", "espeak-ng is not installed; install it with: sudo apt-get install espeak-ng")
    done = subprocess.run([binary, "-q", "-x", "-v", voice_for(lang), _CONTROL.sub(" ", text)],
                          capture_output=True, text=True, timeout=30, check=False)
    if done.returncode != 0:
        raise EngineUnavailable("tts-failed", f"espeak-ng -x failed with status {done.returncode}.")
    return done.stdout.strip()
