/**
 * The user's accessibility profile (port of barrierfree/accessibility/profile.py): how
 * guidance reaches this person. Field names are the Python ones, so the JSON the server
 * keeps for a journey is the JSON the SDK reads.
 * @module
 */

import { GuidanceError } from "./errors.js";

export const VERBOSITIES = ["brief", "normal", "detailed"];
export const MIN_RATE_WPM = 80;
export const MAX_RATE_WPM = 450;
export const MIN_TIMEOUT_MULTIPLIER = 1.0;
export const MAX_TIMEOUT_MULTIPLIER = 10.0;

/** @type {Readonly<import("./guidance").Profile>} */
const DEFAULTS = Object.freeze({
  language: "zh-CN", screen_reader: false, speech_enabled: null, speech_rate_wpm: 160, verbosity: "detailed",
  tones: true, haptics: true, timeout_multiplier: 1.0, high_contrast: false, headphones: false,
});

/**
 * A checked, frozen profile from JSON-like data; unknown keys and bad values are a GuidanceError.
 * @param {Partial<import("./guidance").Profile>} [data]
 * @returns {Readonly<import("./guidance").Profile>}
 */
export function makeProfile(data = {}) {
  if (!data || typeof data !== "object") throw new GuidanceError("bad-profile", "The profile must be a JSON object.");
  const unknown = Object.keys(data).filter((key) => !(key in DEFAULTS)).sort();
  if (unknown.length) throw new GuidanceError("bad-profile", `Unknown profile field(s): ${unknown.join(", ")}.`);
  const profile = { ...DEFAULTS, ...data };
  if (typeof profile.language !== "string" || !profile.language.trim()) {
    throw new GuidanceError("bad-profile", "language must be a language tag such as zh-CN or en.");
  }
  const rate = Math.trunc(Number(profile.speech_rate_wpm));
  if (!(rate >= MIN_RATE_WPM && rate <= MAX_RATE_WPM)) {
    throw new GuidanceError("bad-profile", `speech_rate_wpm must be ${MIN_RATE_WPM}–${MAX_RATE_WPM}.`);
  }
  if (!VERBOSITIES.includes(profile.verbosity)) {
    throw new GuidanceError("bad-profile", `verbosity must be one of ${VERBOSITIES.join(", ")}.`);
  }
  const multiplier = Number(profile.timeout_multiplier);
  if (!(Number.isFinite(multiplier) && multiplier >= MIN_TIMEOUT_MULTIPLIER && multiplier <= MAX_TIMEOUT_MULTIPLIER)) {
    throw new GuidanceError("bad-profile", "timeout_multiplier must be 1–10 (limits can only be extended).");
  }
  return Object.freeze({ ...profile, speech_rate_wpm: rate, timeout_multiplier: multiplier });
}

/**
 * Whether barrierfree itself speaks (the live region is always written).
 * @param {Readonly<import("./guidance").Profile>} profile
 * @returns {boolean}
 */
export function selfVoice(profile) {
  return profile.speech_enabled === null || profile.speech_enabled === undefined
    ? !profile.screen_reader : Boolean(profile.speech_enabled);
}
