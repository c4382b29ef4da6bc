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


def test_the_sdk_types_name_every_setting_with_its_type():
    """guidance.d.ts types the served settings; it must list exactly the model's fields."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "barrierfree/web/static/sdk/guidance/guidance.d.ts").read_text()
    block = text[text.index("export interface GuidanceSettings {"):]
    block = block[:block.index("}")]
    typed = dict(re.findall(r"^\s+(\w+): (\w+);", block, flags=re.MULTILINE))
    expected = {name: "boolean" if field.annotation is bool else "number"
                for name, field in GuidanceSettings.model_fields.items()}
    assert typed == expected


def test_the_route_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "get" in spec["paths"]["/api/v1/guidance/settings"]


_IN_THE_BROWSER = """async () => {
  const sdk = await import("/static/sdk/guidance/index.js");
  const data = await sdk.loadGuidanceData({ languages: ["en"] });
  const guide = new sdk.Guide("face", { settings: data.settings, catalogs: data.catalogs, profile: { language: "en" } });
  const face = { face_count: 1, frame_size: [480, 640], center: [0.85, 0.45], size_fraction: 0.4, sharpness: 420,
                 exposure: 0.5, yaw_deg: 0, roll_deg: 0, cut_edges: [] };
  const frames = [{ face_count: 0, frame_size: [480, 640] }, face, face, face];
  return frames.map((frame, i) => sdk.toWire(guide, guide.step(frame, null, i * 0.125), { haptics: data.haptics, first: i === 0 }));
}"""


@pytest.mark.slow
@pytest.mark.browser
def test_chromium_loads_the_modules_and_the_served_data_and_guides_as_python_does(tmp_path):
    from barrierfree.accessibility.guidance import Guide
    from barrierfree.accessibility.haptics import pattern
    from barrierfree.accessibility.profile import Profile
    from barrierfree.vision.face.observation import FaceObservation
    from tests.browser import launch, serve

    app = create_app(Settings(data_dir=tmp_path / "data"))
    with serve(app) as base, launch() as browser:
        page = browser.new_page()
        page.goto(base + "/journey/?lang=en")
        in_browser = page.evaluate(_IN_THE_BROWSER)
    guide = Guide("face", Profile(language="en"))
    face = FaceObservation(face_count=1, frame_size=(480, 640), center=(0.85, 0.45), size_fraction=0.4,
                           sharpness=420.0, exposure=0.5, yaw_deg=0.0, roll_deg=0.0)
    frames = [FaceObservation(face_count=0, frame_size=(480, 640)), face, face, face]
    for i, (observation, js) in enumerate(zip(frames, in_browser, strict=True)):
        python = guide.step(observation, None, now_s=i * 0.125)
        expected = python.to_dict()
        expected["signal"]["haptic_pattern"] = list(pattern(python.signal.haptic))
        assert {k: v for k, v in js.items() if k not in ("introduction", "introduction_full")} == expected
    assert len(in_browser) == 4 and in_browser[0]["introduction"][0]["id"] == "face.start.short"
    assert in_browser[0]["introduction_full"][0]["id"] == "face.start" and not in_browser[1]["introduction_full"]
    assert in_browser[3]["cue"]["id"] == "face.move_left_by" and "left" in in_browser[3]["cue"]["text"]
