// Test and benchmark page script: runs the SDK's perception modules on corpus frames served by the
// harness app (tests/perception_harness.py). It imports the modules exactly as the SDK serves them.
import { createFaceEngine } from "/static/sdk/perception/face.js";
import { createCardFinder } from "/static/sdk/perception/card.js";

/** One face engine per landmark model ("attention", the SDK's default, or "plain"). */
const faceEngines = {};
async function faceEngineFor(model) {
  faceEngines[model] ??= await createFaceEngine({ model });
  return faceEngines[model];
}
let cardFinder = null;

async function decode(url) {
  const blob = await (await fetch(url)).blob();
  return createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
}

function canvasFor(bitmap) {
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return [canvas, context];
}

/** What a camera frame costs the SDK before perception: drawing it and reading its pixels. */
function grab(canvas, context, bitmap) {
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

const plain = (observation) => {
  const { landmarks, ...rest } = observation;
  return rest;
};

window.harness = {
  async faces(sequences, model = "attention") {
    const faceEngine = await faceEngineFor(model);
    const out = [];
    for (const sequence of sequences) {
      faceEngine.reset();
      const seen = [];
      for (const [url, timestampS] of sequence) {
        const bitmap = await decode(url);
        const [canvas, context] = canvasFor(bitmap);
        seen.push(plain(await faceEngine.observe(canvas, grab(canvas, context, bitmap), timestampS)));
      }
      out.push(seen);
    }
    return out;
  },

  async cards(urls) {
    cardFinder ??= await createCardFinder();
    const out = [];
    for (const url of urls) {
      const bitmap = await decode(url);
      const [canvas, context] = canvasFor(bitmap);
      out.push(cardFinder.observe(grab(canvas, context, bitmap)));
    }
    return out;
  },

  /**
   * Milliseconds per frame (grab + perception [+ policy]), `rounds` passes over `urls` after one
   * warm-up pass. The policy hook: `policyUrl` names an ES module whose `step(observation, kind)`
   * runs on each observation inside the timed span (the Guide from the ondev-guide work).
   * `model` picks the face engine's landmark model; the face engine's per-stage times are left,
   * one object per timed frame, in `harness.stages`.
   */
  async time(kind, urls, rounds, policyUrl = null, model = "attention") {
    const faceEngine = kind === "face" ? await faceEngineFor(model) : null;
    if (kind !== "face") cardFinder ??= await createCardFinder();
    this.stages = [];
    const policy = policyUrl ? await import(policyUrl) : null;
    const frames = [];
    for (const url of urls) {
      const bitmap = await decode(url);
      frames.push([bitmap, ...canvasFor(bitmap)]);
    }
    const times = [];
    for (let round = 0; round <= rounds; round++) {
      if (kind === "face") faceEngine.reset();
      for (const [bitmap, canvas, context] of frames) {
        const start = performance.now();
        const pixels = grab(canvas, context, bitmap);
        const seen = kind === "face" ? await faceEngine.observe(canvas, pixels, start / 1000) : cardFinder.observe(pixels, start / 1000);
        if (policy) policy.step(seen, kind);
        if (round > 0) times.push(performance.now() - start);
        if (round > 0 && faceEngine) this.stages.push({ ...faceEngine.mesh.stages });
      }
    }
    return times;
  },
};
window.dispatchEvent(new Event("harness-ready"));
document.getElementById("status").textContent = "ready";
