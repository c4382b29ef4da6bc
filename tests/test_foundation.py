"""Settings, errors, safe decoding, PII-free logging, the CLI and the app factory."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image
from sqlalchemy.exc import OperationalError

from barrierfree.errors import BadInput
from barrierfree.log import get_logger
from barrierfree.settings import Settings, load_settings
from barrierfree.vision.frames import decode
from barrierfree.web import create_app


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((height, width, 3), np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def test_settings_come_from_prefixed_environment(monkeypatch):
    monkeypatch.setenv("BARRIERFREE_OCR_THREADS", "2")
    monkeypatch.setenv("BARRIERFREE_FACE__MIN_FACE_WIDTH_FRACTION", "0.35")
    settings = load_settings()
    assert settings.ocr_threads == 2 and settings.face.min_face_width_fraction == 0.35


def test_a_bad_setting_names_the_variable(monkeypatch):
    monkeypatch.setenv("BARRIERFREE_OCR_THREADS", "many")
    with pytest.raises(BadInput, match="BARRIERFREE_OCR_THREADS"):
        load_settings()


def test_decode_accepts_a_png_and_keeps_rgb():
    frame = decode(_png(64, 48), timestamp_s=1.5)
    assert (frame.width, frame.height, frame.timestamp_s) == (64, 48, 1.5)
    assert frame.pixels.dtype == np.uint8 and frame.pixels.shape == (48, 64, 3)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty-image"),
        (b"%PDF-1.4 not an image", "not-an-image"),
        (_png(64, 48)[:60], "truncated-image"),
    ],
)
def test_decode_refuses_bad_input_specifically(data, code):
    with pytest.raises(BadInput) as caught:
        decode(data)
    assert caught.value.code == code


def test_decode_refuses_a_decompression_bomb_before_decoding():
    # A 20000×20000 PNG of zeros compresses to a few hundred KB but would need 1.2 GB decoded.
    bomb = _png(20000, 20000)
    assert len(bomb) < 2_000_000
    with pytest.raises(BadInput) as caught:
        decode(bomb)
    assert caught.value.code == "image-too-large"


def test_logs_never_carry_id_numbers_or_images(caplog):
    logger = get_logger("barrierfree.test")
    with caplog.at_level(logging.INFO):
        logger.info("read card %s for %s", "11010519491231002X", "a@b.cn")
        logger.info("frame %s", "A" * 400)
    text = caplog.text
    assert "11010519491231002X" not in text and "a@b.cn" not in text and "A" * 400 not in text
    assert "<redacted:id-number>" in text


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "barrierfree.cli", *args], capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_doctor_runs_every_engine_and_exits_zero(tmp_path, monkeypatch):
    monkeypatch.setenv("BARRIERFREE_DATA_DIR", str(tmp_path))
    done = _cli("doctor", "--json")
    assert done.returncode == 0, done.stderr
    results = {item["name"]: item for item in json.loads(done.stdout)}
    assert set(results) == {"face", "ocr", "tts", "database"}
    assert all(item["ok"] for item in results.values()), results


@pytest.mark.postgres
def test_doctor_checks_postgres_when_configured(postgres_url):
    from barrierfree.doctor import check_database

    assert check_database(postgres_url).startswith("postgresql:")
    with pytest.raises(OperationalError):
        check_database("postgresql+psycopg://nobody@/nothing?host=/nonexistent")


def test_cli_errors_are_one_line_and_non_zero(tmp_path, monkeypatch):
    monkeypatch.setenv("BARRIERFREE_OCR_THREADS", "zero")
    done = _cli("doctor")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "BARRIERFREE_OCR_THREADS" in done.stderr
    assert "Traceback" not in done.stderr


def test_app_serves_pages_and_problem_documents(tmp_path):
    app = create_app(Settings(data_dir=tmp_path))
    client = app.test_client()
    assert client.get("/").status_code == 200
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert missing.get_json()["type"] == "/problems/not-found"


def _secret_in_worker(path: str) -> str:
    from pathlib import Path

    from barrierfree.once import create_once
    import secrets

    return create_once(Path(path), lambda: secrets.token_hex(16))


def test_workers_starting_together_share_one_secret(tmp_path):
    """Gunicorn workers start at once; each must read the same demo secret and key."""
    from concurrent.futures import ProcessPoolExecutor

    path = str(tmp_path / "secret")
    with ProcessPoolExecutor(max_workers=8) as pool:
        values = set(pool.map(_secret_in_worker, [path] * 64))
    assert len(values) == 1 and len(values.pop()) == 32
    assert (tmp_path / "secret").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret"], "no temporary files are left behind"


@pytest.mark.slow
def test_doctor_exits_3_when_a_required_engine_fails(tmp_path, monkeypatch):
    # An unreachable database is a real failure of a required check, not a mock.
    monkeypatch.setenv("BARRIERFREE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BARRIERFREE_DATABASE_URL", "postgresql+psycopg://nobody@/nothing?host=/nonexistent")
    done = _cli("doctor")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "FAIL database" in done.stdout and "ok   tts" in done.stdout
