"""The colour flash in real headless Chromium while the page's main thread stalls (WCAG 2.3.1).

A photosensitive person must never see more than three flashes a second. The
SDK keeps each colour on screen for at least its duration in elapsed time, so
a stall (a busy page, a slow phone) lengthens the colour being shown and never
shortens the next one. Here busy loops of 80-300 ms are started just before
each colour is due to change, which is when a schedule in absolute time would
cut the next colour short; the test measures when each colour appeared (a
MutationObserver on the flash layer) and reads the times the SDK sent the
server with the clip.
"""

from __future__ import annotations

import pytest

from barrierfree.settings import Settings
from barrierfree.web import create_app
from tests.browser import launch, serve
from tests.e2e_camera import SPEECH_STUB_JS, face_video
from tests.web.test_e2e_journey import STEP_TIMEOUT_MS, at_liveness_step, tab_to

pytestmark = [pytest.mark.slow, pytest.mark.browser]

#: Every colour is issued for this long, so that each stall can be aimed at a change of colour.
COLOUR_MS = 400
#: Main-thread stalls, in milliseconds, one per colour change (cycled).
STALLS_MS = [80, 300, 150, 220, 120, 260]
#: How long before a colour's planned end its stall starts, in milliseconds.
LEAD_MS = 40

#: Records every change of the flash layer (its colour, or its removal) with the time it was made, and
#: starts a busy loop LEAD_MS before each colour is due to end (installed with page.evaluate); keeps
#: the ``shown`` times the SDK sends with the clip.
STALL_JS = """([colourMs, stalls, lead]) => {
  window.__shownLayer = [];
  window.__sentShown = [];
  const realFetch = window.fetch.bind(window);
  window.fetch = (url, init) => {
    if (init && init.body instanceof FormData && init.body.has("shown")) window.__sentShown.push(init.body.get("shown"));
    return realFetch(url, init);
  };
  let changes = 0;
  const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end) {} };
  new MutationObserver(() => {
    const layer = document.querySelector(".bf-flash");
    const colour = layer.hidden ? "none" : layer.style.background;
    const last = window.__shownLayer[window.__shownLayer.length - 1];
    if (!colour || (last && last.colour === colour) || (!last && colour === "none")) return;
    window.__shownLayer.push({ colour, t: performance.now() });
    if (colour !== "none") setTimeout(() => busy(stalls[changes++ % stalls.length]), colourMs - lead);
  }).observe(document.querySelector(".bf-flash"), { attributes: true, attributeFilter: ["style", "hidden"] });
}"""


def test_main_thread_stalls_lengthen_a_colour_and_never_shorten_the_next(tmp_path):
    video = face_video(tmp_path / "face.y4m", "obama")
    app = create_app(Settings(data_dir=tmp_path / "data", face={"flash_min_colour_ms": COLOUR_MS, "flash_max_colour_ms": COLOUR_MS}))
    with serve(app) as base, launch(camera_y4m=video) as browser:
        context = browser.new_context(locale="en-US")
        context.add_init_script(SPEECH_STUB_JS)
        page = context.new_page()
        at_liveness_step(page, base, app.extensions["barrierfree.journeys"])
        page.wait_for_selector(".bf-flash", state="attached")
        page.evaluate(STALL_JS, [COLOUR_MS, STALLS_MS, LEAD_MS])
        tab_to(page, "#bf-start")
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.__events.some((e) => e.name === 'liveness')", timeout=STEP_TIMEOUT_MS)
        changes = page.evaluate("window.__shownLayer")
        sent = page.evaluate("window.__sentShown")

    colours = app.extensions["barrierfree.settings"].face.flash_colour_count
    assert [c["colour"] for c in changes].count("none") == 1 and changes[-1]["colour"] == "none", changes
    assert len(changes) == colours + 1, changes
    on_screen = [round(b["t"] - a["t"], 1) for a, b in zip(changes, changes[1:])]
    # Every colour was on screen for at least its issued duration, stalls included.
    assert all(ms >= COLOUR_MS for ms in on_screen), on_screen
    # The stalls did happen across changes of colour: some colours were held well past their duration.
    assert sum(ms >= COLOUR_MS + 60 for ms in on_screen) >= 2, on_screen
    # The clip told the server when each colour was really shown: from 0, each for at least its duration.
    assert len(sent) == 1, sent
    shown = [float(t) for t in sent[0].split(",")]
    assert len(shown) == colours + 1 and shown[0] == 0.0
    assert all(b - a >= COLOUR_MS / 1000 for a, b in zip(shown, shown[1:])), shown
