"""The card stills of the on-device path in real headless Chromium: the first still is the very frame
the on-device guide captured on, at full resolution; the others are frames the on-device card finder
judged usable, of the dwell before it and of the moments after it, and no other frame.

A trembling hand moves the picture in the tens of milliseconds between the frame the guide
judged and the reply that says "captured"; a still grabbed then is often blurred or off.
So the SDK holds each guided frame at full resolution when it grabs it (``Camera.hold``),
judges the downscaled copy, and sends the held frame as the capture's first still.

Stills drawn blindly a frame apart were often blurred by the hand (5-7 px in the simulation), so
the server read one still and asked for another capture again and again; the SDK now sends only
the frames its card finder judged usable (``still_usable``), as ``stills.js`` chooses them.

The fake camera plays a video whose every frame has its own grey level, so a still says
which frame it is. The engine is a stand-in (the code under test is the SDK around it): it
notes the grey level of the frame it judges, takes 100 ms over it (the video moves on
meanwhile), has the card in place from its 8th frame, calls frames USABLE usable, and decides
"captured" on its 12th frame. The stills go to the server's real route (which refuses them:
there is no card), and the test reads them from the request.
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
#: The card is in place from this frame on (phase "hold_still", then "captured"); the frames it calls usable stills:
#: one too early (before the card came into place), one of the dwell, and one after the capture.
IN_PLACE_FROM, USABLE = 8, (6, 10, 14)

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
    const phase = n >= CAPTURE_ON ? "captured" : n >= IN_PLACE_FROM ? "hold_still" : "adjusting";
    return { timestamp_s: frame.t, phase, captured: n === CAPTURE_ON, still_usable: USABLE.includes(n) };
  } };
}""".replace("ENGINE_MS", str(ENGINE_MS)).replace("CAPTURE_ON", str(CAPTURE_ON)).replace(
    "IN_PLACE_FROM", str(IN_PLACE_FROM)).replace("USABLE", str(list(USABLE)))


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


def test_the_card_stills_are_the_captured_frame_and_the_frames_judged_usable_at_full_resolution(tmp_path):
    video = _grey_video(tmp_path / "grey.y4m")
    # Three stills accepted on (the default is two: the SDK would not look for the third after the capture).
    app = create_app(Settings(data_dir=tmp_path / "data", device={"engine_module": ENGINE_URL, "frame_budget_ms": 400.0},
                              onboarding={"card_frames_to_accept": 3}))
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
    level_of = {j["n"]: j["level"] for j in judged}
    levels = [float(s[s.shape[0] // 2, s.shape[1] // 2].mean()) for s in stills]
    assert len(stills) == app.extensions["barrierfree.settings"].device.max_stills, levels
    # The captured frame first, then the dwell's usable frame, then the one judged usable after the capture
    # (the one before the card came into place is not sent): each the very frame judged, by its grey level.
    wanted = [level_of[CAPTURE_ON], level_of[USABLE[1]], level_of[USABLE[2]]]
    assert len({round(w / LEVEL_STEP) for w in wanted}) == 3, wanted  # the frames are told apart by their levels
    assert all(abs(level - w) <= LEVEL_STEP / 3 for level, w in zip(levels, wanted)), (levels, wanted)
    # At the camera's full width, not the guide's 640.
    assert all(s.shape[1] == SIZE[0] for s in stills) and judged[0]["width"] == 640
    # The server re-checked them with its real reader, and refused them: there is no card in a grey frame.
    assert answer["detail"]["accepted"] is False and answer["detail"]["code"], answer
