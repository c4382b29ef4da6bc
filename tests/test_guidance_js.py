"""The on-device guidance's server side: the settings it runs with are the server's, served as one
JSON (never a copy in the JavaScript), and the JS Guide's own tests run under node.

The frame-by-frame agreement of the JS Guide with the Python one is ``tests/js/guidance.test.mjs``
(``node --test tests/js/``, run by ``scripts/test``); here pytest checks what the SDK fetches.
"""

from __future__ import annotations

import pytest

from barrierfree.accessibility.haptics import PATTERNS
from barrierfree.settings import Settings
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.web import create_app


@pytest.fixture
def client(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", guidance={"capture_dwell_s": 0.7})
    return create_app(settings).test_client()


def test_guidance_settings_are_the_servers_own(client):
    response = client.get("/api/v1/guidance/settings")
    assert response.status_code == 200 and response.mimetype == "application/json"
    served = response.get_json()
    expected = GuidanceSettings(capture_dwell_s=0.7).model_dump()
    assert served["settings"] == expected  # every field, the configured value where one was set
    assert served["settings"]["capture_dwell_s"] == 0.7
    assert served["haptics"] == {name: list(pattern) for name, pattern in PATTERNS.items()}
    assert "public" in response.headers["Cache-Control"]


def test_the_route_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "get" in spec["paths"]["/api/v1/guidance/settings"]
