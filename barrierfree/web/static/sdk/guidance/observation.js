/**
 * An observation as the Guide reads it: the Python field names (barrierfree/vision/face/observation.py,
 * barrierfree/vision/card/observation.py), with the defaults the Python dataclasses have.
 * @module
 */

import { GuidanceError } from "./errors.js";

/**
 * An observation as the Guide reads it: the Python field names, `cut_edges` as an array,
 * `found` for faces from `face_count`. Anything else is a GuidanceError.
 * @param {"face" | "card"} target
 * @param {unknown} observation
 * @returns {import("./guidance").Observation}
 */
export function normalise(target, observation) {
  const o = /** @type {Record<string, any>} */ (observation);
  const face = target === "face";
  if (!o || typeof o !== "object" || (face ? typeof o.face_count !== "number" : typeof o.found !== "boolean")
      || !Array.isArray(o.frame_size) || o.frame_size.length !== 2) {
    throw new GuidanceError("wrong-observation",
      `The ${target} guide needs a ${face ? "FaceObservation (face_count, frame_size, ...)" : "CardObservation (found, frame_size, ...)"}.`);
  }
  const cutEdges = o.cut_edges === undefined || o.cut_edges === null ? [] : [...o.cut_edges];
  const base = { ...o, cut_edges: cutEdges, center: o.center ?? null, timestamp_s: o.timestamp_s ?? null };
  if (face) {
    return /** @type {import("./guidance").Observation} */ (/** @type {unknown} */ ({
      size_fraction: null, sharpness: null, exposure: null, yaw_deg: null, pitch_deg: null, roll_deg: null,
      ...base, found: o.face_count > 0,
    }));
  }
  return /** @type {import("./guidance").Observation} */ (/** @type {unknown} */ ({
    quad: null, coverage: 0.0, skew_deg: 0.0, tilt_deg: 0.0, sharpness: 0.0, glare_fraction: 0.0, exposure: 0.0,
    side: "unknown", upside_down: false, visible_fraction: 0.0, document_type: null, aspect_ratio: 0.0,
    glare_center: null, ...base,
  }));
}
