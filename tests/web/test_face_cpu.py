"""The SDK's CPU face engine (static/sdk/perception/face_cpu.js) repeats MediaPipe's face mesh (issue 21).

face_cpu.js runs the wheel's face detector and plain landmark model in TensorFlow Lite's WebAssembly
build and ports MediaPipe's region logic (face_roi.js): detector ROI on the first frame or a lost
face, then the ROI from the previous frame's landmarks; a second detection of a tracked face is kept
when it overlaps the tracked rect by no more than half, as in MediaPipe. The reference is
Python's video mesh with the SAME model (``refine_landmarks=False``), on the conformance corpus's
face sequences, in headless Chromium under the app's CSP: the face count must agree on every frame
and yaw/pitch within the issue's 2°. (The engine does not run the attention model Python uses by
default; that gap is measured in benchmarks/ondevice_face_cpu.py, not hidden here.)
"""

from __future__ import annotations

import pytest

from testkit.conformance import record
from tests.browser import launch, serve
from tests.perception_harness import (
    compare_faces,
    harness_app,
    harness_page,
    load_corpus,
    plain_mesh_sequences,
    run_corpus,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def observed(tmp_path_factory):
    """(Python plain-mesh sequences, JS CPU-engine sequences, the page's errors)."""
    corpus_dir = tmp_path_factory.mktemp("corpus")
    record(corpus_dir)
    corpus = load_corpus(corpus_dir)
    app = harness_app(tmp_path_factory.mktemp("data"), corpus_dir)
    with serve(app) as base, launch() as browser, harness_page(browser, base) as page:
        _, faces = run_corpus(page, corpus, face_engine="cpu")
        errors = [e for e in page.errors if "favicon" not in e and "404" not in e]
    return plain_mesh_sequences(corpus_dir, corpus), faces, errors


def test_the_cpu_engine_loads_and_runs_under_the_apps_csp(observed):
    *_, errors = observed
    assert errors == []


def test_the_cpu_engine_finds_the_same_faces_as_pythons_mesh(observed):
    python, js, _ = observed
    counts = [(p["observation"]["face_count"], j["face_count"])
              for ps, js_frames in zip(python, js, strict=True) for p, j in zip(ps["frames"], js_frames, strict=True)]
    assert any(p for p, _ in counts), "the corpus has faces"
    assert [p for p, _ in counts] == [j for _, j in counts]


def test_the_cpu_engines_pose_agrees_with_pythons_mesh(observed):
    python, js, _ = observed
    agreement = compare_faces(python, js)
    print(agreement.line("face (CPU engine vs Python plain mesh)"))
    assert agreement.compared >= 0.7 * agreement.frames
    assert agreement.outside == []
