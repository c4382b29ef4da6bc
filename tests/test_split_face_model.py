"""scripts/split-face-model: the attention face-landmark model cut around its MediaPipe custom ops.

That the parts compute what the whole model computes is tested end to end, in Chromium, by
tests/web/test_perception_conformance.py (the SDK's face engine against Python's refined mesh);
here: what the split writes, and that it refuses a model it does not know with one readable line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mediapipe

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "split-face-model"
MODELS = Path(mediapipe.__file__).parent / "modules" / "face_landmark"


def _split(model: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(model), str(out)], capture_output=True, text=True, check=False)


def test_the_attention_model_splits_into_two_parts_around_its_custom_ops(tmp_path):
    source = MODELS / "face_landmark_with_attention.tflite"
    assert _split(source, tmp_path).returncode == 0
    spec = json.loads((tmp_path / "face_attention.json").read_text())
    assert spec["parts"]["a"]["inputs"] == ["input_1"]
    assert "output_mesh" in spec["parts"]["a"]["outputs"]
    assert "conv_faceflag" in spec["parts"]["b"]["outputs"]
    ops = [op["op"] for op in spec["custom_ops"]]
    assert ops == ["Landmarks2TransformMatrix"] * 3 + ["TransformTensorBilinear"] * 3 + ["TransformLandmarks"] * 5
    assert [len(op["options"]["subset_idxs"]) for op in spec["custom_ops"][:3]] == [80, 71, 71]
    # The weights are not touched: each part is the source with a few offsets and the subgraph's
    # tensor lists rewritten (a few kB in the operator vector).
    original = source.read_bytes()
    for part in ("a", "b"):
        data = (tmp_path / f"face_attention_{part}.tflite").read_bytes()
        assert len(data) == len(original)
        changed = [i for i, (x, y) in enumerate(zip(data, original, strict=True)) if x != y]
        assert changed and changed[-1] - changed[0] < 4 * 1000


def test_a_model_without_the_custom_ops_is_refused_with_one_line(tmp_path):
    result = _split(MODELS / "face_landmark.tflite", tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "split-face-model: expected 6 then 5" in result.stderr
    assert not (tmp_path / "face_attention.json").exists()


def test_a_file_that_is_not_a_model_is_refused_with_one_line(tmp_path):
    junk = tmp_path / "junk.tflite"
    junk.write_bytes(b"not a flatbuffer at all")
    result = _split(junk, tmp_path / "out")
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "is not a TFLite model" in result.stderr
