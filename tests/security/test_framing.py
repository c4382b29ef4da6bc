"""In Chromium: only an allowlisted embedder can frame the journey, and only in embed mode."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from barrierfree.settings import Settings
from barrierfree.web import create_app
from tests.browser import launch, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _site(port: int, journey_url: str) -> Iterator[str]:
    """Another site on ``localhost:port`` whose page frames ``journey_url``."""
    body = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Site</title></head><body>'
            f'<iframe id="kyc" src="{journey_url}" allow="camera" title="Open an account"></iframe></body></html>').encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{port}/"
    finally:
        server.shutdown()


def _framed_start_button(browser, site_url: str) -> bool:
    page = browser.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "frame-ancestors" in message.text else None)
    page.goto(site_url)
    page.wait_for_timeout(1500)
    frame = page.frames[1] if len(page.frames) > 1 else None
    shown = frame is not None and frame.evaluate("document.getElementById('start') !== null")
    page.close()
    assert shown or refused, "a refused frame is reported by Chromium"
    return shown


def test_only_the_allowlisted_site_can_frame_the_journey_in_embed_mode(tmp_path):
    allowed_port, other_port = _free_port(), _free_port()
    settings = {"embeddable": True, "frame_ancestors": [f"http://localhost:{allowed_port}"]}
    embed = create_app(Settings(data_dir=tmp_path / "embed", web=settings))
    plain = create_app(Settings(data_dir=tmp_path / "plain", web={"frame_ancestors": [f"http://localhost:{allowed_port}"]}))
    with launch() as browser:
        with serve(embed) as base:
            with _site(allowed_port, base + "/journey/?lang=en") as bank:
                assert _framed_start_button(browser, bank)
            with _site(other_port, base + "/journey/?lang=en") as other:
                assert not _framed_start_button(browser, other)
        with serve(plain) as base, _site(allowed_port, base + "/journey/?lang=en") as bank:
            assert not _framed_start_button(browser, bank)
