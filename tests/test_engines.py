"""The offline engines really run: face mesh, OCR and speech."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from barrierfree.errors import BadInput
from testkit.photos import load
from testkit.text import render_line
from barrierfree.vision.face.mesh import LANDMARK_COUNT, still_mesh
from barrierfree.vision.ocr import default_engine
from barrierfree.voice.tts import default_speaker


def test_face_mesh_finds_478_landmarks_on_a_real_photo():
    faces = still_mesh().landmarks(load("astronaut"))
    assert len(faces) == 1
    assert faces[0].shape == (LANDMARK_COUNT, 3)
    # The landmarks lie on the astronaut's face (upper middle of the 512×512 photo), not anywhere.
    x, y = faces[0][:, 0], faces[0][:, 1]
    assert 120 < x.mean() < 300 and 60 < y.mean() < 220


def test_face_mesh_finds_nothing_on_a_blank_image():
    assert still_mesh().landmarks(np.full((480, 640, 3), 128, np.uint8)) == []


def test_face_mesh_is_created_once_per_process():
    assert still_mesh() is still_mesh()
    assert default_engine(1) is default_engine(1)


@pytest.mark.parametrize("line", ["请把身份证放在桌上", "公民身份号码", "中华人民共和国居民身份证"])
def test_ocr_reads_a_rendered_chinese_line(line):
    lines = default_engine().read(render_line(line, size_px=40))
    assert "".join(found.text for found in lines) == line
    assert all(0.5 < found.confidence <= 1.0 for found in lines)


def test_ocr_reads_nothing_on_a_blank_page():
    assert default_engine().read(np.full((200, 600, 3), 255, np.uint8)) == []


def _wav_seconds_and_rms(data: bytes) -> tuple[float, float]:
    with wave.open(io.BytesIO(data)) as wav:
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    samples = np.frombuffer(frames, dtype=np.int16).astype(np.float64)
    return seconds, float(np.sqrt(np.mean(samples**2)))


@pytest.mark.parametrize(
    ("lang", "short", "long"),
    [
        ("zh-CN", "请拿稳", "请把手机稍微向左移动，然后拿稳不动，我们马上就好"),
        ("en", "Hold still", "Move the phone a little to the left, then hold it still for a moment"),
    ],
)
def test_tts_speaks_longer_for_a_longer_sentence(lang, short, long):
    short_s, short_rms = _wav_seconds_and_rms(default_speaker().synthesize(short, lang))
    long_s, long_rms = _wav_seconds_and_rms(default_speaker().synthesize(long, lang))
    assert short_rms > 300 and long_rms > 300, "speech must not be silent"
    assert 0.3 < short_s < long_s


def test_tts_refuses_empty_text_and_unknown_languages():
    with pytest.raises(BadInput, match="no text"):
        default_speaker().synthesize("  ", "en")
    with pytest.raises(BadInput, match="No voice for language 'tlh'"):
        default_speaker().synthesize("nuqneH", "tlh")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_tts_applies_the_chosen_rate_on_every_call(lang):
    """A blind user's speech rate must hold on every utterance, not only the first few."""
    sentence = {"zh-CN": "请把手机稍微向左移动", "en": "Move the phone a little to the left"}[lang]
    durations = {}
    for rate in (120, 320, 120, 320, 120, 320):
        seconds, _ = _wav_seconds_and_rms(default_speaker().synthesize(sentence, lang, rate))
        durations.setdefault(rate, []).append(seconds)
    # The same rate gives the same length each time (to espeak-ng's 10 ms buffer), and slow is much longer.
    assert all(max(runs) - min(runs) <= 0.03 for runs in durations.values()), durations
    assert min(durations[120]) > 1.8 * max(durations[320]), durations


def test_the_pp_ocrv6_engine_reads_a_card_offline_from_its_bundled_models():
    # Issue 18 item 7: rapidocr 3.x ships PP-OCRv6 small det/rec in its wheel; nothing is downloaded.
    from datetime import date

    from barrierfree.settings import Settings
    from testkit import cards_alt
    from barrierfree.vision.idcard import read_document

    photo = cards_alt.alt_photo(3, "cn_resident_id_front", date(2026, 12, 7))
    reading = read_document(photo.pixels, settings=Settings(ocr_engine="pp-ocrv6"), today=date(2026, 12, 7))
    assert reading.document_type == "cn_resident_id_front"
    assert reading.fields["id_number"] == photo.fields["id_number"] and reading.fields["name"] == photo.fields["name"]
