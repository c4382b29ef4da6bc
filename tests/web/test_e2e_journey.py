"""The whole journey in real headless Chromium, keyboard only, with fake cameras built from real photos.

The card steps see a ``.y4m`` video of a rendered ID card (Chromium's fake
camera); the liveness step sees a virtual front camera that lights a real
face photo with the colour the page shows, through the face area's
reflection model. Spoken cues and vibrations are recorded by a page-level
stub; axe-core audits every page and step.
"""

from __future__ import annotations

import re

import pytest
from stdnum import luhn

from barrierfree.onboarding.journey import results
from barrierfree.onboarding.journey.steps import Step
from barrierfree.settings import Settings
from barrierfree.settings.guidance import GuidanceSettings
from testkit.photos import load
from barrierfree.web import create_app
from tests.browser import axe_violations, launch, serve
from tests.e2e_camera import SPEECH_STUB_JS, VIRTUAL_CAMERA_JS, card_video, face_video, lit_faces

pytestmark = [pytest.mark.slow, pytest.mark.browser]
STEP_TIMEOUT_MS = 150_000


TARGETS_JS = """() => [...document.querySelectorAll('button, input, select, header a, main > p > a, .help a')]
  .filter((el) => el.offsetParent !== null && el.type !== 'hidden')
  .map((el) => { const r = el.getBoundingClientRect(); return { what: el.outerHTML.slice(0, 80), w: r.width, h: r.height }; })
  .filter((t) => t.w < 44 || t.h < 44)"""


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus (what a keyboard user does)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the keyboard focus")


def audited(page, where: str) -> None:
    assert axe_violations(page) == [], where


def wait_step(page, step: str) -> None:
    page.wait_for_function(
        "(s) => window.__events.some((e) => e.name === 'step' && e.detail.step === s)", arg=step, timeout=STEP_TIMEOUT_MS,
    )


def start_by_keyboard(page, base: str) -> None:
    page.goto(base + "/journey/?lang=en")
    audited(page, "start page")
    tab_to(page, "#start")
    page.keyboard.press("Enter")
    page.wait_for_selector("#agree")
    audited(page, "consent")
    tab_to(page, "button.read-aloud")  # the consent, spoken before any choice of assistance
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__spoken.some((s) => s.text.includes('ID card'))")
    tab_to(page, "#agree")
    page.keyboard.press("Enter")
    page.wait_for_selector("#continue")
    audited(page, "assistance")
    tab_to(page, "#mode-screen_reader")
    page.keyboard.press("ArrowDown")  # self-voicing: the page speaks
    assert page.is_checked("#mode-self_voicing")
    tab_to(page, "#continue")
    page.keyboard.press("Enter")


def at_liveness_step(page, base: str, service) -> str:
    """Start a journey by keyboard and move it to the liveness step with a real card portrait; its id."""
    start_by_keyboard(page, base)
    page.wait_for_selector("#bf-start")
    journey_id = page.get_attribute("#barrierfree", "data-journey")
    # The card steps are walked in the whole-journey test; this journey gets a real card portrait and moves on.
    results.accept_card(service, journey_id, Step.CARD_FRONT, document_type="cn_resident_id_front", valid=True,
                        fields={"name": "张三"}, confidence={"name": 0.9}, checks=[], portrait=load("obama2"))
    results.accept_card(service, journey_id, Step.CARD_BACK, document_type="cn_resident_id_back", valid=True,
                        fields={}, confidence={}, checks=[], portrait=None)
    page.reload()
    return journey_id


