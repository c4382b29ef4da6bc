/**
 * How big the frame is where the target is, in millimetres, so a cue can say how far to move
 * (port of barrierfree/accessibility/guidance/measure.py). The target is the ruler: an ID-1
 * card is 85.6 mm wide (an ID-3 page 125 mm), a face about `face_width_mm`.
 * @module
 */

import { finite, roundHalfEven } from "./pymath.js";

/** ID-1 and ID-3 sizes in mm (barrierfree/vision/card/layouts.py). */
export const ID1_MM = Object.freeze([85.6, 53.98]);
export const ID3_MM = Object.freeze([125.0, 88.0]);
/** Long-over-short side between the ID-1 (1.586) and ID-3 (1.42) shapes. */
const ID1_MIN_ASPECT = 1.5;

/**
 * @param {import("./guidance").FaceObservation} obs
 * @param {import("./guidance").GuidanceSettings} s
 * @returns {[number, number] | null}
 */
export function faceFrameMm(obs, s) {
  const size = obs.size_fraction;
  if (!finite(size) || size <= 0) return null;
  const [widthPx, heightPx] = obs.frame_size;
  const widthMm = s.face_width_mm / size;
  return [widthMm, (widthMm * heightPx) / widthPx];
}

/** @param {ReadonlyArray<number>} a @param {ReadonlyArray<number>} b */
function norm(a, b) {
  const dx = a[0] - b[0];
  const dy = a[1] - b[1];
  return Math.sqrt(dx * dx + dy * dy);
}

/**
 * Width and height of the frame in the card's plane, in mm (`null` when unknown).
 * @param {import("./guidance").CardObservation} obs
 * @returns {[number, number] | null}
 */
export function cardFrameMm(obs) {
  const quad = obs.quad;
  if (quad === null || quad === undefined) return null;
  const longPx = (norm(quad[1], quad[0]) + norm(quad[2], quad[3])) / 2;
  const shortPx = (norm(quad[3], quad[0]) + norm(quad[2], quad[1])) / 2;
  if (!(Number.isFinite(longPx) && Number.isFinite(shortPx)) || Math.min(longPx, shortPx) < 1) return null;
  const sizeMm = passportPage(obs) ? ID3_MM : ID1_MM;
  const mmPerPx = 1.0 / Math.max(longPx / sizeMm[0], shortPx / sizeMm[1]);
  const [widthPx, heightPx] = obs.frame_size;
  return [widthPx * mmPerPx, heightPx * mmPerPx];
}

/**
 * The camera's focal length in pixels, from its 35 mm-equivalent focal length.
 * @param {ReadonlyArray<number>} frameSize
 * @param {import("./guidance").GuidanceSettings} s
 */
export function focalPx(frameSize, s) {
  return (s.camera_equivalent_focal_mm / 43.27) * Math.hypot(frameSize[0], frameSize[1]);
}

/** @param {import("./guidance").FaceObservation} obs @param {import("./guidance").GuidanceSettings} s */
export function faceDistanceMm(obs, s) {
  const extent = faceFrameMm(obs, s);
  return extent === null ? null : (extent[0] * focalPx(obs.frame_size, s)) / obs.frame_size[0];
}

/** @param {import("./guidance").CardObservation} obs @param {import("./guidance").GuidanceSettings} s */
export function cardDistanceMm(obs, s) {
  const extent = cardFrameMm(obs);
  return extent === null ? null : (extent[0] * focalPx(obs.frame_size, s)) / obs.frame_size[0];
}

/**
 * The change of distance that brings the target into `nearMm`..`farMm`, `aim` of the way in
 * from the edge on the phone's side: negative is closer.
 * @param {number | null} distanceMm
 * @param {number} nearMm
 * @param {number} farMm
 * @param {number} [aim]
 * @returns {number | null}
 */
export function distanceMoveMm(distanceMm, nearMm, farMm, aim = 0.5) {
  if (distanceMm === null || ![distanceMm, nearMm, farMm, aim].every(Number.isFinite)) return null;
  if (distanceMm > farMm) return farMm - aim * (farMm - nearMm) - distanceMm;
  if (distanceMm < nearMm) return nearMm + aim * (farMm - nearMm) - distanceMm;
  return (nearMm + farMm) / 2 - distanceMm;
}

/**
 * Where a face will be once the phone has moved `fartherMm` (closer -), and the frame's extent there.
 * @param {[number, number]} center
 * @param {number} targetY
 * @param {[number, number] | null} extentMm
 * @param {number | null} distanceMm
 * @param {number | null} fartherMm
 * @param {number | null} betaDeg
 * @returns {[[number, number], [number, number] | null]}
 */
export function faceAfterDistanceMove(center, targetY, extentMm, distanceMm, fartherMm, betaDeg) {
  if (extentMm === null || distanceMm === null || fartherMm === null || !(distanceMm > 0)) return [center, extentMm];
  const tilt = betaDeg !== null && betaDeg !== undefined && betaDeg > 0.0 && betaDeg < 180.0
    ? Math.tan((90.0 - betaDeg) * (Math.PI / 180.0)) : 0.0;
  const rightMm = (center[0] - 0.5) * extentMm[0];
  const downMm = (center[1] - targetY) * extentMm[1] + fartherMm * tilt;
  const scale = Math.max(distanceMm + fartherMm, 1.0) / distanceMm;
  const extent = /** @type {[number, number]} */ ([extentMm[0] * scale, extentMm[1] * scale]);
  return [[0.5 + rightMm / extent[0], targetY + downMm / extent[1]], extent];
}

/** An ID-3 page: the cheap cues say so, it is wholly in view and has the ID-3 shape. */
function passportPage(/** @type {import("./guidance").CardObservation} */ obs) {
  return obs.document_type === "mrz_td3" && obs.cut_edges.length === 0 && obs.aspect_ratio > 0
    && obs.aspect_ratio < ID1_MIN_ASPECT;
}

/**
 * A move as a person would say it: whole centimetres, to 5 cm above 10 cm; `null` below
 * `min_spoken_move_cm`.
 * @param {number} moveMm
 * @param {import("./guidance").GuidanceSettings} s
 * @returns {number | null}
 */
export function spokenCm(moveMm, s) {
  const cm = Math.abs(moveMm) / 10;
  if (!Number.isFinite(cm) || cm < s.min_spoken_move_cm) return null;
  return cm < 10 ? roundHalfEven(cm) : 5 * roundHalfEven(cm / 5);
}
