"""Browser-test support: the app on a local port, Debian's Chromium, axe-core.

Playwright's own browser download cannot work offline, so tests drive
``/usr/bin/chromium`` through ``executable_path``. A fake camera is a ``.y4m``
file passed with :func:`launch`'s ``camera_y4m``.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
#: The tags every page must pass with zero violations.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The machine has no internet: without these Chromium floods the network with
# refused background connections and can stall at start-up.
_QUIET_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free localhost port in a thread; yields the base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def launch(camera_y4m: Path | None = None, *, extra_args: list[str] | None = None) -> Iterator[object]:
    """A headless Chromium (Playwright ``Browser``), with a fake camera when a ``.y4m`` is given."""
    from playwright.sync_api import sync_playwright

    args = list(_QUIET_FLAGS) + list(extra_args or [])
    if camera_y4m is not None:
        args += [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera_y4m}",
        ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (bundled by axe-playwright-python) and return the violations, each with its nodes."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [
        {"id": v["id"], "impact": v.get("impact"), "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"]]}
        for v in results.response["violations"]
    ]
