/**
 * When the guide may speak again, and in which words (port of
 * barrierfree/accessibility/guidance/speech.py): at least `min_utterance_interval_s` between
 * starts, and nothing new until the last utterance has been said in full (its length estimated
 * from its text at the profile's rate).
 * @module
 */

import { CLOCK_SLACK_S, lasted } from "./clock.js";
import { BRIEF_SUFFIX, Utterance } from "./model.js";
import { speakingTimeS } from "./prompts.js";

export class Speech {
  /**
   * @param {string} language
   * @param {Readonly<import("./guidance").Profile>} profile
   * @param {import("./guidance").GuidanceSettings} settings
   * @param {import("./prompts.js").Catalogs} catalogs
   * @param {number} [multiplier]
   */
  constructor(language, profile, settings, catalogs, multiplier = 1.0) {
    this.language = language;
    this.profile = profile;
    this.settings = settings;
    this.catalogs = catalogs;
    this.m = multiplier;
    /** @type {number | null} */
    this.lastAt = null;
    this.ends = -Infinity;
  }

  /** Seconds until the pacing gap lets another utterance start (0 when it does). @param {number} t */
  wait(t) {
    if (this.lastAt === null) return 0.0;
    return Math.max(0.0, this.lastAt + this.settings.min_utterance_interval_s * this.m - t);
  }

  /** @param {number} t */
  busy(t) {
    return this.wait(t) > CLOCK_SLACK_S || t < this.ends - CLOCK_SLACK_S;
  }

  /** @param {number} t @param {number} seconds */
  heardWithin(t, seconds) {
    return !lasted(this.ends, t, seconds);
  }

  /** @param {import("./model.js").Cue} spoken */
  secondsToSay(spoken) {
    return this.seconds(new Utterance(spoken, 0.0, false, this.brief(spoken)));
  }

  /**
   * Say `spoken` at `t + delay`: the utterance, in brief words when they will do.
   * @param {import("./model.js").Cue} spoken
   * @param {number} t
   * @param {number} [delay]
   * @param {boolean} [repeat]
   */
  say(spoken, t, delay = 0.0, repeat = false) {
    const utterance = new Utterance(spoken, delay, repeat, this.brief(spoken));
    this.lastAt = t + delay;
    this.ends = t + delay + this.seconds(utterance);
    return utterance;
  }

  /**
   * `cues` (an introduction) are said one after another from `t`: nothing new until they end.
   * @param {import("./model.js").Cue[]} cues
   * @param {number} t
   */
  saidBefore(cues, t) {
    this.lastAt = t;
    let seconds = 0.0;
    for (const c of cues) {
      seconds += speakingTimeS(this.catalogs.render(c.messageId, this.language, c.paramsObject), this.language,
        this.profile.speech_rate_wpm);
    }
    this.ends = Math.max(this.ends, t + seconds);
  }

  /** The utterance's words in the guide's language. @param {Utterance} utterance */
  text(utterance) {
    return this.catalogs.render(utterance.messageId, this.language, utterance.cue.paramsObject);
  }

  /** @param {Utterance} utterance */
  seconds(utterance) {
    return speakingTimeS(this.text(utterance), this.language, this.profile.speech_rate_wpm);
  }

  /** Whether to say `spoken` in its brief words (not with `detailed` verbosity). @param {import("./model.js").Cue} spoken */
  brief(spoken) {
    return this.profile.verbosity !== "detailed"
      && Object.hasOwn(this.catalogs.catalog(this.language), spoken.messageId + BRIEF_SUFFIX);
  }
}
