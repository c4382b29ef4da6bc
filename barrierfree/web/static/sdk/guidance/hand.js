/**
 * How far this person really moves the phone when told "about N centimetres" (port of
 * barrierfree/accessibility/guidance/hand.py): after each move told in centimetres, once the
 * person has stopped, the ratio of the move made to the move said; the gain is the geometric
 * mean of the last `hand_gain_moves` ratios. Axes: (right +, up or away +, farther +) in mm.
 * @module
 */

/** The axis and sign of each direction word. @type {Readonly<Record<string, [number, number]>>} */
export const AXES = Object.freeze({
  right: [0, 1.0], left: [0, -1.0], up: [1, 1.0], away: [1, 1.0], down: [1, -1.0], toward: [1, -1.0],
  farther: [2, 1.0], closer: [2, -1.0],
});

/** @typedef {[number | null, number | null, number | null]} Needed */

export class HandGain {
  /** @param {import("./guidance").GuidanceSettings} settings */
  constructor(settings) {
    this.settings = settings;
    this.value = 1.0;
    /** @type {number[]} */
    this.ratios = [];
    /** @type {{axis: number, sign: number, saidMm: number, neededBefore: number, atS: number} | null} */
    this.toldMove = null;
  }

  /**
   * A cue was said: remember the distance said and where the target was. Returns whether this
   * cue's move is the one being measured. A move under way is measured first, unless this cue,
   * said while the hand is still `moving`, does not go the same way: it stops the person part-way,
   * and that length is the guide's doing, not the hand's (then nothing is measured).
   * @param {import("./model.js").Cue} spoken
   * @param {Needed} needed
   * @param {number} t
   * @param {boolean} [moving]
   */
  told(spoken, needed, t, moving = false) {
    const axisSign = Object.hasOwn(AXES, spoken.direction ?? "") ? AXES[/** @type {string} */ (spoken.direction)] : undefined;
    if (this.toldMove !== null && this.moved(needed) !== null) {
      if (moving && (axisSign === undefined || axisSign[0] !== this.toldMove.axis || axisSign[1] !== this.toldMove.sign)) {
        this.toldMove = null;
      }
      return false;
    }
    const cm = spoken.paramsObject.cm;
    if (cm === undefined || cm === null || axisSign === undefined || needed[axisSign[0]] === null) {
      this.toldMove = null;
      return false;
    }
    const [axis, sign] = axisSign;
    this.toldMove = { axis, sign, saidMm: 10.0 * Number(cm), neededBefore: /** @type {number} */ (needed[axis]), atS: t };
    return true;
  }

  /** Measure nothing from the move just told. */
  discard() {
    this.toldMove = null;
  }

  /**
   * The person is still: learn from how far they went. Returns whether a move was made (and measured).
   * @param {Needed} needed
   */
  settled(needed) {
    const told = this.toldMove;
    const moved = this.moved(needed);
    if (told === null || moved === null) return false;
    this.toldMove = null;
    const s = this.settings;
    if (told.saidMm < s.hand_gain_min_said_mm || moved <= 0) return true;
    this.ratios.push(Math.min(s.hand_gain_max, Math.max(s.hand_gain_min, moved / told.saidMm)));
    while (this.ratios.length > s.hand_gain_moves) this.ratios.shift();
    let sum = 0;
    for (const ratio of this.ratios) sum += Math.log(ratio);
    this.value = Math.exp(sum / this.ratios.length);
    return true;
  }

  /** When the distance being measured was said (`null` when none is). */
  get toldAt() {
    return this.toldMove === null ? null : this.toldMove.atS;
  }

  /** Whether a distance was said and the move it asked for is not measured yet. */
  get measuring() {
    return this.toldMove !== null;
  }

  /**
   * How far the target went along the told direction, in mm, once that is a real move (a third
   * of the distance said, either way); `null` before.
   * @param {Needed} needed
   */
  moved(needed) {
    const told = this.toldMove;
    if (told === null || needed[told.axis] === null) return null;
    const moved = (told.neededBefore - /** @type {number} */ (needed[told.axis])) * told.sign;
    return Math.abs(moved) >= told.saidMm / 3 ? moved : null;
  }
}

/**
 * How far the target has come along a directional cue's direction since it was said, and how
 * far it had to go then, in mm; `null` for a cue without a direction or a ruler.
 * @param {import("./model.js").Cue | null} spoken
 * @param {Needed} before
 * @param {Needed} now
 * @returns {[number, number] | null}
 */
export function progressAlong(spoken, before, now) {
  const axisSign = spoken !== null && Object.hasOwn(AXES, spoken.direction ?? "") ? AXES[/** @type {string} */ (spoken.direction)] : undefined;
  if (axisSign === undefined || before[axisSign[0]] === null || now[axisSign[0]] === null) return null;
  const [axis, sign] = axisSign;
  const b = /** @type {number} */ (before[axis]);
  return [(b - /** @type {number} */ (now[axis])) * sign, Math.abs(b)];
}
