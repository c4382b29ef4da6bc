"""The SDK's own on-device engine (sdk/engine.js), end to end in headless Chromium with the REAL engines.

The journey pages hand the SDK ``/static/sdk/engine.js`` by default: OpenCV.js's card finder (or
MediaPipe's face mesh) sees each frame of Chromium's fake camera, the JS Guide decides, and the SDK
speaks, writes the live region and beeps; only the stills (re-read by the server's real reader)
and telemetry go to the server. Nothing here stands in for an engine.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from barrierfree.settings import Settings
from testkit import cards
from testkit.video import write_y4m
from barrierfree.voice.prompts import render
from barrierfree.web import create_app
from tests.browser import launch, serve
from tests.e2e_camera import (
    CARD_FRAME,
    FPS,
    TODAY,
    VIRTUAL_CAMERA_JS,
    _centred_pose,
    card_photos,
    card_video,
    lit_faces,
)
from tests.web.test_e2e_device import _captured, _context, _start_camera
from tests.web.test_e2e_journey import STEP_TIMEOUT_MS, at_liveness_step, tab_to

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ENGINE = "/static/sdk/engine.js"


#: The per-frame budget here, ms. The shared 2-core test machine (often at a load of 10+) is no phone: the
#: budget decision itself is tested in test_e2e_device.py; these tests are about the engine guiding.
BUDGET_MS = 400.0


def _app(tmp_path, budget_ms: float = BUDGET_MS, probe_s: float = 1.0):
    assert Settings(data_dir=tmp_path / "data").device.engine_module == ENGINE  # the default: the device path needs no setting
    return create_app(Settings(data_dir=tmp_path / "data", device={"frame_budget_ms": budget_ms, "probe_s": probe_s}))


def _device_paths(page, step: str) -> list[dict]:
    return page.evaluate("(s) => window.__paths.filter((p) => p.step === s)", step)


def test_both_card_sides_are_guided_and_captured_on_the_device_by_the_real_engine(tmp_path):
    video, _truth = card_video(tmp_path / "cards.y4m", seconds_per_side=6.0)
    app = _app(tmp_path)
    with serve(app) as base, launch(camera_y4m=video) as browser:
        page = _context(browser, base, None).new_page()
        _start_camera(page, base)
        front = _captured(page, "card_front")
        back = _captured(page, "card_back")
        paths = {step: _device_paths(page, step) for step in ("card_front", "card_back")}
        requests = page.evaluate("window.__requests.map((r) => r.url)")
        cues = page.evaluate("window.__cues")
        # A new message empties the live region for a moment first (so a repeat is announced again): wait for its words.
        page.wait_for_function("() => document.getElementById('live').textContent.trim() !== ''", timeout=10_000)
        live = page.evaluate("document.getElementById('live').textContent")
        events = page.evaluate("window.__events")

    assert front["detail"]["accepted"] and back["detail"]["accepted"]
    for step, decided in paths.items():
        assert [(p["path"], p["reason"]) for p in decided] == [("device", None)], (step, decided)
    # Guidance never left the phone: no frame went to the server, the stills did (one request a side).
    assert not any("/frames?" in url for url in requests)
    assert sum("/device/capture" in url for url in requests) == 2
    assert any("/device/telemetry" in url for url in requests)
    # The person heard the Guide's own cues (introduction first, catalog ids), and the live region holds words.
    for step, side in (("card_front", "portrait"), ("card_back", "emblem")):
        said = [c for c in cues if c["step"] == step]
        assert said and said[0]["id"] == f"card.start_{side}.short", said[:3]  # the short introduction is the default
        assert all(c["id"].startswith(("card.", "guide.", "journey.sdk_card")) for c in said), [c["id"] for c in said]
        assert all(c["text"] and c["text"] != c["id"] for c in said), said
    assert live.strip()
    assert not [e for e in events if e["name"] == "error"], events


def _far_then_near_video(path, seconds_far: float, seconds_near: float):
    """The card's portrait side too far away (the guide says come closer, and beeps), then well placed."""
    front, _back, table, _truth = card_photos(11)
    person = replace(cards.random_cn_person(np.random.default_rng(11), TODAY), portrait="obama2")  # card_photos' person
    far, _ = cards.render_scene(cards.render_card(person, "front", seed=11), cards.SIZES_MM["id1"], _centred_pose(0.3), CARD_FRAME, table)
    rng = np.random.default_rng(3)

    def noisy(image: np.ndarray) -> np.ndarray:  # sensor noise: no two frames alike, as from a camera
        return np.clip(image.astype(np.int16) + rng.integers(-2, 3, image.shape, dtype=np.int16), 0, 255).astype(np.uint8)

    frames = [noisy(far) for _ in range(int(seconds_far * FPS))] + [noisy(front) for _ in range(int(seconds_near * FPS))]
    return write_y4m(path, frames, fps=FPS)


