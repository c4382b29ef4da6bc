"""``barrierfree doctor``: run every engine for real and say what works.

Each check returns a :class:`CheckResult`; a failed one says what to do.
Checks import their engine lazily, so one broken engine never hides the others.
The face and OCR checks run on probe images shipped in ``assets/probe`` (made by
``testkit.probes``), so doctor works from an installed wheel with no test kit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import numpy as np
from sqlalchemy import text

from barrierfree.errors import BarrierFreeError
from barrierfree.settings import Settings

#: The Chinese line printed on the OCR probe image; the OCR check must read it back exactly.
OCR_PROBE_TEXT = "请把身份证放在桌上"


def probe_image(name: str) -> np.ndarray:
    """A probe image shipped with the package (``assets/probe/<name>``) as an RGB array."""
    from PIL import Image

    with (resources.files("barrierfree") / "assets" / "probe" / name).open("rb") as file, Image.open(file) as image:
        return np.asarray(image.convert("RGB"))


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    required: bool = True
    seconds: float = 0.0


def check_face_mesh(settings: Settings) -> str:
    from barrierfree.vision.face.mesh import LANDMARK_COUNT, still_mesh

    faces = still_mesh().landmarks(probe_image("face.jpg"))
    if len(faces) != 1 or faces[0].shape[0] != LANDMARK_COUNT:
        raise RuntimeError(f"expected 1 face with {LANDMARK_COUNT} landmarks on the astronaut photo, got {[f.shape[0] for f in faces]}")
    return f"mediapipe face mesh: {LANDMARK_COUNT} landmarks on a real photo"


def check_ocr(settings: Settings) -> str:
    from barrierfree.vision.ocr import default_engine

    lines = default_engine(settings.ocr_threads).read(probe_image("ocr-line.png"))
    got = "".join(line.text for line in lines)
    if got != OCR_PROBE_TEXT:
        raise RuntimeError(f"read {got!r} instead of the printed line")
    return f"PP-OCRv4 (rapidocr-onnxruntime) read a printed Chinese line, {settings.ocr_threads} thread(s)"


def check_tts(settings: Settings) -> str:
    from barrierfree.voice.tts import VOICES, default_speaker

    sizes = {lang: len(default_speaker().synthesize(sample, lang)) for lang, sample in (("zh-CN", "请拿稳手机"), ("en", "Hold the phone still"))}
    return "espeak-ng via pyttsx3: " + ", ".join(f"{lang} {VOICES[lang]} {size} bytes WAV" for lang, size in sizes.items())


def check_database(url: str) -> str:
    from barrierfree.onboarding.storage import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE TEMPORARY TABLE barrierfree_doctor (id INTEGER PRIMARY KEY, probe VARCHAR(32))"))
            connection.execute(text("INSERT INTO barrierfree_doctor (id, probe) VALUES (1, 'round trip')"))
            value = connection.execute(text("SELECT probe FROM barrierfree_doctor WHERE id = 1")).scalar_one()
            connection.rollback()
    finally:
        engine.dispose()
    if value != "round trip":
        raise RuntimeError(f"read back {value!r}")
    return f"{engine.dialect.name}: wrote and read back a row"


def run_checks(settings: Settings) -> list[CheckResult]:
    checks: list[tuple[str, Callable[[], str], str]] = [
        ("face", lambda: check_face_mesh(settings), "run scripts/setup (mediapipe==0.10.21)"),
        ("ocr", lambda: check_ocr(settings), "run scripts/setup (rapidocr-onnxruntime==1.4.4)"),
        ("tts", lambda: check_tts(settings), "sudo apt-get install espeak-ng"),
        ("database", lambda: check_database(settings.resolved_database_url), "check BARRIERFREE_DATABASE_URL and that the database is reachable"),
    ]
    results = []
    for name, check, fix in checks:
        started = time.perf_counter()
        try:
            results.append(CheckResult(name, True, check(), seconds=time.perf_counter() - started))
        except BarrierFreeError as error:
            results.append(CheckResult(name, False, f"{error.detail}", seconds=time.perf_counter() - started))
        except Exception as error:  # noqa: BLE001 - doctor reports every failure, whatever its kind
            results.append(CheckResult(name, False, f"{type(error).__name__}: {error}. Fix: {fix}", seconds=time.perf_counter() - started))
    return results
