/**
 * The last instruction said, and how the person is carrying it out (port of
 * barrierfree/accessibility/guidance/response.py): when the picture last moved, where the target
 * was when the last cue was said, and the person's HandGain.
 * @module
 */

import { centringSpot } from "./assess.js";
import { lasted } from "./clock.js";
import { HandGain, progressAlong } from "./hand.js";
import { phoneTilt } from "./upright.js";

/** @typedef {import("./hand.js").Needed} Needed */
/** @typedef {[[number, number], number] | null} Where */

export class Response {
  /**
   * @param {"face" | "card"} target
   * @param {import("./guidance").GuidanceSettings} settings
   * @param {number} [multiplier]
   */
  constructor(target, settings, multiplier = 1.0) {
    this.target = target;
    this.settings = settings;
    this.m = multiplier;
    this.hand = new HandGain(settings);
    /** @type {import("./model.js").Cue | null} the last cue said (not a notice or an offer) */
    this.last = null;
    this.lastAt = -Infinity;
    this.movedAt = -Infinity;
    this.handMovedAt = -Infinity;
    /** @type {Needed} */
    this.needed = [null, null, null];
    /** @type {Where} */
    this.where = null;
    /** @type {Where} */
    this.toldWhere = null;
    /** @type {Needed} */
    this.toldNeeded = [null, null, null];
    this.madeMove = false;
    this.measuringMove = false;
    /** @type {number | null} the phone's tilt on this frame (its own sensor) */
    this.beta = null;
    /** @type {number | null} ... when the last cue was said, if that was a phone tilt */
    this.toldBeta = null;
  }

  /** @param {number} t @param {boolean} moving @param {boolean} found @param {number | null} [beta] */
  saw(t, moving, found, beta = null) {
    this.beta = beta;
    if (moving) this.handMovedAt = t;
    if (moving || !found) this.movedAt = t;
  }

  /**
   * Once the person is still after a move they were told the distance of, learn their gain.
   * Returns whether the gain changed.
   * @param {number} t
   * @param {Needed} needed
   */
  learn(t, needed) {
    const toldAt = this.hand.toldAt;
    if (!(this.settings.learn_hand_gain && this.still(t) && toldAt !== null && this.handMovedAt > toldAt)) return false;
    const before = this.hand.value;
    const made = this.hand.settled(needed);
    this.madeMove = this.madeMove || (made && this.measuringMove);
    return this.hand.value !== before;
  }

  /** @param {Where} where @param {Needed} needed */
  now(where, needed) {
    this.where = where;
    this.needed = needed;
  }

  /**
   * A cue (not a notice or an offer) was said at `t`.
   * @param {import("./model.js").Cue} spoken
   * @param {number} t
   * @param {boolean} [measure]
   */
  told(spoken, t, measure = true) {
    this.last = spoken;
    this.lastAt = t;
    if (measure) this.measuringMove = this.hand.told(spoken, this.needed, t, this.moving(t, this.settings.cue_settle_s * this.m));
    else {
      this.hand.discard();
      this.measuringMove = false;
    }
    this.toldWhere = this.where;
    this.toldNeeded = this.needed;
    this.madeMove = false;
    this.toldBeta = phoneTilt(spoken) ? this.beta : null;
  }

  /** @param {number} t @param {number} within */
  moving(t, within) {
    return !lasted(this.handMovedAt, t, within);
  }

  /** @param {number} t */
  still(t) {
    return lasted(this.movedAt, t, this.settings.update_after_still_s * this.m);
  }

  /** @param {number} t */
  stoppedAfterMoving(t) {
    return this.movedSinceCue() && this.still(t);
  }

  /** @param {number} t @param {boolean} [heard] the last cue heard in full, and time to start on it since */
  dueForRepeat(t, heard = true) {
    const every = this.settings.repeat_interval_s * this.m;
    return lasted(this.lastAt, t, this.still(t) || (heard && this.tiltNotBegun()) ? every : 2 * every);
  }

  /** Whether the last cue was a phone tilt and the phone's own sensor says it has not begun. */
  tiltNotBegun() {
    const [told, now] = [this.toldBeta, this.beta];
    return told !== null && now !== null && Math.abs(now - told) < this.settings.tilt_begun_deg;
  }

  movedSinceCue() {
    if (!this.handMovedSinceCue()) return false;
    if (this.madeMove) return true;
    if (this.measuringMove && this.hand.measuring) return this.hand.moved(this.needed) !== null;
    const progress = progressAlong(this.last, this.toldNeeded, this.needed);
    if (progress !== null) return progress[0] >= progress[1] / 3;
    if (this.where === null || this.toldWhere === null) return false;
    const [[center, size], [center0, size0]] = [this.where, this.toldWhere];
    const s = this.settings;
    const tolerance = centringSpot(this.target, s)[1][0];
    const shifted = Math.hypot(center[0] - center0[0], center[1] - center0[1]) >= tolerance / 2;
    const resized = size > 0 && size0 > 0 && Math.abs(Math.log(size / size0)) >= Math.log(1 + s.update_min_resize);
    return shifted || resized;
  }

  handMovedSinceCue() {
    return this.handMovedAt > this.lastAt;
  }
}
