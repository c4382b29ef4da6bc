/**
 * One observation -> the problems to fix, in the cue order (port of
 * barrierfree/accessibility/guidance/assess.py): nothing found → several faces → partly out →
 * off-centre → too far / too close → tilted phone → light → wrong side → blur. A tilt the
 * phone's own sensor measures comes right after "several" (`straighten_phone_first`); "too
 * close" comes before "off-centre" (`farther_first`). Hysteresis in space: a problem starts at
 * its limit and ends only well inside it.
 * @module
 */

import { edgeDirection, neededMove, word } from "./directions.js";
import { glareEscape } from "./glare.js";
import {
  ID1_MM, ID3_MM, cardDistanceMm, cardFrameMm, distanceMoveMm, faceAfterDistanceMove, faceDistanceMm, faceFrameMm,
  spokenCm,
} from "./measure.js";
import { Checks, RANKS, cue } from "./checks.js";
import { faceOnceUpright, withTilt } from "./upright.js";
import { finite, ptp } from "./pymath.js";

export { Assessment, RANKS, captureCue, cue } from "./checks.js";

/** A face, chin to hairline, over its width. */
const FACE_HEIGHT_OVER_WIDTH = 1.3;

/**
 * How far the phone must move along `direction` to bring `center` to the target spot, in mm.
 * @param {string} direction
 * @param {ReadonlyArray<number>} center
 * @param {number} targetY
 * @param {[number, number] | null} extentMm
 */
function moveMm(direction, center, targetY, extentMm) {
  if (extentMm === null) return null;
  if (direction === "left" || direction === "right") return Math.abs(center[0] - 0.5) * extentMm[0];
  return Math.abs(center[1] - targetY) * extentMm[1];
}

/**
 * Add a directional cue, in centimetres (`<name>_by`, param `cm`) when the move is long enough to say.
 * @param {Checks} checks
 * @param {string} key
 * @param {string} name
 * @param {string} kind
 * @param {import("./guidance").Direction} direction
 * @param {number | null} mm
 * @param {import("./guidance").GuidanceSettings} s
 */
function sayMove(checks, key, name, kind, direction, mm, s) {
  let cm = mm === null ? null : spokenCm(mm / checks.gain, s);
  if (cm === null && mm !== null && spokenCm(mm, s) !== null) cm = Math.ceil(s.min_spoken_move_cm);
  if (cm === null) checks.add(key, name, kind, direction);
  else checks.add(key, `${name}_by`, kind, direction, { cm });
}

/**
 * @param {Checks} checks
 * @param {[number, number]} center
 * @param {number} targetY
 * @param {[number, number]} tol
 * @param {"front" | "back"} camera
 * @param {boolean} flat
 * @param {[number, number] | null} extentMm
 * @param {import("./guidance").GuidanceSettings} s
 * @returns {[number, number]}
 */
function centring(checks, center, targetY, tol, camera, flat, extentMm, s) {
  const [horizontal, vertical] = neededMove((center[0] - 0.5) / tol[0], (center[1] - targetY) / tol[1], camera);
  if (extentMm !== null) {
    checks.needed[0] = horizontal * tol[0] * extentMm[0];
    checks.needed[1] = vertical * tol[1] * extentMm[1];
  }
  if (checks.above("off_centre", Math.max(Math.abs(horizontal), Math.abs(vertical)), 1.0)) {
    const direction = word(horizontal, vertical, flat);
    if (!(s.say_two_way_moves && sayTwoWay(checks, horizontal, vertical, flat, center, targetY, extentMm, s))) {
      sayMove(checks, "off_centre", `move_${direction}`, "off_centre", direction, moveMm(direction, center, targetY, extentMm), s);
    }
  }
  return [horizontal, vertical];
}

/**
 * Off-centre both ways: one cue for the one slanting move, the longer part first. Returns whether it was said.
 * @param {Checks} checks
 * @param {number} horizontal
 * @param {number} vertical
 * @param {boolean} flat
 * @param {[number, number]} center
 * @param {number} targetY
 * @param {[number, number] | null} extentMm
 * @param {import("./guidance").GuidanceSettings} s
 */
