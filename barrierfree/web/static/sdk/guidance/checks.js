/**
 * The building blocks of an assessment (from barrierfree/accessibility/guidance/assess.py): the
 * cue ranks, a cue, the Assessment itself, and the Checks that collect problems with hysteresis
 * in space (a problem starts at its limit and ends only well inside it).
 * @module
 */

import { Cue } from "./model.js";
import { finite } from "./pymath.js";

/** Rank of each kind of cue: lower is more important. @type {Readonly<Record<string, number>>} */
export const RANKS = Object.freeze({
  searching: 0, several: 1, partly_out: 2, off_centre: 3, distance: 4, tilt: 5, light: 6, side: 7, blur: 8,
  hold: 9, captured: 10, offer: 11, notice: 12,
});

/**
 * A cue for `<target>.<name>` at the rank of its kind (params sorted by name, as Python sorts them).
 * @param {string} target
 * @param {string} name
 * @param {string} kind
 * @param {import("./guidance").Direction | null} [direction]
 * @param {Record<string, string | number>} [params]
 */
export function cue(target, name, kind, direction = null, params = {}) {
  const sorted = Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Cue(`${target}.${name}`, kind, RANKS[kind], direction, sorted);
}

/**
 * What a guide says, and which earcon it plays, when it decides a capture: a card's photo is being
 * taken ("hold still", a shutter sound), and the SDK says "captured" once the server accepts it; the
 * face keeps its "captured".
 * @param {string} target
 * @returns {[Cue, string]}
 */
export function captureCue(target) {
  if (target === "card") return [cue(target, "capturing", "captured"), "shutter"];
  return [cue(target, "captured", "captured"), "captured"];
}

/** @typedef {[number | null, number | null, number | null]} Needed */

/** The problems of one frame, most important first, and the geometry for the signal. */
export class Assessment {
  /**
   * @param {boolean} found
   * @param {{cues?: Cue[], keys?: Set<string>, horizontal?: number, vertical?: number, sizeError?: number,
   *   center?: [number, number] | null, neededMm?: Needed}} [fields]
   */
  constructor(found, fields = {}) {
    this.found = found;
    this.cues = Object.freeze([...(fields.cues ?? [])]);
    this.keys = fields.keys ?? new Set();
    this.horizontal = fields.horizontal ?? 0.0;
    this.vertical = fields.vertical ?? 0.0;
    this.sizeError = fields.sizeError ?? 0.0;
    this.center = fields.center ?? null;
    /** @type {Needed} */
    this.neededMm = fields.neededMm ?? [null, null, null];
  }

  get inTolerance() {
    return this.found && this.cues.length === 0;
  }

  /** In tolerance but for blur. */
  get inPlace() {
    return this.found && this.cues.every((c) => c.kind === "blur");
  }

  /** Distance from the target, 1 = at the tolerance (for the beep rate). */
  get error() {
    return Math.sqrt(this.horizontal * this.horizontal + this.vertical * this.vertical + this.sizeError * this.sizeError);
  }
}

/** Collects problems with hysteresis against the previous frame's active set. */
export class Checks {
  /**
   * @param {string} target
   * @param {ReadonlySet<string>} active
   * @param {number} hysteresis
   * @param {number} [gain]
   * @param {number | null} [centringHysteresis]
   */
  constructor(target, active, hysteresis, gain = 1.0, centringHysteresis = null) {
    this.target = target;
    this.active = active;
    this.h = hysteresis;
    this.centringH = centringHysteresis === null ? hysteresis : centringHysteresis;
    this.gain = gain;
    /** @type {Cue[]} */
    this.cues = [];
    /** @type {Set<string>} */
    this.keys = new Set();
    /** @type {Needed} */
    this.needed = [null, null, null];
  }

  /** @param {string} key @param {number | null | undefined} value @param {number} limit @param {number | null} [hysteresis] */
  above(key, value, limit, hysteresis = null) {
    if (!finite(value)) return false;
    const h = hysteresis !== null ? hysteresis : key === "off_centre" ? this.centringH : this.h;
    const bar = this.active.has(key) ? limit * (1 - h) : limit;
    return value > bar;
  }

  /** @param {string} key @param {number | null | undefined} value @param {number} limit */
  below(key, value, limit) {
    if (!finite(value)) return false;
    const bar = this.active.has(key) ? limit * (1 + this.h / 2) : limit;
    return value < bar;
  }

  /**
   * @param {string} key
   * @param {string} name
   * @param {string} kind
   * @param {import("./guidance").Direction | null} [direction]
   * @param {Record<string, string | number>} [params]
   */
  add(key, name, kind, direction = null, params = {}) {
    this.keys.add(key);
    this.cues.push(cue(this.target, name, kind, direction, params));
  }

  /** A tilt the phone's own sensor measured: first after "several", with `straighten_phone_first`. */
  addPhoneTilt(/** @type {string} */ key, /** @type {string} */ name, /** @type {import("./guidance").GuidanceSettings} */ s) {
    this.add(key, name, "tilt");
    if (s.straighten_phone_first) this.cues[this.cues.length - 1] = this.cues[this.cues.length - 1].with({ rank: RANKS.several });
  }

  unseen() {
    return new Assessment(false, { cues: this.cues, keys: this.keys });
  }

  /**
   * @param {boolean} sayDistanceWithMove
   * @param {{horizontal: number, vertical: number, sizeError: number, center: [number, number]}} geometry
   */
  result(sayDistanceWithMove, geometry) {
    let ordered = [...this.cues].sort((a, b) => a.rank - b.rank);
    if (sayDistanceWithMove) ordered = withDistance(this.target, ordered);
    return new Assessment(true, { cues: ordered, keys: this.keys, neededMm: [...this.needed], ...geometry });
  }
}

/**
 * A move one way and a change of distance, both in centimetres, come first: one cue for the one move.
 * @param {string} target
 * @param {Cue[]} cues
 */
export function withDistance(target, cues) {
  const sideways = cues.find((c) => c.kind === "off_centre");
  const distance = cues.find((c) => c.kind === "distance");
  if (sideways === undefined || distance === undefined || Math.min(cues.indexOf(sideways), cues.indexOf(distance)) !== 0) return cues;
  const params = sideways.paramsObject;
  const distanceCm = distance.paramsObject.cm;
  if (!("cm" in params) || "also" in params || distanceCm === undefined || distanceCm === null) return cues;
  const both = cue(target, `move_${sideways.direction}_${distance.direction}_by`, "off_centre", sideways.direction,
    { cm: params.cm, also: /** @type {string} */ (distance.direction), also_cm: distanceCm });
  return [both.with({ rank: cues[0].rank }), ...cues.filter((c) => c !== sideways && c !== distance)];
}

