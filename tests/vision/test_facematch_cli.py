"""``barrierfree match`` as scripts call it: three outcomes with the band, and each bad input its own one-line refusal."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
from PIL import Image

from testkit import photos
from barrierfree.voice.prompts import render

PHOTOS = photos.cache_dir()


def run(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {"BARRIERFREE_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "HOME": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "barrierfree.cli", "match", *args], capture_output=True, text=True, env=env, timeout=300)


def refused(done: subprocess.CompletedProcess) -> str:
    """The one ``barrierfree:`` line of a refusal (exit 2, no traceback; mediapipe's own log lines aside)."""
    assert done.returncode == 2, (done.stdout, done.stderr)
    ours = [line for line in done.stderr.splitlines() if line.startswith("barrierfree:")]
    assert "Traceback" not in done.stderr and len(ours) == 1, done.stderr
    return ours[0]


def test_same_and_different_report_the_outcome_and_the_unsure_band(tmp_path):
    same = run(str(PHOTOS / "obama.jpg"), str(PHOTOS / "obama3.jpg"), "--json", data_dir=tmp_path)
    assert same.returncode == 0, same.stderr
    doc = json.loads(same.stdout)
    assert doc["outcome"] == "same" and doc["same_person"] is True
    low, high = doc["unsure_band"]
    assert low < high == doc["threshold"] <= doc["similarity"]
    other = run(str(PHOTOS / "obama.jpg"), str(PHOTOS / "biden.jpg"), data_dir=tmp_path)
    assert other.returncode == 0 and other.stdout.startswith("different people") and "unsure band" in other.stdout


def test_a_group_photo_is_refused_with_its_code_and_what_to_do(tmp_path):
    line = refused(run(str(PHOTOS / "t1.jpg"), str(PHOTOS / "obama.jpg"), data_dir=tmp_path))
    assert "several-faces (selfie)" in line and render("face.match.selfie.several_faces", "en") in line
    as_json = run(str(PHOTOS / "obama.jpg"), str(PHOTOS / "t1.jpg"), "--json", "--lang", "zh-CN", data_dir=tmp_path)
    line = refused(as_json)
    assert as_json.stdout == "" and "several-faces (ID portrait)" in line and render("face.match.portrait.several_faces", "zh-CN") in line


def test_no_face_and_a_tiny_face_are_refused_each_with_its_own_code(tmp_path):
    cv2.imwrite(str(tmp_path / "wall.png"), cv2.GaussianBlur(cv2.imread(str(PHOTOS / "obama.jpg"))[:200, :200], (0, 0), 3))
    assert refused(run(str(tmp_path / "wall.png"), str(PHOTOS / "obama.jpg"), data_dir=tmp_path)).startswith("barrierfree: no-face (selfie)")
    small = cv2.resize(cv2.imread(str(PHOTOS / "obama2.jpg")), None, fx=0.12, fy=0.12, interpolation=cv2.INTER_AREA)
    cv2.imwrite(str(tmp_path / "tiny.jpg"), small)
    assert "face-too-small (ID portrait)" in refused(run(str(PHOTOS / "obama.jpg"), str(tmp_path / "tiny.jpg"), data_dir=tmp_path))


def test_a_non_image_and_a_decompression_bomb_are_refused_before_any_face_work(tmp_path):
    (tmp_path / "notes.jpg").write_text("this is not a picture\n")
    assert "not" in refused(run(str(tmp_path / "notes.jpg"), str(PHOTOS / "obama.jpg"), data_dir=tmp_path)).lower()
    Image.new("1", (14000, 14000)).save(tmp_path / "bomb.png")  # 196 megapixels, a few kilobytes
    line = refused(run(str(PHOTOS / "obama.jpg"), str(tmp_path / "bomb.png"), data_dir=tmp_path))
    assert "large" in line.lower() or "pixels" in line.lower()
