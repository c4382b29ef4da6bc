// The real on-device engine: perception (the face mesh or the card finder, per step) -> the JS
// Guide -> guidance in the SDK's shape (the very JSON the server's guidance path answers a frame
// with, from the Guide's toWire). The SDK loads this module by URL (``deviceEngine``; the journey
// pages default to it, see barrierfree/settings/device.py) and falls back to the server's
// guidance when it cannot start (no WebAssembly, vendored engines missing) or is too slow.
//
// The settings, vibration patterns and prompt catalogs come from the server
// (/api/v1/guidance/settings, /api/v1/prompts/<lang>), fetched once per page: the Python
// settings and catalogs stay the one source, and guidance goes on offline once they are loaded.

import { Guide, loadGuidanceData, usableStill } from "./guidance/index.js";
import { toWire } from "./guidance/wire.js";
import { createCardFinder } from "./perception/card.js";
import { createFaceEngine } from "./perception/face.js";

/** The guidance data per API base and language, loaded once per page (steps share it). */
const loaded = new Map();

function guidanceData(api, lang) {
  const key = `${api}|${lang}`;
  if (!loaded.has(key)) {
    const data = loadGuidanceData({ base: api, languages: [lang] });
    loaded.set(key, data);
    data.catch(() => loaded.delete(key)); // a later step may try again
  }
  return loaded.get(key);
}

/** The card finder is stateless: one per page serves every card step. */
let cardFinder = null;

function perceptionFor(target) {
  if (target === "card") {
    if (!cardFinder) {
      cardFinder = createCardFinder();
      cardFinder.catch(() => { cardFinder = null; });
    }
    return cardFinder.then((finder) => ({ observe: (canvas, pixels, t) => finder.observe(pixels, t), close() {} }));
  }
  // The face mesh tracks between frames: one per camera step, closed with it.
  return createFaceEngine().then((face) => ({
    observe: (canvas, pixels, t) => face.observe(canvas, pixels, t),
    reset: () => { if (typeof face.reset === "function") face.reset(); },
    close: () => { if (typeof face.close === "function") face.close(); },
  }));
}

/**
 * A frame like the camera's (a light card on a dark table) to run the engine on once before the
 * first real frame: compiling the WebAssembly paths and the JIT takes several frames' time once,
 * which belongs to opening the engine, not to the per-frame time the SDK's probe measures.
 */
function warmUpFrame(width = 640, height = 480) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.fillStyle = "#6b4f3a";
  context.fillRect(0, 0, width, height);
  context.fillStyle = "#f4f1ea";
  context.fillRect(width * 0.2, height * 0.25, width * 0.6, height * 0.5);
  return { canvas, pixels: context.getImageData(0, 0, width, height) };
}

/** The SDK's sensor readings (DeviceOrientation/DeviceMotion) in the Guide's field names. */
export function sensorReading(sensors) {
  if (!sensors) return null;
  const value = (v) => (Number.isFinite(v) ? v : null);
  return { beta_deg: value(sensors.beta), gamma_deg: value(sensors.gamma), acceleration_m_s2: value(sensors.accel), ambient_lux: null };
}

/**
 * The code a failed attempt is reported with when the guide's time for an attempt ran out without
 * a capture (the Guide's ``failures`` counts those periods; refused captures the server counts itself).
 */
export const NOT_CAPTURED = Object.freeze({ card: "no-card-captured", face: "no-face-captured" });

/**
 * One camera step's on-device guidance.
 * @param {import("./barrierfree").DeviceSpec & {api?: string}} spec
 * @returns {Promise<import("./barrierfree").DeviceEngine>}
 */
export async function createDeviceGuidance(spec) {
  const [data, perception] = await Promise.all([guidanceData(spec.api || "/api/v1", spec.lang), perceptionFor(spec.target)]);
  const guide = new Guide(spec.target, {
    settings: data.settings, catalogs: data.catalogs, camera: spec.camera,
    expectedSide: spec.target === "card" ? spec.side || "portrait" : null,
    profile: { language: spec.lang, screen_reader: Boolean(spec.screenReader), timeout_multiplier: spec.timeoutMultiplier || 1 },
  });
  const warm = warmUpFrame();
  await perception.observe(warm.canvas, warm.pixels, 0);
  if (perception.reset) perception.reset(); // the face mesh must not track the warm-up frame
  let first = true;
  let timedOut = 0; // attempts whose time ran out, already reported
  return {
    async observe(frame) {
      const canvas = frame.canvas;
      const pixels = canvas.getContext("2d", { willReadFrequently: true }).getImageData(0, 0, canvas.width, canvas.height);
      // Whole milliseconds, as the server path sends ``t``: the wire's rounded times and pacing delays
      // then add up exactly (a cue paced 1.5 s after the last is said 1.5 s after it, not 1.4997).
      const t = Math.round(frame.t * 1000) / 1000;
      const observation = await perception.observe(canvas, pixels, t);
      // As the server's Streams: the introduction is said before the first frame's cue, and the guide
      // holds its cues until it ends (a cue decided now and queued behind it would be heard stale).
      const introduction = first ? guide.introduce(t) : undefined;
      const guidance = guide.step(observation, sensorReading(frame.sensors), t);
      const wire = toWire(guide, guidance, { haptics: data.haptics, first, introduction });
      first = false;
      // The card finder's word on this frame as a capture still (the SDK sends only usable ones).
      if (spec.target === "card") wire.still_usable = usableStill(observation, spec.side || "portrait", data.settings);
      const periods = guide.failures - guide.rejections;
      wire.failure = periods > timedOut ? NOT_CAPTURED[spec.target] : null;
      timedOut = Math.max(timedOut, periods);
      return wire;
    },
    answered({ accepted, code }) {
      // As the server's Streams do: a refusal that is no failure (turn the card, read once more) guides
      // again; any other refusal counts as a failed attempt. Accepted: the step moves on.
      if (accepted || code === "wrong-side" || code === "reading-once-more") guide.resume();
      else guide.recordFailure(code); // the server's reason: the guide answers it with the cue that fits
    },
    close() { perception.close(); },
  };
}
