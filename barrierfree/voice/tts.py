"""Offline text-to-speech: the :class:`Speaker` protocol and its espeak-ng engine.

The default engine is espeak-ng through pyttsx3's binding (Debian package ``espeak-ng``).
On Debian 12's espeak-ng 1.51 the ``cmn``, ``sit/cmn`` and ``zh`` voices
mispronounce Chinese characters, while ``sit/cmn-Latn-pinyin`` reads them with
the right tones, so that is the Mandarin voice; English uses ``gmw/en``.
Mandarin is handed to it as tone-numbered pinyin with the 一 and 不 tone
sandhi applied (:mod:`barrierfree.voice.mandarin`); the voice applies the
third-tone sandhi itself.
"""

from __future__ import annotations

import ctypes
import io
import re
import shutil
import subprocess
import threading
import wave
from functools import lru_cache
from typing import Protocol

import numpy as np

from barrierfree.errors import BadInput, EngineUnavailable
from barrierfree.voice.mandarin import to_pinyin

#: espeak-ng voice for each supported language tag.
VOICES = {"zh-CN": "sit/cmn-Latn-pinyin", "en": "gmw/en"}
#: espeak-ng's own default rate, in words per minute.
DEFAULT_RATE_WPM = 175
MIN_RATE_WPM, MAX_RATE_WPM = 80, 450
#: RMS level (16-bit samples) under which a synthesis counts as silence: espeak-ng
#: "speaks" emoji, zero-width spaces or bare punctuation as a few hundred ms of nothing.
SILENCE_RMS = 150.0
#: Control characters (C0 except tab/newline/CR, DEL, C1): espeak-ng stops at a NUL.
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


def spoken_form(text: str, lang: str) -> str:
    """What the voice for ``lang`` is given: control characters dropped; Mandarin as toned pinyin."""
    text = _CONTROL.sub(" ", text or "")
    return to_pinyin(text) if voice_for(lang) == VOICES["zh-CN"] else text


class EspeakSpeaker:
    """espeak-ng through pyttsx3's ctypes binding, synthesising synchronously into memory.

    pyttsx3's own event loop (``save_to_file`` + ``runAndWait``) queues property
    changes and file writes and, with espeak-ng, now and then drops a rate
    change or the file itself, so a user's chosen speech rate was not reliably
    applied. This class drives the same binding (``pyttsx3.drivers._espeak``)
    directly in ``AUDIO_OUTPUT_SYNCHRONOUS`` mode: set voice, set rate, synthesise,
    collect the samples in a callback. One engine per process; calls are
    serialised by a lock because espeak-ng keeps global state.
    """

    def __init__(self) -> None:
        try:
            from pyttsx3.drivers import _espeak

            sample_rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 500)
        except Exception as error:  # noqa: BLE001 - a missing library surfaces as many kinds
            raise EngineUnavailable(
                "tts-engine-missing",
                f"espeak-ng cannot be started through pyttsx3 ({type(error).__name__}); "
                "install it with: sudo apt-get install espeak-ng",
            ) from None
        if sample_rate <= 0:
            raise EngineUnavailable("tts-engine-missing", "espeak-ng failed to initialise; reinstall espeak-ng.")
        self._espeak = _espeak
        self.sample_rate_hz = sample_rate
        self._chunks: list[bytes] = []
        self._lock = threading.Lock()
        _espeak.SetSynthCallback(self._collect)

    def _collect(self, wav, sample_count, _events) -> int:  # noqa: ANN001 - ctypes pointers
        if sample_count > 0:
            self._chunks.append(ctypes.string_at(wav, sample_count * 2))
        return 0  # 0 = go on synthesising

    def synthesize(self, text: str, lang: str = "zh-CN", rate_wpm: int = DEFAULT_RATE_WPM) -> bytes:
        """Speak ``text`` into 16-bit mono WAV bytes at ``rate_wpm`` words per minute."""
        if not _CONTROL.sub(" ", text or "").strip():
            raise BadInput("empty-text", "There is no text to speak.")
        if not MIN_RATE_WPM <= rate_wpm <= MAX_RATE_WPM:
            raise BadInput("bad-speech-rate", f"Speech rate must be {MIN_RATE_WPM}–{MAX_RATE_WPM} words a minute.")
        voice = voice_for(lang)
        text = spoken_form(text, lang)
        with self._lock:
            self._chunks = []
            if self._espeak.SetVoiceByName(voice.encode()) != 0:
                raise EngineUnavailable("tts-voice-missing", f"espeak-ng has no voice {voice}; reinstall espeak-ng.")
            self._espeak.SetParameter(self._espeak.RATE, rate_wpm, 0)
            self._espeak.Synth(text.encode("utf-8"), flags=self._espeak.ENDPAUSE | self._espeak.CHARS_UTF8)
            self._espeak.Synchronize()
            samples = b"".join(self._chunks)
        if not samples:
            raise EngineUnavailable("tts-failed", "espeak-ng produced no audio for this text.")
        data = _wav_bytes(samples, self.sample_rate_hz)
        if is_silent(data):
            raise BadInput("unspeakable-text", "espeak-ng has no sound for this text (only symbols, emoji or "
                           "punctuation?); show it as text and speak a fallback sentence.")
        return data


def _wav_bytes(samples: bytes, sample_rate_hz: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate_hz)
        wav.writeframes(samples)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def default_speaker() -> EspeakSpeaker:
    """The process-wide speaker (created once, then reused)."""
    return EspeakSpeaker()


def is_silent(data: bytes) -> bool:
    """Whether 16-bit WAV bytes hold no audible sound (RMS under :data:`SILENCE_RMS`)."""
    with wave.open(io.BytesIO(data)) as wav:
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float64)
    return samples.size == 0 or float(np.sqrt(np.mean(samples**2))) < SILENCE_RMS


def phonemes(text: str, lang: str = "zh-CN") -> str:
    """espeak-ng's phoneme transcription (``espeak-ng -x``) of ``text`` in the voice for ``lang``.

    Mandarin comes back as pinyin-like syllables with tone contours (``55`` high
    level, ``35`` rising, ``214``/``21`` dipping, ``51`` falling); a language
    switch shows as ``(en)``. Used to check that the voice pronounces Chinese:
    it transcribes what :meth:`EspeakSpeaker.synthesize` speaks (:func:`spoken_form`).
    """
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise EngineUnavailable("tts-engine-missing", "espeak-ng is not installed; install it with: sudo apt-get install espeak-ng")
    done = subprocess.run([binary, "-q", "-x", "-v", voice_for(lang), spoken_form(text, lang)],
                          capture_output=True, text=True, timeout=30, check=False)
    if done.returncode != 0:
        raise EngineUnavailable("tts-failed", f"espeak-ng -x failed with status {done.returncode}.")
    return done.stdout.strip()
