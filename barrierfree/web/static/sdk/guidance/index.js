/**
 * barrierfree's guidance policy on the device: the Guide, the continuous signal, haptics and
 * speech choice, as ES modules with no build step. The Python Guide
 * (barrierfree/accessibility/guidance/) is the reference; `node --test tests/js/` replays the
 * conformance corpus recorded from it through this port.
 *
 * The prompt catalogs and the guidance settings are not copied here: {@link loadGuidanceData}
 * fetches them from the server (`/api/v1/prompts/<lang>`, `/api/v1/guidance/settings`), which
 * serves barrierfree/assets/prompts/*.json and barrierfree/settings/guidance.py as they are.
 * @module
 */

import { Catalogs, FALLBACK_LANGUAGE } from "./prompts.js";

export { Assessment, RANKS, assessCard, assessFace, centringSpot, cue } from "./assess.js";
export { GuidanceError } from "./errors.js";
export { DEFAULT_CAMERA, Guide, TARGETS } from "./guide.js";
export { BRIEF_SUFFIX, Cue, Guidance, Signal, Utterance } from "./model.js";
export { makeProfile, selfVoice } from "./profile.js";
export { Catalogs, FALLBACK_LANGUAGE, speakingTimeS } from "./prompts.js";
export { beepInterval, closeness, signalFor } from "./signal.js";
export { IN_PLACE_PHASES, usableStill } from "./stills.js";
export { toWire } from "./wire.js";

/**
 * The settings, vibration patterns and prompt catalogs a Guide needs, from the server.
 * @param {{base?: string, languages?: string[], fetch?: typeof fetch}} [options]  `base`: the API's
 *   root (default `/api/v1`); `languages`: the catalogs to load besides the zh-CN fallback
 * @returns {Promise<import("./guidance").GuidanceData>}
 */
export async function loadGuidanceData(options = {}) {
  const base = (options.base ?? "/api/v1").replace(/\/$/, "");
  const get = options.fetch ?? globalThis.fetch;
  const json = async (/** @type {string} */ path) => {
    const response = await get(`${base}${path}`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`GET ${base}${path}: HTTP ${response.status}`);
    return response.json();
  };
  const wanted = [...new Set([FALLBACK_LANGUAGE, ...(options.languages ?? [])])];
  const [served, ...catalogs] = await Promise.all([json("/guidance/settings"),
    ...wanted.map((lang) => json(`/prompts/${encodeURIComponent(lang)}`).catch(() => null))]);
  /** @type {Record<string, Record<string, string>>} */
  const byLanguage = {};
  catalogs.forEach((catalog, i) => {
    if (catalog !== null) byLanguage[catalog.lang ?? wanted[i]] = catalog.messages;
  });
  return { settings: served.settings, haptics: served.haptics, catalogs: new Catalogs(byLanguage) };
}
