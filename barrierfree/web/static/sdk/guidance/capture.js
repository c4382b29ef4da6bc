/**
 * When the Guide captures: the target held in place, and which frame is the photo (port of
 * barrierfree/accessibility/guidance/capture.py, whose docstring gives the reasons).
 * @module
 */

import { cue } from "./assess.js";
import { lasted } from "./clock.js";

/** Cue kinds that ask the person to hold the target where it is. */
export const HOLD_KINDS = new Set(["blur", "hold"]);
/** Refusals answered with the cue that fixes them (the face-match gates'). */
const REFUSAL_CUES = {
  face: { "face-blurred": ["hold_still", "blur"], "face-turned": ["look_at_phone", "tilt"],
    "face-too-dark": ["too_dark", "light"], "face-too-bright": ["too_bright", "light"] },
  card: {},
};
/** Card refusals that are no reading failure: not answered with "hold still". */
const CARD_NOT_BLUR = new Set(["wrong-document", "wrong-side", "portrait-not-found"]);

/**
 * The cue that answers a capture refused for `reason` (the server's code), or null.
 * @param {"face" | "card"} target
 * @param {string | null | undefined} reason
 */
export function refusalCue(target, reason) {
  if (!reason) return null;
  let found = Object.prototype.hasOwnProperty.call(REFUSAL_CUES[target], reason) ? REFUSAL_CUES[target][reason] : null;
  if (found === null && target === "card" && !CARD_NOT_BLUR.has(reason)) found = ["hold_still", "blur"];
  return found ? cue(target, found[0], found[1]) : null;
}

/** The hold-and-capture decision of one Guide. */
export class AutoCapture {
  /**
   * @param {"face" | "card"} target
   * @param {import("./guidance").GuidanceSettings} settings
   * @param {import("./motion.js").TargetMotion} motion
   * @param {number} [multiplier]
   */
  constructor(target, settings, motion, multiplier = 1.0) {
    this.target = target;
    this.settings = settings;
    this.motion = motion;
    this.m = multiplier;
    /** @type {number | null} since when the target has been in place */
    this.since = null;
    /** @type {Array<[number, number]>} (t, sharpness) in place, over capture_sharpest_window_s */
    this.recent = [];
    this.holdSaid = false;
    this.strict = false;
    /** @type {import("./model.js").Cue | null} */
    this.pendingAnswer = null;
  }

  /** Guide again: the dwell starts over. */
  reset() {
    this.since = null;
    this.holdSaid = false;
    this.recent = [];
  }

  /** A capture was refused downstream for `reason`. @param {string | null | undefined} reason */
  refused(reason) {
    this.reset();
    this.pendingAnswer = refusalCue(this.target, reason);
    this.strict = this.pendingAnswer !== null && this.pendingAnswer.kind === "blur";
  }

  /** The cue answering the last refusal, once. */
  answer() {
    const answer = this.pendingAnswer;
    this.pendingAnswer = null;
    return answer;
  }

  /**
   * @param {import("./assess.js").Assessment} assessment
   * @param {import("./model.js").Cue} current
   * @param {number} t
   * @param {number | null | undefined} sharpness
   * @param {number} bar  the guide's sharpness bar on this frame
   * @returns {[string, string | null]}
   */
  decide(assessment, current, t, sharpness, bar) {
    if (!assessment.found || !assessment.inPlace) {
      this.reset();
      if (!assessment.found) return [current.kind === "searching" ? "searching" : "adjusting", null];
      return ["adjusting", null];
    }
    let earcon = null;
    if (this.since === null) {
      this.since = t;
      earcon = "lock";
    }
    const sharp = typeof sharpness === "number" && Number.isFinite(sharpness) ? sharpness : 0.0;
    this.remember(t, sharp);
    let sharpest = -Infinity;
    for (const [, v] of this.recent) sharpest = Math.max(sharpest, v);
    const fraction = this.strict ? 1.0
      : this.target === "face" ? this.settings.face_capture_sharpest_fraction : this.settings.capture_sharpest_fraction;
    const amongSharpest = sharp >= fraction * sharpest && sharp >= this.floor(t);
    const steady = (!this.motion.travelling(true) || this.sharpDespiteSway(sharp, bar)) && !this.motion.turning();
    if (this.inTolerance(assessment, sharp, bar) && amongSharpest && steady && lasted(this.since, t, this.settings.capture_dwell_s * this.m)) {
      this.strict = false;
      return ["captured", "captured"];
    }
    return ["hold_still", earcon];
  }

  /**
   * Within tolerance, or kept from it only by "hold still" on a frame that is itself sharp (at the guide's bar),
   * of a target swaying in place.
   * @param {import("./assess.js").Assessment} assessment @param {number} sharpness @param {number} bar
   */
  inTolerance(assessment, sharpness, bar) {
    return assessment.inTolerance || (assessment.cues.length > 0 && sharpness >= bar
      && assessment.cues.every((c) => c.kind === "blur") && this.motion.swayingInPlace());
  }

  /** Whether `current`, a hold cue, goes unsaid: one was said since the target came into place. @param {import("./model.js").Cue} current */
  quiet(current) {
    return HOLD_KINDS.has(current.kind) && this.since !== null && this.holdSaid;
  }

  /** The guide said `spoken`. @param {import("./model.js").Cue} spoken */
  said(spoken) {
    if (HOLD_KINDS.has(spoken.kind) && this.since !== null) this.holdSaid = true;
  }

  /** @param {number} t @param {number} sharpness */
  remember(t, sharpness) {
    this.recent.push([t, sharpness]);
    const window = this.settings.capture_sharpest_window_s * this.m;
    while (this.recent.length > 1 && lasted(this.recent[0][0], t, window)) this.recent.shift();
  }

  /** The least sharpness a face is captured at (0 for a card). @param {number} t */
  floor(t) {
    const s = this.settings;
    if (this.target !== "face") return 0.0;
    const patient = !this.strict && this.since !== null && lasted(this.since, t, s.face_capture_patience_s * this.m);
    return patient ? s.face_capture_patient_min_sharpness : s.face_capture_min_sharpness;
  }

  /** Whether a card frame is sharp enough to be the photo though the picture sways. @param {number} sharpness @param {number} bar */
  sharpDespiteSway(sharpness, bar) {
    const s = this.settings;
    return this.target === "card" && s.card_capture_sharp_despite_sway && sharpness >= bar && this.motion.swayingInPlace();
  }
}
