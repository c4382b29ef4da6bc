"""The app with a page that runs the SDK's perception modules on a corpus, for tests and benchmarks.

The real app (its CSP and static files) plus a test blueprint: ``/conformance/`` (a page with no
inline script), ``/conformance/harness.js`` (tests/perception_harness.js) and the corpus frames.
Playwright then calls ``window.harness.faces / cards / time`` on the page.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Blueprint, Flask, send_from_directory

from barrierfree.settings import Settings
from barrierfree.web import create_app

HARNESS_JS = Path(__file__).with_name("perception_harness.js")
VENDOR = Path(__file__).resolve().parents[1] / "barrierfree" / "web" / "static" / "vendor"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Perception harness</title>
<script type="module" src="/conformance/harness.js"></script></head>
<body><main><h1>Perception harness</h1><p id="status" role="status">loading</p></main></body></html>
"""


def harness_app(data_dir: Path, corpus_dir: Path) -> Flask:
    """The app, plus the harness page and the corpus frames under ``/conformance/``."""
    if not (VENDOR / "face_mesh" / "face_mesh.js").is_file() or not (VENDOR / "opencv-js" / "opencv.js").is_file():
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
def harness_page(browser, base: str, *, cpu_throttle: float | None = None) -> Iterator[object]:  # noqa: ANN001
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
