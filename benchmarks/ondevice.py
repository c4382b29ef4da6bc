"""On-device perception in headless Chromium: agreement with the Python engines, and time per frame.

Prints (never asserts):

- agreement of the SDK's JS face and card engines with the Python engines on the conformance
  corpus (:mod:`testkit.conformance`, 640×480 frames), with the 95% bound;
- time per frame on this machine, 640×480, perception alone (drawing the frame, reading its
  pixels, the engine) unless ``--policy`` names an ES module whose ``step(observation, kind)`` is
  timed with it (the hook for the on-device Guide): face and card p50/p95;
- the same with the CPU throttled ``--throttle`` times through the DevTools protocol
  (``Emulation.setCPUThrottlingRate``), as a mid-range phone, and the frame rate that leaves.

Targets (issue 21): face p50 ≤ 25 ms, card p50 ≤ 30 ms (perception and policy); throttled ≥ 5 fps.

The face engine runs MediaPipe's models on the CPU (TFLite WebAssembly, face_cpu.js); its time per
stage is printed too (p50 over the timed frames). ``--face-model plain`` measures the plain
468-point landmark model instead of the attention one, and its agreement with Python's plain
(``refine_landmarks=False``) video mesh as well.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/ondevice.py [--rounds 3] [--corpus DIR | --frames-per-face 6]
        [--policy /static/...js] [--face-model attention|plain]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from tests.perception_harness import (
    compare_cards,
    compare_faces,
    harness_app,
    harness_page,
    load_corpus,
    plain_mesh_sequences,
    run_corpus,
    secrets_for_app,
)

#: The machine's WebGL renderer (SwiftShader = software, no GPU), printed for context: the engines run on the CPU.
RENDERER_JS = """() => {
  const gl = document.createElement("canvas").getContext("webgl2");
  if (!gl) return "no WebGL2";
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  return gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
}"""


def _timings(page, corpus: dict, rounds: int, policy: str | None, model: str = "attention") -> dict[str, np.ndarray]:
    faces = [f"/conformance/frames/{f['frame']}" for s in corpus["face_sequences"] for f in s["frames"]]
    cards = [f"/conformance/frames/{c['frame']}" for c in corpus["cards"]]
    face = np.array(page.evaluate("([u, r, p, e]) => harness.time('face', u, r, p, e)", [faces, rounds, policy, model]))
    _print_stages(page.evaluate("() => harness.stages"))
    return {
        "face": face,
        "card": np.array(page.evaluate("([u, r, p]) => harness.time('card', u, r, p)", [cards, rounds, policy])),
    }


def _print_stages(stages: list[dict]) -> None:
    """Per-stage p50 of an engine that reports its stages (a stage that did not run in a frame counts 0)."""
    if not stages:
        return
    names = sorted({name for frame in stages for name in frame})
    parts = [f"{name} {np.percentile([frame.get(name, 0.0) for frame in stages], 50):.1f}" for name in names]
    ran = sum("detector_model" in frame for frame in stages)
    print(f"    face stages, p50 ms over {len(stages)} frames (detector ran on {ran}): " + ", ".join(parts))


def _python_reference(corpus_dir: Path, corpus: dict, rounds: int, runtime: Runtime) -> dict[str, np.ndarray]:
    """The Python engines (``runtime``'s) on the same frames, now, on this machine: a yardstick for the machine's load."""
    import cv2

    from barrierfree.vision.frames import from_array

    def pixels(name: str) -> np.ndarray:
        return cv2.cvtColor(cv2.imread(str(corpus_dir / "frames" / name)), cv2.COLOR_BGR2RGB)

    faces = [pixels(f["frame"]) for s in corpus["face_sequences"] for f in s["frames"]]
    cards = [from_array(pixels(c["frame"])) for c in corpus["cards"]]
    times: dict[str, list[float]] = {"face": [], "card": []}
    finder = runtime.card_finder
    with runtime.face_analyzer() as analyzer:
        for round_ in range(rounds + 1):
            for rgb in faces:
                start = time.perf_counter()
                analyzer.observe(rgb)
                if round_:
                    times["face"].append((time.perf_counter() - start) * 1000)
            for frame in cards:
                start = time.perf_counter()
                finder.observe(frame)
                if round_:
                    times["card"].append((time.perf_counter() - start) * 1000)
    return {kind: np.array(ms) for kind, ms in times.items()}


def _print_times(label: str, times: dict[str, np.ndarray], targets: dict[str, float]) -> None:
    for kind, ms in times.items():
        p50, p95 = np.percentile(ms, 50), np.percentile(ms, 95)
        print(f"  {label:<22} {kind}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (n={len(ms)}; {1000 / p50:5.1f} fps at p50, "
              f"{1000 / p95:5.1f} at p95; target p50 <= {targets[kind]:.0f} ms)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the corpus frames (after one warm-up)")
    parser.add_argument("--throttle", type=float, default=4.0, help="CPU slow-down for the mid-range-phone figures")
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder (default: record one now)")
    parser.add_argument("--frames-per-face", type=int, default=6,
                        help="frames in each face sequence of the corpus recorded now (more: smaller moves, more tracking)")
    parser.add_argument("--policy", help="URL of an ES module with step(observation, kind), timed with perception")
    parser.add_argument("--face-model", choices=("attention", "plain"), default="attention",
                        help="the face engine's landmark model: attention (the SDK's; Python's default mesh) or plain")
    args = parser.parse_args(argv)
    secrets_for_app()
    runtime = Runtime.from_settings(Settings())  # the engines this benchmark measures, from BARRIERFREE_* settings
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from testkit.conformance import record
    from tests.browser import launch, serve

    with tempfile.TemporaryDirectory() as scratch:
        corpus_dir = args.corpus
        if corpus_dir is None:
            corpus_dir = Path(scratch) / "corpus"
            record(corpus_dir, runtime=runtime, frames_per_face=args.frames_per_face)
        corpus = load_corpus(corpus_dir)
        app = harness_app(Path(scratch) / "data", corpus_dir)
        targets = {"face": 25.0, "card": 30.0}
        print(f"on-device perception in headless Chromium ({os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.1f} at start), frames {corpus['frame_size'][0]}x{corpus['frame_size'][1]}; "
              f"policy: {args.policy or 'none (perception alone)'}; face landmark model: {args.face_model}")
        with serve(app) as base, launch() as browser:
            with harness_page(browser, base) as page:
                cards, faces = run_corpus(page, corpus, args.face_model)
                renderer = page.evaluate(RENDERER_JS)
                print("agreement with the Python engines (corpus: testkit.conformance)")
                print("  " + compare_cards(corpus["cards"], cards).line("card"))
                print("  " + compare_faces(corpus["face_sequences"], faces).line("face"))
                if args.face_model == "plain":
                    plain = plain_mesh_sequences(corpus_dir, corpus)
                    print("  " + compare_faces(plain, faces).line("face vs Python's plain mesh (refine_landmarks=False)"))
                print("time per frame (draw + read pixels + engine" + (" + policy)" if args.policy else ")"))
                _print_times("unthrottled", _timings(page, corpus, args.rounds, args.policy, args.face_model), targets)
            _print_times("Python engines (same)", _python_reference(corpus_dir, corpus, args.rounds, runtime), targets)
            with harness_page(browser, base, cpu_throttle=args.throttle) as page:
                throttled = _timings(page, corpus, args.rounds, args.policy, args.face_model)
                _print_times(f"CPU throttled {args.throttle:g}x", throttled, targets)
                for kind, ms in throttled.items():
                    fps = 1000 / np.percentile(ms, 50)
                    print(f"  throttled {kind}: {fps:.1f} fps at p50 -> {'keeps' if fps >= 5 else 'does NOT keep'} >= 5 fps")
        print(f"load average at the end: {os.getloadavg()[0]:.1f} (figures from a shared machine scale with it); "
              f"WebGL here: {renderer}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
