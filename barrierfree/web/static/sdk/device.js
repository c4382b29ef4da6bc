// The on-device path: the interface the SDK calls for guidance computed on the phone, and the
// decision to fall back to the server's guidance when the phone cannot run it.
//
// The on-device engines (face mesh, card finder and the Guide policy in JS) live in their own
// modules; a host names the module that exports ``createDeviceGuidance`` (mount option
// ``deviceEngine``). The SDK uses it only when the browser has WebAssembly and the engine keeps
// to the per-frame budget over its first second (both served in the wire constants); otherwise
// it sends frames to the server as before and says nothing different to the person.

/**
 * What the on-device guide decided for one frame: the same fields as the server's guidance, so the
 * SDK speaks, beeps and captures in one way whichever path decided.
 * @typedef {object} DeviceGuidance
 * @property {number} timestamp_s   the frame's time on the stream clock, seconds
 * @property {boolean} captured     the guide decided to capture this frame
 * @property {import("./audio.js").Cue|null} [speak]  a cue to say now (with ``delay_s`` for pacing)
 * @property {import("./audio.js").Cue[]} [introduction]  said once, when the step starts
 * @property {import("./audio.js").Signal} [signal]  the continuous beep and haptics
 * @property {boolean} [manual_capture_offered] @property {boolean} [human_help_offered]
 * @property {string|null} [failure]  the guide gave up on an attempt (a code, e.g. ``no-card-found``): sent as
 *   telemetry, where it counts towards the server's help-after-repeated-failures rule
 */
/**
 * @typedef {object} DeviceFrame
 * @property {HTMLCanvasElement} canvas  the frame, at most the SDK's frame width
 * @property {number} t  seconds on the stream clock
 * @property {{beta?: number, gamma?: number, accel?: number}} sensors
 */
/**
 * @typedef {object} DeviceEngine
 * @property {(frame: DeviceFrame) => DeviceGuidance|Promise<DeviceGuidance>} observe
 * @property {(answer: {accepted: boolean, code: string|null}) => void} [answered]  the server's answer to a
 *   capture or clip: accepted, or refused with its reason code (``wrong-side``: the guide keeps asking to turn
 *   the card; ``reading-once-more``: hold still; another refusal: a failed attempt)
 * @property {() => void} [close]
 */
/**
 * @typedef {object} DeviceSpec
 * @property {"face"|"card"} target @property {"front"|"back"} camera
 * @property {"portrait"|"emblem"} [side]  the card side the step wants
 * @property {string} lang @property {boolean} screenReader @property {number} timeoutMultiplier
 * @property {string} api  the API's base URL (for the served guidance settings and prompt catalogs)
 */
/** @typedef {(spec: DeviceSpec) => DeviceEngine|Promise<DeviceEngine>} CreateDeviceGuidance */

/** Why this browser cannot run the on-device engine at all, or null. */
export function missingCapability() {
  if (typeof WebAssembly !== "object" || WebAssembly === null || typeof WebAssembly.instantiate !== "function") return "no-webassembly";
  return null;
}

/**
 * Measures the engine's time per frame over its first ``probeS`` seconds against ``budgetMs``.
 * ``record`` returns null while measuring, then ``"device"`` (keeps to the budget on average) or
 * ``"too-slow"``; a single frame slower than the whole probe decides at once.
 */
export class Probe {
  /** @param {number} budgetMs @param {number} probeS */
  constructor(budgetMs, probeS) {
    this.budgetMs = budgetMs;
    this.probeMs = probeS * 1000;
    this.times = [];
    this.first = null;
    this.verdict = null;
  }

  /** @param {number} ms one frame's time @param {number} now performance.now() */
  record(ms, now) {
    if (this.verdict) return this.verdict;
    if (this.first === null) this.first = now - ms;
    this.times.push(ms);
    if (ms > this.probeMs) this.verdict = "too-slow";
    else if (now - this.first >= this.probeMs) {
      const mean = this.times.reduce((a, b) => a + b, 0) / this.times.length;
      this.verdict = mean <= this.budgetMs ? "device" : "too-slow";
    }
    return this.verdict;
  }
}

/**
 * The on-device engine for ``spec``, or the reason the server's guidance is used instead.
 * @param {string|CreateDeviceGuidance|null|undefined} source  a module URL exporting ``createDeviceGuidance``, or the function
 * @param {DeviceSpec} spec
 * @returns {Promise<{engine: DeviceEngine|null, reason: string|null}>}
 */
export async function openDeviceEngine(source, spec) {
  if (!source) return { engine: null, reason: "no-engine" };
  const missing = missingCapability();
  if (missing) return { engine: null, reason: missing };
  try {
    const create = typeof source === "function" ? source : (await import(source)).createDeviceGuidance;
    if (typeof create !== "function") return { engine: null, reason: "no-engine" };
    const engine = await create(spec);
    return engine && typeof engine.observe === "function" ? { engine, reason: null } : { engine: null, reason: "no-engine" };
  } catch (error) {
    return { engine: null, reason: "engine-failed" };
  }
}
