/**
 * A selfie with the phone tilted: where the face will be once the phone is upright, and one cue
 * for both moves ("hold the phone upright, then move it 20 centimetres up") (port of
 * barrierfree/accessibility/guidance/upright.py, whose docstring says why).
 * @module
 */

import { focalPx } from "./measure.js";
import { Cue } from "./model.js";

/** The phone tilts said by the phone's own sensor, which a move can follow in one cue. */
export const PHONE_TILTS = Object.freeze(new Set(["face.tilt_top_toward_you", "face.tilt_top_away"]));
/** The moves that can follow a tilt in one cue (one way, in centimetres). */
const MOVES = new Set(["left", "right", "up", "down", "closer", "farther"]);
/** Beyond this angle above or below the camera, no upright estimate is made, degrees. */
const MAX_ELEVATION_DEG = 45.0;

/**
 * Whether `spoken` asks for a phone tilt the phone's own sensor measures (alone, or with a move).
 * @param {Cue} spoken
 */
export function phoneTilt(spoken) {
  return PHONE_TILTS.has(spoken.messageId) || PHONE_TILTS.has(spoken.messageId.split("_then_")[0]);
}

/**
 * Where the face will be in the picture once the phone is upright, the frame's extent in mm at the
 * face then, and the face's new distance over today's; `null` when unknown.
 * @param {ReadonlyArray<number>} center
 * @param {[number, number] | null} extentMm
 * @param {number | null} distanceMm
 * @param {number | null | undefined} betaDeg
 * @param {ReadonlyArray<number>} frameSize
 * @param {import("./guidance").GuidanceSettings} s
 * @returns {[[number, number], [number, number], number] | null}
 */
export function faceOnceUpright(center, extentMm, distanceMm, betaDeg, frameSize, s) {
  if (extentMm === null || distanceMm === null || betaDeg === null || betaDeg === undefined || !(distanceMm > 0)) return null;
  if (![...center, ...extentMm, distanceMm, betaDeg].every(Number.isFinite)) return null;
  const f = focalPx(frameSize, s);
  const elevation = (90.0 - betaDeg) * (Math.PI / 180.0) - Math.atan(((center[1] - 0.5) * frameSize[1]) / f);
  if (Math.abs(elevation) > MAX_ELEVATION_DEG * (Math.PI / 180.0)) return null;
  const scale = Math.cos(elevation);
  const extent = /** @type {[number, number]} */ ([extentMm[0] * scale, extentMm[1] * scale]);
  const rightMm = (center[0] - 0.5) * extentMm[0];
  const exactY = 0.5 - (f * Math.tan(elevation)) / frameSize[1];
  const y = s.face_target_y + s.upright_move_share * (exactY - s.face_target_y);  // short of the spot: see the setting
  return [[0.5 + rightMm / extent[0], y], extent, scale];
}

/**
 * A phone tilt said first and a move one way in centimetres next: one cue, the tilt first.
 * @param {ReadonlyArray<Cue>} cues
 * @returns {ReadonlyArray<Cue>}
 */
export function withTilt(cues) {
  if (cues.length < 2 || !PHONE_TILTS.has(cues[0].messageId)) return cues;
  const tilt = cues[0];
  // The centring move first, if any: a face above the picture once upright is brought into it by the move up.
  const move = cues.find((c) => c.kind === "off_centre") ?? cues[1];
  const params = move.paramsObject;
  if (move.direction === null || !MOVES.has(move.direction) || !("cm" in params) || "also" in params) return cues;
  const both = new Cue(`${tilt.messageId}_then_${move.direction}_by`, tilt.kind, tilt.rank, move.direction, [["cm", params.cm]]);
  return [both, ...cues.slice(1).filter((c) => c !== move)];
}