def test_with_the_context_offline_the_real_engine_keeps_cueing_and_beeping_and_the_capture_waits(tmp_path):
    video = _far_then_near_video(tmp_path / "far-near.y4m", seconds_far=25.0, seconds_near=40.0)
    app = _app(tmp_path)
    waiting = render("journey.sdk_waiting_network", "en")
    with serve(app) as base, launch(camera_y4m=video) as browser:
        context = _context(browser, base, None)
        page = context.new_page()
        _start_camera(page, base)
        page.wait_for_function("() => window.__paths.some((p) => p.step === 'card_front' && p.path === 'device')", timeout=STEP_TIMEOUT_MS)
        context.set_offline(True)
        cut = page.evaluate("[performance.now(), Date.now()]")
        # Without a network, the card too far: the guide goes on. The step's introduction is said first and
        # the guide's cues wait for it (about 7 s at the default rate), then five seconds more of guiding.
        page.wait_for_timeout(12000)
        later = page.evaluate("[performance.now(), Date.now()]")
        # Then the card comes near: the guide captures, the stills wait, and the person is told.
        page.wait_for_function("(text) => window.__spoken.some((s) => s.text === text)", arg=waiting, timeout=STEP_TIMEOUT_MS)
        assert not page.evaluate("window.__events.some((e) => e.name === 'captured')")
        context.set_offline(False)
        captured = _captured(page, "card_front")
        cues = page.evaluate("([a, b]) => window.__cues.filter((c) => c.t > a && c.t < b && c.step === 'card_front')", [cut[1], later[1]])
        beeps = page.evaluate("([a, b]) => window.__beeps.filter((t) => t > a && t < b).length", [cut[0], later[0]])
        requests = page.evaluate("window.__requests.map((r) => r.url)")
        paths = _device_paths(page, "card_front")

    assert [(p["path"], p["reason"]) for p in paths] == [("device", None)], paths
    assert captured["detail"]["accepted"] is True
    # The real guide, offline: directions to bring the card closer, said and written, and beeps.
    assert any(c["id"].startswith("card.") and "closer" in c["id"] for c in cues), [c["id"] for c in cues]
    assert beeps >= 5, beeps
    assert not any("/frames?" in url for url in requests)


def test_the_liveness_step_is_guided_on_the_device_by_the_real_face_mesh(tmp_path):
    # The virtual front camera renders each lit frame in Python through expose_function: slower than a real
    # camera, so the face mesh's frames are given a longer probe here (what is tested is that it guides).
    app = _app(tmp_path, budget_ms=1500.0, probe_s=5.0)
    with serve(app) as base, launch() as browser:
        context = _context(browser, base, None)
        context.add_init_script(VIRTUAL_CAMERA_JS)
        page = context.new_page()
        page.expose_function("bfLitFaces", lambda colours: lit_faces(colours, "obama"))
        at_liveness_step(page, base, app.extensions["barrierfree.journeys"])
        page.wait_for_function("() => window.__events.some((e) => e.name === 'ready')")
        tab_to(page, "#bf-start")
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.__events.some((e) => e.name === 'liveness' && e.detail.passed)", timeout=STEP_TIMEOUT_MS)
        paths = _device_paths(page, "liveness")
        probe = page.evaluate("window.barrierfree.path && window.barrierfree.path.probe && window.barrierfree.path.probe.times")
        cues = page.evaluate("window.__cues.filter((c) => c.step === 'liveness')")
        requests = page.evaluate("window.__requests.map((r) => r.url)")

    assert [(p["path"], p["reason"]) for p in paths] == [("device", None)], (paths, probe)
    assert cues and cues[0]["id"] == "face.start.short", cues[:3]  # the short introduction is the default
    assert not any("/frames?" in url for url in requests)
    assert any("/liveness/answer" in url for url in requests)
