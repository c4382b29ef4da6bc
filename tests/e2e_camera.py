"""Test-only cameras for the browser tests: card videos, and a virtual front camera that answers the screen.

- :func:`card_video` writes a ``.y4m`` of a real rendered ID card (the document
  area's generator) lying on a table: the portrait side, the card being
  turned, the emblem side, looping — Chromium's fake camera plays it.
- :func:`face_video` writes a ``.y4m`` of a real face photo holding still (the
  face area's synthesizer): a plain looping video, which cannot answer the
  colour flash — the video-injection attack.
- :data:`VIRTUAL_CAMERA_JS` replaces the front camera with
  ``canvas.captureStream()``; each frame is the real face lit by the colour the
  page shows right now (read from the SDK's flash layer), rendered in Python by
  the face area's screen-light reflection model and handed over through
  :func:`lit_faces` (``page.expose_function``).
"""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from testkit import cards, faces
from testkit.video import write_y4m

TODAY = date(2026, 11, 29)  # pinned: the generators' draws depend on the date

CARD_FRAME = (1280, 960)
FPS = 8


def _centred_pose(fill: float) -> cards.CameraPose:
    focal = 0.8 * CARD_FRAME[0]
    return cards.CameraPose(distance_mm=focal * 85.6 / (fill * CARD_FRAME[0]), focal_px=focal)


def card_photos(seed: int, portrait: str = "obama2") -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, str]]:
    """Front and back of one person's card (with ``portrait``'s real photo) on a table, the empty table, and the truth."""
    rng = np.random.default_rng(seed)
    person = replace(cards.random_cn_person(rng, TODAY), portrait=portrait)
    table = cards.background("wood", CARD_FRAME, rng)
    pose = _centred_pose(0.62)
    front, _ = cards.render_scene(cards.render_card(person, "front", seed=seed), cards.SIZES_MM["id1"], pose, CARD_FRAME, table)
    back, _ = cards.render_scene(cards.render_card(person, "back", seed=seed), cards.SIZES_MM["id1"], pose, CARD_FRAME, table)
    return front, back, table, {**person.front_fields(), **person.back_fields()}


def card_video(path: Path, seed: int = 11, seconds_per_side: float = 5.0, portrait: str = "obama2") -> tuple[Path, dict[str, str]]:
    """The card video and the fields printed on the card (both sides)."""
    front, back, table, truth = card_photos(seed, portrait)
    rng = np.random.default_rng(seed)
    per_side = int(seconds_per_side * FPS)

    def jitter(image: np.ndarray) -> np.ndarray:
        noisy = image.astype(np.int16) + rng.integers(-2, 3, image.shape, dtype=np.int16)
        return np.clip(noisy, 0, 255).astype(np.uint8)

    frames = [jitter(front) for _ in range(per_side)] + [table] * FPS + [jitter(back) for _ in range(per_side)] + [table] * FPS
    return write_y4m(path, frames, fps=FPS), truth


def face_video(path: Path, name: str = "obama", seconds: float = 3.0) -> Path:
    """A looping video of a real face holding still (no answer to any screen light)."""
    source = faces.prepare(name)
    clip = faces.render_sequence(source, seconds, faces.idle_poses(5), None, faces.Camera(fps=FPS), seed=5)
    return write_y4m(path, [f.pixels for f in clip], fps=FPS)


def _data_url(rgb: np.ndarray) -> str:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=88)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


@lru_cache(maxsize=32)
def _lit(name: str, rgb: tuple[int, int, int] | None, frames: int = 6) -> tuple[str, ...]:
    source = faces.prepare(name)
    light = (lambda t: rgb) if rgb is not None else None
    clip = faces.render_sequence(source, frames / 15.0, faces.idle_poses(7, amplitude_deg=2.0), light, faces.Camera(fps=15.0, lag_s=0.0), seed=7)
    return tuple(_data_url(f.pixels) for f in clip)


