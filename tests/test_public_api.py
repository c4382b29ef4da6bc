"""The public Python API: the curated names, one liveness protocol, and barrierfree mounted in a bank's own Flask app."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from flask import Flask, render_template

import barrierfree
from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from barrierfree.vision.liveness.nonces import InMemoryNonceStore

ROOT = Path(__file__).resolve().parents[1]


def test_the_public_names_are_the_api_modules_and_load_on_first_use():
    completed = subprocess.run(
        [sys.executable, "-c", "import sys, barrierfree; heavy = [m for m in ('barrierfree.api', 'barrierfree.vision.face.analyzer',"
         " 'barrierfree.web.app') if m in sys.modules]; print(heavy); barrierfree.Runtime; print('barrierfree.api' in sys.modules)"],
        capture_output=True, text=True, check=True, cwd=ROOT)
    assert completed.stdout.split("\n")[:2] == ["[]", "True"]
    from barrierfree import api

    assert set(barrierfree.__all__) == {"__version__", *api.__all__}
    for name in api.__all__:
        assert getattr(barrierfree, name) is getattr(api, name)
    with pytest.raises(AttributeError):
        barrierfree.no_such_name  # noqa: B018


def test_the_package_ships_py_typed():
    assert (ROOT / "barrierfree" / "py.typed").is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["barrierfree"]


@pytest.mark.parametrize("mode", ["flash", "active", "passive"])
def test_every_liveness_mode_has_the_same_verbs(mode):
    liveness = Runtime.from_settings(Settings()).liveness[mode]
    challenge = liveness.issue("session-1")
    assert challenge.session_id == "session-1" and challenge.nonce and challenge.expires_at > 0
    again = liveness.challenge_from(challenge.to_dict())
    assert again == challenge and again.to_dict()["kind"] == mode
    store = InMemoryNonceStore()
    other = liveness.verify(challenge, [], session_id="session-2", store=store)
    assert not other.passed and other.reasons == ("liveness.challenge_other_session",) and other.mode == mode
    first = liveness.verify(challenge, [], session_id="session-1", store=store)  # no frames: not passed, nonce used
    replayed = liveness.verify(challenge, [], session_id="session-1", store=store)
    assert not first.passed and "liveness.challenge_reused" not in first.reasons
    assert replayed.reasons == ("liveness.challenge_reused",)


def test_a_challenge_document_names_its_mode():
    from barrierfree.errors import BadInput
    from barrierfree.vision.liveness.modes import challenge_from

    modes = Runtime.from_settings(Settings()).liveness
    for name in modes:
        mode, challenge = challenge_from(modes, modes[name].issue("s").to_dict())
        assert mode.mode == name and challenge.session_id == "s"
    with pytest.raises(BadInput):
        challenge_from(modes, {"kind": "telepathy"})


# -- mounted in a bank's own app --------------------------------------------------------------


@pytest.fixture
def bank_app(tmp_path):
    """A bank's Flask app with its own root, template, static file, secret and route, and barrierfree mounted in it."""
    root = tmp_path / "bank"
    (root / "templates").mkdir(parents=True)
    (root / "static").mkdir()
    (root / "templates" / "welcome.html").write_text("<p>Welcome to {{ bank }}</p>", encoding="utf-8")
    (root / "static" / "bank.css").write_text("body { color: navy }", encoding="utf-8")
    app = Flask("bank", root_path=str(root))
    app.config["SECRET_KEY"] = "the-bank's-own-secret"

    @app.get("/bank/welcome")
    def welcome() -> str:
        return render_template("welcome.html", bank="Example Bank")

    barrierfree.init_app(app, Runtime.from_settings(Settings(data_dir=tmp_path / "data")))
    return app


def test_the_banks_own_routes_templates_and_static_files_keep_working(bank_app):
    client = bank_app.test_client()
    page = client.get("/bank/welcome")
    assert page.status_code == 200 and page.get_data(as_text=True) == "<p>Welcome to Example Bank</p>"
    css = client.get("/static/bank.css")
    assert css.status_code == 200 and b"navy" in css.data
    assert bank_app.config["SECRET_KEY"] == "the-bank's-own-secret"


def test_barrierfree_works_under_the_banks_app(bank_app):
    client = bank_app.test_client()
    started = client.post("/api/v1/journeys", json={"lang": "en"})
    assert started.status_code == 201
    body = started.get_json()
    auth = {"Authorization": f"Bearer {body['token']}"}
    consented = client.post(f"/api/v1/journeys/{body['id']}/consent", json={"accepted": True}, headers=auth)
    assert consented.status_code == 200 and consented.get_json()["step"] == "assistance"
    missing = client.get("/api/v1/journeys/nope", headers=auth)
    assert missing.mimetype == "application/problem+json"

    page = client.get("/journey/?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<form" in html
    assert "default-src" in page.headers["Content-Security-Policy"] and page.headers["X-Content-Type-Options"] == "nosniff"
    stylesheets = re.findall(r'href="([^"]+\.css)"', html)
    assert stylesheets and all(href.startswith("/barrierfree/static/") for href in stylesheets)
    for href in stylesheets:
        assert client.get(href).status_code == 200


def test_csrf_is_checked_under_the_banks_app(bank_app):
    client = bank_app.test_client()
    html = client.get("/journey/?lang=en").get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    refused = client.post("/journey/start", data={"lang": "en", "csrf_token": "forged"})
    assert refused.status_code == 400
    accepted = client.post("/journey/start", data={"lang": "en", "csrf_token": token})
    assert accepted.status_code == 303


def test_the_journey_document_and_its_schema_come_from_the_journey_view(tmp_path):
    """One description: the view's fields are the document's keys and the OpenAPI schema's properties, in order."""
    import dataclasses

    from barrierfree.onboarding.journey.views import JourneyView
    from barrierfree.web import create_app
    from barrierfree.web.api.openapi import document

    client = create_app(Settings(data_dir=tmp_path / "data")).test_client()
    started = client.post("/api/v1/journeys", json={"lang": "en"}).get_json()
    view_fields = [f.name for f in dataclasses.fields(JourneyView)]
    sent = [key for key in started if key != "token"]
    assert sent == [*view_fields, "message_id", "text"]
    schema = document()["components"]["schemas"]["Journey"]
    assert list(schema["properties"]) == sent and set(view_fields) <= set(schema["required"])
    assert isinstance(started["deadline"], str) and isinstance(started["help_options"], list)
