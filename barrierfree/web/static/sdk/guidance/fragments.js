/**
 * A piece of the card taken for the whole card, for a frame or two (port of
 * barrierfree/accessibility/guidance/fragments.py). No hand moves a phone two to four times as
 * far from the card between two frames, so such a detection is skipped; a card cut off by the
 * frame whose scale is out of line with a card recently seen (nearly) whole is not measured.
 * @module
 */

import { cardFrameMm } from "./measure.js";

export class CardScale {
  /**
   * @param {import("./guidance").GuidanceSettings} settings
   * @param {number} [multiplier]  the profile's timeout multiplier
   */
  constructor(settings, multiplier = 1.0) {
    this.settings = settings;
    this.m = multiplier;
    /** @type {[number, number] | null} (t, frame width in mm) of the last detection taken */
    this.last = null;
    /** @type {Array<[number, [number, number]]>} (t, frame mm) of mostly visible cards */
    this.seen = [];
  }

  /**
   * Whether `observation` at `t` is a piece of the card; otherwise it becomes the last detection.
   * @param {import("./guidance").CardObservation} observation
   * @param {number} t
   */
  fragment(observation, t) {
    const extent = observation.found ? cardFrameMm(observation) : null;
    if (extent === null || !Number.isFinite(extent[0]) || extent[0] <= 0) return false;
    if (this.last !== null && t > this.last[0]) {
      const rate = Math.log(extent[0] / this.last[1]) / (t - this.last[0]);
      if (rate > this.settings.card_max_recede_rate_per_s / this.m) return true;
    }
    this.last = [t, extent[0]];
    if (observation.visible_fraction >= this.settings.card_scale_min_visible) this.seen.push([t, extent]);
    this.forget(t);
    return false;
  }

  /**
   * The frame's width and height in the card's plane, in mm, to measure moves with; `null`
   * when unknown or doubtful (a cut card much farther than a whole one seen lately).
   * @param {import("./guidance").CardObservation} observation
   * @param {number} t
   * @returns {[number, number] | null}
   */
  frameMm(observation, t) {
    const own = observation.found ? cardFrameMm(observation) : null;
    if (own === null || observation.cut_edges.length === 0) return own;
    this.forget(t);
    let closest = Infinity;
    for (const [, extent] of this.seen) closest = Math.min(closest, extent[0]);
    return own[0] > this.settings.card_scale_doubt_ratio * closest ? null : own;
  }

  /** @param {number} t */
  forget(t) {
    const memory = this.settings.card_scale_memory_s * this.m;
    while (this.seen.length && this.seen[0][0] < t - memory) this.seen.shift();
  }
}