def test_whole_journey_keyboard_only_with_flash_liveness(tmp_path):
    video, truth = card_video(tmp_path / "cards.y4m")
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with serve(app) as base, launch(camera_y4m=video) as browser:
        context = browser.new_context(locale="en-US", viewport={"width": 412, "height": 915})
        context.add_init_script(SPEECH_STUB_JS)
        context.add_init_script(VIRTUAL_CAMERA_JS)
        page = context.new_page()
        page.expose_function("bfLitFaces", lambda colours: lit_faces(colours, "obama"))
        start_by_keyboard(page, base)

        page.wait_for_function("() => document.getElementById('bf-cue') && document.getElementById('bf-cue').textContent !== ''")
        audited(page, "card portrait side")
        tab_to(page, "#bf-start")
        page.keyboard.press("Enter")
        wait_step(page, "card_back")
        assert page.inner_text("#step-title") == "ID card: emblem side" and page.inner_text(".progress") == "Step 4 of 7"
        audited(page, "card emblem side")
        wait_step(page, "liveness")
        assert page.title().startswith("Check that it is really you")
        audited(page, "liveness")
        page.wait_for_selector("#review-form", timeout=STEP_TIMEOUT_MS)
        events = page.evaluate("window.__events")
        cues = page.evaluate("window.__cues")
        spoken = page.evaluate("window.__spoken")
        vibrations = page.evaluate("window.__vibrations")
        flashes = page.evaluate("window.__flashes")
        audited(page, "review")
        assert page.evaluate(TARGETS_JS) == [], "review targets"

        # Review: every field is there; a keyboard user corrects any field the reader got wrong, then confirms.
        for name, value in truth.items():
            field = page.locator(f"#field-{name}")
            assert field.count() == 1, name
            if field.input_value() != value:
                tab_to(page, f"#field-{name}")
                page.keyboard.press("Control+A")
                page.keyboard.type(value)
        # And adds the flat number the card does not print, as a person would.
        truth["address"] += " 2单元301"
        tab_to(page, "#field-address")
        page.keyboard.press("End")
        page.keyboard.type(" 2单元301")
        if any(page.locator(f"#field-{n}").input_value() != v for n, v in truth.items()):
            raise AssertionError("corrections were not typed")
        tab_to(page, "#save")
        page.keyboard.press("Enter")
        page.wait_for_selector("#confirm")
        assert page.locator("[aria-invalid=true]").count() == 0
        assert page.input_value("#field-address") == truth["address"]
        assert page.inner_text("#field-address-note").strip() == "You corrected this."
        tab_to(page, "#confirm")
        page.keyboard.press("Enter")
        page.wait_for_selector("#account-number")
        audited(page, "account opened")
        assert page.evaluate(TARGETS_JS) == [], "opened targets"
        number = page.inner_text("#account-number").strip()
        assert re.fullmatch(r"\d{16}", number) and luhn.is_valid(number)

    steps = [e["detail"]["step"] for e in events if e["name"] == "step"]
    assert steps[:3] == ["card_front", "card_back", "liveness"]
    assert any(e["name"] == "liveness" and e["detail"]["passed"] for e in events)
    assert any(e["name"] == "match" and e["detail"]["same_person"] for e in events)
    # Order of what was said: the card introduction first, the card read before the emblem side's
    # introduction, the flash announced before the check, the match after it.
    ids = [c["id"] for c in cues]
    assert ids[0].startswith("card.start_portrait"), ids[:5]
    # "Captured" is said only once the server accepted the side: the guide's own word was "taking the photo".
    first_read = ids.index("card.captured")
    emblem = next(i for i, x in enumerate(ids) if x.startswith("card.start_emblem"))
    assert ids.index("card.capturing") < first_read < emblem < ids.index("card.captured", first_read + 1)
    assert ids.index("liveness.flash_intro") < ids.index("journey.sdk_checking") < ids.index("journey.sdk_matched")
    # Self-voicing: every cue was spoken, once, in the order it was written to the live region.
    assert all(c["spoken"] for c in cues)
    assert "ID card" in spoken[0]["text"]  # the consent, read aloud on request
    assert [s["text"] for s in spoken[1:]] == [c["text"] for c in cues]
    # The colour flash: at least 4 colours, none shown for less than 1/3 s (no more than 3 flashes a second).
    assert len(flashes) >= 4
    assert all(b["t"] - a["t"] >= 320 for a, b in zip(flashes, flashes[1:])), [round(b["t"] - a["t"]) for a, b in zip(flashes, flashes[1:])]
    # Pacing: within a step, the guide's cues are at least 1.5 s apart on the stream's clock,
    # and they are said in the order the guide timed them.
    pacing = GuidanceSettings().min_utterance_interval_s
    for step in ("card_front", "card_back", "liveness"):
        timed = [c["at"] for c in cues if c["step"] == step and c["at"] is not None]
        assert timed == sorted(timed), (step, timed)
        assert all(b - a >= pacing - 1e-6 for a, b in zip(timed, timed[1:])), (step, timed)
        assert timed, step  # every camera step's guide spoke on the stream's clock (its cues wait for the introduction)
    assert vibrations and all(isinstance(v["pattern"], list) for v in vibrations)


def test_a_looping_video_at_the_flash_step_is_rejected_as_injection(tmp_path):
    video = face_video(tmp_path / "face.y4m", "obama")
    app = create_app(Settings(data_dir=tmp_path / "data"))
    service = app.extensions["barrierfree.journeys"]
    with serve(app) as base, launch(camera_y4m=video) as browser:
        context = browser.new_context(locale="en-US")
        context.add_init_script(SPEECH_STUB_JS)
        page = context.new_page()
        journey_id = at_liveness_step(page, base, service)
        page.wait_for_function("() => document.getElementById('bf-cue') && document.getElementById('bf-cue').textContent !== ''")
        audited(page, "liveness (injected video)")
        tab_to(page, "#bf-start")
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.__events.some((e) => e.name === 'liveness')", timeout=STEP_TIMEOUT_MS)
        verdict = next(e["detail"] for e in page.evaluate("window.__events") if e["name"] == "liveness")
        cues = [c["id"] for c in page.evaluate("window.__cues")]
    assert verdict["passed"] is False and verdict["reasons"], verdict
    assert "journey.sdk_liveness_retry" in cues
    assert any(c.startswith("liveness.") and c != "liveness.flash_intro" for c in cues)  # the reason, said in plain words
    view = service.get(journey_id)
    assert view.step == "liveness" and view.failures_in_window == 1


def test_a_dropped_connection_mid_step_resumes_where_it_stopped(tmp_path):
    video, _truth = card_video(tmp_path / "cards.y4m", seconds_per_side=3.0)
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with serve(app) as base, launch(camera_y4m=video) as browser:
        context = browser.new_context(locale="en-US")
        context.add_init_script(SPEECH_STUB_JS)
        page = context.new_page()
        start_by_keyboard(page, base)
        page.wait_for_function("() => document.getElementById('bf-cue') && document.getElementById('bf-cue').textContent !== ''")
        tab_to(page, "#bf-start")
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.__cues.some((c) => c.id.startsWith('card.'))", timeout=60_000)
        context.set_offline(True)
        page.wait_for_timeout(2500)
        context.set_offline(False)
        wait_step(page, "card_back")
        # A reload (the phone's browser killed the tab) comes back to the same step.
        page.reload()
        page.wait_for_selector("#barrierfree")
        assert page.inner_text("#step-title").strip() == "ID card: emblem side"
        assert not any(e["name"] == "error" for e in page.evaluate("window.__events"))
