/**
 * How the target moves in the picture, and how sharp this stream's frames can be (port of
 * barrierfree/accessibility/guidance/motion.py). Positions are fractions of the frame; times
 * in seconds on the stream's clock.
 * @module
 */

import { lasted } from "./clock.js";
import { finite } from "./pymath.js";

/**
 * The target's linear size in the picture (0 when unknown): the face's width over the frame's,
 * or the square root of the card's share of the frame's area.
 * @param {import("./guidance").Observation} observation
 * @param {"face" | "card"} target
 */
export function sizeOf(observation, target) {
  let size;
  if (target === "face") size = /** @type {import("./guidance").FaceObservation} */ (observation).size_fraction;
  else {
    const coverage = /** @type {import("./guidance").CardObservation} */ (observation).coverage;
    size = coverage > 0 ? Math.sqrt(coverage) : null;
  }
  return finite(size) ? size : 0.0;
}

/** Frame-to-frame motion and the sharpness bar of one stream (one per Guide). */
export class TargetMotion {
  /**
   * @param {"face" | "card"} target
   * @param {import("./guidance").GuidanceSettings} settings
   * @param {number} [multiplier]
   */
  constructor(target, settings, multiplier = 1.0) {
    this.target = target;
    this.settings = settings;
    this.m = multiplier;
    /** @type {[number, number, number, number] | null} x, y, size, t */
    this.previous = null;
    /** @type {Array<[number, number, number]>} (t, x, y) over the last travel window */
    this.track = [];
    /** @type {Array<[number, number, number]>} (t, x, y) over the last card_sway_window_s */
    this.sway = [];
    /** @type {Array<[number, number, number]>} (t, sharpness, size) of recent detections */
    this.sharpness = [];
    /** @type {Array<[number, number]>} (t, beta) of the phone's own tilt over the last travel window */
    this.tilts = [];
    this.movingRun = 0;
    this.fastRun = 0;
    this.framesForAMove = target === "card" ? settings.card_moving_frames_in_a_row : 1;
    /** Frame widths a second counted as still: a face photo tolerates more than a card's text. */
    this.stillLimit = target === "face" ? settings.face_max_still_motion_per_s : settings.max_still_motion_per_s;
  }

  /**
   * Whether the target moves in the image: sideways or towards or away from the lens.
   * @param {import("./guidance").Observation} observation
   * @param {import("./guidance").SensorReading | null} reading
   * @param {number} t
   */
  moving(observation, reading, t) {
    this.rememberTilt(reading, t);
    const [moved, fast] = this.moved(observation, reading, t);
    this.movingRun = moved ? this.movingRun + 1 : 0;
    this.fastRun = fast ? this.fastRun + 1 : 0;
    return moved;
  }

  /** Whether the target has moved on enough frames in a row to be a hand on the move. */
  onTheMove() {
    return this.movingRun >= this.framesForAMove;
  }

  /** The same at the target's own still limit: what makes the guide say "hold still" and hold the capture. */
  tooFastForAPhoto() {
    return this.fastRun >= this.framesForAMove;
  }

  /**
   * @param {import("./guidance").Observation} observation
   * @param {import("./guidance").SensorReading | null} reading
   * @param {number} t
   */
  moved(observation, reading, t) { // -> [moved at max_still_motion_per_s, moved at the target's own still limit]
    const s = this.settings;
    const shaking = reading !== null && reading.acceleration_m_s2 !== null
      && /** @type {number} */ (reading.acceleration_m_s2) > s.max_still_acceleration_m_s2;
    if (!observation.found || observation.center === null) {
      this.previous = null;
      this.track = [];
      this.sway = [];
      return [false, false];
    }
    const center = observation.center;
    const size = sizeOf(observation, this.target);
    this.remember(center, t);
    const previous = this.previous;
    this.previous = [center[0], center[1], size, t];
    if (previous === null || t <= previous[3]) return [false, false];
    const dt = t - previous[3];
    const speed = Math.hypot(center[0] - previous[0], center[1] - previous[1]) / dt;
    const growth = size > 0 && previous[2] > 0 ? Math.abs(Math.log(size / previous[2])) / dt : 0.0;
    const over = (/** @type {number} */ limit) => speed > limit || (shaking && speed > limit / 2) || growth > s.max_still_resize_per_s;
    return [over(s.max_still_motion_per_s), over(this.stillLimit)];
  }

  /**
   * Whether the target has gone somewhere over the last `travel_window_s`; `photo`: at the target's
   * own still limit (what holds a capture back) rather than `max_still_motion_per_s`.
   * @param {boolean} [photo]
   */
  travelling(photo = false) {
    const [vx, vy] = this.velocity();
    return Math.hypot(vx, vy) > (photo ? this.stillLimit : this.settings.max_still_motion_per_s) / 2;
  }