def lit_faces(colours: list[list[int]] | None, name: str = "obama") -> dict[str, list[str]]:
    """Frames of the face under each screen colour (key ``rgb(r, g, b)``), and under room light only (key ``ambient``)."""
    result = {"ambient": list(_lit(name, None))}
    for rgb in colours or []:
        r, g, b = (int(v) for v in rgb)
        result[f"rgb({r}, {g}, {b})"] = list(_lit(name, (r, g, b)))
    return result


VIRTUAL_CAMERA_JS = """
(() => {
  const canvas = document.createElement("canvas");
  canvas.width = 480; canvas.height = 640;
  const ctx = canvas.getContext("2d");
  const sets = {};
  let tick = 0, stream = null;
  function load(frames) {
    for (const [key, urls] of Object.entries(frames)) {
      sets[key] = urls.map((url) => { const img = new Image(); img.src = url; return img; });
    }
    return Promise.all(Object.values(sets).flat().map((img) => img.decode().catch(() => null)));
  }
  function shownColour() {
    const layer = document.querySelector(".bf-flash");
    if (!layer || layer.hidden || !layer.style.background) return "ambient";
    return getComputedStyle(layer).backgroundColor;
  }
  function draw() {
    const set = sets[shownColour()] || sets.ambient;
    if (set && set.length) ctx.drawImage(set[tick % set.length], 0, 0);
    tick += 1;
  }
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const video = constraints && constraints.video;
    const facing = video && video.facingMode && (video.facingMode.ideal || video.facingMode.exact || video.facingMode);
    if (facing !== "user") return original(constraints);
    if (!sets.ambient) await load(await window.bfLitFaces(null));
    if (!stream) { draw(); setInterval(draw, 1000 / 15); stream = canvas.captureStream(15); }
    return stream;
  };
  const realFetch = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const response = await realFetch(...args);
    if (String(args[0]).endsWith("/liveness/challenge") && response.ok) {
      const challenge = await response.clone().json();
      if (challenge.colours) await load(await window.bfLitFaces(challenge.colours.map((c) => c.rgb)));
    }
    return response;
  };
})();
"""

#: A page-level stub of speechSynthesis and navigator.vibrate that records what the page asked for.
SPEECH_STUB_JS = """
(() => {
  // Kept in sessionStorage so that the record survives the page changes of the journey.
  const keep = (name) => {
    const list = JSON.parse(sessionStorage.getItem(name) || "[]");
    list.save = () => sessionStorage.setItem(name, JSON.stringify(list));
    return list;
  };
  for (const name of ["__spoken", "__vibrations", "__cues", "__events", "__flashes"]) window[name] = keep(name);
  // Every colour the flash layer shows, with when it appeared (WCAG 2.3.1: at most 3 flashes a second).
  new MutationObserver((changes) => {
    for (const change of changes) {
      const layer = change.target;
      if (layer.classList && layer.classList.contains("bf-flash") && !layer.hidden && layer.style.background) {
        const colour = getComputedStyle(layer).backgroundColor;
        const last = window.__flashes[window.__flashes.length - 1];
        if (!last || last.colour !== colour) record(window.__flashes, { colour, t: performance.now() });
      }
    }
  }).observe(document, { attributes: true, attributeFilter: ["style", "hidden"], subtree: true });
  const record = (list, item) => { list.push(item); list.save(); };
  const synth = {
    speaking: false, pending: false, paused: false,
    speak(u) { if (u.text) record(window.__spoken, { text: u.text, lang: u.lang, t: Date.now() }); },
    cancel() {}, pause() {}, resume() {}, getVoices() { return []; },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  navigator.vibrate = (pattern) => { record(window.__vibrations, { pattern, t: Date.now() }); return true; };
  for (const name of ["cue", "step", "captured", "liveness", "match", "error", "paused", "warning", "ready"]) {
    document.addEventListener(`barrierfree:${name}`, (e) => {
      const detail = { ...e.detail }; delete detail.journey;
      record(window.__events, { name, detail, t: Date.now() });
      if (name === "cue") record(window.__cues, { ...detail, t: Date.now() });
    });
  }
})();
"""
