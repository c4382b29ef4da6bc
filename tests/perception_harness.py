"""The app with a page that runs the SDK's perception modules on a corpus, for tests and benchmarks.

The real app (its CSP and static files) plus a test blueprint: ``/conformance/`` (a page with no
inline script), ``/conformance/harness.js`` (tests/perception_harness.js) and the corpus frames.
Playwright then calls ``window.harness.faces / cards / time`` on the page.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, send_from_directory

from barrierfree.settings import Settings
from barrierfree.web import create_app
from benchmarks.bounds import upper_bound

HARNESS_JS = Path(__file__).with_name("perception_harness.js")
VENDOR = Path(__file__).resolve().parents[1] / "barrierfree" / "web" / "static" / "vendor"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Perception harness</title>
<script type="module" src="/conformance/harness.js"></script></head>
<body><main><h1>Perception harness</h1><p id="status" role="status">loading</p></main></body></html>
"""


def harness_app(data_dir: Path, corpus_dir: Path) -> Flask:
    """The app, plus the harness page and the corpus frames under ``/conformance/``."""
    needed = ("tflite/tflite_web_api_client.js", "face_models/face_attention_a.tflite", "opencv-js/opencv.js")
    if not all((VENDOR / name).is_file() for name in needed):
        raise RuntimeError(f"the on-device engines are not vendored in {VENDOR}: run scripts/setup (it calls scripts/vendor-js)")
    app = create_app(Settings(data_dir=data_dir))
    blueprint = Blueprint("conformance", __name__, url_prefix="/conformance")
    blueprint.add_url_rule("/", "page", lambda: (PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}))
    blueprint.add_url_rule("/harness.js", "script",
                           lambda: send_from_directory(HARNESS_JS.parent, HARNESS_JS.name, mimetype="text/javascript"))
    blueprint.add_url_rule("/frames/<name>", "frame", lambda name: send_from_directory(corpus_dir / "frames", name))
    app.register_blueprint(blueprint)
    return app


def load_corpus(corpus_dir: Path) -> dict:
    return json.loads((corpus_dir / "corpus.json").read_text(encoding="utf-8"))


@contextmanager
def harness_page(browser, base: str, *, cpu_throttle: float | None = None) -> Iterator[object]:
    """A page on the harness, ready; with ``cpu_throttle`` the CPU is slowed that many times (CDP)."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        if cpu_throttle:
            session = page.context.new_cdp_session(page)
            session.send("Emulation.setCPUThrottlingRate", {"rate": cpu_throttle})
        page.goto(base + "/conformance/")
        page.wait_for_function("window.harness !== undefined", timeout=60_000)
        page.errors = errors
        yield page
    finally:
        page.close()


def secrets_for_app() -> None:
    """The secrets a non-demo app needs (the test suite's, for benchmarks run outside pytest)."""
    from tests.conftest import TEST_SECRETS

    for key, value in TEST_SECRETS.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True)
class Agreement:
    """How the JS engine's observations compare with Python's on one corpus part."""

    frames: int
    presence_agree: int        # frames where both found (or both missed) the target
    compared: int              # frames where both found it, and the geometry was compared
    worst: dict[str, float]    # largest difference per measure over the compared frames
    outside: list[str]         # "frame: measure" for every difference past its tolerance

    def line(self, what: str) -> str:
        worst = ", ".join(f"{k} {v:.3g}" for k, v in self.worst.items())
        return (f"{what}: found/not found agrees on {self.presence_agree}/{self.frames} frames; on {self.compared} frames "
                f"both found: worst {worst}; past tolerance {len(self.outside)}/{self.compared} "
                f"(95% bound {upper_bound(len(self.outside), self.compared):.1%})")


#: Tolerances (issue 21): card corners within 1% of the frame width; yaw and pitch within 2 degrees.
CARD_CORNER_FRACTION = 0.01
FACE_ANGLE_DEG = 2.0


