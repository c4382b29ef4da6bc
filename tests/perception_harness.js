// Test and benchmark page script: runs the SDK's perception modules on corpus frames served by the
// harness app (tests/perception_harness.py). It imports the modules exactly as the SDK serves them.
import { createFaceEngine } from "/static/sdk/perception/face.js";
import { createCpuFaceEngine } from "/static/sdk/perception/face_cpu.js";
import { createCardFinder } from "/static/sdk/perception/card.js";

/** The face engines: MediaPipe's legacy web face mesh (the SDK's default) and the CPU one (TFLite WASM). */
const FACE_ENGINES = { mesh: createFaceEngine, cpu: createCpuFaceEngine };
const faceEngines = {};
async function faceEngineFor(name) {
  faceEngines[name] ??= await FACE_ENGINES[name]();
  return faceEngines[name];
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
  async faces(sequences, engine = "mesh") {
    const faceEngine = await faceEngineFor(engine);
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
   * `engine` picks the face engine; an engine that reports per-stage times (the CPU one) leaves
   * them, one object per timed frame, in `harness.stages`.
   */
  async time(kind, urls, rounds, policyUrl = null, engine = "mesh") {
    const faceEngine = kind === "face" ? await faceEngineFor(engine) : null;
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
        if (round > 0 && faceEngine && faceEngine.mesh.stages) this.stages.push({ ...faceEngine.mesh.stages });
      }
    }
    return times;
  },
};
window.dispatchEvent(new Event("harness-ready"));
document.getElementById("status").textContent = "ready";
