/**
 * Which way to move the phone to take a lamp's reflection off the card, and how far (port of
 * barrierfree/accessibility/guidance/glare.py): the reflection moves with the phone while the
 * card stays, and leaves by the card's nearer long edge.
 * @module
 */

import { neededMove, word } from "./directions.js";
import { ptp } from "./pymath.js";

/**
 * The phone move that takes the glare past the card's nearer edge across its short side, and
 * its length in mm; `null` when the glare's place or the card's size is unknown.
 * @param {import("./guidance").CardObservation} obs
 * @param {[number, number] | null} extentMm
 * @param {"front" | "back"} camera
 * @param {boolean} flat
 * @param {import("./guidance").GuidanceSettings} s
 * @returns {[import("./guidance").Direction, number] | null}
 */
export function glareEscape(obs, extentMm, camera, flat, s) {
  if (obs.glare_center === null || obs.quad === null || obs.center === null || extentMm === null) return null;
  const [widthPx, heightPx] = obs.frame_size;
  const half = [ptp(obs.quad, 0) / widthPx / 2, ptp(obs.quad, 1) / heightPx / 2];
  const across = half[1] * extentMm[1] <= half[0] * extentMm[0] ? 1 : 0;
  const offset = obs.glare_center[across] - obs.center[across];
  const leftMm = Math.max(0.0, half[across] - Math.abs(offset)) * extentMm[across] + s.glare_escape_margin_mm;
  const side = offset >= 0 ? 1.0 : -1.0;
  const [horizontal, vertical] = neededMove(across === 0 ? side : 0.0, across === 1 ? side : 0.0, camera);
  return [word(horizontal, vertical, flat), leftMm];
}