def compare_cards(entries: list[dict], seen_js: list[dict]) -> Agreement:
    worst = {"corner/width": 0.0, "coverage": 0.0, "skew_deg": 0.0}
    outside, presence, compared = [], 0, 0
    for entry, js in zip(entries, seen_js, strict=True):
        py, name = entry["observation"], entry["frame"]
        presence += py["found"] == js["found"]
        if not (py["found"] and js["found"]):
            continue
        compared += 1
        width = py["frame_size"][0]
        corner = max(math.dist(a, b) for a, b in zip(py["quad"], js["quad"], strict=True)) / width
        worst["corner/width"] = max(worst["corner/width"], corner)
        worst["coverage"] = max(worst["coverage"], abs(py["coverage"] - js["coverage"]))
        worst["skew_deg"] = max(worst["skew_deg"], abs(py["skew_deg"] - js["skew_deg"]))
        if corner > CARD_CORNER_FRACTION:
            outside.append(f"{name}: corners {corner:.2%} of the width")
        for key in ("side", "upside_down", "document_type", "cut_edges"):
            if py[key] != js[key]:
                outside.append(f"{name}: {key} {py[key]!r} vs {js[key]!r}")
    return Agreement(len(entries), presence, compared, worst, outside)


def compare_faces(sequences: list[dict], seen_js: list[list[dict]]) -> Agreement:
    worst = {"yaw_deg": 0.0, "pitch_deg": 0.0, "roll_deg": 0.0, "centre": 0.0}
    outside, presence, compared, frames = [], 0, 0, 0
    for sequence, js_frames in zip(sequences, seen_js, strict=True):
        for entry, js in zip(sequence["frames"], js_frames, strict=True):
            py, name = entry["observation"], entry["frame"]
            frames += 1
            presence += (py["face_count"] > 0) == (js["face_count"] > 0)
            if not (py["face_count"] and js["face_count"]):
                continue
            compared += 1
            for key in ("yaw_deg", "pitch_deg", "roll_deg"):
                difference = abs(py[key] - js[key])
                worst[key] = max(worst[key], difference)
                if key != "roll_deg" and difference > FACE_ANGLE_DEG:
                    outside.append(f"{name}: {key} {py[key]:.1f} vs {js[key]:.1f}")
            worst["centre"] = max(worst["centre"], math.dist(py["center"], js["center"]))
    return Agreement(frames, presence, compared, worst, outside)


def run_corpus(page, corpus: dict, face_model: str = "attention") -> tuple[list[dict], list[list[dict]]]:
    """The JS engines' observations of every corpus frame: (cards, face sequences); ``face_model`` is
    the face engine's landmark model, ``"attention"`` (the SDK's, Python's default) or ``"plain"``."""
    cards = page.evaluate("urls => harness.cards(urls)", [f"/conformance/frames/{c['frame']}" for c in corpus["cards"]])
    return cards, run_faces(page, corpus, face_model)


def run_faces(page, corpus: dict, face_model: str = "attention") -> list[list[dict]]:
    """The JS face engine's observations of the corpus's face sequences, with landmark model ``face_model``."""
    sequences = [[[f"/conformance/frames/{f['frame']}", f["observation"]["timestamp_s"]] for f in s["frames"]]
                 for s in corpus["face_sequences"]]
    return page.evaluate("([sequences, model]) => harness.faces(sequences, model)", [sequences, face_model])


def plain_mesh_sequences(corpus_dir: Path, corpus: dict) -> list[dict]:
    """Python's observations of the corpus's face sequences with the plain (unrefined) video mesh."""
    import cv2

    from barrierfree.vision.face.analyzer import observation_from_landmarks
    from barrierfree.vision.face.mesh import landmarks_from_result, new_video_mesh
    from testkit.conformance import face_json

    sequences = []
    for sequence in corpus["face_sequences"]:
        frames = []
        mesh = new_video_mesh(refine_landmarks=False)
        try:
            for entry in sequence["frames"]:
                rgb = cv2.cvtColor(cv2.imread(str(corpus_dir / "frames" / entry["frame"])), cv2.COLOR_BGR2RGB)
                faces = landmarks_from_result(mesh.process(rgb), rgb.shape[1], rgb.shape[0])
                seen = observation_from_landmarks(rgb, faces, entry["observation"]["timestamp_s"])
                frames.append({"frame": entry["frame"], "observation": face_json(seen)})
        finally:
            mesh.close()
        sequences.append({"frames": frames})
    return sequences
