/**
 * The prompt catalogs, as the server serves them (`GET /api/v1/prompts/<lang>`, from
 * barrierfree/assets/prompts/*.json): the one shared source, never copied into the SDK.
 * Port of barrierfree/voice/prompts.py (render, resolve_language) and
 * barrierfree/voice/duration.py (speaking_time_s).
 * @module
 */

import { GuidanceError } from "./errors.js";

/** The reference catalog, and the language used when the requested one has none. */
export const FALLBACK_LANGUAGE = "zh-CN";

/** Seconds × words-a-minute per Mandarin syllable and per English word (espeak-ng 1.51). */
export const ZH_SECONDS_WPM_PER_SYLLABLE = 50.0;
export const EN_SECONDS_WPM_PER_WORD = 55.0;

const HAN = /[\u3400-\u9fff]/gu;
const DIGIT = /\p{Nd}/gu;
// Python's [^\W_]: letters and numbers of any script.
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The catalogs of the languages the SDK has loaded.
 */
export class Catalogs {
  /**
   * @param {Record<string, Record<string, string>>} byLanguage  language tag -> message id -> text
   */
  constructor(byLanguage) {
    if (!byLanguage || typeof byLanguage !== "object" || !(FALLBACK_LANGUAGE in byLanguage)) {
      throw new GuidanceError("prompt-catalog-missing", `The ${FALLBACK_LANGUAGE} prompt catalog is needed (the fallback language).`);
    }
    /** @type {Record<string, Record<string, string>>} */
    this.byLanguage = byLanguage;
    /** @type {string[]} */
    this.languages = Object.keys(byLanguage).sort();
  }

  /**
   * The catalog language for a requested tag, and whether it had to fall back.
   * @param {string | null | undefined} lang
   * @returns {[string, boolean]}
   */
  resolve(lang) {
    if (lang) {
      const wanted = lang.trim().replaceAll("_", "-").toLowerCase();
      for (const tag of this.languages) if (tag.toLowerCase() === wanted) return [tag, false];
      const base = wanted.split("-")[0];
      for (const tag of this.languages) if (tag.split("-")[0].toLowerCase() === base) return [tag, false];
    }
    return [FALLBACK_LANGUAGE, true];
  }

  /**
   * The whole catalog of one language (after {@link Catalogs#resolve}).
   * @param {string} lang
   * @returns {Record<string, string>}
   */
  catalog(lang) {
    return this.byLanguage[this.resolve(lang)[0]];
  }

  /**
   * The text of `messageId` in `lang`, with `params` filled in.
   * @param {string} messageId
   * @param {string} lang
   * @param {Record<string, string | number>} params
   * @returns {string}
   */
  render(messageId, lang, params) {
    const messages = this.catalog(lang);
    if (!Object.hasOwn(messages, messageId)) {
      throw new GuidanceError("unknown-message", `No prompt ${JSON.stringify(messageId)}.`);
    }
    return messages[messageId].replace(/\{(\w+)\}/g, (_, name) => {
      if (!Object.hasOwn(params, name)) {
        throw new GuidanceError("missing-message-parameter", `Prompt ${JSON.stringify(messageId)} needs the parameter ${name}.`);
      }
      return String(params[name]);
    });
  }
}

/**
 * Estimated seconds to say `text` in `lang` at `rateWpm` words a minute (0 for no text):
 * Mandarin syllable by syllable (one per character, one per digit), English word by word.
 * @param {string} text
 * @param {string} lang
 * @param {number} rateWpm
 * @returns {number}
 */
export function speakingTimeS(text, lang, rateWpm) {
  if (!(rateWpm > 0)) throw new GuidanceError("bad-rate", "rate_wpm must be positive");
  if (lang.toLowerCase().startsWith("zh")) {
    const units = (text.match(HAN) ?? []).length + (text.match(DIGIT) ?? []).length;
    return (units * ZH_SECONDS_WPM_PER_SYLLABLE) / rateWpm;
  }
  return ((text.match(WORD) ?? []).length * EN_SECONDS_WPM_PER_WORD) / rateWpm;
}
