"""``barrierfree guide``: a folder of frames or a video from the virtual phone, through the real engines."""

from __future__ import annotations

import json
from dataclasses import replace

import cv2
import pytest
from PIL import Image

from barrierfree.cli import main
from testkit.scenes import FaceScene


@pytest.fixture(scope="module")
def approaching_frames(tmp_path_factory):
    """The phone starts 12 cm too far to the person's right and slides to the centre, then stays."""
    folder = tmp_path_factory.mktemp("frames")
    scene = FaceScene("obama")
    centre = scene.pose_at(0.5, 0.45, 420)
    pixels = []
    for i in range(20):
        frame, _ = scene.render(replace(centre, x_mm=max(0.0, 120.0 - 20.0 * i)))
        Image.fromarray(frame.pixels).save(folder / f"{i:03d}.png")
        pixels.append(frame.pixels)
    return folder, pixels


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_guide_json_over_a_folder_of_frames(capsys, approaching_frames):
    folder, _ = approaching_frames
    code, out, _ = run(capsys, "guide", "--target", "face", str(folder), "--lang", "en", "--json")
    assert code == 0
    doc = json.loads(out)  # one JSON document and nothing else on stdout
    frames = doc["frames"]
    assert doc["camera"] == "front" and len(frames) == 20
    assert frames[0]["cue"]["id"] == "face.move_left_by"  # 12 cm, said as 10 (to 5 cm above 10)
    assert frames[0]["speak"]["text"] == "Move the phone 10 centimetres to your left."
    assert frames[0]["signal"]["pan"] < 0 and frames[0]["signal"]["mode"] == "beeping"
    assert doc["captured_frame"] is not None and frames[doc["captured_frame"]]["phase"] == "captured"
    assert [f["phase"] for f in frames].index("hold_still") < doc["captured_frame"]


def test_guide_reads_a_video(capsys, approaching_frames, tmp_path):
    _, pixels = approaching_frames
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (480, 640))
    for rgb in pixels:
        writer.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    writer.release()
    code, out, _ = run(capsys, "guide", "--target", "face", str(path), "--json")
    doc = json.loads(out)
    assert code == 0 and len(doc["frames"]) == 20
    assert doc["frames"][0]["cue"]["text"] == "手机左移10厘米。"
    assert doc["frames"][5]["timestamp_s"] == pytest.approx(0.5)


def test_guide_plain_output_and_unknown_language(capsys, approaching_frames):
    folder, _ = approaching_frames
    code, out, _ = run(capsys, "guide", "--target", "face", str(folder), "--lang", "fr")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 20 and "抱歉，暂不支持fr" in lines[0]


def test_guide_bad_input_is_one_line_and_exit_2(capsys, tmp_path):
    code, out, err = run(capsys, "guide", "--target", "face", str(tmp_path / "missing"))
    assert code == 2 and out == "" and err.strip() == f"barrierfree: No such file or folder: {tmp_path / 'missing'}"
    (tmp_path / "notes.txt").write_text("not a frame")
    code, _, err = run(capsys, "guide", "--target", "face", str(tmp_path))
    assert code == 2 and "holds no frames" in err
    (tmp_path / "000.jpg").write_bytes(b"\xff\xd8 truncated")
    code, out, _ = run(capsys, "guide", "--target", "face", str(tmp_path), "--json")
    assert code == 0 and json.loads(out)["frames"][0]["error"] in ("truncated-image", "not-an-image")
