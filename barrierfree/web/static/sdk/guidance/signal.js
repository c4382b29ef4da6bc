/**
 * The continuous signal: a parking-sensor beep, pitch for up/down, pan for left/right (port of
 * barrierfree/accessibility/guidance/signal.py). Beeps every `beep_interval_far_s` far off down
 * to `beep_interval_near_s` at the tolerance; a steady tone on target; pan is never the only
 * carrier of left/right (phone speakers are mono: speech says it too).
 * @module
 */

import { Signal } from "./model.js";
import { roundTo } from "./pymath.js";

/** Needed move (in tolerances) at which pan and pitch reach their extremes. */
const FULL_SCALE_TOLERANCES = 3.0;
/** Kinds of cue that say the phone is not yet in the right place. */
const PLACEMENT = new Set(["several", "partly_out", "off_centre", "distance"]);
/** Error (in tolerances) the beeps show at least while a placement cue is active. */
const MIN_PLACEMENT_ERROR = 1.25;

/** @param {number} value @param {number} [low] @param {number} [high] */
function clamp(value, low = -1.0, high = 1.0) {
  return Math.max(low, Math.min(high, value));
}

/** @param {import("./assess.js").Assessment} assessment */
function error(assessment) {
  if (assessment.cues.some((c) => PLACEMENT.has(c.kind))) return Math.max(assessment.error, MIN_PLACEMENT_ERROR);
  return assessment.error;
}

/**
 * 1 at or inside the tolerance, 0 at `far_error` tolerances or beyond.
 * @param {number} err
 * @param {import("./guidance").GuidanceSettings} s
 */
export function closeness(err, s) {
  if (err <= 1.0) return 1.0;
  return clamp(1.0 - (err - 1.0) / (s.far_error - 1.0), 0.0, 1.0);
}

/**
 * Seconds between beep onsets for a closeness (0 far .. 1 on target).
 * @param {number} near
 * @param {import("./guidance").GuidanceSettings} s
 */
export function beepInterval(near, s) {
  return roundTo(s.beep_interval_near_s + (s.beep_interval_far_s - s.beep_interval_near_s) * (1.0 - near), 6);
}

/**
 * The signal for one frame of guidance.
 * @param {import("./assess.js").Assessment} assessment
 * @param {string} phase
 * @param {Readonly<import("./guidance").Profile>} profile
 * @param {import("./guidance").GuidanceSettings} s
 * @param {string | null} [earcon]
 */
export function signalFor(assessment, phase, profile, s, earcon = null) {
  let mode;
  let interval;
  let pitch;
  let pan;
  let near;
  let haptic;
  let horizontal = 0.0;
  let vertical = 0.0;
  if (phase === "captured") {
    [mode, interval, pitch, pan, near, haptic] = ["silent", null, s.base_pitch_hz, 0.0, 1.0, "captured"];
  } else if (phase === "searching" || !assessment.found) {
    [mode, interval, pitch, pan, near, haptic] = ["searching", s.beep_interval_far_s, s.base_pitch_hz / 2, 0.0, 0.0, "searching"];
  } else if (phase === "hold_still") {
    [mode, interval, pitch, pan, near, haptic] = ["steady", s.beep_interval_near_s, s.base_pitch_hz, 0.0, 1.0, "on_target"];
  } else {
    near = closeness(error(assessment), s);
    horizontal = clamp(assessment.horizontal / FULL_SCALE_TOLERANCES);
    vertical = clamp(assessment.vertical / FULL_SCALE_TOLERANCES);
    [mode, interval, haptic] = ["beeping", beepInterval(near, s), "adjust"];
    pitch = s.base_pitch_hz * 2 ** (s.pitch_span_octaves * vertical);
    pan = horizontal;
  }
  const beepMs = interval === null ? s.beep_ms : Math.trunc(Math.min(s.beep_ms, 600 * interval));
  return new Signal({
    mode: profile.tones ? /** @type {import("./guidance").SignalMode} */ (mode) : "silent",
    interval_s: interval, beep_ms: beepMs, pitch_hz: pitch, pan, closeness: near, horizontal, vertical,
    earcon: profile.tones ? earcon : null, haptic: profile.haptics ? haptic : null,
  });
}
