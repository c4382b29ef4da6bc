"""The journey embedded in another site's page through an iframe with the documented ``allow`` attributes."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from barrierfree.settings import Settings
from barrierfree.web import create_app
from tests.browser import launch, serve
from tests.e2e_camera import card_video

pytestmark = [pytest.mark.slow, pytest.mark.browser]
ALLOW = "camera; autoplay; accelerometer; gyroscope; vibrate"


def _bank_page(journey_url: str) -> bytes:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bank</title></head>
<body><main><h1>Open an account</h1>
<iframe id="kyc" src="{journey_url}" allow="{ALLOW}" title="Open an account" width="420" height="800"></iframe>
</main></body></html>""".encode()


def test_the_journey_runs_inside_another_sites_iframe(tmp_path):
    video, _truth = card_video(tmp_path / "cards.y4m", seconds_per_side=3.0)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Embed mode lets only the allowlisted embedders frame the pages (tests/security/test_framing.py refuses others).
    app = create_app(Settings(data_dir=tmp_path / "data", web={"embeddable": True, "frame_ancestors": [f"http://localhost:{port}"]}))
    with serve(app) as base:
        journey_url = base + "/journey/?lang=en"  # 127.0.0.1: a different site from the bank's "localhost"

        class Bank(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = _bank_page(journey_url)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        bank = ThreadingHTTPServer(("127.0.0.1", port), Bank)
        threading.Thread(target=bank.serve_forever, daemon=True).start()
        try:
            with launch(camera_y4m=video) as browser:
                page = browser.new_page()
                page.goto(f"http://localhost:{port}/")
                frame = page.frame_locator("#kyc")
                frame.locator("#start").click()
                frame.locator("#agree").click()
                frame.locator("#mode-self_voicing").check()
                frame.locator("#continue").click()
                start = frame.locator("#bf-start")
                start.wait_for()
                inner = page.frames[1]
                inner.wait_for_function("() => document.getElementById('bf-cue').textContent !== ''")
                inner.evaluate("window.__cues = []; document.addEventListener('barrierfree:cue', (e) => window.__cues.push(e.detail.id))")
                start.click()
                inner.wait_for_function("() => window.__cues.some((id) => id.startsWith('card.'))", timeout=60_000)
                assert inner.evaluate("document.querySelector('video.bf-video').videoWidth") > 0
        finally:
            bank.shutdown()