  /**
   * Whether the phone is still turning, by its own tilt sensor: a face's phone whose tilt went more than
   * `face_max_still_turn_deg_per_s` over the last `travel_window_s`, end to end (a wrist's wobble goes nowhere).
   */
  turning() {
    const tilts = this.tilts;
    const limit = this.settings.face_max_still_turn_deg_per_s;
    if (this.target !== "face" || limit <= 0 || tilts.length < 2 || tilts[tilts.length - 1][0] <= tilts[0][0]) return false;
    const [t0, b0] = tilts[0];
    const [t1, b1] = tilts[tilts.length - 1];
    return Math.abs(b1 - b0) / (t1 - t0) > limit;
  }

  /** @param {import("./guidance").SensorReading | null} reading @param {number} t */
  rememberTilt(reading, t) {
    const beta = reading !== null && reading !== undefined ? reading.beta_deg : null;
    const tilts = this.tilts;
    if (!finite(beta)) {
      tilts.length = 0;
      return;
    }
    if (tilts.length && t <= tilts[tilts.length - 1][0]) return;
    tilts.push([t, beta]);
    while (tilts.length > 2 && lasted(tilts[1][0], t, this.settings.travel_window_s * this.m)) tilts.shift();
  }

  /**
   * The target's velocity over the last `travel_window_s`, end to end (x right, y down).
   * @returns {[number, number]}
   */
  velocity() {
    const track = this.track;
    if (track.length < 2 || track[track.length - 1][0] <= track[0][0]) return [0.0, 0.0];
    const [t0, x0, y0] = track[0];
    const [t1, x1, y1] = track[track.length - 1];
    return [(x1 - x0) / (t1 - t0), (y1 - y0) / (t1 - t0)];
  }

  /** @param {ReadonlyArray<number>} center @param {number} t */
  remember(center, t) {
    const track = this.track;
    if (track.length && t <= track[track.length - 1][0]) return;
    track.push([t, center[0], center[1]]);
    while (track.length > 2 && lasted(track[1][0], t, this.settings.travel_window_s * this.m)) track.shift();
    const sway = this.sway;
    sway.push([t, center[0], center[1]]);
    while (sway.length > 2 && lasted(sway[1][0], t, this.settings.card_sway_window_s * this.m)) sway.shift();
  }

  /**
   * Whether the target, seen all through the last `card_sway_window_s`, went nowhere over it: its
   * centre's least-squares speed is under half the target's still limit (a wobble averages out, a glide does not).
   */
  swayingInPlace() {
    const sway = this.sway;
    if (sway.length < 3 || !lasted(sway[0][0], sway[sway.length - 1][0], this.settings.card_sway_window_s * this.m)) return false;
    let meanT = 0;
    for (const p of sway) meanT += p[0];
    meanT /= sway.length;
    let spread = 0;
    let sx = 0;
    let sy = 0;
    for (const p of sway) {
      spread += (p[0] - meanT) ** 2;
      sx += (p[0] - meanT) * p[1];
      sy += (p[0] - meanT) * p[2];
    }
    return spread > 0 && Math.hypot(sx / spread, sy / spread) <= this.stillLimit / 2;
  }

  /**
   * Whether the hand holding a card is at rest though the picture sways: it goes nowhere over
   * `card_sway_window_s` (swayingInPlace), with `card_still_despite_sway`. Faces: never.
   */
  atRest() {
    return this.target === "card" && this.settings.card_still_despite_sway && this.swayingInPlace();
  }

  /**
   * The sharpness a frame needs: the configured bar, or less for a camera that never gets
   * there (relative to this stream's sharpest recent frame at about the same size).
   * @param {import("./guidance").Observation} observation
   * @param {number} t
   */
  sharpnessBar(observation, t) {
    const s = this.settings;
    const absolute = this.target === "face" ? s.face_min_sharpness : s.card_min_sharpness;
    const history = this.sharpness;
    const size = observation.found ? sizeOf(observation, this.target) : 0.0;
    const sharp = observation.sharpness || NaN; // Python: `observation.sharpness or math.nan`
    if (size > 0 && Number.isFinite(sharp)) history.push([t, sharp, size]);
    while (history.length && history[0][0] < t - s.sharpness_memory_s * this.m) history.shift();
    const same = Math.log(1 + s.sharpness_same_size);
    /** @type {Array<[number, number]>} */
    const alike = size > 0 ? history.filter(([, , seen]) => Math.abs(Math.log(seen / size)) <= same).map(([when, v]) => [when, v]) : [];
    if (!alike.length || alike[alike.length - 1][0] - alike[0][0] < s.sharpness_history_min_s * this.m) return absolute;
    let best = -Infinity;
    for (const [, v] of alike) best = Math.max(best, v);
    return Math.min(absolute, s.sharpness_relative_fraction * best);
  }
}