function sayTwoWay(checks, horizontal, vertical, flat, center, targetY, extentMm, s) {
  if (extentMm === null || Math.min(Math.abs(horizontal), Math.abs(vertical)) <= 1.0) return false;
  const parts = [word(horizontal, 0.0, flat), word(0.0, vertical, flat)]
    .map((d) => /** @type {[number, import("./guidance").Direction]} */ ([/** @type {number} */ (moveMm(d, center, targetY, extentMm)), d]));
  // Python sorts the (mm, direction) pairs in reverse: larger mm first, then the later word.
  parts.sort((a, b) => (b[0] - a[0]) || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
  const [[majorMm, major], [minorMm, minor]] = parts;
  const majorCm = spokenCm(majorMm / checks.gain, s);
  const minorCm = spokenCm(minorMm / checks.gain, s);
  if (majorCm === null || minorCm === null) return false;
  checks.add("off_centre", `move_${major}_${minor}_by`, "off_centre", major, { cm: majorCm, also: minor, also_cm: minorCm });
  return true;
}

/**
 * Too far / too close, from `size` against `low`..`high`; says by how much when the distance is known.
 * @param {Checks} checks
 * @param {number | null | undefined} size
 * @param {number} low
 * @param {number} high
 * @param {number | null} distanceMm
 * @param {import("./guidance").GuidanceSettings} s
 * @param {number} [power]
 * @param {boolean} [cutOff]
 */
function sizeCheck(checks, size, low, high, distanceMm, s, power = 1.0, cutOff = false) {
  if (!finite(size) || size <= 0) return 0.0;
  let move = null;
  if (distanceMm !== null) {
    const scale = (/** @type {number} */ limit) => {
      const ratio = size / limit;
      return distanceMm * (power === 1.0 ? ratio : power === 2.0 ? Math.sqrt(ratio) : ratio ** (1 / power));
    };
    const far = scale(low);
    const near = scale(high);
    move = distanceMoveMm(distanceMm, near, far, s.distance_aim_fraction);
    checks.needed[2] = move;
  }
  if (checks.below("too_far", size, low)) {
    sayMove(checks, "too_far", "move_closer", "distance", "closer", move, s);
  } else if (checks.above("too_close", size, high)) {
    sayMove(checks, "too_close", "move_farther", "distance", "farther", move, s);
    if (cutOff || s.farther_first) checks.cues[checks.cues.length - 1] = checks.cues[checks.cues.length - 1].with({ rank: RANKS.partly_out });
  }
  return (size - (low + high) / 2) / ((high - low) / 2);
}

/**
 * Partly out of the frame: which way to move (a target too big to fit is a distance problem).
 * @param {Checks} checks
 * @param {ReadonlyArray<string>} edges
 * @param {"front" | "back"} camera
 * @param {boolean} flat
 * @param {[number, number]} center
 * @param {number} targetY
 * @param {[number, number] | null} extentMm
 * @param {import("./guidance").GuidanceSettings} s
 * @param {boolean} [tooBig]
 * @param {number} [longestMm]
 */
function cut(checks, edges, camera, flat, center, targetY, extentMm, s, tooBig = false, longestMm = Infinity) {
  if (!edges.length || tooBig) return;
  const direction = edgeDirection(edges, camera, flat);
  if (direction === null) checks.add("too_close", "move_farther", "distance", "farther");
  else {
    const move = moveMm(direction, center, targetY, extentMm);
    sayMove(checks, "partly_out", `partly_out_${direction}`, "partly_out", direction, move === null ? null : Math.min(move, longestMm), s);
  }
}

/**
 * Problems of a face observation (front camera by default), most important first.
 * @param {import("./guidance").FaceObservation} obs
 * @param {import("./guidance").SensorReading | null} reading
 * @param {import("./guidance").GuidanceSettings} s
 * @param {ReadonlySet<string>} [active]
 * @param {"front" | "back"} [camera]
 * @param {boolean} [moving]
 * @param {number | null} [minSharpness]
 * @param {number} [gain]
 */
export function assessFace(obs, reading, s, active = new Set(), camera = "front", moving = false, minSharpness = null, gain = 1.0) {
  const checks = new Checks("face", active, s.hysteresis_fraction, gain, s.face_centre_hysteresis_fraction);
  if (!(obs.face_count > 0) || obs.center === null) {
    if (s.straighten_phone_first) facePhoneTilt(checks, reading, s);
    return checks.unseen();
  }
  if (obs.face_count > 1) checks.add("several", "several", "several");
  let extent = faceFrameMm(obs, s);
  let distance = faceDistanceMm(obs, s);
  let beta = reading !== null ? reading.beta_deg : null;
  // Tilted, the face is measured where it will be once the phone is upright (upright.js).
  const upright = s.straighten_phone_first && s.say_move_with_tilt && phoneTilted(checks, beta, s)
    ? faceOnceUpright(obs.center, extent, distance, beta, obs.frame_size, s) : null;
  let size = obs.size_fraction;
  let center = obs.center;
  if (upright === null) {
    const tooBig = size !== null && size > s.face_max_width_fraction;
    cut(checks, obs.cut_edges, camera, false, center, s.face_target_y, extent, s, tooBig, s.face_width_mm * FACE_HEIGHT_OVER_WIDTH);
  } else {  // what is cut off now is not what will be: the move is measured on the upright picture
    let scale;
    [center, extent, scale] = upright;
    size = size === null ? null : size / scale;
    distance = distance === null ? null : distance * scale;
    beta = 90.0;
  }
  const sizeError = sizeCheck(checks, size, s.face_min_width_fraction, s.face_max_width_fraction, distance, s, 1.0,
    obs.cut_edges.length > 0 && upright === null);
  if (s.centre_for_new_distance && (checks.keys.has("too_far") || checks.keys.has("too_close"))) {
    [center, extent] = faceAfterDistanceMove(center, s.face_target_y, extent, distance, checks.needed[2], beta);
  }
  let [[, aimY], tolerance] = centringSpot("face", s);
  // A move said with a distance aims at the spot itself.
  if (!checks.keys.has("too_far") && !checks.keys.has("too_close")) tolerance = faceRoom(size, aimY, obs.frame_size, tolerance, s);
  const [horizontal, vertical] = centring(checks, center, aimY, tolerance, camera, false, extent, s);
  facePhoneTilt(checks, reading, s);
  const roll = finite(obs.roll_deg) ? obs.roll_deg : null;
  const yaw = finite(obs.yaw_deg) ? obs.yaw_deg : null;
  const pitch = finite(obs.pitch_deg) ? obs.pitch_deg : null;
  if (checks.above("roll", roll === null ? null : Math.abs(roll), s.face_max_roll_deg)) checks.add("roll", "level_phone", "tilt");
  // Turn and nod: what the face-match gates refuse the still for ("face-turned"), so never captured.
  const turned = checks.above("yaw", yaw === null ? null : Math.abs(yaw), s.face_max_yaw_deg, s.face_pose_hysteresis_fraction);
  const nodded = checks.above("pitch", pitch === null ? null : Math.abs(pitch), s.face_max_pitch_deg, s.face_pose_hysteresis_fraction);
  if (turned || nodded) {
    checks.add(turned ? "yaw" : "pitch", "look_at_phone", "tilt");
    if (turned && nodded) checks.keys.add("pitch");
  }
  const lux = reading ? reading.ambient_lux : null;
  if (checks.below("dark", obs.exposure, s.face_min_exposure) || (lux !== null && lux < s.min_ambient_lux)) {
    checks.add("dark", "too_dark", "light");
  } else if (checks.above("bright", obs.exposure, s.face_max_exposure)) checks.add("bright", "too_bright", "light");
  if (moving || checks.below("blur", obs.sharpness, minSharpness === null ? s.face_min_sharpness : minSharpness)) {
    checks.add("blur", "hold_still", "blur");
  }
  const assessment = checks.result(s.say_distance_with_move, { horizontal, vertical, sizeError, center: obs.center });
  if (upright !== null) assessment.cues = Object.freeze([...withTilt(assessment.cues)]);
  return assessment;
}

/**
 * The centring tolerance of a face `size` of the frame wide (`face_centre_by_room`): how far its centre
 * may be from (0.5, `aimY`) with its outline `face_frame_margin_fraction` inside every edge, never under
 * `tolerance` (the fixed one, that room at the largest size accepted). Port of assess_face.face_room.
 * @param {number | null | undefined} size
 * @param {number} aimY
 * @param {ReadonlyArray<number>} frameSize
 * @param {[number, number]} tolerance
 * @param {import("./guidance").GuidanceSettings} s
 * @returns {[number, number]}
 */
export function faceRoom(size, aimY, frameSize, tolerance, s) {
  if (!s.face_centre_by_room || !finite(size) || size <= 0) return tolerance;
  const margin = s.face_frame_margin_fraction;
  const halfHeight = size * FACE_HEIGHT_OVER_WIDTH * frameSize[0] / frameSize[1] / 2;
  const roomX = 0.5 - margin - size / 2;
  const roomY = Math.min(aimY, 1.0 - aimY) - margin - halfHeight;
  return [Math.max(tolerance[0], roomX), Math.max(tolerance[1], roomY)];
}

/**
 * Whether the phone's own sensor says it is tilted out of the selfie's range (as facePhoneTilt).
 * @param {Checks} checks @param {number | null | undefined} beta @param {import("./guidance").GuidanceSettings} s
 */
function phoneTilted(checks, beta, s) {
  return checks.below("tilt_back", beta, s.face_min_beta_deg) || checks.above("tilt_forward", beta, s.face_max_beta_deg);
}

/**
 * Where the target's centre should be (x, y as fractions of the frame, y down), and how far off
 * it may be along each axis.
 * @param {string} target
 * @param {import("./guidance").GuidanceSettings} s
 * @returns {[[number, number], [number, number]]}
 */
export function centringSpot(target, s) {
  if (target === "face") return [[0.5, s.face_target_y], [s.face_center_tolerance_x, s.face_center_tolerance_y]];
  return [[0.5, 0.5], [s.card_center_tolerance_x, s.card_center_tolerance_y]];
}

/** @param {Checks} checks @param {import("./guidance").SensorReading | null} reading @param {import("./guidance").GuidanceSettings} s */
function facePhoneTilt(checks, reading, s) {
  const beta = reading ? reading.beta_deg : null;
  if (checks.below("tilt_back", beta, s.face_min_beta_deg)) checks.addPhoneTilt("tilt_back", "tilt_top_toward_you", s);
  else if (checks.above("tilt_forward", beta, s.face_max_beta_deg)) checks.addPhoneTilt("tilt_forward", "tilt_top_away", s);
}

/**
 * Whether the phone is held flat (over a table); unknown counts as flat.
 * @param {import("./guidance").SensorReading | null} reading
 * @param {import("./guidance").GuidanceSettings} s
 */
export function phoneIsFlat(reading, s) {
  return reading === null || reading.beta_deg === null || Math.abs(reading.beta_deg) < s.card_upright_beta_deg;
}

/**
 * Problems of a card observation (back camera by default), most important first. `frameMm`:
 * `"own"` measures the frame on this observation; otherwise the caller's (or `null`, unknown).
 * @param {import("./guidance").CardObservation} obs
 * @param {import("./guidance").SensorReading | null} reading
 * @param {import("./guidance").GuidanceSettings} s
 * @param {ReadonlySet<string>} [active]
 * @param {"front" | "back"} [camera]
 * @param {boolean} [moving]
 * @param {string | null} [expectedSide]
 * @param {number | null} [minSharpness]
 * @param {number} [gain]
 * @param {[number, number] | null | "own"} [frameMm]
 */
export function assessCard(obs, reading, s, active = new Set(), camera = "back", moving = false, expectedSide = null,
  minSharpness = null, gain = 1.0, frameMm = "own") {
  const flat = phoneIsFlat(reading, s);
  const checks = new Checks("card", active, s.hysteresis_fraction, gain);
  if (!obs.found || obs.center === null) {
    if (s.straighten_phone_first) cardPhoneTilt(checks, reading, s, flat);
    return checks.unseen();
  }
  const extent = frameMm === "own" ? cardFrameMm(obs) : frameMm;
  cut(checks, obs.cut_edges, camera, flat, obs.center, 0.5, extent, s, span(obs) > s.card_max_span_fraction,
    Math.max(...(obs.document_type === "mrz_td3" ? ID3_MM : ID1_MM)));
  const [[, aimY], tolerance] = centringSpot("card", s);
  const [horizontal, vertical] = centring(checks, obs.center, aimY, tolerance, camera, flat, extent, s);
  const ratio = s.card_max_span_fraction / span(obs);
  const size = wholeCoverage(obs, s);
  const high = Math.min(s.card_max_coverage, size * (ratio * ratio));
  const sizeError = sizeCheck(checks, size, s.card_min_coverage, high, cardDistanceMm(obs, s), s, 2.0, obs.cut_edges.length > 0);
  cardTilt(checks, obs, reading, s, flat);
  const lux = reading ? reading.ambient_lux : null;
  if (checks.below("dark", obs.exposure, s.card_min_exposure) || (lux !== null && lux < s.min_ambient_lux)) {
    checks.add("dark", "too_dark", "light");
  }
  if (checks.above("glare", obs.glare_fraction, s.card_max_glare_fraction) && !overexposed(obs, s)) {
    const escape = s.say_glare_escape ? glareEscape(obs, extent, camera, flat, s) : null;
    if (escape === null) checks.add("glare", "glare", "light");
    else sayMove(checks, "glare", `glare_${escape[0]}`, "light", escape[0], escape[1], s);
  }
  if (expectedSide && obs.side !== "unknown" && obs.side !== expectedSide) checks.add("side", "turn_over", "side");
  else if (expectedSide && obs.side === "unknown" && s.card_capture_needs_known_side) checks.add("side", "side_unknown", "side");
  if (moving || checks.below("blur", obs.sharpness, minSharpness === null ? s.card_min_sharpness : minSharpness)) {
    checks.add("blur", "hold_still", "blur");
  }
  return checks.result(s.say_distance_with_move, { horizontal, vertical, sizeError, center: obs.center });
}

/**
 * Whether the card's blown-out pixels are the paper of an evenly overexposed card, not a lamp's
 * reflection (`card_overexposed_*`): moving the phone would not take them off.
 * @param {import("./guidance").CardObservation} obs
 * @param {import("./guidance").GuidanceSettings} s
 */
export function overexposed(obs, s) {
  if (obs.glare_center === null || obs.glare_center === undefined || obs.center === null) return false;
  const off = Math.max(Math.abs(obs.glare_center[0] - obs.center[0]), Math.abs(obs.glare_center[1] - obs.center[1]));
  return obs.exposure >= s.card_overexposed_exposure && obs.glare_fraction >= s.card_overexposed_glare_fraction
    && off <= s.card_overexposed_centre_offset;
}

/**
 * The card's share of the frame's area, the part out of the frame included when it is cut off
 * (`card_size_from_whole_outline`).
 * @param {import("./guidance").CardObservation} obs
 * @param {import("./guidance").GuidanceSettings} s
 */
function wholeCoverage(obs, s) {
  const visible = obs.visible_fraction ?? 0;
  return s.card_size_from_whole_outline && obs.cut_edges.length > 0 && visible > 0 && visible < 1 ? obs.coverage / visible : obs.coverage;
}

/** The largest share of the frame's width or height the card's outline spans. @param {import("./guidance").CardObservation} obs */
function span(obs) {
  if (obs.quad === null) return 1e-9;
  const [width, height] = obs.frame_size;
  return Math.max(ptp(obs.quad, 0) / width, ptp(obs.quad, 1) / height, 1e-9);
}

/**
 * The phone's own tilt over a card. Returns whether the sensor settled the question.
 * @param {Checks} checks
 * @param {import("./guidance").SensorReading | null} reading
 * @param {import("./guidance").GuidanceSettings} s
 * @param {boolean} flat
 */
function cardPhoneTilt(checks, reading, s, flat) {
  const beta = reading && flat ? reading.beta_deg : null;
  const gamma = reading && flat ? reading.gamma_deg : null;
  const limit = s.card_max_device_tilt_deg;
  /** @type {Array<[string, number | null, string]>} */
  const sides = [["tilt_top", beta, "tilt_lower_top"], ["tilt_bottom", beta === null ? null : -beta, "tilt_lower_bottom"],
    ["tilt_right", gamma, "tilt_lower_left"], ["tilt_left", gamma === null ? null : -gamma, "tilt_lower_right"]];
  for (const [key, value, name] of sides) {
    if (checks.above(key, value, limit)) {
      checks.addPhoneTilt(key, name, s);
      return true;
    }
  }
  return beta !== null && gamma !== null;
}

/**
 * @param {Checks} checks
 * @param {import("./guidance").CardObservation} obs
 * @param {import("./guidance").SensorReading | null} reading
 * @param {import("./guidance").GuidanceSettings} s
 * @param {boolean} flat
 */
function cardTilt(checks, obs, reading, s, flat) {
  if (cardPhoneTilt(checks, reading, s, flat)) return;
  if (checks.above("tilt_card", Math.abs(obs.tilt_deg), s.card_max_tilt_deg)) checks.add("tilt_card", "hold_flat", "tilt");
}
