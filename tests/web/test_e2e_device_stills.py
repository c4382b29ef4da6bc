"""The card stills of the on-device path in real headless Chromium: the first still is the very frame
the on-device guide judged, at full resolution; the others are fresh frames a moment later.

A trembling hand moves the picture in the tens of milliseconds between the frame the guide
judged and the reply that says "captured"; a still grabbed then is often blurred or off.
So the SDK holds each guided frame at full resolution when it grabs it (``Camera.hold``),
judges the downscaled copy, and sends the held frame as the capture's first still.

The fake camera plays a video whose every frame has its own grey level, so a still says
which frame it is. The engine is a stand-in (the code under test is the SDK around it): it
notes the grey level of the frame it judges, takes 100 ms over it (the video moves on
meanwhile) and decides "captured" on its 12th frame. The stills go to the server's real
route (which refuses them: there is no card), and the test reads them from the request.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from werkzeug.formparser import parse_form_data
from werkzeug.test import create_environ

from barrierfree.settings import Settings
from barrierfree.web import create_app
from testkit.video import write_y4m
from tests.browser import launch, serve
from tests.web.test_e2e_device import ENGINE_URL, _context, _start_camera
from tests.web.test_e2e_journey import STEP_TIMEOUT_MS

pytestmark = [pytest.mark.slow, pytest.mark.browser]

#: The video: this many frames a second, each a grey level of its own (a step apart), this size.
VIDEO_FPS, LEVELS, LEVEL_STEP, SIZE = 25, 25, 9, (800, 600)
#: The frame on which the stand-in engine decides "captured", and how long it takes over each frame (ms).
CAPTURE_ON, ENGINE_MS = 12, 100

#: Notes each judged frame's grey level and width; "captured" once, on frame CAPTURE_ON.
NOTING_ENGINE_JS = """export function createDeviceGuidance(spec) {
  let n = 0;
  window.__judged = [];
  return { observe(frame) {
    n += 1;
    const c = frame.canvas;
    const level = c.getContext("2d").getImageData(c.width >> 1, c.height >> 1, 1, 1).data[0];
    window.__judged.push({ n, level, width: c.width });
    const end = performance.now() + ENGINE_MS; while (performance.now() < end) {}
    return { timestamp_s: frame.t, captured: n === CAPTURE_ON };
  } };
}""".replace("ENGINE_MS", str(ENGINE_MS)).replace("CAPTURE_ON", str(CAPTURE_ON))


def _grey_video(path):
    width, height = SIZE
    frames = (np.full((height, width, 3), 20 + LEVEL_STEP * i, np.uint8) for i in range(LEVELS))
    return write_y4m(path, frames, fps=VIDEO_FPS)


def _stills(body: bytes, content_type: str) -> list[np.ndarray]:
    environ = create_environ(method="POST", input_stream=io.BytesIO(body), content_length=len(body), content_type=content_type)
    _stream, _form, files = parse_form_data(environ)
    return [np.asarray(Image.open(f.stream).convert("RGB")) for f in files.getlist("still")]


def _answered(page, step: str) -> dict:
    """The SDK's ``captured`` event for ``step`` (the server's answer, accepted or not)."""
    page.wait_for_function("(s) => window.__events.some((e) => e.name === 'captured' && e.detail.step === s)",
                           arg=step, timeout=STEP_TIMEOUT_MS)
    return page.evaluate("(s) => window.__events.find((e) => e.name === 'captured' && e.detail.step === s)", step)


def test_the_first_card_still_is_the_full_resolution_frame_the_device_guide_judged(tmp_path):
    video = _grey_video(tmp_path / "grey.y4m")
    app = create_app(Settings(data_dir=tmp_path / "data", device={"engine_module": ENGINE_URL, "frame_budget_ms": 400.0}))
    sent = []
    with serve(app) as base, launch(camera_y4m=video) as browser:
        context = _context(browser, base, NOTING_ENGINE_JS)

        def keep(route):
            sent.append((route.request.post_data_buffer, route.request.headers["content-type"]))
            route.continue_()

        context.route("**/device/capture*", keep)
        page = context.new_page()
        _start_camera(page, base)
        answer = _answered(page, "card_front")
        judged = page.evaluate("window.__judged")

    assert len(sent) == 1, len(sent)
    stills = _stills(*sent[0])
    decided = next(j for j in judged if j["n"] == CAPTURE_ON)
    levels = [float(s[s.shape[0] // 2, s.shape[1] // 2].mean()) for s in stills]
    assert len(stills) == app.extensions["barrierfree.settings"].device.max_stills, levels
    # The first still is the judged frame (its grey level), at the camera's full width, not the guide's 640.
    assert abs(levels[0] - decided["level"]) <= LEVEL_STEP / 3, (levels, decided)
    assert stills[0].shape[1] == SIZE[0] > decided["width"] == 640
    # The others were taken afterwards, a frame interval apart: later frames of the video.
    assert all(abs(level - decided["level"]) > LEVEL_STEP / 2 for level in levels[1:]), (levels, decided)
    # The server re-checked them with its real reader, and refused them: there is no card in a grey frame.
    assert answer["detail"]["accepted"] is False and answer["detail"]["code"], answer
